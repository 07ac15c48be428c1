package io.latentcodec.models.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An 8-bit grayscale image, as users hand their own data to the codecs: binary or plain PGM
 * ({@code P5}/{@code P2}, maxval 255) or 8-bit grayscale PNG. Pixels are row-major, one byte each
 * (0 black .. 255 white), exactly as in the file: nothing is rescaled, so lossless coding gives the
 * same bytes back.
 *
 * <p>Reading is strict. A PGM's header is checked against the bytes present before the raster is
 * allocated; a PNG's IHDR (size, bit depth, colour type) is checked before the decoder runs. Other
 * PNG kinds (RGB, palette, 16-bit, alpha) and other PGM maxvals are refused with a message saying
 * what the file is; damaged files are {@link MalformedDataException}s.
 */
public final class GrayImage {

    /** Largest accepted width or height, and largest pixel count: far beyond 28 x 28, far below memory trouble. */
    public static final int MAX_SIDE = 1 << 15;
    public static final long MAX_PIXELS = 1L << 28;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /**
     * Deflate's largest expansion: a 258-byte match costs at least 2 bits, so a zlib stream of
     * n bytes inflates to at most about 1032 n. A PNG's scanlines (a filter byte and the pixels
     * of each row) come out of its IDAT stream, which lies inside the file.
     */
    private static final long MAX_INFLATE_RATIO = 1032;

    private final int width;
    private final int height;
    private final byte[] pixels;

    private GrayImage(int width, int height, byte[] pixels) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /** An image from row-major pixels (copied). */
    public static GrayImage of(int width, int height, byte[] pixels) {
        checkSize(width, height, -1);
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(width + "x" + height + " needs " + width * height + " pixels, got " + pixels.length);
        }
        return new GrayImage(width, height, pixels.clone());
    }

    /** Reads a PGM or PNG file, told apart by their magic bytes. */
    public static GrayImage read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(bytes);
        } catch (MalformedDataException e) {
            throw new MalformedDataException(e.offset(), file + ": " + e.reason(), e);
        }
    }

    /** Whether {@code bytes} start as a PGM ({@code P5}, {@code P2}) or a PNG file: what {@link #parse} tries to read. */
    public static boolean isImageFile(byte[] bytes) {
        return isPgm(bytes) || isPng(bytes);
    }

    private static boolean isPgm(byte[] b) {
        return b.length >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '2');
    }

    private static boolean isPng(byte[] b) {
        return b.length >= 8 && Arrays.equals(b, 0, 8, PNG_SIGNATURE, 0, 8);
    }

    /** Parses a PGM ({@code P5}, {@code P2}) or PNG file held in memory. */
    public static GrayImage parse(byte[] bytes) {
        if (isPgm(bytes)) {
            return parsePgm(bytes);
        }
        if (isPng(bytes)) {
            return parsePng(bytes);
        }
        if (bytes.length >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '7') {
            throw new MalformedDataException(0, "Netpbm type P" + (char) bytes[1] + " is not a grayscale map: only PGM (P5, P2) is read");
        }
        throw new MalformedDataException(0, "neither a PGM (P5/P2) nor a PNG file (unknown magic bytes)");
    }

    // ---- PGM ----

    private static GrayImage parsePgm(byte[] b) {
        boolean plain = b[1] == '2';
        int[] pos = {2};
        long width = pgmNumber(b, pos, "width");
        long height = pgmNumber(b, pos, "height");
        long maxval = pgmNumber(b, pos, "maxval");
        checkSize(width, height, pos[0]);
        if (maxval != 255) {
            throw new MalformedDataException(pos[0], "PGM maxval is " + maxval + ": only 8-bit PGM (maxval 255) is read");
        }
        // exactly one whitespace byte separates the header from the raster
        if (pos[0] >= b.length || !isSpace(b[pos[0]])) {
            throw new MalformedDataException(pos[0], "PGM header must end with one whitespace byte");
        }
        pos[0]++;
        int n = (int) (width * height);
        if (!plain) {
            long have = b.length - (long) pos[0];
            if (have < n) {
                throw new MalformedDataException(b.length, "truncated PGM raster: " + width + "x" + height + " needs " + n
                        + " bytes, " + have + " present");
            }
            if (have > n) {
                throw new MalformedDataException(pos[0] + (long) n, "trailing bytes after the PGM raster (multi-image PGM is not read)");
            }
            return new GrayImage((int) width, (int) height, Arrays.copyOfRange(b, pos[0], pos[0] + n));
        }
        // plain: every pixel is a decimal number; at least 2 bytes each except the last, so check first
        if ((b.length - (long) pos[0]) < 2L * n - 1) {
            throw new MalformedDataException(b.length, "truncated plain PGM: " + n + " values declared, too few bytes");
        }
        byte[] px = new byte[n];
        for (int i = 0; i < n; i++) {
            long v = pgmNumber(b, pos, "pixel " + i);
            if (v > 255) {
                throw new MalformedDataException(pos[0], "pixel " + i + " is " + v + ", over maxval 255");
            }
            px[i] = (byte) v;
        }
        skipSpaceAndComments(b, pos);
        if (pos[0] != b.length) {
            throw new MalformedDataException(pos[0], "trailing bytes after the plain PGM raster");
        }
        return new GrayImage((int) width, (int) height, px);
    }

    private static long pgmNumber(byte[] b, int[] pos, String what) {
        skipSpaceAndComments(b, pos);
        int start = pos[0];
        long v = 0;
        while (pos[0] < b.length && b[pos[0]] >= '0' && b[pos[0]] <= '9') {
            v = v * 10 + (b[pos[0]] - '0');
            if (v > Integer.MAX_VALUE) {
                throw new MalformedDataException(start, "PGM " + what + " is too large");
            }
            pos[0]++;
        }
        if (pos[0] == start) {
            throw new MalformedDataException(start, pos[0] >= b.length ? "PGM ends before its " + what
                    : "expected the PGM " + what + " (a decimal number), found byte 0x" + Integer.toHexString(b[start] & 0xFF));
        }
        return v;
    }

    private static void skipSpaceAndComments(byte[] b, int[] pos) {
        while (pos[0] < b.length) {
            if (isSpace(b[pos[0]])) {
                pos[0]++;
            } else if (b[pos[0]] == '#') {
                while (pos[0] < b.length && b[pos[0]] != '\n' && b[pos[0]] != '\r') {
                    pos[0]++;
                }
            } else {
                return;
            }
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    // ---- PNG ----

    private static GrayImage parsePng(byte[] b) {
        // IHDR must be the first chunk: length 13 at 8, "IHDR" at 12, width 16, height 20, depth 24, colour type 25
        if (b.length < 33) {
            throw new MalformedDataException(b.length, "truncated PNG: no complete IHDR chunk");
        }
        if (readIntBE(b, 8) != 13 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new MalformedDataException(8, "PNG does not start with an IHDR chunk");
        }
        long width = readIntBE(b, 16) & 0xFFFFFFFFL;
        long height = readIntBE(b, 20) & 0xFFFFFFFFL;
        int depth = b[24] & 0xFF;
        int colour = b[25] & 0xFF;
        checkSize(width, height, 16);
        if (colour != 0 || depth != 8) {
            throw new MalformedDataException(24, "PNG is " + pngKind(colour, depth) + ": only 8-bit grayscale PNG is read");
        }
        // before ImageIO allocates the raster the header asks for: could this file hold that many scanline bytes?
        if (height * (width + 1) > MAX_INFLATE_RATIO * b.length + 1024) {
            throw new MalformedDataException(16, "PNG declares " + width + "x" + height + " pixels, more than its " + b.length
                    + " bytes can hold: the file is truncated or damaged");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(b))); // no cache file in java.io.tmpdir
        } catch (IOException | RuntimeException e) {
            throw new MalformedDataException(-1, "damaged PNG: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new MalformedDataException(0, "the PNG decoder did not recognise the file");
        }
        Raster r = img.getRaster();
        if (r.getNumBands() != 1 || img.getWidth() != width || img.getHeight() != height) {
            throw new MalformedDataException(-1, "PNG decoded to " + r.getNumBands() + " band(s) of " + img.getWidth() + "x"
                    + img.getHeight() + ", header says 1 band of " + width + "x" + height);
        }
        int[] samples = r.getSamples(0, 0, (int) width, (int) height, 0, (int[]) null);
        byte[] px = new byte[samples.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) samples[i];
        }
        return new GrayImage((int) width, (int) height, px);
    }

    private static String pngKind(int colour, int depth) {
        String kind = switch (colour) {
            case 0 -> "grayscale";
            case 2 -> "RGB";
            case 3 -> "palette";
            case 4 -> "grayscale with alpha";
            case 6 -> "RGBA";
            default -> "colour type " + colour;
        };
        return depth + "-bit " + kind;
    }

    private static void checkSize(long width, long height, long offset) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
            String msg = "image size " + width + "x" + height + " is outside 1.." + MAX_SIDE + " per side / " + MAX_PIXELS + " pixels";
            if (offset < 0) {
                throw new IllegalArgumentException(msg);
            }
            throw new MalformedDataException(offset, msg);
        }
    }

    private static int readIntBE(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    // ---- writing ----

    /** Binary PGM ({@code P5}, maxval 255). */
    public byte[] toPgm() {
        byte[] header = ("P5\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + pixels.length);
        System.arraycopy(pixels, 0, out, header.length, pixels.length);
        return out;
    }

    /** 8-bit grayscale PNG. */
    public byte[] toPng() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        int[] samples = new int[pixels.length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = pixels[i] & 0xFF;
        }
        r.setSamples(0, 0, width, height, 0, samples);
        return PngBytes.of(img);
    }

    /**
     * Writes the image as PNG ({@code png}) or binary PGM to the channel at its position, completely
     * or an {@link IOException} (see {@link ByteChannels}).
     */
    public void write(WritableByteChannel ch, boolean png) throws IOException {
        ByteChannels.writeFully(ch, png ? toPng() : toPgm());
    }

    /**
     * Writes PNG when the name ends in {@code .png} (any case), else binary PGM: complete and flushed
     * to disk or an {@link IOException}. Not atomic: the CLI writes through the engine's {@code AtomicOutput}.
     */
    public void write(Path file) throws IOException {
        boolean png = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            write(ch, png);
            ch.force(true);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Row-major pixels, one byte each (a copy). */
    public byte[] pixels() {
        return pixels.clone();
    }

    /** This image's pixels when it is exactly {@code width x height}, else an IllegalArgumentException naming both sizes. */
    public byte[] requireSize(int w, int h) {
        if (width != w || height != h) {
            throw new IllegalArgumentException("image is " + width + "x" + height + ", the model needs " + w + "x" + h);
        }
        return pixels();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height && Arrays.equals(g.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage " + width + "x" + height;
    }
}
