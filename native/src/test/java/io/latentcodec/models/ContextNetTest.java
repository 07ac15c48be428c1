package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java context net: its softplus, the agreement of its scalar and vector kernels bit for bit
 * however the images are grouped (what keeps encoder and decoder in step), the pixels it may read,
 * and its closeness to the TensorFlow graph the model was trained with.
 */
class ContextNetTest {

    static LongStream seeds() {
        return LongStream.range(0, 30);
    }

    @Test
    void softplusIsAccurateEverywhere() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            float y = switch (i % 4) {
                case 0 -> (float) r.nextDouble(-30, 30);
                case 1 -> (float) r.nextDouble(-3, 3);
                case 2 -> (float) r.nextDouble(10, 95) * (r.nextBoolean() ? 1 : -1);
                default -> Float.intBitsToFloat(r.nextInt()); // any float, NaN and infinities included
            };
            float got = ContextNet.softplus(y);
            if (Float.isNaN(y)) {
                assertTrue(Float.isNaN(got), "softplus(NaN)");
                continue;
            }
            double exact = Math.max(y, 0) + Math.log1p(Math.exp(-Math.abs((double) y)));
            double ulps = Math.abs(got - exact) / Math.ulp((float) exact);
            assertTrue(ulps <= 4 || Math.abs(got - exact) < 1e-12, "softplus(" + y + ") = " + got + ", exact " + exact + " (" + ulps + " ulps), seed 11 draw " + i);
        }
        assertEquals(0f, ContextNet.softplus(-200f));
        assertEquals(100f, ContextNet.softplus(100f));
        assertEquals(Float.POSITIVE_INFINITY, ContextNet.softplus(Float.POSITIVE_INFINITY));
    }

    @Test
    void softplusVectorKernelGivesTheScalarBits() {
        Assumptions.assumeTrue(ContextNet.VECTOR, "Vector API module absent");
        SplittableRandom r = new SplittableRandom(12);
        float[] y = new float[ContextNet.LANES];
        float[] v = new float[ContextNet.LANES];
        for (int i = 0; i < 50_000; i++) {
            for (int l = 0; l < y.length; l++) {
                y[l] = i % 3 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextDouble(-25, 25);
            }
            ContextNetVector.softplus(jdk.incubator.vector.FloatVector.fromArray(ContextNetVector.S, y, 0)).intoArray(v, 0);
            for (int l = 0; l < y.length; l++) {
                assertEquals(Float.floatToRawIntBits(ContextNet.softplus(y[l])), Float.floatToRawIntBits(v[l]),
                        "softplus(" + y[l] + "): scalar " + ContextNet.softplus(y[l]) + ", vector " + v[l] + " (seed 12, draw " + i + ")");
            }
        }
    }

    /** A random context net of the likelihood (random window, raw offsets and maps) with random weights. */
    static ContextNet random(SplittableRandom r, Likelihood lik) {
        List<ContextSpec.Offset> n = ContextSpec.window(r.nextInt(4), r.nextInt(4), 1 + r.nextInt(3));
        List<ContextSpec.Offset> raw = r.nextBoolean() ? ContextSpec.square() : List.of();
        int maps = r.nextBoolean() ? 0 : 1 + r.nextInt(5);
        int width = new int[] {28, 7, 4, 1, 16}[r.nextInt(5)];
        int d = width * (1 + r.nextInt(6));
        Architecture a = new Architecture(d, 3, 2, lik, new ContextSpec(width, 1 + r.nextInt(40), n, raw, maps));
        int f = a.context().inputs(lik.paramCount());
        int h = a.context().hidden();
        int p = lik.paramCount();
        return ContextNet.of(a, gaussians(r, f * h, 1.0 / Math.sqrt(f)), gaussians(r, h, 0.3), gaussians(r, h * p, 1.0 / Math.sqrt(h)),
                gaussians(r, p, 1.0));
    }

    static float[] gaussians(SplittableRandom r, int n, double s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * s);
        }
        return a;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void kernelsAndGroupingsGiveTheSameBits(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Likelihood lik = Likelihood.values()[r.nextInt(Likelihood.values().length)];
        ContextNet net = random(r, lik);
        int d = net.dataDim();
        int images = 1 + r.nextInt(30);
        float[][] raw = new float[net.maps()][(images + r.nextInt(3)) * d];
        for (float[] m : raw) {
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (r.nextGaussian() * (r.nextInt(10) == 0 ? 30 : 2));
            }
        }
        int[] x = new int[images * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(3) == 0 ? r.nextInt(lik.maxValue() + 1) : 0;
        }
        int p = lik.paramCount();
        float[][] whole = new float[p][images * d];
        ContextNet.Workspace ws = net.workspace();
        for (int j = 0; j < d; j++) {
            net.forward(raw, x, images, j, 0, images, whole, j * images, ws, false);
        }
        for (boolean vector : ContextNet.VECTOR ? new boolean[] {false, true} : new boolean[] {false}) {
            float[][] pieces = new float[p][images * d];
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < images; ) {
                    int to = Math.min(images, i + 1 + r.nextInt(10));
                    net.forward(raw, x, images, j, i, to, pieces, j * images + i, ws, vector);
                    i = to;
                }
            }
            for (int q = 0; q < p; q++) {
                for (int k = 0; k < images * d; k++) {
                    assertEquals(Float.floatToRawIntBits(whole[q][k]), Float.floatToRawIntBits(pieces[q][k]),
                            "seed " + seed + " (" + lik + ", " + net.spec().id() + ", " + images + " images, vector " + vector + "): parameter " + q
                                    + " of symbol " + k + ": " + whole[q][k] + " vs " + pieces[q][k]);
                }
            }
        }
    }

    /** Pixel j's parameters depend on no pixel at or after j: changing those leaves them as they were. */
    @ParameterizedTest
    @MethodSource("seeds")
    void onlyEarlierPixelsAreRead(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 1000);
        Likelihood lik = Likelihood.values()[r.nextInt(Likelihood.values().length)];
        ContextNet net = random(r, lik);
        int d = net.dataDim();
        float[][] raw = new float[net.maps()][d];
        for (float[] m : raw) {
            for (int i = 0; i < d; i++) {
                m[i] = (float) r.nextGaussian();
            }
        }
        int[] x = new int[d];
        for (int i = 0; i < d; i++) {
            x[i] = 1 + r.nextInt(lik.maxValue());
        }
        int j = r.nextInt(d);
        float[][] a = new float[lik.paramCount()][1];
        float[][] b = new float[lik.paramCount()][1];
        net.forward(raw, x, 1, j, 0, 1, a, 0, net.workspace());
        for (int k = j; k < d; k++) {
            x[k] = r.nextInt(lik.maxValue() + 1);
        }
        net.forward(raw, x, 1, j, 0, 1, b, 0, net.workspace());
        for (int q = 0; q < a.length; q++) {
            assertEquals(a[q][0], b[q][0], "seed " + seed + ": pixel " + j + " read a later pixel (" + net.spec().id() + ")");
        }
        for (int k : net.neighboursOf(j)) {
            assertTrue(k < j, "seed " + seed + ": neighbour " + k + " of pixel " + j);
        }
    }

    @Test
    void misuseIsRefused() {
        SplittableRandom r = new SplittableRandom(3);
        ContextNet net = random(r, Likelihood.BETA_BINOMIAL);
        float[][] out = new float[2][4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(new float[net.maps()][net.dataDim()], new int[net.dataDim()], 1, net.dataDim(), 0, 1, out, 0, net.workspace()));
        assertTrue(e.getMessage().contains("pixel " + net.dataDim()), e.getMessage());
        Architecture plain = Architecture.fullMnist(Likelihood.BETA_BINOMIAL);
        assertThrows(IllegalArgumentException.class, () -> ContextNet.of(plain, new float[1], new float[1], new float[1], new float[1]));
        Architecture a = plain.withContext(ContextSpec.standard(28, 4));
        e = assertThrows(IllegalArgumentException.class, () -> ContextNet.of(a, new float[3], new float[4], new float[8], new float[2]));
        assertTrue(e.getMessage().contains("ctx_h_w must hold 56 floats, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ContextSpec(28, 4, List.of(new ContextSpec.Offset(1, 0))));
        assertTrue(e.getMessage().contains("not causal"), e.getMessage());
    }

    /** The Java parameters of a trained tiny model against TensorFlow's, on real pixels: a few float ulps apart. */
    @ParameterizedTest
    @EnumSource(Likelihood.class)
    void javaMatchesTheGraph(Likelihood lik) {
        try (VaeModel m = VaeModel.loadTensorFlow(TinyModels.arDir(lik))) {
            ContextNet net = m.contextNet().orElseThrow();
            int b = m.batchSize();
            int d = m.dataDim();
            byte[][] img = TinyModels.images(b, 5);
            float[] x = new float[b * d];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < d; j++) {
                    int v = img[i][j] & 0xFF;
                    x[i * d + j] = lik == Likelihood.BERNOULLI ? (v > 100 ? 1 : 0) : v;
                }
            }
            float[] z = VaeModelContractTest.latents(m, 9);
            float[][] tf = new float[lik.paramCount()][b * d];
            m.likelihoodParamsGiven(z, x, tf);
            float[][] raw = new float[net.maps()][b * d];
            m.rawParams(z, raw);
            float[][] java = new float[lik.paramCount()][b * d];
            net.forwardImages(raw, x, b, java);
            double worst = 0;
            for (int p = 0; p < tf.length; p++) {
                for (int k = 0; k < tf[p].length; k++) {
                    double scale = Math.max(1.0, Math.abs(tf[p][k]));
                    worst = Math.max(worst, Math.abs(tf[p][k] - java[p][k]) / scale);
                }
            }
            assertTrue(worst < 1e-5, lik + ": Java and TensorFlow parameters differ by " + worst + " (relative)");
            assertThrows(UnsupportedOperationException.class, () -> m.likelihoodParams(z, new float[lik.paramCount()][b * d]));
        }
    }
}
