package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.Simd;

/**
 * The bits-back posterior {@code q(z|x) = N(mean, scale^2)} of one latent dimension, discretized
 * over the equal-prior-mass buckets of a {@link GaussianBuckets} grid and coded at its own
 * precision: bucket i has the posterior mass of {@code [e_i, e_(i+1))}.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li>Integer CDF with {@code B = 2^bits} buckets, {@code M = 2^precision >= B}, {@code R = M - B}:
 * {@code C(i) = floor(Phi((e_i - mean) / scale) R) + i}, {@code C(0) = 0}, {@code C(B) = M}.
 * Every bucket has frequency >= 1 (also a bucket 40 standard deviations away), the frequencies
 * sum to M, and Phi is {@link CdfMath#normalCdf}: exact, monotone by construction, the same on
 * every machine and in the vector path.
 * <li>Bits-back use: the encoder <em>pops</em> z from this posterior (decoding with q), pushes x,
 * then pushes z with {@link GaussianBuckets#prior()}; the decoder mirrors it. A pop guesses the
 * bucket from {@code Phi(mean + scale Phi^-1(u))} and corrects it exactly.
 * <li>Precision: the B units of the floor cost at most {@code -log2(1 - B/M)} bits per latent,
 * so keep {@code precision} a few bits above {@code bits}.
 * </ul>
 * Immutable and thread-safe.
 */
public final class GaussianPosterior {
    private final GaussianBuckets buckets;
    private final Discretized d;

    private GaussianPosterior(GaussianBuckets buckets, int precision, boolean vector) {
        this(buckets, precision, vector, true);
    }

    private GaussianPosterior(GaussianBuckets buckets, int precision, boolean vector, boolean floored) {
        if (precision < buckets.bits()) {
            throw new IllegalArgumentException("precision " + precision + " is below the " + buckets.bits()
                    + " bits of the bucket grid: every bucket needs a frequency of at least 1");
        }
        this.buckets = buckets;
        this.d = new Discretized(true, buckets.edges, 0, buckets.count() - 1, precision, vector, floored);
    }

    /** The posterior over {@code buckets} at {@code precision} bits ({@code bits <= precision <= 24}); vector kernels when enabled. */
    public static GaussianPosterior create(GaussianBuckets buckets, int precision) {
        return new GaussianPosterior(buckets, precision, Simd.vectorEnabled());
    }

    /** As {@link #create}, always with the scalar kernels. */
    public static GaussianPosterior createScalar(GaussianBuckets buckets, int precision) {
        return new GaussianPosterior(buckets, precision, false);
    }

    /**
     * The posterior for bits-back: {@code C(i) = floor(Phi((e_i - mean) / scale) 2^precision)}, no
     * unit of its own per bucket. Buckets of posterior mass below about 2^-precision get frequency
     * 0: they are never popped, and pushing one is a {@link io.latentcodec.ZeroProbabilityException}.
     * Bits-back pushes only the buckets it popped from the same floats, so it never does; in
     * exchange no latent is ever drawn far outside its posterior (with {@link #create}, a share
     * {@code 2^bits / 2^precision} of every latent's mass lies spread over all buckets). Vector
     * kernels when enabled.
     */
    public static GaussianPosterior reachable(GaussianBuckets buckets, int precision) {
        return new GaussianPosterior(buckets, precision, Simd.vectorEnabled(), false);
    }

    /** As {@link #reachable}, always with the scalar kernels. */
    public static GaussianPosterior reachableScalar(GaussianBuckets buckets, int precision) {
        return new GaussianPosterior(buckets, precision, false, false);
    }

    public GaussianBuckets buckets() {
        return buckets;
    }

    public int precision() {
        return d.precision;
    }

    public String implementation() {
        return d.implementation();
    }

    /**
     * Pushes bucket indices {@code symbols[symbolOffset + k]}, each under {@code N(mean[paramOffset + k], scale[paramOffset + k]^2)}.
     *
     * @throws IllegalArgumentException if a mean is not finite or a scale not finite and positive (naming index and value)
     * @throws io.latentcodec.ZeroProbabilityException if an index is outside {@code [0, 2^bits)}
     */
    public void push(Message m, float[] mean, float[] scale, int paramOffset, int[] symbols, int symbolOffset, int count) {
        d.push(m, mean, scale, paramOffset, symbols, symbolOffset, count);
    }

    /** Pops {@code count} bucket indices into {@code out[outOffset ..]}. */
    public void pop(Message m, float[] mean, float[] scale, int paramOffset, int[] out, int outOffset, int count) {
        d.pop(m, mean, scale, paramOffset, out, outOffset, count);
    }

    Discretized engine() {
        return d;
    }
}
