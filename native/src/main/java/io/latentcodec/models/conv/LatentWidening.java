package io.latentcodec.models.conv;

import java.util.Arrays;
import java.util.List;

/**
 * Grows a trained conv VAE to more latent channels (M to M' &gt; M) without changing what it
 * reconstructs, so that training can go on with more capacity instead of starting over.
 *
 * <p>Only the two layers that touch z change shape:
 * <pre>
 * enc3_w [K, K, N, 2M] -&gt; [K, K, N, 2M']   mu channels 0..M-1 and sigma channels M'..M'+M-1 keep their
 *                                            filters; new mu filters as a fresh model's, new sigma filters 0
 * enc3_b [2M]          -&gt; [2M']             new mu biases 0; new sigma biases a fresh model's, so sigma = 0.5
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
     * @param seed    seeds the new mu filters ({@link ConvTrainer#initialWeights})
     * @return the widened weights, in {@code to.variables()} order
     */
    public static List<float[]> widen(ConvArchitecture from, List<float[]> weights, ConvArchitecture to, long seed) {
        if (from.channels() != to.channels() || from.kernel() != to.kernel() || to.latents() <= from.latents()) {
            throw new IllegalArgumentException("a " + from.id() + " cannot grow into a " + to.id()
                    + ": only more latents, with the same channels and kernel, can be added");
        }
        if (weights.size() != from.variables().size()) {
            throw new IllegalArgumentException("a " + from.id() + " has " + from.variables().size() + " weights, got " + weights.size());
        }
        int k2 = from.kernel() * from.kernel();
        int n = from.channels();
        int m = from.latents();
        int m2 = to.latents();
        List<float[]> out = ConvTrainer.initialWeights(to, seed); // a fresh model's new mu filters and sigma biases (0.5)
        List<ConvArchitecture.Var> vars = from.variables();
        for (int i = 0; i < vars.size(); i++) {
            float[] w = weights.get(i);
            float[] v = out.get(i);
            switch (vars.get(i).name()) {
                case "enc3_w" -> {
                    // row-major [K, K, N, 2M]: element (tap, cin, cout) at (tap * N + cin) * 2M + cout
                    for (int row = 0; row < k2 * n; row++) {
                        System.arraycopy(w, row * 2 * m, v, row * 2 * m2, m);          // mu; new mu filters stay fresh
                        System.arraycopy(w, row * 2 * m + m, v, row * 2 * m2 + m2, m); // sigma
                        Arrays.fill(v, row * 2 * m2 + m2 + m, (row + 1) * 2 * m2, 0f); // new sigma filters 0: sigma = 0.5
                    }
                }
                case "enc3_b" -> { // a fresh model's mu biases are 0
                    System.arraycopy(w, 0, v, 0, m);
                    System.arraycopy(w, m, v, m2, m);
                }
                case "dec0_w" -> {
                    // row-major [K, K, N, M]: element (tap, cout, cin) at (tap * N + cout) * M + cin
                    for (int row = 0; row < k2 * n; row++) {
                        System.arraycopy(w, row * m, v, row * m2, m);
                        Arrays.fill(v, row * m2 + m, (row + 1) * m2, 0f); // the new inputs' filters 0: ignored
                    }
                }
                default -> out.set(i, w.clone());
            }
        }
        return out;
    }
}
