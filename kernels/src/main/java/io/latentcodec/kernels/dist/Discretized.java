package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;

/**
 * The engine behind {@link DiscretizedLogistic}, {@link DiscretizedGaussian} and
 * {@link GaussianPosterior}: a continuous location-scale distribution (logistic or Gaussian)
 * discretized over the integers {@code [lo, hi]}, each with its own mean and scale.
 *
 * <h2>Read me first</h2>
 * Symbol v owns the real interval between two edges: {@code [v - 1/2, v + 1/2)} on the pixel
 * grid, or {@code [edges[v - lo], edges[v - lo + 1])} for bucket edges; the first and the last
 * symbol also own the tails beyond (their outer edges are pinned). With {@code A = hi - lo + 1}
 * symbols, {@code M = 2^precision} and {@code R = M - A}, the integer CDF is
 * <pre>
 *   C(lo)     = 0
 *   C(v)      = floor(F((t_v - mu) / s) R) + (v - lo)      lo < v <= hi, t_v = lower edge of v
 *   C(hi + 1) = M
 * </pre>
 * F is {@link CdfMath#logistic} or {@link CdfMath#normalCdf}, monotone as computed and within
 * [0, 1], so {@code C(v + 1) - C(v) >= 1} for every v (each symbol keeps one unit of its own and
 * shares R by its mass), the frequencies sum to M, and C costs O(1) per symbol: a push evaluates
 * it twice. {@code (t - mu) / s} is computed as {@code (t - mu) * (1 / s)} in doubles from the
 * float parameters; nothing else enters.
 *
 * <p><b>Reachable support only</b> ({@code floored == false}, for the bits-back posterior): no unit
 * of one's own, {@code C(v) = floor(F(t_v) M)}. Symbols of mass below about 2^-precision get
 * frequency 0 and can be neither popped nor pushed; the CDF is then only non-decreasing, and the
 * correction after a missed guess is a plain binary search. Bits-back only pushes a latent it
 * popped from the same floats, so it never meets such a symbol, and no mass is diverted to
 * buckets far outside the posterior (with the floor, 2^bits / 2^precision of every latent's
 * mass sits there, and a latent drawn from it ruins its image's reconstruction).
 *
 * <p>A pop guesses from the inverse CDF ({@code mu + s Q(u)}, {@code u = (cf + 1/2) / M}), checks
 * the guess with two evaluations, and corrects it with {@link Search} when the guess was off
 * (which also covers the flat tails, where a guess from F says nothing).
 *
 * <p>Immutable and thread-safe; the vector kernels are in {@link DiscretizedVector}.
 */
final class Discretized {
    /** F = Phi (and Q = probit) when true, else the logistic sigmoid (and Q = logit). */
    final boolean gaussian;
    /** Bucket edges, {@code edges[0] = -inf}, {@code edges[A] = +inf}; null on the pixel grid (edge of v is v - 1/2). */
    final double[] edges;
    final int lo;
    final int hi;
    final int precision;
    /** M = 2^precision. */
    final int total;
    /** Whether every symbol owns one unit ({@code C(v) = floor(F R) + (v - lo)}), else {@code C(v) = floor(F M)}. */
    final boolean floored;
    /** -1 when floored, else 0: {@code (v - lo) & ownMask} is each symbol's own units below v. */
    final int ownMask;
    /** R = M - A when floored (A units go one to each symbol), else M: the units shared out by mass. */
    final double spread;
    /** 2^-precision, exact: u = (cf + 1/2) 2^-p. */
    final double invTotal;
    final boolean vector;

    Discretized(boolean gaussian, double[] edges, int lo, int hi, int precision, boolean vector) {
        this(gaussian, edges, lo, hi, precision, vector, true);
    }

    Discretized(boolean gaussian, double[] edges, int lo, int hi, int precision, boolean vector, boolean floored) {
        Batch.checkPrecision(precision);
        if (lo > hi) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        long alphabet = (long) hi - lo + 1;
        if (alphabet > 1L << precision) {
            throw new IllegalArgumentException(alphabet + " symbols [" + lo + ", " + hi + "] do not fit precision "
                    + precision + ": every symbol needs a frequency of at least 1 out of 2^" + precision);
        }
        if (edges != null && edges.length != alphabet + 1) {
            throw new IllegalArgumentException(edges.length + " edges for " + alphabet + " buckets");
        }
        this.gaussian = gaussian;
        this.edges = edges;
        this.lo = lo;
        this.hi = hi;
        this.precision = precision;
        this.total = 1 << precision;
        this.floored = floored;
        this.ownMask = floored ? -1 : 0;
        this.spread = floored ? total - alphabet : total;
        this.invTotal = 1.0 / total;
        this.vector = vector;
    }

    String implementation() {
        return vector ? "vector-" + CdfMathVector.BITS : "scalar";
    }

    /** {@code C(v)} for v in {@code [lo, hi + 1]}, mean mu and inverse scale {@code inv = 1 / s}. */
    int cdf(double mu, double inv, int v) {
        if (v == lo) {
            return 0;
        }
        if (v > hi) {
            return total;
        }
        double t = edges == null ? v - 0.5 : edges[v - lo];
        double z = (t - mu) * inv;
        double f = gaussian ? CdfMath.normalCdf(z) : CdfMath.logistic(z);
        return (int) (f * spread) + ((v - lo) & ownMask); // floor(F R) + (v - lo), or floor(F M); F R in [0, R]
    }

    /** The decoder's first guess for cf: the symbol holding {@code mu + s Q(u)}, clamped to the range. */
    int guess(double mu, double s, int cf) {
        double u = (cf + 0.5) * invTotal;
        double q = gaussian ? CdfMath.probitApprox(u) : CdfMath.logApprox(u / (1.0 - u));
        double x = mu + s * q;
        double v = edges == null
                ? Math.floor(x + 0.5) - lo
                : Math.floor(CdfMath.normalCdf(x) * (edges.length - 1)); // edges are prior quantiles: bucket of x
        return lo + (int) Math.max(0.0, Math.min(v, hi - lo));
    }

    /** The symbol whose interval holds cf, given the CDF at guess g ({@code cg = C(g)}, {@code cg1 = C(g + 1)}) missed it. */
    int correct(double mu, double inv, int cf, int g, int cg, int cg1) {
        return floored ? Search.find(v -> cdf(mu, inv, v), lo, hi, cf, g, cg, cg1)
                : Search.findNonDecreasing(v -> cdf(mu, inv, v), lo, hi, cf, g, cg);
    }

    void checkParameters(float[] mean, float[] scale, int paramOffset, int count) {
        Batch.checkCount(count);
        Batch.checkFinite("mean", mean, paramOffset, count);
        Batch.checkPositive("scale", scale, paramOffset, count);
    }

    void push(Message m, float[] mean, float[] scale, int paramOffset, int[] symbols, int symbolOffset, int count) {
        checkParameters(mean, scale, paramOffset, count);
        Batch.checkSymbols(symbols, symbolOffset, count, lo, hi);
        DiscretizedVector.Scratch sc = vector ? new DiscretizedVector.Scratch(Math.min(count, Batch.chunk(m.lanes()))) : null;
        Batch.push(m, precision, count, (k0, n, start, freq) ->
                intervals(mean, scale, paramOffset + k0, symbols, symbolOffset + k0, n, start, freq, sc));
    }

    void pop(Message m, float[] mean, float[] scale, int paramOffset, int[] out, int outOffset, int count) {
        checkParameters(mean, scale, paramOffset, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        DiscretizedVector.Scratch sc = vector ? new DiscretizedVector.Scratch(Math.min(count, m.lanes())) : null;
        m.pop(precision, count, (k0, n, cf, start, freq) ->
                invert(mean, scale, paramOffset + k0, n, cf, out, outOffset + k0, start, freq, sc));
    }

    /** Scratch for the vector kernels on batches of up to {@code max} symbols; null for the scalar ones. */
    DiscretizedVector.Scratch scratch(int max) {
        return vector ? new DiscretizedVector.Scratch(max) : null;
    }

    /** (start, freq) of {@code n} symbols into {@code start[0..n)}, {@code freq[0..n)}; symbols already checked. */
    void intervals(float[] mean, float[] scale, int p, int[] symbols, int s, int n, int[] start, int[] freq,
                   DiscretizedVector.Scratch sc) {
        if (vector) {
            DiscretizedVector.intervals(this, mean, scale, p, symbols, s, n, start, freq, sc);
            return;
        }
        for (int i = 0; i < n; i++) {
            double mu = mean[p + i];
            double inv = 1.0 / scale[p + i];
            int v = symbols[s + i];
            int c0 = cdf(mu, inv, v);
            start[i] = c0;
            freq[i] = cdf(mu, inv, v + 1) - c0;
        }
    }

    /** For {@code n} cumulative frequencies, the symbols into {@code out[o..o+n)} and their intervals into {@code start, freq}. */
    void invert(float[] mean, float[] scale, int p, int n, int[] cf, int[] out, int o, int[] start, int[] freq,
                DiscretizedVector.Scratch sc) {
        if (vector) {
            DiscretizedVector.invert(this, mean, scale, p, n, cf, out, o, start, freq, sc);
            return;
        }
        for (int i = 0; i < n; i++) {
            double mu = mean[p + i];
            double s = scale[p + i];
            double inv = 1.0 / s;
            int c = cf[i];
            int g = guess(mu, s, c);
            int cg = cdf(mu, inv, g);
            int cg1 = cdf(mu, inv, g + 1);
            if (cg > c || c >= cg1) {
                g = correct(mu, inv, c, g, cg, cg1);
                cg = cdf(mu, inv, g);
                cg1 = cdf(mu, inv, g + 1);
            }
            out[o + i] = g;
            start[i] = cg;
            freq[i] = cg1 - cg;
        }
    }
}
