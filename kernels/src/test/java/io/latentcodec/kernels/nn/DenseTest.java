package io.latentcodec.kernels.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentcodec.kernels.Simd;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Dense}: the vector kernel gives the scalar reference's bits on every shape (outputs below,
 * at and past multiples of the lane count and of the 4-vector tile), every sparsity and extreme
 * values; the sum is the documented one; skipping zeros changes nothing; misuse is refused. The
 * kernels module runs this class at the preferred width and again at 256 bits.
 */
class DenseTest {
    /** Seeds of random layers: shapes, sparsity and value ranges drawn from each. */
    static Stream<Integer> seeds() {
        return IntStream.range(0, 120).boxed();
    }

    private static float draw(Random r, int kind) {
        return switch (kind) {
            case 0 -> (float) r.nextGaussian();
            case 1 -> (float) (r.nextGaussian() * 1e-20);              // tiny: products near the subnormals
            case 2 -> (float) (r.nextGaussian() * 1e15);               // huge: sums near the float range
            default -> r.nextInt(4) == 0 ? -0f : (float) r.nextGaussian() * (r.nextBoolean() ? 1e-3f : 100f);
        };
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void vectorAndScalarGiveTheSameBits(int seed) {
        Random r = new Random(seed);
        int[] edges = {1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200, 257};
        int in = edges[r.nextInt(edges.length)];
        int out = edges[r.nextInt(edges.length)];
        int rows = 1 + r.nextInt(10); // groups of four rows (one weight load for four) and the rows after them
        int kind = r.nextInt(4);
        double zeros = r.nextDouble();
        float[] w = new float[in * out];
        float[] b = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = draw(r, kind);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextInt(5) == 0 ? -0f : draw(r, kind);
        }
        int xStride = in + r.nextInt(3);
        int yStride = out + r.nextInt(3);
        float[] x = new float[rows * xStride + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < zeros ? (r.nextBoolean() ? 0f : -0f) : draw(r, kind);
        }
        if (rows > 1 && r.nextBoolean()) { // one row all zeros, another dense: rows whose non-zero inputs differ most
            int blank = r.nextInt(rows);
            java.util.Arrays.fill(x, 1 + blank * xStride, 1 + blank * xStride + in, r.nextBoolean() ? 0f : -0f);
        }
        Dense d = Dense.of(in, out, w, b);
        boolean relu = r.nextBoolean();
        float[] ys = new float[rows * yStride + 3];
        float[] yv = new float[ys.length];
        d.forwardScalar(x, 1, xStride, ys, 2, yStride, rows, relu, d.scratch());
        d.forward(x, 1, xStride, yv, 2, yStride, rows, relu, d.scratch());
        String where = "seed " + seed + " (" + in + " x " + out + ", " + rows + " rows, kind " + kind + ", relu " + relu + ", "
                + Simd.describe() + ")";
        for (int i = 0; i < ys.length; i++) {
            assertEquals(Float.floatToRawIntBits(ys[i]), Float.floatToRawIntBits(yv[i]), where + ": output " + i + " scalar " + ys[i]
                    + " vector " + yv[i]);
        }
        // the documented sum, written out naively over every input (zeros included): the same bits
        for (int row = 0; row < rows; row++) {
            for (int o = 0; o < out; o++) {
                float s = 0f;
                for (int i = 0; i < in; i++) {
                    s = s + x[1 + row * xStride + i] * w[i * out + o];
                }
                s = s + b[o];
                if (relu) {
                    s = Math.max(s, 0f);
                }
                assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(ys[2 + row * yStride + o]), where + ": row " + row
                        + " output " + o + ", naive " + s + " kernel " + ys[2 + row * yStride + o]);
            }
        }
        // guard bytes around the rows are untouched
        assertEquals(0f, ys[0]);
        assertEquals(0f, ys[1]);
    }

    @Test
    void closeToTheExactProduct() {
        Random r = new Random(7);
        int in = 784;
        int out = 200;
        float[] w = new float[in * out];
        float[] b = new float[out];
        float[] x = new float[in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.05);
        }
        for (int i = 0; i < in; i++) {
            x[i] = r.nextInt(3) == 0 ? 0 : r.nextFloat();
        }
        float[] y = new float[out];
        Dense d = Dense.of(in, out, w, b);
        d.forward(x, 0, in, y, 0, out, 1, false, d.scratch());
        for (int o = 0; o < out; o++) {
            double exact = 0;
            double mag = 0;
            for (int i = 0; i < in; i++) {
                exact += (double) x[i] * w[i * out + o];
                mag += Math.abs((double) x[i] * w[i * out + o]);
            }
            assertTrue(Math.abs(y[o] - exact) <= 1e-6 * mag + 1e-30, "output " + o + ": " + y[o] + " vs " + exact);
        }
    }

    @Test
    void misuseIsRefusedWithTheValues() {
        assertThrows(IllegalArgumentException.class, () -> Dense.of(2, 3, new float[5], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Dense.of(0, 3, new float[0], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Dense.of(1, 1, new float[] {Float.NaN}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> Dense.of(1, 1, new float[1], new float[] {Float.POSITIVE_INFINITY}));
        Dense d = Dense.of(4, 3, new float[12], new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.forward(new float[7], 0, 4, new float[6], 0, 3, 2, false, d.scratch()));
        assertTrue(e.getMessage().contains("x[7]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.forward(new float[8], 0, 4, new float[6], 0, 3, 2, false, new int[3]));
    }
}
