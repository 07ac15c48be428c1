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

/** A tiny untrained conv VAE (random weights) with tables fitted on synthetic images: enough to test the codec's contracts fast. */
public final class TinyVbq {
    private TinyVbq() {
    }

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

    /** A smooth random image with some noise and an edge. */
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
