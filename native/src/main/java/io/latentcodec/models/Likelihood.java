package io.latentcodec.models;

import java.util.List;

/**
 * The observation model p(x | z): which distribution each pixel has, what the model is fed, and
 * what {@link VaeModel#likelihoodParams} returns. Every parameter is a float32 array of shape
 * [batch, dataDim], in the order of {@link #paramNames()}.
 */
public enum Likelihood {
    /**
     * Binarized pixels x in {0, 1}. One parameter, {@code logits} l (unbounded):
     * p(x = 1) = sigmoid(l) = 1 / (1 + exp(-l)).
     */
    BERNOULLI("bernoulli", 1, List.of("logits")),
    /**
     * 8-bit pixels x in {0..255}. Beta-binomial with n = 255:
     * p(k) = C(255, k) B(k + alpha, 255 - k + beta) / B(alpha, beta). Parameters {@code alpha},
     * {@code beta}, each in [1e-4, 1e4] (softplus, then bounded).
     */
    BETA_BINOMIAL("beta-binomial", 255, List.of("alpha", "beta")),
    /**
     * 8-bit pixels x in {0..255}. Discretized logistic in pixel units: with
     * F(t) = sigmoid((t - mean) / scale), p(k) = F(k + 0.5) - F(k - 0.5) for 0 < k < 255,
     * p(0) = F(0.5), p(255) = 1 - F(254.5). Parameters {@code mean} (unbounded, pixel units) and
     * {@code scale} (> 0, at least 0.01, pixel units).
     */
    DISCRETIZED_LOGISTIC("discretized-logistic", 255, List.of("mean", "scale")),
    /**
     * 8-bit pixels x in {0..255}. A mixture of three discretized logistics (as in PixelCNN++):
     * p(k) = sum_c w_c p_c(k), each p_c as {@link #DISCRETIZED_LOGISTIC} with its own mean and
     * scale, weights w = softmax(weight0, weight1, weight2). Parameters, in order: the three
     * weight logits (unbounded), the three means (pixel units), the three scales (at least 0.01).
     * Its parameters come from a context net (the decoder's maps are features of it).
     */
    LOGISTIC_MIXTURE("logistic-mixture", 255, List.of("weight0", "weight1", "weight2", "mean0", "mean1", "mean2",
            "scale0", "scale1", "scale2"));

    /** Components of {@link #LOGISTIC_MIXTURE}. */
    public static final int MIXTURE_COMPONENTS = 3;

    private final String id;
    private final int maxValue;
    private final List<String> paramNames;

    Likelihood(String id, int maxValue, List<String> paramNames) {
        this.id = id;
        this.maxValue = maxValue;
        this.paramNames = paramNames;
    }

    /** The name used in manifests and on the command line. */
    public String id() {
        return id;
    }

    /** Largest pixel value: 1 for the Bernoulli model (x in {0, 1}), 255 otherwise (x in 0..255). */
    public int maxValue() {
        return maxValue;
    }

    /** Names of the parameter arrays, in the order {@link VaeModel#likelihoodParams} fills them. */
    public List<String> paramNames() {
        return paramNames;
    }

    public int paramCount() {
        return paramNames.size();
    }

    /** The likelihood with this {@link #id()}; an IllegalArgumentException listing the known ones otherwise. */
    public static Likelihood parse(String id) {
        for (Likelihood l : values()) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown likelihood '" + id + "'; known: bernoulli, beta-binomial, discretized-logistic, "
                + "logistic-mixture");
    }

    @Override
    public String toString() {
        return id;
    }
}
