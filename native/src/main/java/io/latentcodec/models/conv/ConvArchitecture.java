package io.latentcodec.models.conv;

import java.util.ArrayList;
import java.util.List;

/**
 * The convolutional VAE's shape: a scaled-down Balle-2017-style autoencoder (Balle, Laparra,
 * Simoncelli, <i>End-to-end optimized image compression</i>, ICLR 2017) with a Gaussian posterior.
 *
 * <pre>
 * encoder  x [1, H, W, 3] (0..255) / 255
 *          -> conv KxK/2, N -> GDN -> conv KxK/2, N -> GDN -> conv KxK/2, N -> GDN -> conv KxK/2, 2M
 *          -> mu = first M channels, sigma = softplus(last M) + 1e-4          [1, H/16, W/16, M] each
 * decoder  z [1, H/16, W/16, M]
 *          -> deconv KxK/2, N -> IGDN -> deconv KxK/2, N -> IGDN -> deconv KxK/2, N -> IGDN -> deconv KxK/2, 3
 *          -> times 255: the reconstruction's mean, in pixel units (unclipped)
 * prior    N(0, I); likelihood N(x; mean, sigmaX^2) per sample (fixed sigmaX: a rate-distortion trade-off)
 * </pre>
 * GDN: {@code y_i = x_i / sqrt(beta_i + sum_j gamma_ji x_j^2)}, IGDN multiplies instead, with
 * {@code beta = |beta'| + 1e-6} and {@code gamma = |gamma'|} of the trained variables. Convolutions are
 * "SAME"-padded; H and W must be multiples of 16.
 *
 * @param channels N, the hidden layers' channels
 * @param latents  M, latent channels
 * @param kernel   K, kernel side of every layer
 * @param sigmaX   the likelihood's standard deviation in pixel units (sets the trained rate)
 */
public record ConvArchitecture(int channels, int latents, int kernel, double sigmaX) {
    /** Total downsampling: 4 stride-2 layers. */
    public static final int STRIDE = 16;

    public ConvArchitecture {
        if (channels < 1 || channels > 1024 || latents < 1 || latents > 1024 || kernel < 1 || kernel > 9 || kernel % 2 == 0) {
            throw new IllegalArgumentException("bad conv-vae shape: channels " + channels + ", latents " + latents + ", kernel " + kernel);
        }
        if (!(sigmaX > 0) || sigmaX > 255) {
            throw new IllegalArgumentException("sigmaX must be in (0, 255], got " + sigmaX);
        }
    }

    /** e.g. {@code conv-vae-64-64-k5}. */
    public String id() {
        return "conv-vae-" + channels + "-" + latents + "-k" + kernel;
    }

    /** One trainable variable: its name and shape. */
    public record Var(String name, long[] shape) {
        public int size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return Math.toIntExact(n);
        }
    }

    /** Every weight variable, in the fixed order of fingerprints and checkpoints. */
    public List<Var> variables() {
        int n = channels;
        int m = latents;
        int k = kernel;
        List<Var> v = new ArrayList<>();
        int[] encIn = {3, n, n, n};
        int[] encOut = {n, n, n, 2 * m};
        for (int i = 0; i < 4; i++) {
            v.add(new Var("enc" + i + "_w", new long[] {k, k, encIn[i], encOut[i]}));
            v.add(new Var("enc" + i + "_b", new long[] {encOut[i]}));
            if (i < 3) {
                v.add(new Var("enc" + i + "_gdn_beta", new long[] {n}));
                v.add(new Var("enc" + i + "_gdn_gamma", new long[] {n, n}));
            }
        }
        int[] decIn = {m, n, n, n};
        int[] decOut = {n, n, n, 3};
        for (int i = 0; i < 4; i++) {
            // conv2dBackpropInput's filter is [kh, kw, output channels, input channels]
            v.add(new Var("dec" + i + "_w", new long[] {k, k, decOut[i], decIn[i]}));
            v.add(new Var("dec" + i + "_b", new long[] {decOut[i]}));
            if (i < 3) {
                v.add(new Var("dec" + i + "_igdn_beta", new long[] {n}));
                v.add(new Var("dec" + i + "_igdn_gamma", new long[] {n, n}));
            }
        }
        return v;
    }

    public long parameterCount() {
        long s = 0;
        for (Var v : variables()) {
            s += v.size();
        }
        return s;
    }
}
