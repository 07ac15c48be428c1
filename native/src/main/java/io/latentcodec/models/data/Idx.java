package io.latentcodec.models.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One IDX file (the MNIST / Fashion-MNIST container): an element type, a list of dimensions and
 * the elements in row-major order, big-endian.
 *
 * <pre>
 *   offset  size      field
 *   0       2         0x00 0x00
 *   2       1         type code: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double
 *   3       1         rank r (1..255)
 *   4       4 * r     dimensions, big-endian unsigned 32-bit (each < 2^31 here)
 *   4 + 4r  n * size  elements, n = product of the dimensions, big-endian
 * </pre>
 *
 * <p>Reading is strict: the header is checked and the declared size compared with the bytes present
 * (and with a cap) <em>before</em> anything of that size is allocated; short data, trailing bytes,
 * unknown type codes and dimensions whose product overflows are {@link MalformedDataException}s
 * with the byte offset. Files whose first two bytes are the gzip magic are inflated first (the
 * offsets then count inflated bytes).
 *
 * <p>Instances are immutable; accessors return copies.
 */
public final class Idx {

    /** Element types of the IDX format, with their type codes and sizes in bytes. */
    public enum Type {
        UNSIGNED_BYTE(0x08, 1), SIGNED_BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

        private final int code;
        private final int size;

        Type(int code, int size) {
            this.code = code;
            this.size = size;
        }

        /** The type code stored in byte 2 of the header. */
        public int code() {
            return code;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** The type with this code, or null. */
        static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Default cap on the element bytes of one file read from a stream or path: 1 GiB. */
    public static final long DEFAULT_MAX_DATA_BYTES = 1L << 30;
    /** Hard cap: the elements live in one Java array. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 16;

    private final Type type;
    private final int[] dims;
    private final byte[] data;

    private Idx(Type type, int[] dims, byte[] data) {
        this.type = type;
        this.dims = dims;
        this.data = data;
    }

    /**
     * An IDX value from its parts. {@code data} holds the elements big-endian, exactly
     * {@code product(dims) * type.size()} bytes; it is copied.
     */
    public static Idx of(Type type, int[] dims, byte[] data) {
        if (type == null) {
            throw new IllegalArgumentException("type is null");
        }
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("rank must be 1..255, got " + dims.length);
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n * type.size != data.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " of " + type + " need "
                    + n * type.size + " bytes, got " + data.length);
        }
        return new Idx(type, dims.clone(), data.clone());
    }

    /** Unsigned-byte images of {@code rows x cols} pixels: dimensions [n, rows, cols]. */
    public static Idx ofImages(byte[][] images, int rows, int cols) {
        int px = Math.multiplyExact(rows, cols);
        byte[] data = new byte[Math.multiplyExact(images.length, px)];
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != px) {
                throw new IllegalArgumentException("image " + i + " has " + images[i].length + " pixels, expected " + px);
            }
            System.arraycopy(images[i], 0, data, i * px, px);
        }
        return new Idx(Type.UNSIGNED_BYTE, new int[] {images.length, rows, cols}, data);
    }

    /** Unsigned-byte labels (each 0..255): dimensions [n]. */
    public static Idx ofLabels(int[] labels) {
        byte[] data = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", not 0..255");
            }
            data[i] = (byte) labels[i];
        }
        return new Idx(Type.UNSIGNED_BYTE, new int[] {labels.length}, data);
    }

    /** Parses one IDX file held in memory (not gzipped); the whole array must be the file. */
    public static Idx parse(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes), ARRAY_LIMIT); // reads no more than the array holds
        } catch (IOException e) {
            throw new AssertionError("in-memory stream failed", e);
        }
    }

    /**
     * Reads one IDX file from a stream (not gzipped) that must end right after it. At most
     * {@code maxDataBytes} element bytes are accepted; a larger declared size is refused before
     * any allocation, and a stream shorter than declared costs only the bytes it has.
     */
    public static Idx read(InputStream in, long maxDataBytes) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new MalformedDataException(magic.length, "truncated IDX header: " + magic.length + " of 4 magic bytes");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new MalformedDataException(0, String.format(
                    "bad IDX magic %02x %02x (an IDX file starts with 00 00)", magic[0] & 0xFF, magic[1] & 0xFF));
        }
        Type type = Type.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new MalformedDataException(2, String.format("unknown IDX type code 0x%02x", magic[2] & 0xFF));
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new MalformedDataException(3, "IDX rank is 0");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new MalformedDataException(4 + dimBytes.length,
                    "truncated IDX header: " + rank + " dimensions declared, header ends after " + dimBytes.length / 4);
        }
        int[] dims = new int[rank];
        long count = 1;
        boolean overflow = false;
        for (int i = 0; i < rank; i++) {
            long d = readIntBE(dimBytes, 4 * i) & 0xFFFFFFFFL;
            if (d > Integer.MAX_VALUE) {
                throw new MalformedDataException(4 + 4L * i, "IDX dimension " + i + " is " + d + " (more than 2^31 - 1)");
            }
            dims[i] = (int) d;
            // once past the array limit the product only needs to stay "too big"; guard the multiply
            if (!overflow && d != 0 && count > ARRAY_LIMIT / d) {
                overflow = true;
            }
            count = overflow ? count : count * d;
        }
        int header = 4 + 4 * rank;
        boolean empty = Arrays.stream(dims).anyMatch(d -> d == 0);
        long bytes = empty ? 0 : (overflow ? Long.MAX_VALUE : Math.multiplyExact(count, (long) type.size));
        long cap = Math.min(maxDataBytes, ARRAY_LIMIT);
        if (bytes > cap) {
            throw new MalformedDataException(4, "IDX dimensions " + Arrays.toString(dims) + " of " + type + " declare "
                    + (overflow ? "more than 2^31" : Long.toString(bytes)) + " bytes of data, over the limit of " + cap);
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw new MalformedDataException(header + data.length, "truncated IDX data: dimensions "
                    + Arrays.toString(dims) + " declare " + bytes + " bytes, only " + data.length + " present");
        }
        if (in.read() != -1) {
            throw new MalformedDataException(header + bytes, "trailing bytes after the IDX data of dimensions "
                    + Arrays.toString(dims));
        }
        return new Idx(type, dims, data);
    }

    /** Reads an IDX file, inflating it first when it starts with the gzip magic (1f 8b). */
    public static Idx read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_DATA_BYTES);
    }

    /** As {@link #read(Path)}, with a cap on the element bytes. */
    public static Idx read(Path file, long maxDataBytes) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(in, maxDataBytes);
        } catch (MalformedDataException e) {
            throw new MalformedDataException(e.offset(), file + ": " + e.reason(), e);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new MalformedDataException(-1, file + ": damaged gzip stream: " + e.getMessage(), e);
        }
    }

    /** The file's bytes: header then elements. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 4 * dims.length + data.length);
        try {
            write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** Writes header and elements to the stream (not closed). */
    public void write(OutputStream out) throws IOException {
        byte[] header = new byte[4 + 4 * dims.length];
        header[2] = (byte) type.code;
        header[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            int d = dims[i];
            header[4 + 4 * i] = (byte) (d >>> 24);
            header[5 + 4 * i] = (byte) (d >>> 16);
            header[6 + 4 * i] = (byte) (d >>> 8);
            header[7 + 4 * i] = (byte) d;
        }
        out.write(header);
        out.write(data);
    }

    /**
     * Writes header and elements to the channel at its position, completely or not at all without an
     * exception (a short write that makes no progress is an {@link IOException}; see {@link ByteChannels}).
     */
    public void write(WritableByteChannel ch) throws IOException {
        ByteChannels.writeFully(ch, toBytes());
    }

    /**
     * Writes the file, complete and flushed to disk or an {@link IOException}; gzipped when the name
     * ends in {@code .gz}. Not atomic: the CLI writes through the engine's {@code AtomicOutput}.
     */
    public void write(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            if (file.getFileName().toString().endsWith(".gz")) {
                ByteArrayOutputStream packed = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(packed, 1 << 16)) {
                    write(gz);
                }
                ByteChannels.writeFully(ch, packed.toByteArray());
            } else {
                write(ch);
            }
            ch.force(true);
        }
    }

    public Type type() {
        return type;
    }

    /** The dimensions (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** Number of elements. */
    public long count() {
        return data.length / type.size;
    }

    /** Size of the header in bytes: 4 + 4 * rank. */
    public int headerSize() {
        return 4 + 4 * dims.length;
    }

    /** The elements as stored: big-endian, row-major (a copy). */
    public byte[] data() {
        return data.clone();
    }

    /**
     * Unsigned-byte images of rank 3 [n, rows, cols] as n arrays of rows * cols pixels; n &gt; 0
     * images of 0 pixels are a {@link MalformedDataException} (no bytes back such a declaration).
     */
    public byte[][] images() {
        if (type != Type.UNSIGNED_BYTE || dims.length != 3) {
            throw new IllegalArgumentException("images need an unsigned-byte IDX of rank 3, this is " + this);
        }
        int px = dims[1] * dims[2];
        if (px == 0 && dims[0] > 0) {
            // nothing in the file backs these images: refuse before allocating one array per declared image
            throw new MalformedDataException(dims[1] == 0 ? 8 : 12, "IDX dimensions " + Arrays.toString(dims)
                    + " declare " + dims[0] + " images of 0 pixels");
        }
        byte[][] images = new byte[dims[0]][];
        for (int i = 0; i < images.length; i++) {
            images[i] = Arrays.copyOfRange(data, i * px, (i + 1) * px);
        }
        return images;
    }

    /** Unsigned-byte labels of rank 1. */
    public int[] labels() {
        if (type != Type.UNSIGNED_BYTE || dims.length != 1) {
            throw new IllegalArgumentException("labels need an unsigned-byte IDX of rank 1, this is " + this);
        }
        int[] labels = new int[dims[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data[i] & 0xFF;
        }
        return labels;
    }

    private static int readIntBE(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Idx other && type == other.type && Arrays.equals(dims, other.dims) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IDX " + type + " " + Arrays.toString(dims);
    }
}
