package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Dense}'s row kernel with the Vector API: lane l of an accumulator is output o + l, so every
 * lane runs exactly the scalar sum of its output (same products, same order, never fused) and the
 * bits do not depend on the width. Outputs go four vectors at a time (64 at 512 bits): the four
 * accumulators stay in registers over all inputs, each input value is broadcast once per tile, and
 * four independent add chains hide the adder's latency. Then single vectors, then a scalar tail.
 * {@link #rows4} runs four rows at once over the union of their non-zero inputs, so each weight
 * vector is loaded once for four rows (a layer's weights, 1.25 MB for MNIST's decoder output, do
 * not stay in cache from row to row); a row's inputs that are zero in it but not in the others
 * add products of +-0, which leave its sums unchanged (the package comment), so every row still
 * gets the bits of {@link #row}. Loaded only when the vector path is enabled.
 */
final class DenseVector {
    /** Floats at the width the rANS kernels use ({@link Simd#vectorBits()}), fixed once so C2 sees a constant. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Simd.vectorBits()));
    private static final int L = S.length();

    private DenseVector() {
    }

    static void row(Dense d, float[] x, int xOff, float[] y, int yOff, boolean relu, int[] nz) {
        final int n = d.nonZero(x, xOff, nz);
        final int out = d.out;
        final float[] w = d.w;
        final float[] b = d.b;
        int o = 0;
        for (; o + 4 * L <= out; o += 4 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int k = 0; k < n; k++) {
                int i = nz[k];
                float xi = x[xOff + i];
                int base = i * out + o;
                a0 = a0.add(FloatVector.fromArray(S, w, base).mul(xi));          // y_o + W[i][o] x_i
                a1 = a1.add(FloatVector.fromArray(S, w, base + L).mul(xi));
                a2 = a2.add(FloatVector.fromArray(S, w, base + 2 * L).mul(xi));
                a3 = a3.add(FloatVector.fromArray(S, w, base + 3 * L).mul(xi));
            }
            finish(a0, b, o, y, yOff, relu);
            finish(a1, b, o + L, y, yOff, relu);
            finish(a2, b, o + 2 * L, y, yOff, relu);
            finish(a3, b, o + 3 * L, y, yOff, relu);
        }
        for (; o + L <= out; o += L) {
            FloatVector a = FloatVector.zero(S);
            for (int k = 0; k < n; k++) {
                int i = nz[k];
                a = a.add(FloatVector.fromArray(S, w, i * out + o).mul(x[xOff + i]));
            }
            finish(a, b, o, y, yOff, relu);
        }
        for (; o < out; o++) {
            float s = 0f;
            for (int k = 0; k < n; k++) {
                int i = nz[k];
                s += x[xOff + i] * w[i * out + o];
            }
            s += b[o];
            y[yOff + o] = relu ? Math.max(s, 0f) : s;
        }
    }

    /**
     * Rows r .. r+3 ({@code x[xOff + j xStride ..]}, {@code y[yOff + j yStride ..]}, j = 0..3), each
     * given the bits {@link #row} gives it: the sums run over the inputs non-zero in any of the four.
     */
    static void rows4(Dense d, float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, boolean relu, int[] nz) {
        final int in = d.in;
        final int x0 = xOff;
        final int x1 = xOff + xStride;
        final int x2 = xOff + 2 * xStride;
        final int x3 = xOff + 3 * xStride;
        int n = 0;
        for (int i = 0; i < in; i++) {
            nz[n] = i;
            n += (x[x0 + i] != 0f | x[x1 + i] != 0f | x[x2 + i] != 0f | x[x3 + i] != 0f) ? 1 : 0;
        }
        final int out = d.out;
        final float[] w = d.w;
        final float[] b = d.b;
        final int y0 = yOff;
        final int y1 = yOff + yStride;
        final int y2 = yOff + 2 * yStride;
        final int y3 = yOff + 3 * yStride;
        int o = 0;
        for (; o + 2 * L <= out; o += 2 * L) {        // 8 accumulators: 4 rows x 2 vectors of outputs
            FloatVector a00 = FloatVector.zero(S);
            FloatVector a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S);
            FloatVector a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S);
            FloatVector a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S);
            FloatVector a31 = FloatVector.zero(S);
            for (int k = 0; k < n; k++) {
                int i = nz[k];
                int base = i * out + o;
                FloatVector w0 = FloatVector.fromArray(S, w, base);
                FloatVector w1 = FloatVector.fromArray(S, w, base + L);
                float v0 = x[x0 + i];
                float v1 = x[x1 + i];
                float v2 = x[x2 + i];
                float v3 = x[x3 + i];
                a00 = a00.add(w0.mul(v0));                  // y_r,o + W[i][o] x_r,i for each row r
                a01 = a01.add(w1.mul(v0));
                a10 = a10.add(w0.mul(v1));
                a11 = a11.add(w1.mul(v1));
                a20 = a20.add(w0.mul(v2));
                a21 = a21.add(w1.mul(v2));
                a30 = a30.add(w0.mul(v3));
                a31 = a31.add(w1.mul(v3));
            }
            finish(a00, b, o, y, y0, relu);
            finish(a01, b, o + L, y, y0, relu);
            finish(a10, b, o, y, y1, relu);
            finish(a11, b, o + L, y, y1, relu);
            finish(a20, b, o, y, y2, relu);
            finish(a21, b, o + L, y, y2, relu);
            finish(a30, b, o, y, y3, relu);
            finish(a31, b, o + L, y, y3, relu);
        }
        for (; o + L <= out; o += L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int k = 0; k < n; k++) {
                int i = nz[k];
                FloatVector wv = FloatVector.fromArray(S, w, i * out + o);
                a0 = a0.add(wv.mul(x[x0 + i]));
                a1 = a1.add(wv.mul(x[x1 + i]));
                a2 = a2.add(wv.mul(x[x2 + i]));
                a3 = a3.add(wv.mul(x[x3 + i]));
            }
            finish(a0, b, o, y, y0, relu);
            finish(a1, b, o, y, y1, relu);
            finish(a2, b, o, y, y2, relu);
            finish(a3, b, o, y, y3, relu);
        }
        for (; o < out; o++) {
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            for (int k = 0; k < n; k++) {
                int i = nz[k];
                float wi = w[i * out + o];
                s0 += x[x0 + i] * wi;
                s1 += x[x1 + i] * wi;
                s2 += x[x2 + i] * wi;
                s3 += x[x3 + i] * wi;
            }
            y[y0 + o] = act(s0 + b[o], relu);
            y[y1 + o] = act(s1 + b[o], relu);
            y[y2 + o] = act(s2 + b[o], relu);
            y[y3 + o] = act(s3 + b[o], relu);
        }
    }

    private static float act(float v, boolean relu) {
        return relu ? Math.max(v, 0f) : v;
    }

    private static void finish(FloatVector acc, float[] b, int o, float[] y, int yOff, boolean relu) {
        FloatVector v = acc.add(FloatVector.fromArray(S, b, o));
        (relu ? v.max(0f) : v).intoArray(y, yOff + o);
    }
}
