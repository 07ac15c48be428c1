package io.latentcodec.engine.vbq;

/**
 * The VBQ quantizer (Yang, Bamler, Mandt 2020, Algorithm 1), scalar reference. For each latent with
 * posterior N(mu, sigma^2) in channel c:
 * <pre>
 *   xi* = F_c(mu)                                   (located as the grid cell p: v[p] <= mu < v[p+1])
 *   for r = 0..R: the neighbours of xi* in Xi_r = {(2k+1) / 2^(r+1)}  (at most two candidates)
 *   choose the candidate minimising  (F_c^-1(xi) - mu)^2 / (2 sigma^2) + lambda * L_c(r)
 *   with L_c(r) = r + (-log2 p_c(r)) bits: r index bits plus the depth's code length
 * </pre>
 * A point is returned as its grid integer j ({@code xi = j / G}). Ties go to the shallower depth, then
 * to the left neighbour. Only the encoder runs this: the decoder reads j and looks up the value, so
 * the float arithmetic here needs no determinism.
 */
final class VbqQuantizer {
    private VbqQuantizer() {
    }

    /** The grid cell of mu: the largest p in [0, G-1] with v[p] <= mu (v[0] = -inf). */
    static int cell(float[] v, int g, float mu) {
        int lo = 0;
        int hi = g; // v[g] = +inf > mu
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (v[mid] <= mu) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Chooses a grid point for each latent {@code i} (channel {@code i mod channels}) into {@code out}.
     *
     * @param costs lambda * L_c(r) per [c * (R+1) + r]
     */
    static void quantize(VbqTables t, double[] costs, float[] mu, float[] sigma, int[] out) {
        int depth = t.depth();
        int g = t.gridSize();
        int channels = t.channels();
        for (int i = 0; i < mu.length; i++) {
            int c = i % channels;
            float[] v = t.grid(c);
            float m = mu[i];
            if (!Float.isFinite(m) || !(sigma[i] > 0)) {
                throw new IllegalArgumentException("latent " + i + " has posterior mu " + m + ", sigma " + sigma[i]);
            }
            double inv = 1.0 / (2.0 * sigma[i] * sigma[i]);
            int p = cell(v, g, m);
            double best = Double.POSITIVE_INFINITY;
            int bestJ = 0;
            int co = c * (depth + 1);
            for (int r = 0; r <= depth; r++) {
                int sh = depth - r;
                int s = 1 << sh;               // depth-r points: j = s (2k + 1)
                int jl = p >= s ? ((p - s) >>> (sh + 1) << (sh + 1)) + s : 0;
                int jr = jl == 0 ? s : jl + 2 * s;
                double lam = costs[co + r];
                if (jl != 0) {
                    double d = v[jl] - m;
                    double cost = d * d * inv + lam;
                    if (cost < best) {
                        best = cost;
                        bestJ = jl;
                    }
                }
                if (jr < g) {
                    double d = v[jr] - m;
                    double cost = d * d * inv + lam;
                    if (cost < best) {
                        best = cost;
                        bestJ = jr;
                    }
                }
            }
            out[i] = bestJ;
        }
    }

    /** lambda * L_c(r) for every channel and depth, from the bucket's depth model. */
    static double[] costs(VbqTables t, int bucket, double lambda) {
        double[] bits = t.depthBits(bucket);
        double[] out = new double[bits.length];
        int d1 = t.depth() + 1;
        for (int i = 0; i < bits.length; i++) {
            out[i] = lambda * ((i % d1) + bits[i]);
        }
        return out;
    }

    /** Depth of grid integer j: R - trailingZeros(j). */
    static int depthOf(int j, int depth) {
        return depth - Integer.numberOfTrailingZeros(j);
    }

    /** Index k of j at its depth: j = 2^(R-r) (2k + 1). */
    static int indexOf(int j) {
        return j >>> (Integer.numberOfTrailingZeros(j) + 1);
    }

    /** The grid integer of depth r and index k. */
    static int point(int r, int k, int depth) {
        return (2 * k + 1) << (depth - r);
    }
}
