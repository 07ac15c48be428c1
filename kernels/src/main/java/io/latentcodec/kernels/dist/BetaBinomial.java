package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.Simd;

/**
 * The beta-binomial distribution over {@code 0 .. n} with per-symbol parameters (alpha, beta):
 * the pixel likelihood of the bits-back paper's full-MNIST model (n = 255). It has no closed-form
 * CDF, so each symbol's whole PMF is summed; this is the throughput bottleneck of bits-back
 * coding, and the vector kernels ({@link BetaBinomialVector}) run V symbols per pass.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Weights.</b> {@code p(k) = C(n, k) B(k + alpha, n - k + beta) / B(alpha, beta)}, and
 * {@code p(k+1) / p(k) = (n - k)(k + alpha) / ((k + 1)(n - k - 1 + beta))}. Unnormalised weights
 * {@code w_0 = 1}, {@code w_(k+1) = w_k (((k + alpha) c_k) / (r_k + beta))} with the constants
 * {@code c_k = fl((n - k)/(k + 1))} and {@code r_k = n - k - 1}, exactly in that order.
 * <li><b>Sums.</b> {@code S_0 = 0}, {@code S_(k+1) = S_k + w_k}, {@code W = S_(n+1)}: partial
 * sums of non-negative terms, so non-decreasing as computed, and {@code S_k <= W}.
 * <li><b>Scale.</b> The weights can span far more than a double's range (alpha 1e3 with beta
 * 1e-3 puts p(n)/p(0) beyond 2^3000). Whenever a weight exceeds 2^600 it, the running sum and
 * every stored partial sum of that symbol are multiplied by 2^-600 (exact, or an underflow to
 * values that no longer matter: they are below W 2^-1000). One step grows a weight by at most
 * 2^285 (float parameters), so nothing overflows; no weight underflows while it matters (the
 * deepest dip of a U-shaped PMF is about 2^-170 for float parameters).
 * <li><b>Integer CDF.</b> {@code A = n + 1}, {@code R = 2^p - A}, {@code f = R / W}:
 * {@code C(0) = 0}, {@code C(k) = floor(S_k f) + k} for {@code 1 <= k <= n}, {@code C(n+1) = 2^p}.
 * {@code S_n f <= W fl(R/W) < R + 1}, so every symbol has frequency >= 1 and the total is 2^p.
 * Only {@code + * /} on the float parameters: the same integers everywhere.
 * <li><b>Pop</b> fills the S table and bisects it: {@code ceil(log2(n + 1))} comparisons.
 * </ul>
 * Batches, checks and lanes as in {@link DiscretizedLogistic}. Immutable and thread-safe.
 */
public final class BetaBinomial {
    /** A weight above this is rescaled: 2^600 leaves 2^423 of headroom for one step of at most 2^285 and a sum of 2^16 terms. */
    static final double RESCALE_ABOVE = 0x1p600;
    static final double RESCALE = 0x1p-600;
    /** Largest n: tables of n + 2 doubles per lane. */
    public static final int MAX_N = (1 << 16) - 1;

    final int n;
    final int precision;
    /** M = 2^precision. */
    final int total;
    /** R = M - (n + 1). */
    final double spread;
    /** {@code c_k = fl((n - k) / (k + 1))}, k < n. */
    final double[] ratio;
    /** {@code r_k = n - k - 1}, k < n. */
    final double[] rest;
    final boolean vector;

    private BetaBinomial(int n, int precision, boolean vector) {
        Batch.checkPrecision(precision);
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n must be in [1, " + MAX_N + "], got " + n);
        }
        if (n + 1 > 1 << precision) {
            throw new IllegalArgumentException((n + 1) + " symbols do not fit precision " + precision);
        }
        this.n = n;
        this.precision = precision;
        this.total = 1 << precision;
        this.spread = total - (n + 1);
        this.ratio = new double[n];
        this.rest = new double[n];
        for (int k = 0; k < n; k++) {
            ratio[k] = (double) (n - k) / (k + 1);
            rest[k] = n - k - 1;
        }
        this.vector = vector;
    }

    /** Symbols {@code 0..n} at {@code precision} bits ({@code n + 1 <= 2^precision}); vector kernels when enabled. */
    public static BetaBinomial create(int n, int precision) {
        return new BetaBinomial(n, precision, Simd.vectorEnabled());
    }

    public static BetaBinomial createScalar(int n, int precision) {
        return new BetaBinomial(n, precision, false);
    }

    public int n() {
        return n;
    }

    public int precision() {
        return precision;
    }

    public String implementation() {
        return vector ? "vector-" + CdfMathVector.BITS : "scalar";
    }

    /** Fills {@code s[0 .. n+1]} with the partial sums S_k of (alpha, beta); see the class comment. */
    void sums(double a, double b, double[] s) {
        double w = 1.0;
        double acc = 0.0;
        s[0] = 0.0;
        for (int k = 0; ; k++) {
            acc += w; // S_(k+1) = S_k + w_k
            s[k + 1] = acc;
            if (k == n) {
                return;
            }
            w = w * (((k + a) * ratio[k]) / (rest[k] + b)); // w_(k+1) = w_k (n-k)(k+alpha) / ((k+1)(n-k-1+beta))
            if (w > RESCALE_ABOVE) {
                w *= RESCALE;
                acc *= RESCALE;
                for (int j = 1; j <= k + 1; j++) {
                    s[j] *= RESCALE;
                }
            }
        }
    }

    /** C(k) from the partial sums, {@code f = R / W}. */
    int cdf(double[] s, double f, int k) {
        if (k == 0) {
            return 0;
        }
        if (k > n) {
            return total;
        }
        return (int) (s[k] * f) + k;
    }

    void checkParameters(float[] alpha, float[] beta, int paramOffset, int count) {
        Batch.checkCount(count);
        Batch.checkPositive("alpha", alpha, paramOffset, count);
        Batch.checkPositive("beta", beta, paramOffset, count);
    }

    /**
     * Pushes {@code symbols[symbolOffset + k]} (in 0..n) with parameters
     * {@code alpha[paramOffset + k]}, {@code beta[paramOffset + k]}.
     *
     * @throws IllegalArgumentException if an alpha or beta is not finite and positive (naming index and value)
     * @throws io.latentcodec.ZeroProbabilityException if a symbol is outside {@code [0, n]}
     */
    public void push(Message m, float[] alpha, float[] beta, int paramOffset, int[] symbols, int symbolOffset, int count) {
        checkParameters(alpha, beta, paramOffset, count);
        Batch.checkSymbols(symbols, symbolOffset, count, 0, n);
        Scratch sc = new Scratch();
        Batch.push(m, precision, count, (k0, cnt, start, freq) ->
                intervals(alpha, beta, paramOffset + k0, symbols, symbolOffset + k0, cnt, start, freq, sc));
    }

    /** Pops {@code count} symbols into {@code out[outOffset ..]}. */
    public void pop(Message m, float[] alpha, float[] beta, int paramOffset, int[] out, int outOffset, int count) {
        checkParameters(alpha, beta, paramOffset, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        Scratch sc = new Scratch();
        m.pop(precision, count, (k0, cnt, cf, start, freq) ->
                invertRound(alpha, beta, paramOffset + k0, cnt, cf, out, outOffset + k0, start, freq, sc));
    }

    /**
     * Per-call scratch: one S table (a row of V lanes per k in the vector kernels) and gather
     * indices. Public so that a caller of {@link #invert} keeps one per thread; opaque.
     */
    public final class Scratch {
        final double[] s = new double[(n + 2) * (vector ? CdfMathVector.V : 1)];
        final int[] index = vector ? new int[CdfMathVector.V] : null;

        private Scratch() {
        }
    }

    /** A fresh scratch for {@link #invert} (about {@code 8 (n + 2) V} bytes); one per thread, reused call after call. */
    public Scratch scratch() {
        return new Scratch();
    }

    /**
     * Inverts one round of a pop, as {@link #pop} does for each round: symbol i (i &lt; count) has
     * parameters {@code alpha[paramOffset + i]}, {@code beta[paramOffset + i]} and cumulative
     * frequency {@code cf[i]} (in {@code [0, 2^precision)}); its value goes to {@code out[outOffset + i]}
     * and its interval to {@code start[i]}, {@code freq[i]}. For a {@link Message#pop} inverse whose
     * parameters are only known round by round (an autoregressive likelihood: round r's parameters
     * depend on the symbols of earlier rounds). Same kernels as {@link #pop}, so the same symbols.
     *
     * @throws IllegalArgumentException if a parameter is not finite and positive, or a slice does not fit
     */
    public void invert(float[] alpha, float[] beta, int paramOffset, int count, int[] cf, int[] out, int outOffset,
                       int[] start, int[] freq, Scratch scratch) {
        checkParameters(alpha, beta, paramOffset, count);
        Batch.checkSlice("cf", cf.length, 0, count);
        Batch.checkSlice("start", start.length, 0, count);
        Batch.checkSlice("freq", freq.length, 0, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        invertRound(alpha, beta, paramOffset, count, cf, out, outOffset, start, freq, scratch);
    }

    void intervals(float[] alpha, float[] beta, int p, int[] symbols, int sOff, int cnt, int[] start, int[] freq, Scratch sc) {
        if (vector) {
            BetaBinomialVector.intervals(this, alpha, beta, p, symbols, sOff, cnt, start, freq, sc.s, sc.index);
            return;
        }
        double[] s = sc.s;
        for (int i = 0; i < cnt; i++) {
            sums(alpha[p + i], beta[p + i], s);
            double f = spread / s[n + 1];
            int x = symbols[sOff + i];
            int c0 = cdf(s, f, x);
            start[i] = c0;
            freq[i] = cdf(s, f, x + 1) - c0;
        }
    }

    /** {@link #invert} without the argument checks. */
    void invertRound(float[] alpha, float[] beta, int p, int cnt, int[] cf, int[] out, int o, int[] start, int[] freq, Scratch sc) {
        if (vector) {
            BetaBinomialVector.invert(this, alpha, beta, p, cnt, cf, out, o, start, freq, sc.s, sc.index);
            return;
        }
        double[] s = sc.s;
        for (int i = 0; i < cnt; i++) {
            sums(alpha[p + i], beta[p + i], s);
            double f = spread / s[n + 1];
            int c = cf[i];
            int a = 0; // C(a) <= c
            int b = n; // C(b + 1) > c
            while (a < b) {
                int mid = (a + b + 1) >>> 1;
                if (cdf(s, f, mid) <= c) {
                    a = mid;
                } else {
                    b = mid - 1;
                }
            }
            int c0 = cdf(s, f, a);
            out[o + i] = a;
            start[i] = c0;
            freq[i] = cdf(s, f, a + 1) - c0;
        }
    }
}
