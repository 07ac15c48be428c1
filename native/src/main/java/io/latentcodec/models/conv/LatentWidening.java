package io.latentcodec.models.conv;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Grows a trained conv VAE to more latent channels (M to M' &gt; M) without changing what it
 * reconstructs, so that training can go on with more capacity instead of starting over.
 *
 * <p>Only the two layers that touch z change shape:
 * <pre>
 * enc3_w [K, K, N, 2M] -&gt; [K, K, N, 2M']   mu channels 0..M-1 and sigma channels M'..M'+M-1 keep their
 *                                            filters; new mu filters are Glorot-random, new sigma filters 0
 * enc3_b [2M]          -&gt; [2M']             new mu biases 0; new sigma biases softplus^-1(0.5), so sigma = 0.5
 * dec0_w [K, K, N, M]  -&gt; [K, K, N, M']     filters of the new inputs 0: the decoder ignores the new latents
 * </pre>
 * so {@code decoder'(z, z_new) = decoder(z)} for every z_new and the posterior of the old channels is
 * unchanged. The new channels' posteriors are not the prior (random mu, sigma 0.5), so training pays
 * KL for them from the first step and shrinks those the decoder does not learn to use toward it.
 * Every other variable is copied as it is.
 */
public final class LatentWidening {
    private LatentWidening() {
    }

    /**
     * @param from    the trained model's shape
     * @param weights its weights, in {@link ConvArchitecture#variables()} order (not modified)
     * @param to      the same shape with more latents
     * @param seed    seeds the new mu filters
     * @return the widened weights, in {@code to.variables()} order
     */
    public static List<float[]> widen(ConvArchitecture from, List<float[]> weights, ConvArchitecture to, long seed) {
        if (from.channels() != to.channels() || from.kernel() != to.kernel() || to.latents() <= from.latents()) {
            throw new IllegalArgumentException("can only widen the latents of a " + from.id() + " (same channels and kernel), not to a " + to.id());
        }
        if (weights.size() != from.variables().size()) {
            throw new IllegalArgumentException("a " + from.id() + " has " + from.variables().size() + " weights, got " + weights.size());
        }
        int k2 = from.kernel() * from.kernel();
        int n = from.channels();
        int m = from.latents();
        int m2 = to.latents();
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        List<ConvArchitecture.Var> vars = from.variables();
        for (int i = 0; i < vars.size(); i++) {
            String name = vars.get(i).name();
            float[] w = weights.get(i);
            switch (name) {
                case "enc3_w" -> {
                    // row-major [K, K, N, 2M]: element (tap, cin, cout) at (tap * N + cin) * 2M + cout
                    float[] v = new float[k2 * n * 2 * m2];
                    double lim = Math.sqrt(6.0 / (k2 * n + k2 * 2.0 * m2)); // Glorot, as a fresh model's enc3_w
                    for (int row = 0; row < k2 * n; row++) {
                        for (int c = 0; c < m; c++) {
                            v[row * 2 * m2 + c] = w[row * 2 * m + c];                 // mu
                            v[row * 2 * m2 + m2 + c] = w[row * 2 * m + m + c];        // sigma
                        }
                        for (int c = m; c < m2; c++) {
                            v[row * 2 * m2 + c] = (float) ((2 * r.nextDouble() - 1) * lim); // new mu; new sigma stays 0
                        }
                    }
                    out.add(v);
                }
                case "enc3_b" -> {
                    float[] v = new float[2 * m2];
                    System.arraycopy(w, 0, v, 0, m);
                    System.arraycopy(w, m, v, m2, m);
                    java.util.Arrays.fill(v, m2 + m, 2 * m2, (float) Math.log(Math.expm1(0.5))); // softplus(b) = 0.5
                    out.add(v);
                }
                case "dec0_w" -> {
                    // row-major [K, K, N, M]: element (tap, cout, cin) at (tap * N + cout) * M + cin
                    float[] v = new float[k2 * n * m2];
                    for (int row = 0; row < k2 * n; row++) {
                        System.arraycopy(w, row * m, v, row * m2, m); // new inputs' filters stay 0
                    }
                    out.add(v);
                }
                default -> out.add(w.clone());
            }
        }
        List<ConvArchitecture.Var> toVars = to.variables();
        for (int i = 0; i < toVars.size(); i++) {
            if (out.get(i).length != toVars.get(i).size()) {
                throw new IllegalStateException(toVars.get(i).name() + ": widened to " + out.get(i).length + " floats, expected " + toVars.get(i).size());
            }
        }
        return out;
    }
}
