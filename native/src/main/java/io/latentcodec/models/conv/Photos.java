package io.latentcodec.models.conv;

import io.latentcodec.models.Home;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The natural photos of the lossy codec: which files are training photos and which are the held-out
 * test set, and how the test crops are made. The files come from Debian packages unpacked by
 * {@code scripts/fetch-photos} into {@code <data>/photos/src/<package>/}; nothing here is committed.
 *
 * <h2>Held-out test set (24 photos, in the spirit of the Kodak set)</h2>
 * Each test photo is decoded (ImageIO), downscaled by the largest integer factor k >= 2 that keeps it
 * at least 768x512 (512x768 for portrait photos) by averaging k x k blocks (integer arithmetic,
 * rounded half up), then centre-cropped to exactly 768x512 (offsets {@code (w - 768) / 2},
 * {@code (h - 512) / 2}, rounded down). The crops are cached as PNGs in {@code <data>/photos/test/},
 * named after the source file. {@link #TEST} lists the files; none of them, at any scale, is ever
 * used in training. {@link #TRAIN} lists the training photos (disjoint from the test photos).
 */
public final class Photos {
    private Photos() {
    }

    /** Test width and height (landscape; portrait photos are cropped to height x width). */
    public static final int TEST_W = 768;
    public static final int TEST_H = 512;

    private static final String LOMIRI = "lomiri-wallpapers-16.04/usr/share/backgrounds/";
    private static final String MATE = "mate-backgrounds/usr/share/backgrounds/mate/nature/";
    private static final String PLASMA = "plasma-workspace-wallpapers/usr/share/wallpapers/";
    private static final String JXL = "libjxl-testdata/usr/share/libjxl-testdata/";
    private static final String SKIMAGE = "python3-skimage/usr/lib/python3/dist-packages/skimage/data/";

    /** The 24 held-out test photos, relative to {@code <data>/photos/src}. */
    public static final List<String> TEST = List.of(
            LOMIRI + "Bridge_by_Sander_Klootwijk.jpg",
            LOMIRI + "Dragonfly_by_Bolly.jpg",
            LOMIRI + "Picture_0B_by_freespace.jpg",
            LOMIRI + "aitzgorri_by_Aitzol_Berasategi.jpg",
            LOMIRI + "free_by_Peter_Nerlich.jpg",
            LOMIRI + "greentock_by_Peter_Nerlich.jpg",
            LOMIRI + "life_by_Aitzol_Berasategi.jpg",
            LOMIRI + "picosdeeuropa_by_Aitzol_Berasategi.jpg",
            LOMIRI + "sunset_by_Aitzol_Berasategi.jpg",
            MATE + "Aqua.jpg",
            MATE + "Blinds.jpg",
            MATE + "Dune.jpg",
            MATE + "Garden.jpg",
            MATE + "LadyBird.jpg",
            MATE + "Storm.jpg",
            MATE + "YellowFlower.jpg",
            PLASMA + "BytheWater/contents/images/2560x1600.jpg",
            PLASMA + "ColdRipple/contents/images/2560x1600.jpg",
            PLASMA + "ColorfulCups/contents/images/2560x1600.jpg",
            PLASMA + "EveningGlow/contents/images/2560x1600.jpg",
            PLASMA + "FallenLeaf/contents/images/2560x1600.jpg",
            PLASMA + "Path/contents/images/2560x1600.jpg",
            PLASMA + "summer_1am/contents/images/2560x1600.jpg",
            JXL + "jxl/flower/flower.png");

    /** Training photos: the other photos of the same packages (never a test photo), plus small camera photos. */
    public static final List<String> TRAIN = List.of(
            LOMIRI + "Picture_1A_by_freespace.jpg",
            LOMIRI + "Wine_by_Jakkub_Mede.jpg",
            LOMIRI + "analogpattern_by_Peter_Nerlich.jpg",
            LOMIRI + "friends_by_Aitzol_Berasategi.jpg",
            LOMIRI + "seeding_by_Clements_Engelhardt.jpg",
            MATE + "FreshFlower.jpg",
            MATE + "GreenMeadow.jpg",
            MATE + "RainDrops.jpg",
            MATE + "TwoWings.jpg",
            MATE + "Wood.jpg",
            PLASMA + "DarkestHour/contents/images/2560x1600.jpg",
            PLASMA + "Grey/contents/images/2560x1600.jpg",
            PLASMA + "Kite/contents/images/2560x1600.jpg",
            PLASMA + "OneStandsOut/contents/images/2560x1600.jpg",
            PLASMA + "Volna/contents/images/5120x2880.jpg",
            JXL + "external/wesaturate/500px/cvo9xd_keong_macan_srgb8.png",
            JXL + "external/wesaturate/500px/tmshre_riaphotographs_srgb8.png",
            JXL + "external/wesaturate/500px/u76c0g_bliznaca_srgb8.png",
            SKIMAGE + "astronaut.png",
            SKIMAGE + "chelsea.png",
            SKIMAGE + "coffee.png",
            SKIMAGE + "rocket.jpg");

    /** An 8-bit RGB image, interleaved {@code r g b} bytes, row-major. */
    public record Rgb(int width, int height, byte[] rgb) {
        public Rgb {
            if (width < 1 || height < 1 || (long) width * height * 3 != rgb.length) {
                throw new IllegalArgumentException(width + "x" + height + " needs " + 3L * width * height + " bytes, got " + rgb.length);
            }
        }
    }

    /** {@code <data>/photos/src}. */
    public static Path sourceDir() {
        return Home.dataDir().resolve("photos").resolve("src");
    }

    /** {@code <data>/photos/test}. */
    public static Path testDir() {
        return Home.dataDir().resolve("photos").resolve("test");
    }

    /** Whether every source photo is present (scripts/fetch-photos has run). */
    public static boolean available() {
        Path src = sourceDir();
        for (String f : TEST) {
            if (!Files.isRegularFile(src.resolve(f))) {
                return false;
            }
        }
        for (String f : TRAIN) {
            if (!Files.isRegularFile(src.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    /** Decodes any image ImageIO reads into RGB (alpha dropped, grey expanded). */
    public static Rgb read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": not an image ImageIO can read");
        }
        return new Rgb(img.getWidth(), img.getHeight(), rgbBytes(img));
    }

    /** The pixels of {@code img} as interleaved R, G, B bytes in raster order (alpha dropped, grey expanded). */
    public static byte[] rgbBytes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] b = new byte[3 * w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = 3 * (y * w + x);
                b[o] = (byte) (p >>> 16);
                b[o + 1] = (byte) (p >>> 8);
                b[o + 2] = (byte) p;
            }
        }
        return b;
    }

    /** Writes a PNG (TYPE_3BYTE_BGR; lossless). */
    public static void writePng(Rgb img, Path file) throws IOException {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        int[] row = new int[img.width()];
        byte[] b = img.rgb();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int o = 3 * (y * img.width() + x);
                row[x] = (b[o] & 0xFF) << 16 | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF);
            }
            out.setRGB(0, y, img.width(), 1, row, 0, img.width());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        if (!ImageIO.write(out, "png", tmp.toFile())) {
            throw new IOException("no PNG writer");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Averages k x k blocks (integer, rounded half up); the last partial row/column of blocks is dropped. */
    public static Rgb downscale(Rgb img, int k) {
        if (k == 1) {
            return img;
        }
        int w = img.width() / k;
        int h = img.height() / k;
        byte[] src = img.rgb();
        byte[] out = new byte[3 * w * h];
        int kk = k * k;
        int[] acc = new int[3 * w];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0);
            for (int dy = 0; dy < k; dy++) {
                int rowAt = 3 * (y * k + dy) * img.width();
                for (int x = 0; x < w; x++) {
                    for (int dx = 0; dx < k; dx++) {
                        int o = rowAt + 3 * (x * k + dx);
                        acc[3 * x] += src[o] & 0xFF;
                        acc[3 * x + 1] += src[o + 1] & 0xFF;
                        acc[3 * x + 2] += src[o + 2] & 0xFF;
                    }
                }
            }
            for (int i = 0; i < 3 * w; i++) {
                out[3 * y * w + i] = (byte) ((acc[i] + kk / 2) / kk);
            }
        }
        return new Rgb(w, h, out);
    }

    /** The rectangle {@code [x0, x0 + w) x [y0, y0 + h)}. */
    public static Rgb crop(Rgb img, int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > img.width() || y0 + h > img.height()) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x0 + "+" + y0 + " outside " + img.width() + "x" + img.height());
        }
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.rgb(), 3 * ((y0 + y) * img.width() + x0), out, 3 * y * w, 3 * w);
        }
        return new Rgb(w, h, out);
    }

    /** The test crop of a decoded photo: see the class comment. */
    public static Rgb testCrop(Rgb photo) {
        boolean portrait = photo.height() > photo.width();
        int tw = portrait ? TEST_H : TEST_W;
        int th = portrait ? TEST_W : TEST_H;
        int k = Math.min(photo.width() / tw, photo.height() / th);
        if (k < 2) {
            throw new IllegalArgumentException("a " + photo.width() + "x" + photo.height() + " photo cannot be downscaled 2x or more to "
                    + tw + "x" + th);
        }
        Rgb small = downscale(photo, k);
        return crop(small, (small.width() - tw) / 2, (small.height() - th) / 2, tw, th);
    }

    /** The cached test crop's file name for a source path. */
    public static String testName(String source) {
        int w = source.lastIndexOf("/wallpapers/");
        String name = source.contains("/contents/images/")
                ? source.substring(w + "/wallpapers/".length(), source.indexOf('/', w + "/wallpapers/".length())) // the wallpaper's folder
                : source.substring(source.lastIndexOf('/') + 1, source.lastIndexOf('.'));
        return name + ".png";
    }

    /**
     * The 24 test crops as PNG files, made from the source photos on first use (about 20 s) and cached.
     *
     * @throws IOException when the source photos are missing (run scripts/fetch-photos)
     */
    public static List<Path> testSet() throws IOException {
        Path dir = testDir();
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (String s : TEST) {
            Path png = dir.resolve(testName(s));
            if (!Files.isRegularFile(png)) {
                Path src = sourceDir().resolve(s);
                if (!Files.isRegularFile(src)) {
                    throw new IOException("missing test photo " + src + ": run scripts/fetch-photos");
                }
                writePng(testCrop(read(src)), png);
            }
            out.add(png);
        }
        return out;
    }

    /**
     * The training photos, each at the downscale factors that keep it at least {@code minSide}
     * pixels on its short side, among {@code factors} (1 only for photos already small).
     */
    public static List<Rgb> trainingImages(int[] factors, int minSide) throws IOException {
        List<Rgb> out = new ArrayList<>();
        for (String s : TRAIN) {
            Path src = sourceDir().resolve(s);
            if (!Files.isRegularFile(src)) {
                throw new IOException("missing training photo " + src + ": run scripts/fetch-photos");
            }
            Rgb img = read(src);
            boolean any = false;
            for (int k : factors) {
                if (Math.min(img.width(), img.height()) / k >= minSide && Math.max(img.width(), img.height()) / k >= 2 * minSide) {
                    out.add(downscale(img, k));
                    any = true;
                }
            }
            if (!any && Math.min(img.width(), img.height()) >= minSide) {
                out.add(img); // small photos (500 px) at their own scale
            }
        }
        return out;
    }

    /** SHA-256 of the pixels (width, height, bytes), hex: pins what a crop holds. */
    public static String pixelHash(Rgb img) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(java.nio.ByteBuffer.allocate(8).putInt(img.width()).putInt(img.height()).array());
            d.update(img.rgb());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
