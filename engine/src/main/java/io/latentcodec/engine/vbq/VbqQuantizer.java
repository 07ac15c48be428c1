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
public final class VbqQuantizer {
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

    /** Smallest sigma the objective uses (so 1 / (2 sigma^2) stays finite in float). */
    static final float SIGMA_FLOOR = 1e-15f;

    /** 1 / (2 sigma^2) in float, as both implementations compute it. */
    static float inverse(float sigma) {
        float s = Math.max(sigma, SIGMA_FLOOR);
        return 1f / (2f * s * s);
    }

    /** The objective of one candidate in float, as both implementations compute it: (v - mu)^2 inv + lambda L. */
    static float cost(float v, float mu, float inv, float lam) {
        float d = v - mu;
        return d * d * inv + lam;
    }

    /**
     * Chooses a grid point for each latent {@code i} (channel {@code i mod channels}) into {@code out}:
     * the Vector API kernel when {@link io.latentcodec.kernels.Simd#vectorEnabled()}, else the scalar
     * reference; both give the same points (same float operations in the same order).
     *
     * @param costs lambda * L_c(j) per [c * (G+1) + j], from {@link #costs}
     */
    public static void quantize(VbqTables t, float[] costs, float[] mu, float[] sigma, int[] out) {
        check(mu, sigma, out);
        if (io.latentcodec.kernels.Simd.vectorEnabled()) {
            VbqQuantizerVector.quantize(t, costs, mu, sigma, out);
        } else {
            quantizeScalar(t, costs, mu, sigma, out, 0);
        }
    }

    static void check(float[] mu, float[] sigma, int[] out) {
        if (sigma.length != mu.length || out.length != mu.length) {
            throw new IllegalArgumentException("mu, sigma and out must have one length: " + mu.length + ", " + sigma.length + ", " + out.length);
        }
        for (int i = 0; i < mu.length; i++) {
            if (!Float.isFinite(mu[i]) || !(sigma[i] > 0) || !Float.isFinite(sigma[i])) {
                throw new IllegalArgumentException("latent " + i + " has posterior mu " + mu[i] + ", sigma " + sigma[i]);
            }
        }
    }

    /** The scalar reference, from latent {@code from} on. */
    public static void quantizeScalar(VbqTables t, float[] costs, float[] mu, float[] sigma, int[] out, int from) {
        int depth = t.depth();
        int g = t.gridSize();
        int channels = t.channels();
        for (int i = from; i < mu.length; i++) {
            int c = i % channels;
            float[] v = t.grid(c);
            int base = c * (g + 1);
            float m = mu[i];
            float inv = inverse(sigma[i]);
            int p = cell(v, g, m);
            float best = Float.POSITIVE_INFINITY;
            int bestJ = 0;
            for (int r = 0; r <= depth; r++) {
                int sh = depth - r;
                int s = 1 << sh;               // depth-r points: j = s (2k + 1)
                int jl = p >= s ? ((p - s) >>> (sh + 1) << (sh + 1)) + s : 0;
                int jr = Math.min(jl == 0 ? s : jl + 2 * s, g);
                float cl = cost(v[jl], m, inv, costs[base + jl]); // v[0] = -inf: cost +inf, never chosen
                if (cl < best) {
                    best = cl;
                    bestJ = jl;
                }
                float cr = cost(v[jr], m, inv, costs[base + jr]); // v[G] = +inf likewise
                if (cr < best) {
                    best = cr;
                    bestJ = jr;
                }
            }
            out[i] = bestJ;
        }
    }

    /**
     * lambda * L_c(j) for every channel and point, [c * (G+1) + j]: lambda times the point's code
     * length, its depth's bits under the bucket's depth model plus its index bits (float: what the
     * kernels add).
     */
    public static float[] costs(VbqTables t, int bucket, double lambda) {
        double[] bits = t.depthBits(bucket);
        float[] index = t.indexBits();
        int depth = t.depth();
        int g = t.gridSize();
        float[] out = new float[index.length];
        for (int c = 0; c < t.channels(); c++) {
            for (int j = 1; j < g; j++) {
                int r = depth - Integer.numberOfTrailingZeros(j);
                out[c * (g + 1) + j] = (float) Math.min(Float.MAX_VALUE, lambda * (bits[c * (depth + 1) + r] + index[c * (g + 1) + j]));
            }
        }
        return out;
    }

    /** Depth of grid integer j: R - trailingZeros(j). */
    public static int depthOf(int j, int depth) {
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
