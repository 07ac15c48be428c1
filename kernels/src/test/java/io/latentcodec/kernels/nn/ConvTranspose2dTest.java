package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transposed convolution: the vector kernel gives the scalar reference's bits on edge shapes
 * (1x1 grids, odd heights and widths, channel counts around and off the lane count, both lane
 * layouts), with and without threads; the scalar reference equals the definition (the adjoint of a
 * stride-2 SAME convolution, scattered in double precision) to float rounding.
 */
class ConvTranspose2dTest {

    /** kernel, in, out, h, w. */
    static Stream<int[]> shapes() {
        return Stream.of(
                new int[] {5, 3, 64, 1, 1}, new int[] {5, 7, 64, 1, 2}, new int[] {5, 8, 64, 3, 5}, new int[] {5, 16, 64, 2, 7},
                new int[] {5, 5, 20, 3, 3}, new int[] {5, 9, 17, 2, 9}, new int[] {5, 4, 33, 5, 1}, new int[] {5, 6, 72, 1, 9},
                new int[] {5, 64, 3, 1, 1}, new int[] {5, 13, 3, 3, 17}, new int[] {5, 7, 3, 2, 40}, new int[] {5, 5, 1, 4, 65},
                new int[] {5, 11, 5, 3, 70}, new int[] {3, 6, 40, 3, 4}, new int[] {3, 6, 3, 3, 21}, new int[] {1, 4, 24, 2, 3},
                new int[] {1, 4, 2, 2, 19}, new int[] {7, 5, 48, 3, 6}, new int[] {7, 3, 2, 2, 37});
    }

    static ConvTranspose2d random(SplittableRandom r, int k, int in, int out) {
        float[] f = new float[k * k * in * out];
        float[] b = new float[out];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (r.nextGaussian() * 0.3);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        return ConvTranspose2d.of(k, in, out, f, b);
    }

    static float[] input(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // some exact zeros, negative values, tiny and large magnitudes
            x[i] = switch (r.nextInt(8)) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> (float) (r.nextGaussian() * 1e-20);
                case 3 -> (float) (r.nextGaussian() * 1e4);
                default -> (float) r.nextGaussian();
            };
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void vectorKernelGivesTheScalarBits(int[] s) {
        Assumptions.assumeTrue(Simd.vectorAvailable(), "no Vector API module");
        SplittableRandom r = new SplittableRandom(s[0] * 1_000_003L + s[1] * 1009L + s[2] * 31L + s[3] * 7L + s[4]);
        ConvTranspose2d c = random(r, s[0], s[1], s[2]);
        int h = s[3];
        int w = s[4];
        float[] x = input(r, h * w * s[1]);
        float[] scalar = new float[4 * h * w * s[2]];
        float[] vector = new float[scalar.length];
        float[] threads = new float[scalar.length];
        c.applyScalar(x, h, w, scalar, false);
        ConvTranspose2dVector.apply(c, x, h, w, vector, false);
        ConvTranspose2dVector.apply(c, x, h, w, threads, true);
        assertBits(scalar, vector, "vector-" + Simd.vectorBits() + " " + java.util.Arrays.toString(s));
        assertBits(scalar, threads, "vector-" + Simd.vectorBits() + " threaded " + java.util.Arrays.toString(s));
        float[] scalarThreads = new float[scalar.length];
        c.applyScalar(x, h, w, scalarThreads, true);
        assertBits(scalar, scalarThreads, "scalar threaded");
        float[] viaApply = new float[scalar.length];
        c.apply(x, h, w, viaApply, true);
        assertBits(scalar, viaApply, "apply (" + Simd.describe() + ")");
    }

    @Test
    void compiledKernelsGiveTheScalarBits() {
        Assumptions.assumeTrue(Simd.vectorAvailable(), "no Vector API module");
        // the decoder's shapes, called often enough that C2 compiles the kernels (the edge-shape test mostly interprets)
        SplittableRandom r = new SplittableRandom(99);
        for (int[] s : new int[][] {{64, 64, 9, 11}, {64, 3, 6, 37}}) {
            ConvTranspose2d c = random(r, 5, s[0], s[1]);
            for (int rep = 0; rep < 12; rep++) {
                float[] x = input(r, s[2] * s[3] * s[0]);
                float[] scalar = new float[4 * s[2] * s[3] * s[1]];
                float[] vector = new float[scalar.length];
                c.applyScalar(x, s[2], s[3], scalar, false);
                ConvTranspose2dVector.apply(c, x, s[2], s[3], vector, rep % 2 == 0);
                assertBits(scalar, vector, "call " + rep + " of " + java.util.Arrays.toString(s));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void scalarReferenceIsTheAdjointOfTheSameConvolution(int[] s) {
        SplittableRandom r = new SplittableRandom(42 + s[0] * 31L + s[1] * 7L + s[2] + s[3] * 13L + s[4] * 17L);
        int k = s[0];
        int in = s[1];
        int out = s[2];
        int h = s[3];
        int w = s[4];
        ConvTranspose2d c = random(r, k, in, out);
        float[] x = new float[h * w * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = new float[4 * h * w * out];
        c.applyScalar(x, h, w, y, false);
        // Scatter: the forward conv of a 2h x 2w map with stride 2 pads (k - 2) / 2 before (TensorFlow's
        // SAME: total max((h - 1) 2 + k - 2h, 0), the smaller half first), so output o reads rows
        // 2o - pb + t; its adjoint adds x[o] F[t] into row 2o - pb + t.
        int pad = Math.max((h - 1) * 2 + k - 2 * h, 0) / 2;
        assertEquals(Math.max((w - 1) * 2 + k - 2 * w, 0) / 2, pad);
        double[] ref = new double[y.length];
        for (int o = 0; o < h; o++) {
            for (int p = 0; p < w; p++) {
                for (int th = 0; th < k; th++) {
                    for (int tw = 0; tw < k; tw++) {
                        int i = 2 * o - pad + th;
                        int j = 2 * p - pad + tw;
                        if (i < 0 || i >= 2 * h || j < 0 || j >= 2 * w) {
                            continue;
                        }
                        for (int ch = 0; ch < out; ch++) {
                            double acc = 0;
                            for (int d = 0; d < in; d++) {
                                acc += (double) x[(o * w + p) * in + d] * c.f[((th * k + tw) * out + ch) * in + d];
                            }
                            ref[(i * 2 * w + j) * out + ch] += acc;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < y.length; i++) {
            double want = ref[i] + c.b[i % out];
            assertEquals(want, y[i], 1e-5 * (1 + Math.abs(want)) * Math.sqrt(k * k * in), "output " + i + " of " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void sumsInTheDocumentedOrderFromPlusZeroWithTheBiasLast() {
        // one input channel, one tap per even/even output with k = 1 (pb = 0): y[2o][2p] = (0 + x F) + b
        ConvTranspose2d c = ConvTranspose2d.of(1, 2, 1, new float[] {1e8f, 1f}, new float[] {-1e8f});
        float[] y = new float[4];
        c.apply(new float[] {1f, 1f}, 1, 1, y, false);
        // (0 + 1e8) + 1 rounds to 1e8 in float, then + (-1e8) = 0; summing the bias first would give 1
        assertEquals(0f, y[0]);
        assertEquals(-1e8f, y[1]); // no tap reaches odd outputs with k = 1: the bias alone
        assertEquals(-1e8f, y[3]);
    }

    @Test
    void refusesMisfitShapesAndNonFiniteWeights() {
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.of(5, 2, 3, new float[5 * 5 * 6 - 1], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.of(5, 2, 3, new float[5 * 5 * 6], new float[2]));
        float[] bad = new float[6];
        bad[3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.of(1, 2, 3, bad, new float[3]));
        ConvTranspose2d c = ConvTranspose2d.of(1, 2, 3, new float[6], new float[3]);
        assertThrows(IllegalArgumentException.class, () -> c.apply(new float[4], 1, 2, new float[4 * 2 * 3 - 1], false));
        assertThrows(IllegalArgumentException.class, () -> c.apply(new float[3], 1, 2, new float[4 * 2 * 3], false));
    }

    static void assertBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        int[] a = new int[want.length];
        int[] b = new int[got.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Float.floatToRawIntBits(want[i]);
            b[i] = Float.floatToRawIntBits(got[i]);
        }
        assertArrayEquals(a, b, what);
        assertTrue(want.length > 0);
    }
}
