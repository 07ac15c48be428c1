package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * {@link Gdn} with the Vector API: lane l of an accumulator is output channel i + l, {@code x_j^2} is
 * broadcast, j ascending, so every lane runs the scalar sum exactly. Tile: 4 pixels by 4 channel
 * vectors (16 accumulators; each gamma vector loaded once per 4 pixels), then 1 pixel by single
 * vectors, then scalar channels. The square root is the lanewise IEEE one (correctly rounded, as
 * {@link Math#sqrt}). Loaded only when the vector path is enabled.
 */
final class GdnVector {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Simd.vectorBits()));
    private static final int L = S.length();

    private GdnVector() {
    }

    static void apply(Gdn g, float[] x, int pixels, int rowPixels, boolean parallel) {
        int rows = (pixels + rowPixels - 1) / rowPixels;
        IntStream r = IntStream.range(0, rows);
        (parallel ? r.parallel() : r).forEach(row -> rows(g, x, row * rowPixels, Math.min(pixels, (row + 1) * rowPixels)));
    }

    private static void rows(Gdn g, float[] x, int from, int to) {
        final int n = g.n;
        final float[] gamma = g.gamma;
        final float[] beta = g.beta;
        float[] sq = new float[4 * n];
        float[] y = new float[4 * n];
        int p = from;
        for (; p < to; p += 4) {
            int np = Math.min(4, to - p);
            for (int t = 0; t < 4; t++) {
                int o = (p + Math.min(t, np - 1)) * n; // a short tile repeats its last pixel (computed, not stored)
                for (int j = 0; j < n; j++) {
                    sq[t * n + j] = x[o + j] * x[o + j];
                }
            }
            int i = 0;
            for (; i + 4 * L <= n; i += 4 * L) {
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
                FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
                for (int j = 0; j < n; j++) {
                    int go = j * n + i;
                    FloatVector g0 = FloatVector.fromArray(S, gamma, go);
                    FloatVector g1 = FloatVector.fromArray(S, gamma, go + L);
                    FloatVector g2 = FloatVector.fromArray(S, gamma, go + 2 * L);
                    FloatVector g3 = FloatVector.fromArray(S, gamma, go + 3 * L);
                    float s0 = sq[j];
                    float s1 = sq[n + j];
                    float s2 = sq[2 * n + j];
                    float s3 = sq[3 * n + j];
                    a00 = a00.add(g0.mul(s0)); // s_i + x_j^2 gamma_ji, per lane i
                    a01 = a01.add(g1.mul(s0));
                    a02 = a02.add(g2.mul(s0));
                    a03 = a03.add(g3.mul(s0));
                    a10 = a10.add(g0.mul(s1));
                    a11 = a11.add(g1.mul(s1));
                    a12 = a12.add(g2.mul(s1));
                    a13 = a13.add(g3.mul(s1));
                    a20 = a20.add(g0.mul(s2));
                    a21 = a21.add(g1.mul(s2));
                    a22 = a22.add(g2.mul(s2));
                    a23 = a23.add(g3.mul(s2));
                    a30 = a30.add(g0.mul(s3));
                    a31 = a31.add(g1.mul(s3));
                    a32 = a32.add(g2.mul(s3));
                    a33 = a33.add(g3.mul(s3));
                }
                finish(a00, a01, a02, a03, beta, x, y, p * n, 0, i);
                finish(a10, a11, a12, a13, beta, x, y, (p + Math.min(1, np - 1)) * n, n, i);
                finish(a20, a21, a22, a23, beta, x, y, (p + Math.min(2, np - 1)) * n, 2 * n, i);
                finish(a30, a31, a32, a33, beta, x, y, (p + Math.min(3, np - 1)) * n, 3 * n, i);
            }
            for (; i + L <= n; i += L) {
                for (int t = 0; t < np; t++) {
                    FloatVector a = FloatVector.zero(S);
                    for (int j = 0; j < n; j++) {
                        a = a.add(FloatVector.fromArray(S, gamma, j * n + i).mul(sq[t * n + j]));
                    }
                    a = a.add(FloatVector.fromArray(S, beta, i)).lanewise(VectorOperators.SQRT);
                    FloatVector.fromArray(S, x, (p + t) * n + i).mul(a).intoArray(y, t * n + i);
                }
            }
            for (; i < n; i++) {
                for (int t = 0; t < np; t++) {
                    float s = 0f;
                    for (int j = 0; j < n; j++) {
                        s += sq[t * n + j] * gamma[j * n + i];
                    }
                    s += beta[i];
                    y[t * n + i] = x[(p + t) * n + i] * (float) Math.sqrt(s);
                }
            }
            System.arraycopy(y, 0, x, p * n, np * n);
        }
    }

    /** y = x * sqrt(acc + beta) for 4 channel vectors of one pixel (x at xAt, y at yAt). */
    private static void finish(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, float[] beta, float[] x, float[] y,
                               int xAt, int yAt, int i) {
        fin(a0, beta, x, y, xAt, yAt, i);
        fin(a1, beta, x, y, xAt, yAt, i + L);
        fin(a2, beta, x, y, xAt, yAt, i + 2 * L);
        fin(a3, beta, x, y, xAt, yAt, i + 3 * L);
    }

    private static void fin(FloatVector a, float[] beta, float[] x, float[] y, int xAt, int yAt, int i) {
        FloatVector r = a.add(FloatVector.fromArray(S, beta, i)).lanewise(VectorOperators.SQRT);
        FloatVector.fromArray(S, x, xAt + i).mul(r).intoArray(y, yAt + i);
    }
}
