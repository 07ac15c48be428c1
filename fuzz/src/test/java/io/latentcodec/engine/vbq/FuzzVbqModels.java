package io.latentcodec.engine.vbq;

import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.models.conv.ConvArchitecture;
import io.latentcodec.models.conv.ConvTrainer;
import io.latentcodec.models.conv.ConvVae;
import io.latentcodec.models.conv.Photos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny VBQ models for the VBQ fuzz target ({@code io.latentcodec.fuzz.VbqFuzzTest}): an untrained
 * conv VAE (random weights, 8 channels, 4 latents) with tables fitted on synthetic images, as the
 * engine's test helper {@code TinyVbq} builds it. Here in the engine's package because the fitting
 * ({@link VbqFit#collect}, {@link VbqFit#fit}) is package-private and the fuzz module cannot see the
 * engine's test classes. Not a good model; a valid one, whose decode of a 64x48 image takes a few ms.
 */
public final class FuzzVbqModels {
    private FuzzVbqModels() {
    }

    /** Writes the model into {@code dir} (created) and loads it. Deterministic in {@code seed}, so its fingerprint is too. */
    public static VbqModel create(Path dir, long seed) throws IOException {
        ConvArchitecture a = new ConvArchitecture(8, 4, 3, 4.0);
        ConvTrainer.export(dir, "tiny-" + seed, a, ConvTrainer.initialWeights(a, seed), Map.of(), Map.of());
        SplittableRandom r = new SplittableRandom(seed);
        List<Photos.Rgb> imgs = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            RgbImage im = image(r, 64, 48);
            imgs.add(new Photos.Rgb(im.width(), im.height(), im.rgb()));
        }
        try (ConvVae vae = ConvVae.load(dir)) {
            VbqFit.Latents lat = VbqFit.collect(vae, imgs, 1024, null);
            VbqTables t = VbqFit.fit(lat, 8, new double[] {0.01, 0.1, 1, 10, 100}, new double[] {0.1, 0.5, 2}, 1000, seed, null);
            t.write(dir.resolve(VbqTables.FILE));
        }
        return VbqModel.load(dir);
    }

    /**
     * A compact rANS frame of uniform-ablation symbols ({@code 0..2Q} per latent) pushed with the
     * model's tables for step {@code step}, as the encoder writes it ({@link VbqCoder#pushUniform}
     * is package-private): for forged files whose streams decode.
     */
    public static byte[] uniformStream(VbqTables t, int step, int[] symbols, int lanes, long seed) {
        try (io.latentcodec.kernels.Message m = io.latentcodec.kernels.Message.create(lanes, seed)) {
            VbqCoder.pushUniform(m, t, step, symbols);
            return m.toCompactByteArray();
        }
    }

    /** A smooth random image with some noise and an edge (what photos look like to a tiny model). */
    public static RgbImage image(SplittableRandom r, int w, int h) {
        byte[] b = new byte[3 * w * h];
        double[] a = new double[9];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble();
        }
        int edge = r.nextInt(w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 255 * (0.5 * a[c] + 0.3 * a[3 + c] * x / w + 0.2 * a[6 + c] * y / h) + (x > edge ? 40 : 0) + 8 * r.nextGaussian();
                    b[3 * (y * w + x) + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
        }
        return new RgbImage(w, h, b);
    }
}
