package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.Simd;

/**
 * A mixture of K discretized logistics over the integers {@code [lo, hi]} (pixels: 0..255), one
 * set of weights, means and scales per symbol, as in PixelCNN++: symbol v has the mass
 * {@code sum_c w_c (F_c(v + 1/2) - F_c(v - 1/2))}, {@code F_c(t) = 1 / (1 + e^-((t - mean_c) / scale_c))},
 * {@code w = softmax(weight logits)}; {@code lo} also takes the tails below, {@code hi} those above.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Parameters</b> come as 3K float arrays, {@code params[c]} the weight logits,
 * {@code params[K + c]} the means and {@code params[2K + c]} the scales of component c; symbol k
 * reads index {@code paramOffset + k} of each.
 * <li><b>Integer CDF</b> at precision p, {@code A = hi - lo + 1}, {@code R = 2^p - A}:
 * {@code C(v) = floor(G(v - 1/2) R) + (v - lo)} with {@code C(lo) = 0}, {@code C(hi + 1) = 2^p}, where
 * <pre>
 *   m   = max_c w_c;   e_c = exp(w_c - m);   pi_c = e_c / (e_0 + e_1 + ...)       ({@link CdfMath#exp})
 *   G(t) = min(1, pi_0 F((t - mean_0) (1 / scale_0)) + pi_1 F(...) + ...)           (in this order)
 * </pre>
 * with F = {@link CdfMath#logistic}. Each term is non-decreasing in t as computed (a monotone F of
 * a monotone argument, times a non-negative weight) and IEEE addition is monotone in each operand,
 * so G is non-decreasing as computed and every symbol keeps frequency >= 1 whatever the
 * parameters; the frequencies sum to exactly 2^p. Only exactly defined double arithmetic:
 * encoder and decoder get the same integers on any machine, scalar or vector.
 * <li><b>Pop</b> bisects C over {@code [lo, hi]} ({@code ceil(log2 A)} evaluations of G), then
 * evaluates the interval: about {@code K (log2 A + 2)} logistic evaluations per symbol. The vector
 * kernels ({@link LogisticMixtureVector}) run V symbols in step.
 * </ul>
 * Batches, checks and lanes as in {@link DiscretizedLogistic}. Immutable and thread-safe.
 */
public final class DiscretizedLogisticMixture {
    /** Most components. */
    public static final int MAX_COMPONENTS = 16;

    /** weight0.., mean0.., scale0.. (MAX_COMPONENTS each): names for messages, built once. */
    private static final String[] NAMES = new String[3 * MAX_COMPONENTS];

    static {
        for (int c = 0; c < MAX_COMPONENTS; c++) {
            NAMES[c] = "weight" + c;
            NAMES[MAX_COMPONENTS + c] = "mean" + c;
            NAMES[2 * MAX_COMPONENTS + c] = "scale" + c;
        }
    }

    final int components;
    final int lo;
    final int hi;
    final int precision;
    /** M = 2^precision. */
    final int total;
    /** R = M - A. */
    final double spread;
    final boolean vector;

    private DiscretizedLogisticMixture(int components, int lo, int hi, int precision, boolean vector) {
        Batch.checkPrecision(precision);
        if (components < 1 || components > MAX_COMPONENTS) {
            throw new IllegalArgumentException("components must be in [1, " + MAX_COMPONENTS + "], got " + components);
        }
        if (lo > hi) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        long alphabet = (long) hi - lo + 1;
        if (alphabet > 1L << precision) {
            throw new IllegalArgumentException(alphabet + " symbols [" + lo + ", " + hi + "] do not fit precision " + precision);
        }
        this.components = components;
        this.lo = lo;
        this.hi = hi;
        this.precision = precision;
        this.total = 1 << precision;
        this.spread = total - alphabet;
        this.vector = vector;
    }

    /** K components over {@code lo..hi} at {@code precision} bits; the vector kernels when {@link Simd#vectorEnabled()}. */
    public static DiscretizedLogisticMixture create(int components, int lo, int hi, int precision) {
        return new DiscretizedLogisticMixture(components, lo, hi, precision, Simd.vectorEnabled());
    }

    /** As {@link #create}, always with the scalar kernels. */
    public static DiscretizedLogisticMixture createScalar(int components, int lo, int hi, int precision) {
        return new DiscretizedLogisticMixture(components, lo, hi, precision, false);
    }

    public int components() {
        return components;
    }

    public int precision() {
        return precision;
    }

    public String implementation() {
        return vector ? "vector-" + CdfMathVector.BITS : "scalar";
    }

    // ---- the CDF of one symbol ----

    /** The weights, means and inverse scales of symbol {@code i}, into {@code w[c]}, {@code w[K + c]}, {@code w[2K + c]}. */
    void prepare(float[][] params, int i, double[] w) {
        int k = components;
        double m = params[0][i];
        for (int c = 1; c < k; c++) {
            m = Math.max(m, params[c][i]);
        }
        double sum = 0.0;
        for (int c = 0; c < k; c++) {
            double e = CdfMath.exp(params[c][i] - m); // in (0, 1], 1 for the largest
            w[c] = e;
            sum += e;
        }
        for (int c = 0; c < k; c++) {
            w[c] = w[c] / sum;
            w[k + c] = params[k + c][i];
            w[2 * k + c] = 1.0 / params[2 * k + c][i];
        }
    }

    /** G(v - 1/2) for the prepared symbol. */
    double mix(double[] w, int v) {
        int k = components;
        double t = v - 0.5;
        double g = 0.0;
        for (int c = 0; c < k; c++) {
            g += w[c] * CdfMath.logistic((t - w[k + c]) * w[2 * k + c]);
        }
        return Math.min(g, 1.0);
    }

    /** C(v) for v in {@code [lo, hi + 1]}. */
    int cdf(double[] w, int v) {
        if (v == lo) {
            return 0;
        }
        if (v > hi) {
            return total;
        }
        return (int) (mix(w, v) * spread) + (v - lo);
    }

    // ---- public API ----

    void checkParameters(float[][] params, int paramOffset, int count) {
        Batch.checkCount(count);
        if (params.length != 3 * components) {
            throw new IllegalArgumentException(components + " components need " + 3 * components + " parameter arrays, got " + params.length);
        }
        for (int c = 0; c < components; c++) {
            Batch.checkFinite(NAMES[c], params[c], paramOffset, count);
            Batch.checkFinite(NAMES[MAX_COMPONENTS + c], params[components + c], paramOffset, count);
            Batch.checkPositive(NAMES[2 * MAX_COMPONENTS + c], params[2 * components + c], paramOffset, count);
        }
    }

    /**
     * Pushes {@code count} symbols, symbol k with the mixture at index {@code paramOffset + k} of the
     * parameter arrays (see the class comment for their order).
     *
     * @throws IllegalArgumentException if a weight or mean is not finite or a scale not finite and positive
     * @throws io.latentcodec.ZeroProbabilityException if a symbol lies outside {@code [lo, hi]}
     */
    public void push(Message m, float[][] params, int paramOffset, int[] symbols, int symbolOffset, int count) {
        checkParameters(params, paramOffset, count);
        Batch.checkSymbols(symbols, symbolOffset, count, lo, hi);
        Scratch sc = new Scratch(Math.min(count, Batch.chunk(m.lanes())));
        Batch.push(m, precision, count, (k0, n, start, freq) ->
                intervals(params, paramOffset + k0, symbols, symbolOffset + k0, n, start, freq, sc));
    }

    /** Pops {@code count} symbols into {@code out[outOffset ..]}, symbol k with the parameters at {@code paramOffset + k}. */
    public void pop(Message m, float[][] params, int paramOffset, int[] out, int outOffset, int count) {
        checkParameters(params, paramOffset, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        Scratch sc = new Scratch(Math.min(count, m.lanes()));
        m.pop(precision, count, (k0, n, cf, start, freq) ->
                invertRound(params, paramOffset + k0, n, cf, out, outOffset + k0, start, freq, sc));
    }

    /** Scratch of one call for up to a fixed number of symbols; one per thread, opaque. */
    public final class Scratch {
        final int max;
        /** Scalar: one symbol's prepared parameters. Vector: per lane, [3K][V] prepared, then stage arrays. */
        final double[] w;
        final double[] z;
        final double[] f;
        final double[] tmp;
        final int[] v;

        private Scratch(int max) {
            this.max = Math.max(1, max);
            int k = components;
            if (vector) {
                int pad = CdfMathVector.padded(this.max);
                w = new double[3 * k * pad];
                z = new double[k * CdfMathVector.V];
                f = new double[k * CdfMathVector.V];
                tmp = new double[k * CdfMathVector.V];
                v = new int[pad];
            } else {
                w = new double[3 * k];
                z = null;
                f = null;
                tmp = null;
                v = null;
            }
        }
    }

    /** A scratch for {@link #invert} calls of up to {@code maxCount} symbols (a message's lanes, for one round). */
    public Scratch invertScratch(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1, got " + maxCount);
        }
        return new Scratch(maxCount);
    }

    /**
     * Inverts one round of a pop, as {@link #pop} does for each round: symbol i (i &lt; count) has
     * the mixture at index {@code paramOffset + i} and cumulative frequency {@code cf[i]}; its value
     * goes to {@code out[outOffset + i]}, its interval to {@code start[i]}, {@code freq[i]}. For a
     * {@link Message#pop} inverse whose parameters are only known round by round (an autoregressive
     * likelihood). Same kernels as {@link #pop}, so the same symbols.
     *
     * @throws IllegalArgumentException if a parameter is invalid, count exceeds the scratch's, or a slice does not fit
     */
    public void invert(float[][] params, int paramOffset, int count, int[] cf, int[] out, int outOffset, int[] start, int[] freq,
                       Scratch scratch) {
        checkParameters(params, paramOffset, count);
        if (count > scratch.max) {
            throw new IllegalArgumentException(count + " symbols for a scratch of " + scratch.max);
        }
        Batch.checkSlice("cf", cf.length, 0, count);
        Batch.checkSlice("start", start.length, 0, count);
        Batch.checkSlice("freq", freq.length, 0, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        invertRound(params, paramOffset, count, cf, out, outOffset, start, freq, scratch);
    }

    void intervals(float[][] params, int p, int[] symbols, int s, int n, int[] start, int[] freq, Scratch sc) {
        if (vector) {
            LogisticMixtureVector.intervals(this, params, p, symbols, s, n, start, freq, sc);
            return;
        }
        double[] w = sc.w;
        for (int i = 0; i < n; i++) {
            prepare(params, p + i, w);
            int x = symbols[s + i];
            int c0 = cdf(w, x);
            start[i] = c0;
            freq[i] = cdf(w, x + 1) - c0;
        }
    }

    void invertRound(float[][] params, int p, int n, int[] cf, int[] out, int o, int[] start, int[] freq, Scratch sc) {
        if (vector) {
            LogisticMixtureVector.invert(this, params, p, n, cf, out, o, start, freq, sc);
            return;
        }
        double[] w = sc.w;
        for (int i = 0; i < n; i++) {
            prepare(params, p + i, w);
            int c = cf[i];
            int a = lo; // C(a) <= c
            int b = hi; // C(b + 1) > c
            while (a < b) {
                int mid = a + ((b - a + 1) >>> 1); // lo may be negative: no (a + b + 1) >>> 1
                if (cdf(w, mid) <= c) {
                    a = mid;
                } else {
                    b = mid - 1;
                }
            }
            int c0 = cdf(w, a);
            out[o + i] = a;
            start[i] = c0;
            freq[i] = cdf(w, a + 1) - c0;
        }
    }
}
