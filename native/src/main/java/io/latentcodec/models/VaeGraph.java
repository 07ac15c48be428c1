package io.latentcodec.models;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * The VAE's TensorFlow graph pieces, shared by training and by the exported inference graph, so
 * the two compute the same function. Shapes: x [B, D], z and eps [B, L]; B may be -1 (training).
 * Log densities are computed in float64: the beta-binomial's lgamma terms reach thousands of nats
 * and cancel, which float32 would round to a visible error.
 */
final class VaeGraph {
    /** Floor of the posterior standard deviation. */
    static final float SIGMA_MIN = Bounding.SIGMA_MIN;
    /** Bounds of the beta-binomial's alpha and beta. */
    static final float BETA_PARAM_MIN = 1e-4f;
    static final float BETA_PARAM_MAX = 1e4f;
    /** Floor of the discretized logistic's scale, in pixels. */
    static final float LOGISTIC_SCALE_MIN = 0.01f;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private VaeGraph() {
    }

    /** q(z|x): mu and sigma. */
    record Posterior(Operand<TFloat32> mu, Operand<TFloat32> sigma) {
    }

    /** The single-sample ELBO terms per row, float64 [B]. */
    record ElboTerms(Operand<TFloat64> logPx, Operand<TFloat64> logPz, Operand<TFloat64> logQz, Operand<TFloat64> kl) {
    }

    private static Operand<TFloat32> dense(Ops tf, Operand<TFloat32> in, Operand<TFloat32> w, Operand<TFloat32> b) {
        return tf.math.add(tf.linalg.matMul(in, w), b);
    }

    /** The encoder. {@code w} are the weights in {@link Architecture#variableNames()} order. */
    static Posterior encode(Ops tf, Architecture a, List<Operand<TFloat32>> w, Operand<TFloat32> x) {
        Ops e = tf.withSubScope("encoder");
        Operand<TFloat32> in = a.likelihood().maxValue() == 1 ? x : e.math.mul(x, e.constant(1f / 255f));
        Operand<TFloat32> h = e.nn.relu(dense(e, in, w.get(0), w.get(1)));
        Operand<TFloat32> mu = dense(e, h, w.get(2), w.get(3));
        Operand<TFloat32> sigma = e.math.add(e.math.softplus(dense(e, h, w.get(4), w.get(5))), e.constant(SIGMA_MIN));
        return new Posterior(mu, sigma);
    }

    /**
     * The decoder's E raw maps ({@link Architecture#decoderMaps()}), each [B, D]. With E = P they
     * are in {@link Likelihood#paramNames()} order, what the bounding turns into parameters (logits
     * as they are; beta-binomial alpha and beta before the softplus; the logistic's mean / 255 and
     * scale before the softplus); otherwise features of the context net.
     */
    static List<Operand<TFloat32>> decodeRaw(Ops tf, Architecture a, List<Operand<TFloat32>> w, Operand<TFloat32> z) {
        Ops d = tf.withSubScope("decoder");
        Operand<TFloat32> h = d.nn.relu(dense(d, z, w.get(6), w.get(7)));
        Operand<TFloat32> out = dense(d, h, w.get(8), w.get(9));
        int e = a.decoderMaps();
        if (e == 1) {
            return List.of(out);
        }
        if (e == 2) {
            return split2(d, out);
        }
        Split<TFloat32> s = d.split(d.constant(1), out, (long) e);
        return List.copyOf(s.output());
    }

    /** The likelihood's parameters from raw maps: softplus and bounds (see {@link Likelihood}). */
    static List<Operand<TFloat32>> bound(Ops tf, Likelihood lik, List<Operand<TFloat32>> raw) {
        Ops d = tf.withSubScope("bound");
        return switch (lik) {
            case BERNOULLI -> raw;
            case BETA_BINOMIAL -> {
                List<Operand<TFloat32>> r = new ArrayList<>();
                for (Operand<TFloat32> p : raw) {
                    r.add(d.math.minimum(d.math.add(d.math.softplus(p), d.constant(BETA_PARAM_MIN)), d.constant(BETA_PARAM_MAX)));
                }
                yield r;
            }
            case DISCRETIZED_LOGISTIC -> {
                Operand<TFloat32> mean = d.math.mul(raw.get(0), d.constant(255f));
                Operand<TFloat32> scale = d.math.add(d.math.mul(d.math.softplus(raw.get(1)), d.constant(255f)),
                        d.constant(LOGISTIC_SCALE_MIN));
                yield List.of(mean, scale);
            }
            case LOGISTIC_MIXTURE -> {
                int c = Likelihood.MIXTURE_COMPONENTS;
                List<Operand<TFloat32>> r = new ArrayList<>(raw.subList(0, c)); // weight logits as they are
                for (int i = 0; i < c; i++) {
                    r.add(d.math.mul(raw.get(c + i), d.constant(255f)));
                }
                for (int i = 0; i < c; i++) {
                    r.add(d.math.add(d.math.mul(d.math.softplus(raw.get(2 * c + i)), d.constant(255f)), d.constant(LOGISTIC_SCALE_MIN)));
                }
                yield r;
            }
        };
    }

    /** The decoder of a VAE without context net: the likelihood's parameter maps, each [B, D], in {@link Likelihood#paramNames()} order. */
    static List<Operand<TFloat32>> decode(Ops tf, Architecture a, List<Operand<TFloat32>> w, Operand<TFloat32> z) {
        if (a.autoregressive()) {
            throw new IllegalArgumentException(a.id() + " is autoregressive: its parameters need x");
        }
        return bound(tf, a.likelihood(), decodeRaw(tf, a, w, z));
    }

    /**
     * The parameters of p(x|z): {@link #decode} without a context net; with one, the raw maps
     * corrected by the context net from x's causal neighbours ({@link #context}), then bounded.
     */
    static List<Operand<TFloat32>> decode(Ops tf, Architecture a, List<Operand<TFloat32>> w, Operand<TFloat32> z, Operand<TFloat32> x) {
        List<Operand<TFloat32>> raw = decodeRaw(tf, a, w, z);
        return bound(tf, a.likelihood(), a.autoregressive() ? context(tf, a, w, raw, x) : raw);
    }

    /**
     * The context net over all pixels at once (see {@link ContextSpec}): neighbours are shifted
     * copies of x (zero-padded), features [B * D, E + K + E R], one ReLU layer, the P outputs added
     * to the raw maps when E = P (else they are the raw parameters). {@code w.get(10..13)} are its weights.
     */
    static List<Operand<TFloat32>> context(Ops tf, Architecture a, List<Operand<TFloat32>> w, List<Operand<TFloat32>> raw,
                                           Operand<TFloat32> x) {
        ContextSpec c = a.context();
        Ops t = tf.withSubScope("context");
        int d = a.dataDim();
        int width = c.width();
        int rows = c.rows(d);
        int p = a.likelihood().paramCount();
        Operand<TFloat32> scaled = a.likelihood().maxValue() == 1 ? x : t.math.mul(x, t.constant(1f / 255f));
        List<Operand<TFloat32>> features = new ArrayList<>(raw);
        features.addAll(shifted(t, scaled, c.neighbours(), rows, width));
        if (!c.rawOffsets().isEmpty()) {
            List<List<Operand<TFloat32>>> byParam = new ArrayList<>();
            for (Operand<TFloat32> r : raw) {
                byParam.add(shifted(t, r, c.rawOffsets(), rows, width));
            }
            for (int o = 0; o < c.rawOffsets().size(); o++) {   // offset-major, then parameter
                for (List<Operand<TFloat32>> maps : byParam) {
                    features.add(maps.get(o));
                }
            }
        }
        Operand<TFloat32> f = t.reshape(t.stack(features, org.tensorflow.op.core.Stack.axis(2L)),
                t.constant(new long[] {-1, c.inputs(p)}));
        Operand<TFloat32> h = t.nn.relu(dense(t, f, w.get(10), w.get(11)));
        Operand<TFloat32> out = t.reshape(dense(t, h, w.get(12), w.get(13)), t.constant(new long[] {-1, d, p}));
        boolean residual = c.residual(p);
        List<Operand<TFloat32>> corrected = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            Operand<TFloat32> delta = t.reshape(t.slice(out, t.constant(new int[] {0, 0, i}), t.constant(new int[] {-1, d, 1})),
                    t.constant(new long[] {-1, d}));
            corrected.add(residual ? t.math.add(raw.get(i), delta) : delta);
        }
        return corrected;
    }

    private static List<Operand<TFloat32>> split2(Ops tf, Operand<TFloat32> out) {
        Split<TFloat32> s = tf.split(tf.constant(1), out, 2L);
        return List.of(s.output().get(0), s.output().get(1));
    }

    /** log p(x | params) summed over pixels, float64 [B]. */
    static Operand<TFloat64> logLikelihood(Ops tf, Likelihood lik, List<Operand<TFloat32>> params, Operand<TFloat32> x) {
        Ops t = tf.withSubScope("log_px");
        Operand<TFloat64> k = t.dtypes.cast(x, TFloat64.class);
        Operand<TFloat64> lp = switch (lik) {
            case BERNOULLI -> {
                // log p = x l - softplus(l)
                Operand<TFloat64> l = t.dtypes.cast(params.get(0), TFloat64.class);
                yield t.math.sub(t.math.mul(k, l), t.math.softplus(l));
            }
            case BETA_BINOMIAL -> betaBinomial(t, k, t.dtypes.cast(params.get(0), TFloat64.class),
                    t.dtypes.cast(params.get(1), TFloat64.class));
            case DISCRETIZED_LOGISTIC -> logistic(t, k, t.dtypes.cast(params.get(0), TFloat64.class),
                    t.dtypes.cast(params.get(1), TFloat64.class));
            case LOGISTIC_MIXTURE -> mixture(t, k, params);
        };
        return t.reduceSum(lp, t.constant(1));
    }

    /**
     * log BetaBinomial(k; n = 255, a, b) = lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)
     * + lgamma(k+a) + lgamma(n-k+b) - lgamma(n+a+b) + lgamma(a+b) - lgamma(a) - lgamma(b).
     */
    private static Operand<TFloat64> betaBinomial(Ops t, Operand<TFloat64> k, Operand<TFloat64> a, Operand<TFloat64> b) {
        Operand<TFloat64> n = t.constant(255.0);
        Operand<TFloat64> one = t.constant(1.0);
        Operand<TFloat64> nk = t.math.sub(n, k);
        Operand<TFloat64> logChoose = t.math.sub(t.math.sub(t.math.lgamma(t.constant(256.0)), t.math.lgamma(t.math.add(k, one))),
                t.math.lgamma(t.math.add(nk, one)));
        Operand<TFloat64> num = t.math.add(t.math.lgamma(t.math.add(k, a)), t.math.lgamma(t.math.add(nk, b)));
        Operand<TFloat64> ab = t.math.add(a, b);
        Operand<TFloat64> den = t.math.add(t.math.lgamma(t.math.add(n, ab)), t.math.add(t.math.lgamma(a), t.math.lgamma(b)));
        return t.math.add(logChoose, t.math.sub(t.math.add(num, t.math.lgamma(ab)), den));
    }

    /**
     * log of the discretized logistic's bin mass, F(t) = sigmoid((t - m) / s):
     * k = 0: log F(0.5); k = 255: log(1 - F(254.5)); else log(F(k+0.5) - F(k-0.5)), computed in the
     * tail nearer the bin so it does not cancel, with the density at the bin centre as the fallback
     * when even that underflows.
     */
    private static Operand<TFloat64> logistic(Ops t, Operand<TFloat64> k, Operand<TFloat64> m, Operand<TFloat64> s) {
        Operand<TFloat64> c = t.math.sub(k, m);
        Operand<TFloat64> inv = t.math.reciprocal(s);
        Operand<TFloat64> plus = t.math.mul(t.math.add(c, t.constant(0.5)), inv);
        Operand<TFloat64> minus = t.math.mul(t.math.sub(c, t.constant(0.5)), inv);
        Operand<TFloat64> logCdfPlus = t.math.neg(t.math.softplus(t.math.neg(plus)));   // log sigmoid(plus)
        Operand<TFloat64> logSfMinus = t.math.neg(t.math.softplus(minus));              // log (1 - sigmoid(minus))
        Operand<TBool> upper = t.math.greater(c, t.constant(0.0));
        Operand<TFloat64> delta = t.select(upper,
                t.math.sub(t.math.sigmoid(t.math.neg(minus)), t.math.sigmoid(t.math.neg(plus))),
                t.math.sub(t.math.sigmoid(plus), t.math.sigmoid(minus)));
        Operand<TFloat64> mid = t.math.mul(c, inv);
        // log density at the centre, bin width 1: -u - 2 softplus(-u) - log s
        Operand<TFloat64> logPdf = t.math.sub(t.math.sub(t.math.neg(mid), t.math.mul(t.constant(2.0), t.math.softplus(t.math.neg(mid)))),
                t.math.log(s));
        Operand<TFloat64> interior = t.select(t.math.greater(delta, t.constant(1e-250)),
                t.math.log(t.math.maximum(delta, t.constant(1e-300))), logPdf);
        return t.select(t.math.equal(k, t.constant(0.0)), logCdfPlus,
                t.select(t.math.equal(k, t.constant(255.0)), logSfMinus, interior));
    }

    /** Copies of the maps {@code m} [B, rows * width] moved so that pixel j reads (row(j) + dy, col(j) + dx), zero outside. */
    private static List<Operand<TFloat32>> shifted(Ops t, Operand<TFloat32> m, List<ContextSpec.Offset> offsets, int rows, int width) {
        int up = 0;
        int down = 0;
        int left = 0;
        int right = 0;
        for (ContextSpec.Offset o : offsets) {
            up = Math.max(up, -o.dy());
            down = Math.max(down, o.dy());
            left = Math.max(left, -o.dx());
            right = Math.max(right, o.dx());
        }
        Operand<TFloat32> img = t.reshape(m, t.constant(new long[] {-1, rows, width}));
        Operand<TFloat32> padded = t.pad(img, t.constant(new int[][] {{0, 0}, {up, down}, {left, right}}), t.constant(0f));
        List<Operand<TFloat32>> out = new ArrayList<>();
        for (ContextSpec.Offset o : offsets) {
            // int32 begin and size: the gradient of Slice subtracts them from an int32 shape
            Operand<TFloat32> s = t.slice(padded, t.constant(new int[] {0, up + o.dy(), left + o.dx()}), t.constant(new int[] {-1, rows, width}));
            out.add(t.reshape(s, t.constant(new long[] {-1, (long) rows * width})));
        }
        return out;
    }

    /**
     * log of the logistic mixture's mass at k: log sum_c softmax(w)_c p_c(k), as
     * m + log sum_c exp(l_c - m) with l_c = log softmax(w)_c + log p_c(k) and m = max_c l_c.
     */
    private static Operand<TFloat64> mixture(Ops t, Operand<TFloat64> k, List<Operand<TFloat32>> params) {
        int c = Likelihood.MIXTURE_COMPONENTS;
        List<Operand<TFloat64>> w = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            w.add(t.dtypes.cast(params.get(i), TFloat64.class));
        }
        Operand<TFloat64> wm = w.get(0);
        for (int i = 1; i < c; i++) {
            wm = t.math.maximum(wm, w.get(i));
        }
        Operand<TFloat64> wsum = null;
        for (int i = 0; i < c; i++) {
            Operand<TFloat64> e = t.math.exp(t.math.sub(w.get(i), wm));
            wsum = wsum == null ? e : t.math.add(wsum, e);
        }
        Operand<TFloat64> logNorm = t.math.add(wm, t.math.log(wsum)); // log sum_c e^(w_c)
        List<Operand<TFloat64>> l = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Operand<TFloat64> lp = logistic(t, k, t.dtypes.cast(params.get(c + i), TFloat64.class), t.dtypes.cast(params.get(2 * c + i), TFloat64.class));
            l.add(t.math.add(t.math.sub(w.get(i), logNorm), lp));
        }
        Operand<TFloat64> m = l.get(0);
        for (int i = 1; i < c; i++) {
            m = t.math.maximum(m, l.get(i));
        }
        Operand<TFloat64> sum = null;
        for (int i = 0; i < c; i++) {
            Operand<TFloat64> e = t.math.exp(t.math.sub(l.get(i), m));
            sum = sum == null ? e : t.math.add(sum, e);
        }
        return t.math.add(m, t.math.log(sum));
    }

    /** z = mu + sigma * eps (float32, what the decoder sees). */
    static Operand<TFloat32> sample(Ops tf, Posterior q, Operand<TFloat32> eps) {
        return tf.math.add(q.mu(), tf.math.mul(q.sigma(), eps));
    }

    /**
     * The ELBO terms at z = mu + sigma * eps, float64 per row:
     * log p(z) = sum -z^2/2 - log sqrt(2 pi); log q(z|x) = sum -eps^2/2 - log sigma - log sqrt(2 pi);
     * KL = sum (mu^2 + sigma^2 - 1)/2 - log sigma.
     */
    static ElboTerms elbo(Ops tf, Architecture a, List<Operand<TFloat32>> w, Posterior q, Operand<TFloat32> x, Operand<TFloat32> eps) {
        Operand<TFloat32> z = sample(tf, q, eps);
        Operand<TFloat64> logPx = logLikelihood(tf, a.likelihood(), decode(tf, a, w, z, x), x);
        Ops t = tf.withSubScope("latent_terms");
        Operand<TFloat64> z64 = t.dtypes.cast(z, TFloat64.class);
        Operand<TFloat64> e64 = t.dtypes.cast(eps, TFloat64.class);
        Operand<TFloat64> mu64 = t.dtypes.cast(q.mu(), TFloat64.class);
        Operand<TFloat64> s64 = t.dtypes.cast(q.sigma(), TFloat64.class);
        Operand<TFloat64> logS = t.math.log(s64);
        Operand<TFloat64> half = t.constant(0.5);
        Operand<TFloat64> c = t.constant(HALF_LOG_2PI);
        Operand<TInt32> one = t.constant(1); // the pixel / latent axis
        Operand<TFloat64> logPz = t.reduceSum(t.math.neg(t.math.add(t.math.mul(half, t.math.square(z64)), c)), one);
        Operand<TFloat64> logQz = t.reduceSum(t.math.neg(t.math.add(t.math.add(t.math.mul(half, t.math.square(e64)), logS), c)), one);
        Operand<TFloat64> kl = t.reduceSum(t.math.sub(t.math.mul(half, t.math.sub(t.math.add(t.math.square(mu64), t.math.square(s64)),
                t.constant(1.0))), logS), one);
        return new ElboTerms(logPx, logPz, logQz, kl);
    }
}
