package io.latentcodec.engine.peers;

import com.luciad.imageio.webp.WebPWriteParam;
import io.latentcodec.engine.Home;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lossless image codecs measured beside bits-back, each given the whole data set as one
 * grayscale mosaic (the images tiled in a near-square grid; the strongest setting for them, as
 * one file shares all its statistics): PNG (ImageIO; 1-bit for binary images), WebP lossless
 * (libwebp through webp-imageio, method 6, quality 100) and JPEG XL lossless ({@code cjxl -d 0
 * -e 9} from Debian's libjxl-tools, fetched by {@code scripts/fetch-jxl}). Every result is decoded
 * and compared with the mosaic before its size counts.
 */
public enum ImagePeer {
    PNG("PNG"),
    WEBP("WebP lossless"),
    JXL("JPEG XL lossless");

    private final String label;

    ImagePeer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** A grayscale mosaic: {@code width x height} pixels, row-major; {@code binary} when every pixel is 0 or 1. */
    public record Mosaic(int width, int height, byte[] pixels, boolean binary) {
        /** Tiles {@code images} (each {@code rows x cols}) in a grid of {@code ceil(sqrt(n))} columns; spare tiles are 0. */
        public static Mosaic of(byte[][] images, int rows, int cols, boolean binary) {
            int n = images.length;
            int across = (int) Math.ceil(Math.sqrt(n));
            int down = (n + across - 1) / across;
            int w = across * cols;
            int h = down * rows;
            byte[] px = new byte[w * h];
            for (int i = 0; i < n; i++) {
                int ox = (i % across) * cols;
                int oy = (i / across) * rows;
                for (int y = 0; y < rows; y++) {
                    System.arraycopy(images[i], y * cols, px, (oy + y) * w + ox, cols);
                }
            }
            return new Mosaic(w, h, px, binary);
        }

        /** Pixels as 0..255 (binary 1 becomes 255), for formats without a 1-bit mode. */
        byte[] gray8() {
            if (!binary) {
                return pixels;
            }
            byte[] g = new byte[pixels.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = pixels[i] != 0 ? (byte) 255 : 0;
            }
            return g;
        }

        BufferedImage toImage() {
            if (binary) {
                BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        img.setRGB(x, y, pixels[y * width + x] != 0 ? 0xFFFFFF : 0);
                    }
                }
                return img;
            }
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(pixels, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, pixels.length);
            return img;
        }

        /**
         * The mosaic's pixels back from a decoded image: raster samples (band 0), never getRGB,
         * which would run gray images through a gamma conversion; palette images through their palette.
         */
        byte[] fromImage(BufferedImage img) {
            if (img.getWidth() != width || img.getHeight() != height) {
                throw new IllegalStateException("decoded image is " + img.getWidth() + "x" + img.getHeight());
            }
            byte[] out = new byte[width * height];
            java.awt.image.Raster r = img.getRaster();
            java.awt.image.ColorModel cm = img.getColorModel();
            int[] sample = new int[width];
            for (int y = 0; y < height; y++) {
                r.getSamples(0, y, width, 1, 0, sample);
                for (int x = 0; x < width; x++) {
                    int g = cm instanceof java.awt.image.IndexColorModel icm ? icm.getRed(sample[x]) : sample[x];
                    out[y * width + x] = binary ? (byte) (g >= 128 ? 1 : 0) : (byte) g;
                }
            }
            return out;
        }
    }

    /**
     * Total bytes when every image is its own file (the bits-back paper's setting for image
     * codecs). Each result is decoded and checked, except that JPEG XL, which runs one process per
     * image, checks every tenth (cjxl -d 0 is lossless by construction; the sample guards our use of it).
     */
    public long compressEach(byte[][] images, int rows, int cols, boolean binary, int threads) {
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, images.length);
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(() -> range.parallel().forEach(i -> {
                Mosaic m = new Mosaic(cols, rows, images[i], binary);
                try {
                    byte[] c = switch (this) {
                        case PNG -> png(m);
                        case WEBP -> webp(m);
                        case JXL -> jxl(m);
                    };
                    if ((this != JXL || i % 10 == 0) && !Arrays.equals(decode(c, m), m.pixels())) {
                        throw new IllegalStateException(label + " did not restore image " + i + " exactly");
                    }
                    total.addAndGet(c.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(label + " failed on image " + i, e);
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return total.get();
    }

    /** Whether the codec can run here (JPEG XL needs cjxl/djxl; run scripts/fetch-jxl). */
    public boolean available() {
        return this != JXL || Files.isExecutable(tool("cjxl"));
    }

    /** Compresses the mosaic, decodes the result, checks it is exact, and returns the compressed bytes. */
    public byte[] compress(Mosaic m) {
        try {
            byte[] c = switch (this) {
                case PNG -> png(m);
                case WEBP -> webp(m);
                case JXL -> jxl(m);
            };
            byte[] back = decode(c, m);
            if (!Arrays.equals(back, m.pixels())) {
                throw new IllegalStateException(label + " did not restore the mosaic exactly");
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(label + " failed", e);
        }
    }

    private static byte[] png(Mosaic m) throws IOException {
        return io.latentcodec.models.data.PngBytes.of(m.toImage());
    }

    private static byte[] webp(Mosaic m) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByMIMEType("image/webp").next();
        WebPWriteParam p = new WebPWriteParam(w.getLocale());
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionType(p.getCompressionTypes()[WebPWriteParam.LOSSLESS_COMPRESSION]);
        p.setCompressionQuality(1.0f); // lossless: effort
        p.setMethod(6);
        BufferedImage img = new BufferedImage(m.width(), m.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] g = m.gray8();
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < g.length; i++) {
            bgr[3 * i] = bgr[3 * i + 1] = bgr[3 * i + 2] = g[i];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] jxl(Mosaic m) throws IOException {
        Path dir = Files.createTempDirectory("latentcodec-jxl");
        try {
            Path pgm = dir.resolve("m.pgm");
            Path out = dir.resolve("m.jxl");
            byte[] g = m.gray8();
            byte[] head = ("P5\n" + m.width() + " " + m.height() + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] file = Arrays.copyOf(head, head.length + g.length);
            System.arraycopy(g, 0, file, head.length, g.length);
            Files.write(pgm, file);
            run(List.of(tool("cjxl").toString(), pgm.toString(), out.toString(), "-d", "0", "-e", "9", "--quiet"));
            return Files.readAllBytes(out);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private byte[] decode(byte[] c, Mosaic m) throws IOException {
        if (this == JXL) {
            Path dir = Files.createTempDirectory("latentcodec-djxl");
            try {
                Path in = dir.resolve("m.jxl");
                Path out = dir.resolve("m.png");
                Files.write(in, c);
                run(List.of(tool("djxl").toString(), in.toString(), out.toString(), "--quiet"));
                return m.fromImage(ImageIO.read(out.toFile()));
            } finally {
                try (var s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            }
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(c));
        if (img == null) {
            throw new IOException(label + ": no reader for the result");
        }
        return m.fromImage(img);
    }

    static Path tool(String name) {
        return Home.data().resolve("tools/bin/" + name);
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] log = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(cmd.get(0) + " failed: " + new String(log, java.nio.charset.StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
