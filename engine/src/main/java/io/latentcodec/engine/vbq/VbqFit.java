package io.latentcodec.engine.vbq;

import io.latentcodec.models.conv.ConvVae;
import io.latentcodec.models.conv.Photos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fits a trained model's {@link VbqTables} on the training photos (never the test photos) and writes
 * {@code vbq-tables.bin} into the model directory.
 *
 * <ol>
 *   <li>q(z|x) of every training image ({@link Photos#trainingImages} at downscales 2, 3, 4; at most
 *       1024 x 1024 of each, from its top-left corner).</li>
 *   <li>Grid ({@code --grid}): the coding prior F_c of channel c is built from its aggregate posterior,
 *       the mixture of N(mu, sigma^2) over the training latents, sampled twice per latent
 *       ({@code mu + sigma eps}, eps from SplittableRandom(seed)). {@code quantile}: F_c is that
 *       empirical prior itself ({@code F_c^-1(j / G)} its quantiles; the paper's choice; {@code --widen}
 *       stretches it about the median, default 1). {@code uniform} (default): F_c is uniform on the
 *       range between its 1/G and (G-1)/G quantiles stretched by {@code --widen} (default 1.2), so every
 *       depth's points are evenly spaced in latent space and the learned index model carries the
 *       distribution's shape. Values are made strictly increasing.</li>
 *   <li>Depth and index models: for each lambda bucket, up to {@code perChannel} latents of each channel
 *       (a seeded sample) are quantized with the current costs, and the depths (per bucket) and the
 *       indices (per channel and depth, over all buckets) are counted; three rounds, starting from
 *       uniform depth costs and raw index bits, so the costs the encoder assumes match what it pays.</li>
 *   <li>Uniform ablation: per step, the histogram of {@code clamp(round(mu / step), -Q, Q)} per channel,
 *       Q = ceil(8 / step) (at most 4095).</li>
 * </ol>
 */
public final class VbqFit {
    private VbqFit() {
    }

    /** Default depth R: the finest grid has 2^12 - 1 points. */
    public static final int DEPTH = 11;

    /** 2^(i/2) for i = -16..24: lambda from 2^-8 to 2^12. */
    public static double[] defaultLambdas() {
        double[] l = new double[41];
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.pow(2, (i - 16) / 2.0);
        }
        return l;
    }

    /** 2^(i/2) for i = -12..4: steps from 1/64 to 4. */
    public static double[] defaultSteps() {
        double[] s = new double[17];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.pow(2, (i - 12) / 2.0);
        }
        return s;
    }

    /** Posterior means and deviations per channel, collected from images. */
    record Latents(float[][] mu, float[][] sigma) {
    }

    static Latents collect(ConvVae vae, List<Photos.Rgb> images, int maxSide, PrintStream log) {
        int m = vae.latents();
        List<float[]> mus = new ArrayList<>();
        List<float[]> sigmas = new ArrayList<>();
        long total = 0;
        for (Photos.Rgb img : images) {
            int w = Math.min(maxSide, img.width()) / 16 * 16;
            int h = Math.min(maxSide, img.height()) / 16 * 16;
            Photos.Rgb c = Photos.crop(img, 0, 0, w, h);
            float[] x = new float[w * h * 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = c.rgb()[i] & 0xFF;
            }
            ConvVae.Posterior q = vae.posterior(x, h, w);
            mus.add(q.mu());
            sigmas.add(q.sigma());
            total += q.mu().length / m;
        }
        int per = Math.toIntExact(total);
        float[][] mu = new float[m][per];
        float[][] sigma = new float[m][per];
        int at = 0;
        for (int k = 0; k < mus.size(); k++) {
            float[] a = mus.get(k);
            float[] s = sigmas.get(k);
            int n = a.length / m;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < m; c++) {
                    mu[c][at + i] = a[i * m + c];
                    sigma[c][at + i] = s[i * m + c];
                }
            }
            at += n;
        }
        if (log != null) {
            log.printf(Locale.ROOT, "%d images, %d latent positions x %d channels%n", images.size(), per, m);
        }
        return new Latents(mu, sigma);
    }

    /**
     * The strictly increasing quantiles F^-1(j / G), j = 1..G-1, of the aggregate posterior's samples,
     * stretched about their median by {@code widen} (1: the empirical prior itself).
     */
    static float[] grid(float[] mu, float[] sigma, int depth, double widen, SplittableRandom r) {
        return grid(mu, sigma, depth, widen, false, r);
    }

    /**
     * {@code uniform}: the coding prior is instead uniform on the samples' range (their 1/G and
     * (G-1)/G quantiles) stretched by {@code widen} about the median, so every depth's grid is evenly
     * spaced in latent space (and the index model carries the shape of the distribution).
     */
    static float[] grid(float[] mu, float[] sigma, int depth, double widen, boolean uniform, SplittableRandom r) {
        int g = 1 << (depth + 1);
        int samples = 2;
        float[] z = new float[mu.length * samples];
        for (int i = 0; i < mu.length; i++) {
            for (int k = 0; k < samples; k++) {
                z[i * samples + k] = (float) (mu[i] + sigma[i] * gaussian(r));
            }
        }
        Arrays.sort(z);
        double median = z[z.length / 2];
        float[] v = new float[g - 1];
        if (uniform) {
            double lo = median + widen * (z[(int) ((double) z.length / g)] - median);
            double hi = median + widen * (z[(int) ((double) z.length * (g - 1) / g)] - median);
            for (int j = 1; j < g; j++) {
                float x = (float) (lo + (hi - lo) * (j - 0.5) / (g - 1));
                v[j - 1] = j > 1 ? Math.max(x, Math.nextUp(v[j - 2])) : x;
            }
            return v;
        }
        for (int j = 1; j < g; j++) {
            double pos = (double) j / g * (z.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(z.length - 1, lo + 1);
            double f = pos - lo;
            double q = z[lo] * (1 - f) + z[hi] * f;
            float x = (float) (median + widen * (q - median));
            v[j - 1] = j > 1 ? Math.max(x, Math.nextUp(v[j - 2])) : x;
        }
        return v;
    }

    static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Fits the tables from collected latents. */
    static VbqTables fit(Latents lat, int depth, double[] lambdas, double[] steps, int perChannel, long seed, PrintStream log) {
        return fit(lat, depth, lambdas, steps, perChannel, seed, DEFAULT_WIDEN, true, log);
    }

    /** Default stretch of the grid about each channel's median (see {@link #grid}). */
    public static final double DEFAULT_WIDEN = 2;

    static VbqTables fit(Latents lat, int depth, double[] lambdas, double[] steps, int perChannel, long seed, double widen, boolean indexModel,
                         PrintStream log) {
        return fit(lat, depth, lambdas, steps, perChannel, seed, widen, indexModel, false, log);
    }

    static VbqTables fit(Latents lat, int depth, double[] lambdas, double[] steps, int perChannel, long seed, double widen, boolean indexModel,
                         boolean uniformGrid, PrintStream log) {
        int m = lat.mu().length;
        SplittableRandom r = new SplittableRandom(seed);
        float[][] values = new float[m][];
        for (int c = 0; c < m; c++) {
            values[c] = grid(lat.mu()[c], lat.sigma()[c], depth, widen, uniformGrid, r);
        }
        // a seeded sample of latents, interleaved NHWC-like (latent i in channel i mod m)
        int per = Math.min(perChannel, lat.mu()[0].length);
        float[] sm = new float[per * m];
        float[] ss = new float[per * m];
        for (int c = 0; c < m; c++) {
            int n = lat.mu()[c].length;
            for (int i = 0; i < per; i++) {
                int k = per == n ? i : r.nextInt(n);
                sm[i * m + c] = lat.mu()[c][k];
                ss[i * m + c] = lat.sigma()[c][k];
            }
        }
        long[][][] depthCounts = new long[lambdas.length][m][depth + 1];
        double[] noSteps = {};
        int[] noHalf = {};
        long[][][] noUniform = {};
        int[] j = new int[sm.length];
        long[][][] indexCounts = null;
        for (int round = 0; round < 3; round++) {
            VbqTables t = new VbqTables(depth, lambdas, values, depthCounts, noSteps, noHalf, noUniform, indexCounts);
            long[][][] next = new long[lambdas.length][m][depth + 1];
            long[][][] nextIndex = new long[m][depth + 1][];
            for (long[][] ch : nextIndex) {
                for (int d = 1; d <= depth; d++) {
                    ch[d] = new long[1 << d];
                }
            }
            for (int b = 0; b < lambdas.length; b++) {
                VbqQuantizer.quantize(t, VbqQuantizer.costs(t, b, lambdas[b]), sm, ss, j);
                for (int i = 0; i < j.length; i++) {
                    int d = VbqQuantizer.depthOf(j[i], depth);
                    next[b][i % m][d]++;
                    if (d > 0) {
                        nextIndex[i % m][d][VbqQuantizer.indexOf(j[i])]++;
                    }
                }
            }
            depthCounts = next;
            indexCounts = indexModel ? nextIndex : null;
        }
        int[] half = new int[steps.length];
        long[][][] uniform = new long[steps.length][][];
        for (int s = 0; s < steps.length; s++) {
            half[s] = (int) Math.min(4095, Math.ceil(8 / steps[s]));
            uniform[s] = new long[m][2 * half[s] + 1];
            for (int i = 0; i < sm.length; i++) {
                long q = Math.round(sm[i] / steps[s]);
                uniform[s][i % m][(int) Math.max(-half[s], Math.min(half[s], q)) + half[s]]++;
            }
        }
        VbqTables t = new VbqTables(depth, lambdas, values, depthCounts, steps, half, uniform, indexCounts);
        if (log != null) {
            for (int b = 0; b < lambdas.length; b += 4) {
                double bits = 0;
                for (int c = 0; c < m; c++) {
                    long[] cnt = depthCounts[b][c];
                    long tot = Arrays.stream(cnt).sum();
                    for (int d = 0; d <= depth; d++) {
                        if (cnt[d] > 0) {
                            double p = cnt[d] / (double) tot;
                            bits += cnt[d] * (d - Math.log(p) / Math.log(2));
                        }
                    }
                }
                log.printf(Locale.ROOT, "lambda %.5f: about %.3f bits per latent (ideal, training sample)%n", lambdas[b], bits / sm.length);
            }
        }
        return t;
    }

    public static void main(String[] args) throws IOException {
        String model = "photo-vae";
        int perChannel = 8000;
        double widen = Double.NaN;
        boolean indexModel = true;
        boolean uniformGrid = true;
        String out = VbqTables.FILE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--per-channel" -> perChannel = Integer.parseInt(args[++i]);
                case "--widen" -> widen = Double.parseDouble(args[++i]);
                case "--raw-index" -> indexModel = false;
                case "--grid" -> {
                    String g = args[++i];
                    if (!g.equals("uniform") && !g.equals("quantile")) {
                        System.err.println("--grid is uniform or quantile");
                        System.exit(2);
                    }
                    uniformGrid = g.equals("uniform");
                }
                case "--out" -> out = args[++i];
                default -> {
                    System.err.println("usage: VbqFit [--model NAME|DIR] [--grid uniform|quantile] [--widen K] [--raw-index] [--per-channel N] [--out FILE (in the model dir)]");
                    System.exit(2);
                }
            }
        }
        if (Double.isNaN(widen)) {
            widen = uniformGrid ? 1.2 : 1.0;
        }
        Path dir = ConvVae.resolve(model);
        long t0 = System.nanoTime();
        try (ConvVae vae = ConvVae.load(dir)) {
            List<Photos.Rgb> images = Photos.trainingImages(new int[] {2, 3, 4}, 256);
            Latents lat = collect(vae, images, 1024, System.err);
            VbqTables t = fit(lat, DEPTH, defaultLambdas(), defaultSteps(), perChannel, 1, widen, indexModel, uniformGrid, System.err);
            t.write(dir.resolve(out));
            System.err.printf(Locale.ROOT, "wrote %s (%s grid, widen %g, %s index) (%d bytes) in %.1f s%n", dir.resolve(out),
                    uniformGrid ? "uniform" : "quantile", widen, indexModel ? "learned" : "raw", t.toBytes().length,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
