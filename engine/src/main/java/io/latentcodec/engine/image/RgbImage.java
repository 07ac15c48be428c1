package io.latentcodec.engine.image;

import java.awt.image.BufferedImage;
import io.latentcodec.models.data.ByteChannels;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB image as interleaved bytes {@code r g b r g b ...}, row-major. The one image type
 * the lossy codec, the metrics and the peers exchange.
 *
 * @param width  columns
 * @param height rows
 * @param rgb    {@code 3 * width * height} bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width < 1 || height < 1 || (long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " needs " + 3L * width * height
                    + " bytes, got " + rgb.length);
        }
    }

    /** Channel c (0 red, 1 green, 2 blue) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }

    public static RgbImage of(BufferedImage img) {
        return new RgbImage(img.getWidth(), img.getHeight(), io.latentcodec.models.conv.Photos.rgbBytes(img));
    }

    /** As a {@code TYPE_3BYTE_BGR} image (what ImageIO's writers, JPEG 2000's among them, handle best). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = 3 * (y * width + x);
                row[x] = (rgb[o] & 0xFF) << 16 | (rgb[o + 1] & 0xFF) << 8 | (rgb[o + 2] & 0xFF);
            }
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        return img;
    }

    /** Reads any format ImageIO knows (PNG, JPEG, PPM through plugins, ...). */
    public static RgbImage read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image format this build can read");
        }
        return of(img);
    }

    /** The image as a PNG file's bytes. */
    public byte[] toPng() {
        return io.latentcodec.models.data.PngBytes.of(toBufferedImage());
    }

    /** The image as a binary PPM (P6) file's bytes. */
    public byte[] toPpm() {
        byte[] head = ("P6\n" + width + " " + height + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + rgb.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rgb, 0, all, head.length, rgb.length);
        return all;
    }

    /** Writes the image as PNG to the channel at its position: completely, or an {@link IOException} ({@link ByteChannels}). */
    public void writePng(WritableByteChannel ch) throws IOException {
        ByteChannels.writeFully(ch, toPng());
    }

    /** Writes the image as binary PPM to the channel at its position: completely, or an {@link IOException}. */
    public void writePpm(WritableByteChannel ch) throws IOException {
        ByteChannels.writeFully(ch, toPpm());
    }

    /** Writes a PNG file, complete and flushed to disk or an {@link IOException} (not atomic: the CLI uses {@code AtomicOutput}). */
    public void writePng(Path file) throws IOException {
        writeFile(file, toPng());
    }

    /** Binary PPM (P6), the format pnmpsnr and the command-line codecs read; complete and flushed or an {@link IOException}. */
    public void writePpm(Path file) throws IOException {
        writeFile(file, toPpm());
    }

    private static void writeFile(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteChannels.writeFully(ch, bytes);
            ch.force(true);
        }
    }
}
