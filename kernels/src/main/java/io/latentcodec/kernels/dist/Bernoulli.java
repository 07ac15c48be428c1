package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.Simd;

/**
 * Bits with {@code P(1) = sigmoid(logit)}, one logit per bit (binarized pixels, flags).
 *
 * <h2>Read me first</h2>
 * At precision p ({@code M = 2^p}, p >= 1, {@code R = M - 2}) the interval of 0 is
 * {@code [0, c)} and that of 1 is {@code [c, M)} with
 * <pre>
 *   c = floor(P(0) R) + 1,   P(0) = 1 / (1 + e^logit)    (computed by {@link CdfMath#logistic}(-logit))
 * </pre>
 * so both bits keep frequency >= 1 even at logits of +-50 or +-1e30, and the integers depend on
 * the float logit through exact arithmetic only. A pop compares cf with c: no search.
 * Batches, checks and lanes as in {@link DiscretizedLogistic}. Immutable and thread-safe.
 */
public final class Bernoulli {
    private final int precision;
    private final double spread; // R = 2^p - 2
    private final boolean vector;

    private Bernoulli(int precision, boolean vector) {
        Batch.checkPrecision(precision);
        this.precision = precision;
        this.spread = (1 << precision) - 2;
        this.vector = vector;
    }

    /** Bits at {@code precision} (1..24); vector kernels when {@link Simd#vectorEnabled()}. */
    public static Bernoulli create(int precision) {
        return new Bernoulli(precision, Simd.vectorEnabled());
    }

    public static Bernoulli createScalar(int precision) {
        return new Bernoulli(precision, false);
    }

    public int precision() {
        return precision;
    }

    public String implementation() {
        return vector ? "vector-" + CdfMathVector.BITS : "scalar";
    }

    /** c: the end of 0's interval and the start of 1's, for this logit. */
    int split(double logit) {
        return (int) (CdfMath.logistic(-logit) * spread) + 1;
    }

    /**
     * Pushes bits {@code symbols[symbolOffset + k]} (0 or 1) with {@code P(1) = sigmoid(logit[paramOffset + k])}.
     *
     * @throws IllegalArgumentException if a logit is not finite (naming index and value)
     * @throws io.latentcodec.ZeroProbabilityException if a symbol is not 0 or 1
     */
    public void push(Message m, float[] logit, int paramOffset, int[] symbols, int symbolOffset, int count) {
        Batch.checkCount(count);
        Batch.checkFinite("logit", logit, paramOffset, count);
        Batch.checkSymbols(symbols, symbolOffset, count, 0, 1);
        double[] sc = scratch(Math.min(count, Batch.chunk(m.lanes())));
        Batch.push(m, precision, count, (k0, n, start, freq) ->
                intervals(logit, paramOffset + k0, symbols, symbolOffset + k0, n, start, freq, sc));
    }

    /** Pops {@code count} bits into {@code out[outOffset ..]}. */
    public void pop(Message m, float[] logit, int paramOffset, int[] out, int outOffset, int count) {
        Batch.checkCount(count);
        Batch.checkFinite("logit", logit, paramOffset, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        double[] sc = scratch(Math.min(count, m.lanes()));
        m.pop(precision, count, (k0, n, cf, start, freq) ->
                invert(logit, paramOffset + k0, n, cf, out, outOffset + k0, start, freq, sc));
    }

    /** Scratch of {@link #invert} for rounds of up to a fixed number of bits; one per thread, opaque. */
    public static final class Scratch {
        final int max;
        final double[] d;

        private Scratch(int max, double[] d) {
            this.max = max;
            this.d = d;
        }
    }

    /** A scratch for {@link #invert} calls of up to {@code maxCount} bits (a message's lanes, for one round). */
    public Scratch invertScratch(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1, got " + maxCount);
        }
        return new Scratch(maxCount, scratch(maxCount));
    }

    /**
     * Inverts one round of a pop, as {@link #pop} does for each round: bit i (i &lt; count) has
     * logit {@code logit[paramOffset + i]} and cumulative frequency {@code cf[i]}; its value goes to
     * {@code out[outOffset + i]}, its interval to {@code start[i]}, {@code freq[i]}. For a
     * {@link Message#pop} inverse whose parameters are only known round by round (an
     * autoregressive likelihood). Same kernels as {@link #pop}, so the same bits.
     *
     * @throws IllegalArgumentException if a logit is not finite, count exceeds the scratch's, or a slice does not fit
     */
    public void invert(float[] logit, int paramOffset, int count, int[] cf, int[] out, int outOffset, int[] start, int[] freq,
                       Scratch scratch) {
        Batch.checkCount(count);
        if (count > scratch.max) {
            throw new IllegalArgumentException(count + " bits for a scratch of " + scratch.max);
        }
        Batch.checkFinite("logit", logit, paramOffset, count);
        Batch.checkSlice("cf", cf.length, 0, count);
        Batch.checkSlice("start", start.length, 0, count);
        Batch.checkSlice("freq", freq.length, 0, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        invert(logit, paramOffset, count, cf, out, outOffset, start, freq, scratch.d);
    }

    /** Scratch for the vector kernels on batches of up to {@code max} bits; null for the scalar ones. */
    double[] scratch(int max) {
        return vector ? new double[CdfMathVector.padded(Math.max(1, max))] : null;
    }

    void intervals(float[] logit, int p, int[] symbols, int s, int n, int[] start, int[] freq, double[] sc) {
        if (vector) {
            BernoulliVector.intervals(this, spread, logit, p, symbols, s, n, start, freq, sc);
            return;
        }
        int total = 1 << precision;
        for (int i = 0; i < n; i++) {
            int c = split(logit[p + i]);
            boolean one = symbols[s + i] != 0;
            start[i] = one ? c : 0;
            freq[i] = one ? total - c : c;
        }
    }

    void invert(float[] logit, int p, int n, int[] cf, int[] out, int o, int[] start, int[] freq, double[] sc) {
        if (vector) {
            BernoulliVector.invert(this, spread, logit, p, n, cf, out, o, start, freq, sc);
            return;
        }
        int total = 1 << precision;
        for (int i = 0; i < n; i++) {
            int c = split(logit[p + i]);
            boolean one = cf[i] >= c;
            out[o + i] = one ? 1 : 0;
            start[i] = one ? c : 0;
            freq[i] = one ? total - c : c;
        }
    }
}
