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
 * Loaded only when the vector path is enabled.
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

    private static void finish(FloatVector acc, float[] b, int o, float[] y, int yOff, boolean relu) {
        FloatVector v = acc.add(FloatVector.fromArray(S, b, o));
        (relu ? v.max(0f) : v).intoArray(y, yOff + o);
    }
}
