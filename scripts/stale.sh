# Sourced by the launchers (./latentcodec, scripts/spark): whether a build is out of date.
#   latentcodec_stale STAMP... -- DIR...   true when a STAMP file is missing, or when a main source, main
#                                          resource or pom.xml under a DIR (target/ and src/test/ aside:
#                                          tests are not in the jars) is newer than the first STAMP
latentcodec_stale() {
  local stamps=() f
  while [ $# -gt 0 ] && [ "$1" != -- ]; do stamps+=("$1"); shift; done
  shift
  for f in "${stamps[@]}"; do
    [ -f "$f" ] || return 0
  done
  [ -n "$(find "$@" \( \( -path '*/target' -o -path '*/src/test' \) -prune \) -o \
      \( -type f \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "${stamps[0]}" -print \) 2>/dev/null | head -n 1)" ]
}
