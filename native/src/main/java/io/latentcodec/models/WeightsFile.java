package io.latentcodec.models;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A model's weights as plain named float32 tensors, readable without TensorFlow: what the
 * deterministic Java inference path evaluates, and what its fingerprint covers.
 *
 * <h2>Layout ({@code weights.lcw}; all integers little-endian)</h2>
 * <pre>
 *  0                8             12            16
 *  +----------------+-------------+-------------+
 *  | "LCWEIGHT"     | version u32 | tensors t   |
 *  +----------------+-------------+-------------+
 *  16: t x { name length u16 | name (ASCII [A-Za-z0-9_]) | rank u8 (0..4) | rank x dim u32 (>= 1)
 *            | prod(dims) x float32 (raw IEEE bits, row-major) }
 *  end: CRC32C u32 of every byte before it
 * </pre>
 * Tensors are in the model's fixed variable order. A reader checks the magic, version, CRC, every
 * declared size against the bytes left before it allocates, and that every value is finite.
 *
 * <h2>Fingerprint</h2>
 * {@link #fingerprint(String)} is SHA-256 over {@code "latentcodec-weights/2" 0x00}, the
 * architecture id (ASCII) {@code 0x00}, then the file's bytes from offset 8 up to (not including)
 * the CRC: exactly the tensors the coder evaluates, in order, and nothing else (no batch size: the
 * Java forward pass computes each row alone, so its floats do not depend on the batch).
 */
public final class WeightsFile {
    /** The file name inside a model directory. */
    public static final String FILE = "weights.lcw";
    static final byte[] MAGIC = "LCWEIGHT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final String FINGERPRINT_TAG = "latentcodec-weights/2";
    /** Refuses absurd files before allocating: 1 GiB of floats, 4096 tensors, rank 4, names of 64 bytes. */
    static final long MAX_VALUES = 1L << 28;
    static final int MAX_TENSORS = 4096;
    static final int MAX_RANK = 4;
    static final int MAX_NAME = 64;

    /** One named tensor. */
    public record Tensor(String name, int[] shape, float[] values) {
        public Tensor {
            if (!name.matches("[A-Za-z0-9_]{1," + MAX_NAME + "}")) {
                throw new IllegalArgumentException("tensor name '" + name + "' is not 1.." + MAX_NAME + " of [A-Za-z0-9_]");
            }
            if (shape.length > MAX_RANK) {
                throw new IllegalArgumentException(name + ": rank " + shape.length + " exceeds " + MAX_RANK);
            }
            long n = 1;
            for (int d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException(name + ": dimension " + d + " in " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
            }
        }

        /** Shape as longs, as {@code Architecture.variableShapes()} gives them. */
        public long[] longShape() {
            long[] s = new long[shape.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = shape[i];
            }
            return s;
        }
    }

    private final Map<String, Tensor> tensors;
    private final byte[] bytes;

    private WeightsFile(Map<String, Tensor> tensors, byte[] bytes) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.bytes = bytes;
    }

    /** The weights in order; names must be distinct. */
    public static WeightsFile of(List<Tensor> list) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Tensor t : list) {
            if (m.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor " + t.name() + " twice");
            }
        }
        return new WeightsFile(m, encode(list));
    }

    /** The tensors in file order. */
    public List<Tensor> tensors() {
        return List.copyOf(tensors.values());
    }

    /** The values of tensor {@code name} (a copy), checked against the expected shape. */
    public float[] get(Path dir, String name, long[] expectedShape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new InvalidModelException(dir, FILE + " has no tensor " + name + " (has " + tensors.keySet() + ")");
        }
        if (!Arrays.equals(t.longShape(), expectedShape)) {
            throw new InvalidModelException(dir, FILE + ": tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + ", the architecture needs " + Arrays.toString(expectedShape));
        }
        return t.values().clone();
    }

    /** The encoded file. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the file to {@code dir/weights.lcw} (through a temporary file and a rename). */
    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** See the class comment: SHA-256 over the tag, the architecture id and the tensors. */
    public byte[] fingerprint(String architectureId) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        sha.update(FINGERPRINT_TAG.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(architectureId.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(bytes, MAGIC.length, bytes.length - MAGIC.length - 4);
        return sha.digest();
    }

    /** Reads {@code dir/weights.lcw}; anything wrong is an {@link InvalidModelException} naming it. */
    public static WeightsFile read(Path dir) {
        Path f = dir.resolve(FILE);
        byte[] b;
        try {
            if (Files.size(f) > 4 * MAX_VALUES + (1 << 20)) {
                throw new InvalidModelException(dir, FILE + " is " + Files.size(f) + " bytes, more than any model of this project");
            }
            b = Files.readAllBytes(f);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidModelException(dir, "no " + FILE + " (weights for the deterministic Java path; "
                    + "'./latentcodec models export-weights DIR' writes it from the SavedModel)", e);
        } catch (IOException e) {
            throw new InvalidModelException(dir, "cannot read " + FILE + ": " + e.getMessage(), e);
        }
        return parse(dir, b);
    }

    /** Parses the bytes of a weights file; {@code dir} names the model in errors. */
    public static WeightsFile parse(Path dir, byte[] b) {
        if (b.length < MAGIC.length + 12 || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidModelException(dir, FILE + " is not a weights file (no LCWEIGHT magic, or shorter than its header)");
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        if ((int) crc.getValue() != in.getInt(b.length - 4)) {
            throw new InvalidModelException(dir, FILE + " fails its CRC32C: the file is damaged");
        }
        in.limit(b.length - 4).position(MAGIC.length);
        int version = in.getInt();
        if (version != VERSION) {
            throw new InvalidModelException(dir, FILE + " has version " + version + ", this build reads " + VERSION);
        }
        int count = in.getInt();
        if (count < 0 || count > MAX_TENSORS) {
            throw new InvalidModelException(dir, FILE + " declares " + Integer.toUnsignedString(count) + " tensors (at most " + MAX_TENSORS + ")");
        }
        List<Tensor> list = new ArrayList<>(count);
        try {
            for (int t = 0; t < count; t++) {
                int nameLen = Short.toUnsignedInt(in.getShort());
                if (nameLen < 1 || nameLen > MAX_NAME || nameLen > in.remaining()) {
                    throw new InvalidModelException(dir, FILE + ": tensor " + t + " has a name of " + nameLen + " bytes");
                }
                byte[] nb = new byte[nameLen];
                in.get(nb);
                String name = new String(nb, StandardCharsets.US_ASCII);
                int rank = Byte.toUnsignedInt(in.get());
                if (rank > MAX_RANK) {
                    throw new InvalidModelException(dir, FILE + ": tensor " + name + " has rank " + rank);
                }
                int[] shape = new int[rank];
                long n = 1;
                for (int i = 0; i < rank; i++) {
                    long d = Integer.toUnsignedLong(in.getInt());
                    if (d < 1 || d > MAX_VALUES) {
                        throw new InvalidModelException(dir, FILE + ": tensor " + name + " has dimension " + d);
                    }
                    shape[i] = (int) d;
                    n *= d;
                    if (n > MAX_VALUES) {
                        throw new InvalidModelException(dir, FILE + ": tensor " + name + " has more than " + MAX_VALUES + " values");
                    }
                }
                if (4 * n > in.remaining()) {
                    throw new InvalidModelException(dir, FILE + ": tensor " + name + " needs " + 4 * n + " bytes, " + in.remaining() + " left");
                }
                float[] v = new float[(int) n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.intBitsToFloat(in.getInt());
                    if (!Float.isFinite(v[i])) {
                        throw new InvalidModelException(dir, FILE + ": tensor " + name + " value " + i + " is " + v[i]);
                    }
                }
                list.add(new Tensor(name, shape, v));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new InvalidModelException(dir, FILE + " ends inside a tensor header", e);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(dir, FILE + ": " + e.getMessage(), e);
        }
        if (in.remaining() != 0) {
            throw new InvalidModelException(dir, FILE + " has " + in.remaining() + " bytes after its last tensor");
        }
        WeightsFile w = of(list);
        if (!Arrays.equals(w.bytes, b)) {
            throw new InvalidModelException(dir, FILE + " is not in canonical form");
        }
        return w;
    }

    private static byte[] encode(List<Tensor> list) {
        long size = MAGIC.length + 8L + 4;
        for (Tensor t : list) {
            size += 2 + t.name().length() + 1 + 4L * t.shape().length + 4L * t.values().length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("weights of " + size + " bytes do not fit one file");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(list.size());
        for (Tensor t : list) {
            out.putShort((short) t.name().length()).put(t.name().getBytes(StandardCharsets.US_ASCII)).put((byte) t.shape().length);
            for (int d : t.shape()) {
                out.putInt(d);
            }
            for (float v : t.values()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(t.name() + " holds " + v);
                }
                out.putInt(Float.floatToRawIntBits(v));
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }
}
