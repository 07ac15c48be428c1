package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.Simd;

/**
 * The discretized logistic over the integers {@code [lo, hi]} (pixels: 0..255), one mean and one
 * scale per symbol, as in PixelCNN++: symbol v has the mass of {@code [v - 1/2, v + 1/2)} under
 * {@code Logistic(mean, scale)}, CDF {@code 1 / (1 + e^-((x - mean) / scale))}; {@code lo} also
 * takes the tail below, {@code hi} the tail above.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li>Integer CDF at precision p, {@code A = hi - lo + 1}, {@code R = 2^p - A}:
 * {@code C(v) = floor(F(v - 1/2) R) + (v - lo)} with {@code C(lo) = 0}, {@code C(hi + 1) = 2^p}.
 * Every symbol of the range has frequency >= 1 whatever the parameters (scale 1e-6 or 1e30,
 * mean far outside the range); the frequencies sum to exactly 2^p.
 * <li>Deterministic: F is {@link CdfMath#logistic}, built from exactly defined double arithmetic,
 * so encoder and decoder get the same integers on any machine, JIT-compiled or interpreted,
 * scalar or vector. The float parameters must of course reach both sides bit-identical.
 * <li>Batches: {@code push} codes {@code symbols[symbolOffset + k]} with parameters
 * {@code mean[paramOffset + k]}, {@code scale[paramOffset + k]} on lane {@code k mod lanes};
 * {@code pop} with the same parameters returns them into {@code out}. Parameters and symbols are
 * checked before anything is coded, so a failed call leaves the message as it was.
 * <li>Rate: the A units of the floor cost at most {@code -log2(1 - A/2^p)} bits per symbol
 * (0.006 bits at p = 16, A = 256; 2e-5 at p = 24). Use p >= 16 for 8-bit pixels.
 * </ul>
 * Immutable and thread-safe.
 */
public final class DiscretizedLogistic {
    private final Discretized d;

    private DiscretizedLogistic(int lo, int hi, int precision, boolean vector) {
        this.d = new Discretized(false, null, lo, hi, precision, vector);
    }

    /**
     * Symbols {@code lo..hi} at {@code precision} bits (1..24, with {@code 2^precision >= hi - lo + 1});
     * the Vector API kernels when {@link Simd#vectorEnabled()}, else the scalar ones (same results).
     */
    public static DiscretizedLogistic create(int lo, int hi, int precision) {
        return new DiscretizedLogistic(lo, hi, precision, Simd.vectorEnabled());
    }

    /** As {@link #create}, always with the scalar kernels. */
    public static DiscretizedLogistic createScalar(int lo, int hi, int precision) {
        return new DiscretizedLogistic(lo, hi, precision, false);
    }

    public int lo() {
        return d.lo;
    }

    public int hi() {
        return d.hi;
    }

    public int precision() {
        return d.precision;
    }

    /** {@code scalar} or {@code vector-256}/{@code vector-512}. */
    public String implementation() {
        return d.implementation();
    }

    /**
     * Pushes {@code count} symbols, symbol k with {@code Logistic(mean[paramOffset + k], scale[paramOffset + k])}.
     *
     * @throws IllegalArgumentException if a mean is not finite or a scale not finite and positive (naming index and value)
     * @throws io.latentcodec.ZeroProbabilityException if a symbol lies outside {@code [lo, hi]}
     */
    public void push(Message m, float[] mean, float[] scale, int paramOffset, int[] symbols, int symbolOffset, int count) {
        d.push(m, mean, scale, paramOffset, symbols, symbolOffset, count);
    }

    /** Pops {@code count} symbols into {@code out[outOffset ..]}, symbol k with the parameters at {@code paramOffset + k}. */
    public void pop(Message m, float[] mean, float[] scale, int paramOffset, int[] out, int outOffset, int count) {
        d.pop(m, mean, scale, paramOffset, out, outOffset, count);
    }

    /** Scratch of {@link #invert} for rounds of up to a fixed number of symbols; one per thread, opaque. */
    public static final class Scratch {
        final int max;
        final DiscretizedVector.Scratch v;

        private Scratch(int max, DiscretizedVector.Scratch v) {
            this.max = max;
            this.v = v;
        }
    }

    /** A scratch for {@link #invert} calls of up to {@code maxCount} symbols (a message's lanes, for one round). */
    public Scratch invertScratch(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be >= 1, got " + maxCount);
        }
        return new Scratch(maxCount, d.scratch(maxCount));
    }

    /**
     * Inverts one round of a pop, as {@link #pop} does for each round: symbol i (i &lt; count) has
     * parameters {@code mean[paramOffset + i]}, {@code scale[paramOffset + i]} and cumulative
     * frequency {@code cf[i]}; its value goes to {@code out[outOffset + i]}, its interval to
     * {@code start[i]}, {@code freq[i]}. For a {@link Message#pop} inverse whose parameters are only
     * known round by round (an autoregressive likelihood). Same kernels as {@link #pop}, so the
     * same symbols.
     *
     * @throws IllegalArgumentException if a parameter is invalid, count exceeds the scratch's, or a slice does not fit
     */
    public void invert(float[] mean, float[] scale, int paramOffset, int count, int[] cf, int[] out, int outOffset,
                       int[] start, int[] freq, Scratch scratch) {
        d.checkParameters(mean, scale, paramOffset, count);
        if (count > scratch.max) {
            throw new IllegalArgumentException(count + " symbols for a scratch of " + scratch.max);
        }
        Batch.checkSlice("cf", cf.length, 0, count);
        Batch.checkSlice("start", start.length, 0, count);
        Batch.checkSlice("freq", freq.length, 0, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        d.invert(mean, scale, paramOffset, count, cf, out, outOffset, start, freq, scratch.v);
    }

    Discretized engine() {
        return d;
    }
}
