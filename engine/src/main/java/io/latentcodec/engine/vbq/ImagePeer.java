package io.latentcodec.engine.vbq;

import io.latentcodec.engine.image.RgbImage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Lossy image codecs measured against VBQ in the same run, each at a list of quality settings that
 * spans about 0.1 to 2 bits per pixel on 768x512 photos:
 * <ul>
 *   <li>JPEG: the JDK's ImageIO writer (baseline, 4:2:0 chroma, standard tables scaled by quality).</li>
 *   <li>WebP: {@code cwebp -q Q} (default method 4) / {@code dwebp}.</li>
 *   <li>JPEG 2000: {@code opj_compress -r RATIO} (a .j2k codestream at ratio 24 / bpp) / {@code opj_decompress}.</li>
 *   <li>JPEG XL: {@code cjxl -d DISTANCE} (default effort 7) / {@code djxl}.</li>
 *   <li>AVIF: {@code avifenc --min Q --max Q -s 6 -y 420} / {@code avifdec}.</li>
 * </ul>
 * The rate is the size of the file the tool wrote, the quality is measured on what its decoder gives back.
 */
public enum ImagePeer {
    JPEG("JPEG (ImageIO)", List.of("5", "10", "15", "20", "30", "40", "50", "60", "70", "80", "90", "95")),
    WEBP("WebP (cwebp)", List.of("0", "5", "10", "20", "30", "40", "50", "60", "70", "80", "90")),
    JPEG2000("JPEG 2000 (opj_compress)", List.of("0.1", "0.15", "0.2", "0.3", "0.4", "0.5", "0.75", "1", "1.5", "2")),
    JPEGXL("JPEG XL (cjxl)", List.of("12", "8", "6", "4", "3", "2", "1.5", "1", "0.7", "0.5")),
    AVIF("AVIF (avifenc)", List.of("60", "55", "50", "45", "40", "35", "30", "25", "20", "15"));

    private final String label;
    private final List<String> settings;

    ImagePeer(String label, List<String> settings) {
        this.label = label;
        this.settings = settings;
    }

    public String label() {
        return label;
    }

    /** Quality settings, from the lowest rate to the highest. */
    public List<String> settings() {
        return settings;
    }

    /** What the setting means, for tables: "q 50", "d 1.5", ... */
    public String describe(String setting) {
        return switch (this) {
            case JPEG, WEBP -> "q " + setting;
            case JPEG2000 -> setting + " bpp target";
            case JPEGXL -> "d " + setting;
            case AVIF -> "q " + setting;
        };
    }

    /** The tools this peer needs ({@link ImageTools}); empty for JPEG. */
    public List<String> tools() {
        return switch (this) {
            case JPEG -> List.of();
            case WEBP -> List.of("cwebp", "dwebp");
            case JPEG2000 -> List.of("opj_compress", "opj_decompress");
            case JPEGXL -> List.of("cjxl", "djxl");
            case AVIF -> List.of("avifenc", "avifdec");
        };
    }

    public boolean available() {
        return ImageTools.available(tools().toArray(String[]::new));
    }

    /** One encoding: the file's size and the decoded image. */
    public record Encoded(long bytes, RgbImage decoded) {
    }

    /** Encodes {@code img} at {@code setting} in a scratch folder {@code dir} and decodes it back. */
    public Encoded encode(RgbImage img, String setting, Path dir) throws IOException {
        if (this == JPEG) {
            byte[] jpg = jpeg(img, Integer.parseInt(setting) / 100f);
            RgbImage back = RgbImage.of(ImageIO.read(new java.io.ByteArrayInputStream(jpg)));
            return new Encoded(jpg.length, back);
        }
        Path in = Files.createTempFile(dir, "in", ".ppm");
        img.writePpm(in);
        Path enc;
        Path dec;
        switch (this) {
            case WEBP -> {
                enc = tmp(dir, ".webp");
                dec = tmp(dir, ".ppm");
                ImageTools.run(dir, "cwebp", "-quiet", "-q", setting, in.toString(), "-o", enc.toString());
                ImageTools.run(dir, "dwebp", "-quiet", enc.toString(), "-ppm", "-o", dec.toString());
            }
            case JPEG2000 -> {
                enc = tmp(dir, ".j2k");
                dec = tmp(dir, ".ppm");
                double ratio = 24.0 / Double.parseDouble(setting);
                ImageTools.run(dir, "opj_compress", "-i", in.toString(), "-o", enc.toString(), "-r", String.format(Locale.ROOT, "%.4f", ratio));
                ImageTools.run(dir, "opj_decompress", "-i", enc.toString(), "-o", dec.toString());
            }
            case JPEGXL -> {
                enc = tmp(dir, ".jxl");
                dec = tmp(dir, ".ppm");
                ImageTools.run(dir, "cjxl", in.toString(), enc.toString(), "-d", setting, "--quiet");
                ImageTools.run(dir, "djxl", enc.toString(), dec.toString(), "--quiet");
            }
            case AVIF -> {
                enc = tmp(dir, ".avif");
                dec = tmp(dir, ".png");
                Path png = Files.createTempFile(dir, "in", ".png");
                img.writePng(png);
                ImageTools.run(dir, "avifenc", "--min", setting, "--max", setting, "-s", "6", "-y", "420", "-j", "1", png.toString(), enc.toString());
                ImageTools.run(dir, "avifdec", enc.toString(), dec.toString());
                Files.deleteIfExists(png);
            }
            default -> throw new AssertionError(this);
        }
        long bytes = Files.size(enc);
        RgbImage back = readPnm(dec);
        Files.deleteIfExists(in);
        Files.deleteIfExists(enc);
        Files.deleteIfExists(dec);
        if (back.width() != img.width() || back.height() != img.height()) {
            throw new IOException(label + " decoded a " + back.width() + "x" + back.height() + " image");
        }
        return new Encoded(bytes, back);
    }

    private static Path tmp(Path dir, String suffix) throws IOException {
        Path p = Files.createTempFile(dir, "peer", suffix);
        Files.delete(p);
        return p;
    }

    /** The JDK's JPEG writer at a quality in [0, 1]. */
    static byte[] jpeg(RgbImage img, float quality) throws IOException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new IOException("no JPEG writer in this JDK");
        }
        ImageWriter w = it.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(img.toBufferedImage(), null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    /** Reads binary PPM (P6, maxval 255) or, by ImageIO, PNG. */
    static RgbImage readPnm(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        if (b.length < 2 || b[0] != 'P' || b[1] != '6') {
            return RgbImage.read(f);
        }
        int[] pos = {2};
        int w = nextInt(b, pos);
        int h = nextInt(b, pos);
        int max = nextInt(b, pos);
        if (max != 255) {
            throw new IOException(f + ": PPM maxval " + max + ", expected 255");
        }
        int start = pos[0] + 1;
        if (b.length - start != 3L * w * h) {
            throw new IOException(f + ": PPM of " + w + "x" + h + " has " + (b.length - start) + " pixel bytes");
        }
        return new RgbImage(w, h, java.util.Arrays.copyOfRange(b, start, b.length));
    }

    private static int nextInt(byte[] b, int[] pos) throws IOException {
        int p = pos[0];
        while (p < b.length && (Character.isWhitespace(b[p]) || b[p] == '#')) {
            if (b[p] == '#') {
                while (p < b.length && b[p] != '\n') {
                    p++;
                }
            }
            p++;
        }
        int v = 0;
        int digits = 0;
        while (p < b.length && b[p] >= '0' && b[p] <= '9') {
            v = v * 10 + (b[p] - '0');
            p++;
            digits++;
        }
        if (digits == 0) {
            throw new IOException("malformed PPM header");
        }
        pos[0] = p;
        return v;
    }
}
