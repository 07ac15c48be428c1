package io.latentcodec.kernels.dist;

/**
 * The latent grid of bits-back coding: {@code B = 2^bits} buckets of equal mass under the prior
 * N(0, 1). Bucket i is {@code [e_i, e_(i+1))} with edges {@code e_i = Phi^-1(i / B)}
 * ({@code e_0 = -inf}, {@code e_B = +inf}); its centre, the prior median of the bucket, is
 * {@code c_i = Phi^-1((i + 1/2) / B)}. The prior over bucket indices is then exactly uniform
 * ({@link #prior()}), and the decoder network is fed the centres as floats
 * ({@link #centres(int[], int, float[], int, int)}). The posterior q(z|x) over the same buckets is
 * {@link GaussianPosterior}.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li>Computed once per {@code bits} (1..20) and cached: every quantile {@code Phi^-1(j / 2B)}
 * (even j are edges, odd j centres) for {@code j < B}, mirrored for the upper half so the grid is
 * exactly antisymmetric ({@code e_(B-i) = -e_i}, {@code e_(B/2) = 0}). Each quantile is Acklam's
 * approximation refined by two Newton steps on an accurate Phi (Laplace's continued fraction
 * beyond 2, Marsaglia's series within), using {@link StrictMath} only: the same doubles on
 * every machine, so encoder and decoder see the same edges, the same posterior CDFs and the
 * same centres. Accuracy: relative error of {@code Phi(e_i)} about 1e-14.
 * <li>The edges decide integers (the posterior's CDF is evaluated at them); the centres only
 * feed the decoder network, whose floats must be identical on both sides anyway.
 * </ul>
 * Immutable and thread-safe.
 */
public final class GaussianBuckets {
    /** Largest supported {@code bits}: 2^20 buckets take 8 MiB of edges and 4 MiB of centres. */
    public static final int MAX_BITS = 20;
    private static final GaussianBuckets[] CACHE = new GaussianBuckets[MAX_BITS + 1];

    private final int bits;
    /** {@code e_0 .. e_B}, strictly increasing, {@code e_0 = -inf}, {@code e_B = +inf}. */
    final double[] edges;
    /** {@code c_0 .. c_(B-1)} rounded to float; {@code e_i < c_i < e_(i+1)} before rounding. */
    private final float[] centres;

    private GaussianBuckets(int bits) {
        this.bits = bits;
        int b = 1 << bits;
        int fine = 2 * b; // quantiles j / 2B: even j are edges, odd j centres
        double[] q = new double[fine + 1];
        q[0] = Double.NEGATIVE_INFINITY;
        q[fine] = Double.POSITIVE_INFINITY;
        q[b] = 0.0;
        for (int j = 1; j < b; j++) {
            double z = lowerQuantile(j / (double) fine); // j / 2B is exact: 2B is a power of two
            q[j] = z;
            q[fine - j] = -z;
        }
        edges = new double[b + 1];
        centres = new float[b];
        for (int i = 0; i < b; i++) {
            edges[i] = q[2 * i];
            centres[i] = (float) q[2 * i + 1];
        }
        edges[b] = q[fine];
    }

    /** The grid of {@code 2^bits} buckets, {@code 1 <= bits <= 20} (computed on first use, then shared). */
    public static GaussianBuckets of(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits must be in [1, " + MAX_BITS + "], got " + bits);
        }
        synchronized (CACHE) {
            GaussianBuckets g = CACHE[bits];
            if (g == null) {
                g = new GaussianBuckets(bits);
                CACHE[bits] = g;
            }
            return g;
        }
    }

    public int bits() {
        return bits;
    }

    /** Number of buckets, {@code 2^bits}. */
    public int count() {
        return 1 << bits;
    }

    /** Edge {@code e_i = Phi^-1(i / 2^bits)}, {@code 0 <= i <= 2^bits} ({@code -inf} and {@code +inf} at the ends). */
    public double edge(int i) {
        return edges[i];
    }

    /** Centre {@code c_i = Phi^-1((i + 1/2) / 2^bits)} of bucket i, as a float. */
    public float centre(int i) {
        return centres[i];
    }

    /** Writes the centres of {@code buckets[offset + k]} to {@code out[outOffset + k]}, k < count. */
    public void centres(int[] buckets, int offset, float[] out, int outOffset, int count) {
        Batch.checkCount(count);
        Batch.checkSlice("buckets", buckets.length, offset, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        for (int k = 0; k < count; k++) {
            int i = buckets[offset + k];
            if (i < 0 || i >= centres.length) {
                throw new IllegalArgumentException("buckets[" + (offset + k) + "] = " + i + " is not a bucket of [0, " + centres.length + ")");
            }
            out[outOffset + k] = centres[i];
        }
    }

    /** The prior over bucket indices: uniform over {@code 2^bits} values. */
    public Uniform prior() {
        return Uniform.of(bits);
    }

    // ---------------------------------------------------------------- the quantile, once per grid

    private static final double INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)

    /** {@code Phi^-1(u)} for {@code 0 < u < 1/2}: Acklam's tail or central formula, then two Newton steps. */
    static double lowerQuantile(double u) {
        double z;
        if (u < CdfMath.P_LOW) {
            double q = StrictMath.sqrt(-2.0 * StrictMath.log(u));
            z = (((((CdfMath.C1 * q + CdfMath.C2) * q + CdfMath.C3) * q + CdfMath.C4) * q + CdfMath.C5) * q + CdfMath.C6)
                    / ((((CdfMath.D1 * q + CdfMath.D2) * q + CdfMath.D3) * q + CdfMath.D4) * q + 1.0);
        } else {
            double c = u - 0.5;
            double r = c * c;
            z = (((((CdfMath.A1 * r + CdfMath.A2) * r + CdfMath.A3) * r + CdfMath.A4) * r + CdfMath.A5) * r + CdfMath.A6) * c
                    / (((((CdfMath.B1 * r + CdfMath.B2) * r + CdfMath.B3) * r + CdfMath.B4) * r + CdfMath.B5) * r + 1.0);
        }
        for (int step = 0; step < 2; step++) { // Newton: z -= (Phi(z) - u) / phi(z); Acklam's 1e-9 becomes ~1e-16
            double density = StrictMath.exp(-0.5 * z * z) * INV_SQRT_2PI;
            z -= (lowerCdf(z) - u) / density;
        }
        return z;
    }

    /**
     * Phi(z) for {@code z <= 0}, accurate to about 1e-14 relative: for {@code z <= -2}
     * {@code phi(z)} times Laplace's continued fraction of the Mills ratio,
     * {@code 1/(w + 1/(w + 2/(w + 3/(w + ...))))}, w = -z, 160 levels deep (converged to 1e-16 at
     * w = 2); above, Marsaglia's series {@code 1/2 + phi(z) (z + z^3/3 + z^5/(3 5) + ...)}, whose
     * cancellation costs at most a factor 22 (Phi(-2) = 0.023) in relative error.
     */
    static double lowerCdf(double z) {
        double density = StrictMath.exp(-0.5 * z * z) * INV_SQRT_2PI;
        if (z <= -2) {
            double w = -z;
            double r = w;
            for (int k = 160; k >= 1; k--) {
                r = w + k / r;
            }
            return density / r;
        }
        double term = z;
        double sum = z;
        double z2 = z * z;
        for (int n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
            term *= z2 / (2 * n + 1);
            sum += term;
        }
        return 0.5 + density * sum;
    }
}
