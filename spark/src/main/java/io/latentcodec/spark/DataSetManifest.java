package io.latentcodec.spark;

import io.latentcodec.CorruptInputException;
import io.latentcodec.models.Json;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code manifest.json} of a compressed data set: what the decompress and verify jobs check
 * before they decode anything, and the commit point of a compress job (written last; a directory
 * without it is no data set). Format {@value #FORMAT}:
 * <pre>
 * { "format": "latentcodec-spark/1", "codec": "bitsback" | "vbq", "model": NAME, "fingerprint": HEX (SHA-256),
 *   "rows": R, "cols": C, "images": N, "source": SPEC,
 *   "names": null | { "file": "names.txt", "bytes": B, "crc32c": X },
 *   "parts": [ { "file": "part-00000.lc", "first": 0, "images": K, "bytes": B, "crc32c": X, "pixelsCrc32c": Y }, ... ] }
 * </pre>
 * Parts are in data-set order: part i holds images {@code first .. first + images - 1}, and the
 * firsts are the running sums of the counts. {@code crc32c} is that of the part file's bytes;
 * {@code pixelsCrc32c} that of its images' pixels, row-major, image after image (what verify compares).
 * Bits-back parts are one bits-back container each, of grey {@code rows x cols} images. VBQ parts
 * are their images' VBQ containers one after another, of colour images of any size ({@code rows}
 * and {@code cols} are 0), and {@code pixelsCrc32c} is that of the reconstructions' RGB bytes: the
 * coding is lossy, and the decoder's output is the same on every machine.
 *
 * @param names null, or the file of image names (a directory's file names, one per line, UTF-8)
 */
public record DataSetManifest(String codec, String model, byte[] fingerprint, int rows, int cols, long images, String source,
                              Part names, List<Part> parts) implements Serializable {
    public static final String FORMAT = "latentcodec-spark/1";
    public static final String FILE = "manifest.json";
    public static final String NAMES_FILE = "names.txt";
    /** Most parts a manifest may list (bounds what a damaged one makes a reader allocate). */
    public static final int MAX_PARTS = 1 << 20;

    /**
     * One file of the data set.
     *
     * @param first        index of its first image (0 for the names file)
     * @param images       its image count (names: the number of names)
     * @param pixelsCrc32c CRC32C of its images' pixels (names: 0)
     */
    public record Part(String file, long first, long images, long bytes, int crc32c, int pixelsCrc32c) implements Serializable {
    }

    /** The names file's bytes: one name a line, each ended by a line break, UTF-8 (names hold no line breaks: the directory reader refuses them); empty for no names. */
    public static byte[] namesFile(List<String> names) {
        return names.isEmpty() ? new byte[0] : (String.join("\n", names) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The names in {@code file} (already checked against {@link #names}' size and CRC32C): exactly
     * one plain file name (no '/', not "." or "..") for each of the manifest's images.
     */
    public List<String> parseNames(byte[] file) {
        String s = new String(file, java.nio.charset.StandardCharsets.UTF_8);
        if (!s.isEmpty() && !s.endsWith("\n")) {
            throw new CorruptInputException(file.length, names.file() + " does not end with a line break: truncated");
        }
        List<String> list = s.isEmpty() ? List.of() : java.util.Arrays.asList(s.substring(0, s.length() - 1).split("\n", -1));
        if (list.size() != images) {
            throw new CorruptInputException(-1, names.file() + " holds " + list.size() + " names for " + images + " images");
        }
        for (String n : list) {
            if (n.isEmpty() || n.contains("/") || n.equals(".") || n.equals("..")) {
                throw new CorruptInputException(-1, names.file() + " holds the name '" + n + "', which is not a plain file name");
            }
        }
        return list;
    }

    /** The name of part {@code i}'s file. */
    public static String partFile(int i) {
        return String.format(Locale.ROOT, "part-%05d.lc", i);
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("codec", codec);
        m.put("model", model);
        m.put("fingerprint", HexFormat.of().formatHex(fingerprint));
        m.put("rows", (long) rows);
        m.put("cols", (long) cols);
        m.put("images", images);
        m.put("source", source);
        m.put("names", names == null ? null : part(names));
        List<Object> ps = new ArrayList<>(parts.size());
        for (Part p : parts) {
            ps.add(part(p));
        }
        m.put("parts", ps);
        return Json.write(m);
    }

    private static Map<String, Object> part(Part p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", p.file());
        m.put("first", p.first());
        m.put("images", p.images());
        m.put("bytes", p.bytes());
        m.put("crc32c", p.crc32c() & 0xFFFF_FFFFL);
        m.put("pixelsCrc32c", p.pixelsCrc32c() & 0xFFFF_FFFFL);
        return m;
    }

    /** Parses and checks a manifest; anything wrong is a {@link CorruptInputException} naming the field. */
    public static DataSetManifest parse(String json) {
        try {
            Object root = Json.parse(json);
            if (!(root instanceof Map<?, ?> m)) {
                throw bad("not a JSON object");
            }
            if (!FORMAT.equals(m.get("format"))) {
                throw bad("format is " + m.get("format") + ", this build reads " + FORMAT);
            }
            String codec = str(m, "codec");
            boolean vbq = codec.equals("vbq");
            if (!codec.equals("bitsback") && !vbq) {
                throw bad("codec is '" + codec + "', this build writes and reads 'bitsback' and 'vbq'");
            }
            String fp = str(m, "fingerprint");
            if (!fp.matches("[0-9a-f]{64}")) {
                throw bad("fingerprint is not 64 hex digits");
            }
            long rows = num(m, "rows", vbq ? 0 : 1, vbq ? 0 : Integer.MAX_VALUE); // vbq: 0, each container has its image's size
            long cols = num(m, "cols", vbq ? 0 : 1, vbq ? 0 : Integer.MAX_VALUE);
            long images = num(m, "images", 0, ImageInput.MAX_IMAGES);
            Part names = m.get("names") == null ? null : part(m.get("names"), "names");
            if (!(m.get("parts") instanceof List<?> list) || list.isEmpty() || list.size() > MAX_PARTS) {
                throw bad("parts is not a list of 1 to " + MAX_PARTS + " entries");
            }
            List<Part> parts = new ArrayList<>(list.size());
            long next = 0;
            for (int i = 0; i < list.size(); i++) {
                Part p = part(list.get(i), "parts[" + i + "]");
                if (!p.file().equals(partFile(i)) || p.first() != next) {
                    throw bad("parts[" + i + "] is " + p.file() + " from image " + p.first() + ", expected " + partFile(i) + " from " + next);
                }
                next += p.images();
                parts.add(p);
            }
            if (next != images) {
                throw bad("the parts hold " + next + " images, the manifest says " + images);
            }
            if (names != null && (!names.file().equals(NAMES_FILE) || names.images() != images)) {
                throw bad("names is " + names.file() + " of " + names.images() + " names, expected " + NAMES_FILE + " of " + images);
            }
            return new DataSetManifest(codec, str(m, "model"), HexFormat.of().parseHex(fp), (int) rows, (int) cols, images,
                    str(m, "source"), names, List.copyOf(parts));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage()); // the JSON parser's syntax errors
        }
    }

    private static Part part(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw bad(what + " is not an object");
        }
        String file = str(m, what + ".file");
        if (!file.matches("[A-Za-z0-9._-]+")) {
            throw bad(what + ".file '" + file + "' is not a plain file name");
        }
        return new Part(file, num(m, "first", 0, ImageInput.MAX_IMAGES), num(m, "images", 0, ImageInput.MAX_IMAGES),
                num(m, "bytes", 0, Long.MAX_VALUE), (int) num(m, "crc32c", 0, 0xFFFF_FFFFL), (int) num(m, "pixelsCrc32c", 0, 0xFFFF_FFFFL));
    }

    private static String str(Map<?, ?> m, String key) {
        String k = key.substring(key.lastIndexOf('.') + 1);
        if (!(m.get(k) instanceof String s)) {
            throw bad(key + " is missing or not a string");
        }
        return s;
    }

    private static long num(Map<?, ?> m, String key, long min, long max) {
        if (!(m.get(key) instanceof Long v) || v < min || v > max) {
            throw bad(key + " is missing or not an integer in [" + min + ", " + max + "]: " + m.get(key));
        }
        return v;
    }

    private static CorruptInputException bad(String reason) {
        return new CorruptInputException(-1, FILE + ": " + reason);
    }
}
