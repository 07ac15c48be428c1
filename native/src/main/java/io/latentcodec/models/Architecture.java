package io.latentcodec.models;

import java.util.List;

/**
 * The VAE of the bits-back paper (Townsend, Bird, Barber, ICLR 2019) as a value: a one-hidden-layer
 * MLP encoder and decoder with ReLU, a diagonal Gaussian posterior q(z|x) = N(mu, diag(sigma^2)),
 * a standard normal prior p(z) = N(0, I), and a per-pixel {@link Likelihood}.
 *
 * <pre>
 *   encoder  x [B, D] -> (x / 255 unless Bernoulli) -> relu(. W_h + b_h) [B, H]
 *            mu = . W_mu + b_mu [B, L];  sigma = softplus(. W_sigma + b_sigma) + 1e-4 [B, L]
 *   decoder  z [B, L] -> relu(. V_h + c_h) [B, H] -> . V_out + c_out [B, P * D] -> P parameter maps
 * </pre>
 *
 * Weights, in this order (the fingerprint's order): {@link #variableNames()} with
 * {@link #variableShapes()}.
 *
 * @param dataDim   D, pixels per image (784)
 * @param hiddenDim H, units of each hidden layer
 * @param latentDim L, latent dimensions
 */
public record Architecture(int dataDim, int hiddenDim, int latentDim, Likelihood likelihood) {
    /** Upper bound on every dimension: refuses absurd manifests before TensorFlow sees them. */
    public static final int MAX_DIM = 1 << 16;

    public Architecture {
        check(dataDim, "dataDim");
        check(hiddenDim, "hiddenDim");
        check(latentDim, "latentDim");
        if (likelihood == null) {
            throw new IllegalArgumentException("likelihood is null");
        }
    }

    private static void check(int v, String what) {
        if (v < 1 || v > MAX_DIM) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_DIM + ", got " + v);
        }
    }

    /** The bits-back paper's binarized-MNIST model: 784-100-40, Bernoulli. */
    public static Architecture binarizedMnist() {
        return new Architecture(784, 100, 40, Likelihood.BERNOULLI);
    }

    /** The bits-back paper's full-MNIST model: 784-200-50 with the given 8-bit likelihood. */
    public static Architecture fullMnist(Likelihood likelihood) {
        return new Architecture(784, 200, 50, likelihood);
    }

    /** A short identifier, e.g. {@code mlp-vae-784-100-40-bernoulli}. */
    public String id() {
        return "mlp-vae-" + dataDim + "-" + hiddenDim + "-" + latentDim + "-" + likelihood.id();
    }

    /** Names of the weight variables, in fingerprint order. */
    public static List<String> variableNames() {
        return List.of("enc_h_w", "enc_h_b", "enc_mu_w", "enc_mu_b", "enc_sigma_w", "enc_sigma_b",
                "dec_h_w", "dec_h_b", "dec_out_w", "dec_out_b");
    }

    /** Shapes of the weight variables, in the order of {@link #variableNames()}. */
    public List<long[]> variableShapes() {
        long d = dataDim;
        long h = hiddenDim;
        long l = latentDim;
        long out = (long) likelihood.paramCount() * dataDim;
        return List.of(new long[] {d, h}, new long[] {h}, new long[] {h, l}, new long[] {l}, new long[] {h, l}, new long[] {l},
                new long[] {l, h}, new long[] {h}, new long[] {h, out}, new long[] {out});
    }

    /** Number of weights. */
    public long parameterCount() {
        long n = 0;
        for (long[] s : variableShapes()) {
            long k = 1;
            for (long x : s) {
                k *= x;
            }
            n += k;
        }
        return n;
    }
}
