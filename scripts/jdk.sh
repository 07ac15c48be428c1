# Sourced by every script of this project: finds a JDK 25 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME if it is 25+, then the newest 25+ JDK under /usr/lib/jvm (or $LATENTCODEC_JVM_DIR),
# else a clear message and exit status 2.
latentcodec_java_feature() { # prints the feature release of the JDK at $1, or nothing
  local rel="$1/release"
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$rel" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
  fi
}
latentcodec_find_jdk() {
  local v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(latentcodec_java_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then return 0; fi
  fi
  local best="" bestv=0 d
  for d in "${LATENTCODEC_JVM_DIR:-/usr/lib/jvm}"/*; do
    [ -d "$d" ] || continue
    v=$(latentcodec_java_feature "$d")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "latentcodec: no JDK 25 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked in ${LATENTCODEC_JVM_DIR:-/usr/lib/jvm})." >&2
    echo "latentcodec: install one (e.g. Temurin 25) or point JAVA_HOME at it." >&2
    return 2
  fi
  export JAVA_HOME="$best"
}
latentcodec_find_jdk || exit 2
export PATH="$JAVA_HOME/bin:$PATH"
