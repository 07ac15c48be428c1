package io.latentcodec.engine.demo;

import io.latentcodec.engine.Home;
import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.ImageSet;
import io.latentcodec.engine.peers.GeneralPeer;
import io.latentcodec.engine.peers.ImagePeer;
import io.latentcodec.kernels.Simd;
import io.latentcodec.models.Device;
import io.latentcodec.models.VaeModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main job: the bits-back paper's table, reproduced on our test splits in one run. Each test
 * set is compressed with its shipped model, decompressed, compared byte for byte, and measured
 * against general-purpose compressors (on the raw pixels; binary images packed 8 to a byte) and
 * lossless image codecs (on one mosaic of the whole set). All figures in bits per pixel.
 */
public final class BitsBackDemo {
    /**
     * Data set, the shipped model of the bits-back paper's architecture trained for it, and the
     * shipped model with a locally autoregressive likelihood (its rows read n/a when it is not shipped).
     */
    static final String[][] SETS = {{"mnist-binarized", "mnist-binarized", "mnist-binarized-ar"}, {"mnist", "mnist", "mnist-ar"},
        {"fashion-mnist", "fashion-mnist", "fashion-mnist-ar"}};

    /** Images per set for JPEG XL per image (a process per image). */
    static final int JXL_SAMPLE = 1000;

    private BitsBackDemo() {
    }

    record Column(String name, int images, Map<String, Double> rows, String speed) {
    }

    public static void run(PrintWriter out, int threads) throws IOException {
        if (!ImagePeer.JXL.available()) {
            try {
                Home.runScript("scripts/fetch-jxl");
            } catch (IOException e) {
                out.println("(JPEG XL unavailable: " + e.getMessage() + ")");
            }
        }
        out.printf(Locale.ROOT, "Bits-back ANS with the shipped VAEs on the test splits; %d cores, %s kernels.%n",
                Runtime.getRuntime().availableProcessors(), Simd.describe());
        out.println("Every stream is decoded and compared with the original images before it is counted.");
        out.flush();
        List<Column> columns = new ArrayList<>();
        for (String[] s : SETS) {
            columns.add(measure(out, s[0], s[1], s[2], threads));
        }
        out.println();
        out.printf(Locale.ROOT, "%-38s", "bits per pixel");
        for (Column c : columns) {
            out.printf(Locale.ROOT, " %16s", c.name);
        }
        out.println();
        out.printf(Locale.ROOT, "%-38s", "test images");
        for (Column c : columns) {
            out.printf(Locale.ROOT, " %,16d", c.images);
        }
        out.println();
        List<String> labels = new ArrayList<>(columns.get(0).rows.keySet());
        for (int r = 0; r < labels.size(); r++) {
            out.printf(Locale.ROOT, "%-38s", labels.get(r));
            for (Column c : columns) {
                Double v = new ArrayList<>(c.rows.values()).get(r);
                out.printf(Locale.ROOT, " %16s", v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v));
            }
            out.println();
        }
        out.println();
        for (Column c : columns) {
            out.printf(Locale.ROOT, "%s: %s%n", c.name, c.speed);
        }
        out.println("\nbits-back (streams): the chains' rANS messages, clean bits borrowed and lane states flushed included;");
        out.println("local AR: the same VAE with a locally autoregressive likelihood (a context net over decoded neighbours;");
        out.println("a mixture of three discretized logistics for 8-bit pixels), models <set>-ar, see docs/models.md.");
        out.println("bits-back (file): the whole container, header with model fingerprint and checksums included.");
        out.println("gzip, bzip2, xz, zstd: the whole test set's raw pixels (binary ones packed 8 to a byte).");
        out.println("Image codecs per image: every digit its own file (the paper's setting); one mosaic: all digits tiled in");
        out.println("one image, where a codec shares its statistics across the set (JPEG XL's context model gains most).");
        out.println("Speeds are single runs in this JVM after a warm-up; bench/README.md has the JMH figures.");
        out.flush();
    }

    /** Rates of one model's bits-back run on a test set, after a warm-up; every image checked. */
    private record Run(double elbo, double streams, double file, String speed) {
    }

    private static Run bitsBack(String dataSet, ImageSet set, VaeModel model, int threads) {
        byte[][] images = set.images();
        int d = set.pixels();
        double elbo = model.manifest().metrics().testBitsPerDim();
        BitsBack.Options o = BitsBack.Options.defaults();
        for (int w = 0; w < 2; w++) { // warm-up: JIT (vector kernels start slow) and TensorFlow
            int k = Math.min(images.length, 800);
            BitsBack.Result warm = BitsBack.compress(Arrays.copyOf(images, k), new long[] {k, set.rows(), set.cols()}, model, o, null);
            BitsBack.decompress(MemorySegment.ofArray(warm.container()), model, threads, null);
        }
        BitsBack.Result r = BitsBack.compress(images, set.shape(), model, o, null);
        long t0 = System.nanoTime();
        byte[][] back = BitsBack.decompress(MemorySegment.ofArray(r.container()), model, threads, null);
        long t1 = System.nanoTime();
        for (int i = 0; i < images.length; i++) {
            if (!Arrays.equals(images[i], back[i])) {
                throw new IllegalStateException(dataSet + " with " + model.name() + ": image " + i + " did not come back");
            }
        }
        String speed = String.format(Locale.ROOT, "%s, %d chain(s): compress %.0f images/s (%.0f%% in the model), decompress %.0f images/s; "
                        + "file %+.2f%%, streams %+.2f%% vs -ELBO", model.name(), r.stats().chains(), r.stats().imagesPerSecond(),
                100 * r.stats().modelShare(), images.length / ((t1 - t0) / 1e9), 100 * (r.stats().bitsPerDim(d) / elbo - 1),
                100 * (r.stats().streamBitsPerDim(d) / elbo - 1));
        return new Run(elbo, r.stats().streamBitsPerDim(d), r.stats().bitsPerDim(d), speed);
    }

    static Column measure(PrintWriter out, String dataSet, String modelName, String arModelName, int threads) throws IOException {
        ImageSet set = ImageSet.load(dataSet + ":test");
        byte[][] images = set.images();
        int d = set.pixels();
        double dims = (double) images.length * d;
        Map<String, Double> rows = new LinkedHashMap<>();
        String speed;
        try (VaeModel model = VaeModel.open(modelName)) {
            boolean binary = model.likelihood().maxValue() == 1;
            rows.put("raw", binary ? 1.0 : 8.0);
            Run plain = bitsBack(dataSet, set, model, threads);
            rows.put("VAE test -ELBO", plain.elbo());
            rows.put("bits-back (streams)", plain.streams());
            rows.put("bits-back (file)", plain.file());
            speed = plain.speed();
            Run ar = null;
            if (VaeModel.shippedNames().contains(arModelName)) {
                try (VaeModel arModel = VaeModel.open(arModelName)) {
                    ar = bitsBack(dataSet, set, arModel, threads);
                }
                speed += "\n  " + ar.speed();
            }
            rows.put("VAE + local AR test -ELBO", ar == null ? null : ar.elbo());
            rows.put("bits-back, local AR (streams)", ar == null ? null : ar.streams());
            rows.put("bits-back, local AR (file)", ar == null ? null : ar.file());
            byte[] raw = binary ? packBits(images) : concat(images);
            for (GeneralPeer p : GeneralPeer.values()) {
                byte[] c = p.compress(raw);
                if (!Arrays.equals(raw, p.decompress(c, raw.length))) {
                    throw new IllegalStateException(p.label() + " did not restore " + dataSet);
                }
                rows.put(p.label(), c.length * 8.0 / dims);
            }
            for (ImagePeer p : ImagePeer.values()) {
                // JPEG XL runs one cjxl process per image: the first JXL_SAMPLE images keep the demo short
                byte[][] each = p == ImagePeer.JXL ? Arrays.copyOf(images, Math.min(images.length, JXL_SAMPLE)) : images;
                String label = p.label() + ", per image" + (each.length < images.length ? " (first " + each.length + ")" : "");
                rows.put(label, p.available() ? p.compressEach(each, set.rows(), set.cols(), binary, Math.max(threads, 4))
                        * 8.0 / ((double) each.length * d) : null);
            }
            ImagePeer.Mosaic mosaic = ImagePeer.Mosaic.of(images, set.rows(), set.cols(), binary);
            for (ImagePeer p : ImagePeer.values()) {
                rows.put(p.label() + ", one mosaic", p.available() ? p.compress(mosaic).length * 8.0 / dims : null);
            }
        }
        out.printf(Locale.ROOT, "  %s: done%n    %s%n", dataSet, speed.replace("\n  ", "\n    "));
        out.flush();
        return new Column(dataSet, images.length, rows, speed);
    }

    static byte[] concat(byte[][] images) {
        int d = images.length == 0 ? 0 : images[0].length;
        byte[] all = new byte[images.length * d];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, all, i * d, d);
        }
        return all;
    }

    /** Binary pixels, 8 to a byte, most significant first: what a general-purpose compressor gets for binary data. */
    static byte[] packBits(byte[][] images) {
        byte[] flat = concat(images);
        byte[] packed = new byte[(flat.length + 7) / 8];
        for (int i = 0; i < flat.length; i++) {
            if (flat[i] != 0) {
                packed[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
        }
        return packed;
    }
}
