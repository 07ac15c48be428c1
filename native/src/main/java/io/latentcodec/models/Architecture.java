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
 * With a {@link ContextSpec} the likelihood is locally autoregressive: the decoder's P maps are
 * raw values that a small per-pixel context net corrects from already coded neighbours before the
 * bounding (see {@link ContextSpec}); without one, pixels are independent given z.
 *
 * <p>Weights, in this order (the fingerprint's order): {@link #variableNames()} with
 * {@link #variableShapes()}; a context net's four variables come after the ten of the VAE.
 *
 * @param dataDim   D, pixels per image (784)
 * @param hiddenDim H, units of each hidden layer
 * @param latentDim L, latent dimensions
 * @param context   the locally autoregressive likelihood's context net, or null (pixels independent given z)
 */
public record Architecture(int dataDim, int hiddenDim, int latentDim, Likelihood likelihood, ContextSpec context) {
    /** Upper bound on every dimension: refuses absurd manifests before TensorFlow sees them. */
    public static final int MAX_DIM = 1 << 16;

    public Architecture {
        check(dataDim, "dataDim");
        check(hiddenDim, "hiddenDim");
        check(latentDim, "latentDim");
        if (likelihood == null) {
            throw new IllegalArgumentException("likelihood is null");
        }
        if (context != null) {
            context.rows(dataDim); // the width must divide D
        }
    }

    /** A VAE whose pixels are independent given z (no context net). */
    public Architecture(int dataDim, int hiddenDim, int latentDim, Likelihood likelihood) {
        this(dataDim, hiddenDim, latentDim, likelihood, null);
    }

    /** Whether the likelihood is locally autoregressive. */
    public boolean autoregressive() {
        return context != null;
    }

    /** The same VAE with this context net (null: none). */
    public Architecture withContext(ContextSpec c) {
        return new Architecture(dataDim, hiddenDim, latentDim, likelihood, c);
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

    /**
     * A short identifier, e.g. {@code mlp-vae-784-100-40-bernoulli}; with a context net its
     * {@link ContextSpec#id()} follows, e.g. {@code mlp-vae-784-200-50-beta-binomial-ar-w28-h32-n0:-1,...}.
     */
    public String id() {
        String base = "mlp-vae-" + dataDim + "-" + hiddenDim + "-" + latentDim + "-" + likelihood.id();
        return context == null ? base : base + "-" + context.id();
    }

    /** The VAE's ten weight variables, in fingerprint order. */
    static final List<String> VAE_VARIABLES = List.of("enc_h_w", "enc_h_b", "enc_mu_w", "enc_mu_b", "enc_sigma_w", "enc_sigma_b",
            "dec_h_w", "dec_h_b", "dec_out_w", "dec_out_b");
    /** The context net's four, after the VAE's: hidden layer [P + K, Hc], [Hc]; output layer [Hc, P], [P]. */
    static final List<String> CONTEXT_VARIABLES = List.of("ctx_h_w", "ctx_h_b", "ctx_out_w", "ctx_out_b");

    /** Names of the weight variables, in fingerprint order: the VAE's ten, then the context net's four when there is one. */
    public List<String> variableNames() {
        if (context == null) {
            return VAE_VARIABLES;
        }
        List<String> all = new java.util.ArrayList<>(VAE_VARIABLES);
        all.addAll(CONTEXT_VARIABLES);
        return List.copyOf(all);
    }

    /** E: the decoder's maps per pixel: one per parameter, unless a context net says otherwise. */
    public int decoderMaps() {
        return context == null ? likelihood.paramCount() : context.maps(likelihood.paramCount());
    }

    /** Shapes of the weight variables, in the order of {@link #variableNames()}. */
    public List<long[]> variableShapes() {
        long d = dataDim;
        long h = hiddenDim;
        long l = latentDim;
        long p = likelihood.paramCount();
        long out = (long) decoderMaps() * dataDim;
        List<long[]> s = new java.util.ArrayList<>(List.of(new long[] {d, h}, new long[] {h}, new long[] {h, l}, new long[] {l},
                new long[] {h, l}, new long[] {l}, new long[] {l, h}, new long[] {h}, new long[] {h, out}, new long[] {out}));
        if (context != null) {
            long in = context.inputs(likelihood.paramCount());
            long hc = context.hidden();
            s.addAll(List.of(new long[] {in, hc}, new long[] {hc}, new long[] {hc, p}, new long[] {p}));
        }
        return List.copyOf(s);
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
