package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@link VaeModel} contract, checked on a small trained model of each likelihood. */
class VaeModelContractTest {

    static float[] inputs(VaeModel m, long seed) {
        Random r = new Random(seed);
        float[] x = new float[m.batchSize() * m.dataDim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(m.likelihood().maxValue() + 1);
        }
        return x;
    }

    static float[] latents(VaeModel m, long seed) {
        Random r = new Random(seed);
        float[] z = new float[m.batchSize() * m.latentDim()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian();
        }
        return z;
    }

    static float[][] params(VaeModel m, float[] z) {
        float[][] out = new float[m.likelihood().paramCount()][m.batchSize() * m.dataDim()];
        m.likelihoodParams(z, out);
        return out;
    }

    static float[][] posterior(VaeModel m, float[] x) {
        float[] mu = new float[m.batchSize() * m.latentDim()];
        float[] sigma = new float[mu.length];
        m.posterior(x, mu, sigma);
        return new float[][] {mu, sigma};
    }

    /** Bit equality (assertArrayEquals on floats treats -0.0 and 0.0 as different already, and NaNs as equal). */
    static void assertBits(float[][] a, float[][] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                if (Float.floatToRawIntBits(a[i][j]) != Float.floatToRawIntBits(b[i][j])) {
                    throw new AssertionError("output " + i + " differs at " + j + ": " + a[i][j] + " vs " + b[i][j]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Likelihood.class)
    void describesItselfAndMatchesItsManifest(Likelihood lik) {
        try (VaeModel m = VaeModel.loadTensorFlow(TinyModels.dir(lik))) {
            assertEquals("tiny-" + lik.id(), m.name());
            assertEquals(lik, m.likelihood());
            assertEquals(784, m.dataDim());
            assertEquals(4, m.latentDim());
            assertEquals(TinyModels.BATCH, m.batchSize());
            assertEquals(Device.CPU, m.device());
            assertEquals(32, m.fingerprint().length);
            assertEquals(m.manifest().fingerprint(), "sha256:" + HexFormat.of().formatHex(m.fingerprint()));
            Manifest.Metrics mm = m.manifest().metrics();
            assertTrue(mm.testBitsPerDim() > 0 && mm.testBitsPerDim() < 8, "test -ELBO " + mm.testBitsPerDim());
            assertEquals(2, m.manifest().training().epochs());
            assertTrue(m.manifest().training().command().startsWith("./latentcodec train --data tiny"));
        }
    }

    @ParameterizedTest
    @EnumSource(Likelihood.class)
    void sameInputsGiveBitIdenticalOutputsAcrossCallsAndInstances(Likelihood lik) {
        try (VaeModel a = VaeModel.loadTensorFlow(TinyModels.dir(lik)); VaeModel b = VaeModel.loadTensorFlow(TinyModels.dir(lik))) {
            float[] x = inputs(a, 1);
            float[] z = latents(a, 2);
            float[][] p1 = posterior(a, x);
            assertBits(p1, posterior(a, x));
            assertBits(p1, posterior(b, x));
            float[][] l1 = params(a, z);
            assertBits(l1, params(a, z));
            assertBits(l1, params(b, z));
            assertArrayEquals(a.fingerprint(), b.fingerprint());
            // sanity of the values themselves
            for (float s : p1[1]) {
                assertTrue(s > 0 && Float.isFinite(s));
            }
            if (lik != Likelihood.BERNOULLI) {
                for (float v : l1[l1.length - 1]) { // beta, or a scale
                    assertTrue(v > 0 && Float.isFinite(v), lik + " " + v);
                }
            }
            double[][] e1 = elbo(a, x, z);
            double[][] e2 = elbo(b, x, z);
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(e1[i], e2[i], 0.0);
            }
        }
    }

    static double[][] elbo(VaeModel m, float[] x, float[] eps) {
        double[][] out = new double[4][m.batchSize()];
        m.elbo(x, eps, out[0], out[1], out[2], out[3]);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Likelihood.class, names = "BETA_BINOMIAL")
    void concurrentCallsGiveTheSameBitsAsSequentialOnes(Likelihood lik) throws Exception {
        try (VaeModel m = VaeModel.loadTensorFlow(TinyModels.dir(lik)); var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            java.util.List<java.util.concurrent.Future<float[][]>> results = new java.util.ArrayList<>();
            float[][][] want = new float[16][][];
            for (int i = 0; i < 16; i++) {
                float[] z = latents(m, 100 + i);
                want[i] = params(m, z);
                results.add(pool.submit(() -> params(m, z)));
            }
            for (int i = 0; i < 16; i++) {
                assertBits(want[i], results.get(i).get());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Likelihood.class)
    void aRowDoesNotDependOnTheOtherRows(Likelihood lik) {
        try (VaeModel m = VaeModel.loadTensorFlow(TinyModels.dir(lik))) {
            float[] x = inputs(m, 3);
            float[] x2 = inputs(m, 4);
            int d = m.dataDim();
            System.arraycopy(x, 0, x2, 0, d); // row 0 equal, all other rows differ
            float[][] a = posterior(m, x);
            float[][] b = posterior(m, x2);
            int l = m.latentDim();
            for (int k = 0; k < 2; k++) {
                assertBits(new float[][] {Arrays.copyOf(a[k], l)}, new float[][] {Arrays.copyOf(b[k], l)});
            }
            float[] z = latents(m, 5);
            float[] z2 = new float[z.length]; // padding with zeros
            System.arraycopy(z, 0, z2, 0, l);
            float[][] p = params(m, z);
            float[][] q = params(m, z2);
            for (int k = 0; k < p.length; k++) {
                assertBits(new float[][] {Arrays.copyOf(p[k], d)}, new float[][] {Arrays.copyOf(q[k], d)});
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Likelihood.class)
    @SuppressWarnings("try") // closes a resource twice on purpose
    void memorySegmentCallsViewTheSameBitsWithoutCopying(Likelihood lik) {
        try (VaeModel m = VaeModel.loadTensorFlow(TinyModels.dir(lik)); Arena arena = Arena.ofConfined()) {
            float[] x = inputs(m, 6);
            float[] z = latents(m, 7);
            MemorySegment xs = arena.allocate(4L * x.length, 64);
            MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_FLOAT, 0, x.length);
            MemorySegment view;
            try (ModelOutputs out = m.posterior(xs)) {
                assertEquals(java.util.List.of("mu", "sigma"), out.names());
                float[][] want = posterior(m, x);
                assertBits(want, new float[][] {out.get("mu").toArray(ValueLayout.JAVA_FLOAT), out.get(1).toArray(ValueLayout.JAVA_FLOAT)});
                assertFalse(out.get(0).isMapped() || out.get(0).heapBase().isPresent(), "a native view, not a heap copy");
                view = out.get(0);
            }
            assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_FLOAT, 0), "closed views refuse access");
            try (ModelOutputs out = m.likelihoodParams(MemorySegment.ofArray(z))) {
                assertEquals(lik.paramNames(), out.names());
                float[][] want = params(m, z);
                float[][] got = new float[out.size()][];
                for (int i = 0; i < got.length; i++) {
                    got[i] = out.get(lik.paramNames().get(i)).toArray(ValueLayout.JAVA_FLOAT);
                }
                assertBits(want, got);
                out.close(); // idempotent
            }
            assertThrows(IllegalArgumentException.class, () -> m.posterior(MemorySegment.ofArray(new float[3])));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Likelihood.class, names = "BETA_BINOMIAL")
    void misuseIsAnIllegalArgumentAndClosedModelsRefuse(Likelihood lik) {
        VaeModel m = VaeModel.loadTensorFlow(TinyModels.dir(lik));
        float[] mu = new float[m.batchSize() * m.latentDim()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.posterior(new float[m.dataDim()], mu, mu.clone()));
        assertTrue(e.getMessage().contains("x must hold exactly 6272 floats (the fixed batch shape), got 784"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.likelihoodParams(latents(m, 1), new float[m.batchSize() * 784]));
        assertTrue(e.getMessage().contains("2 parameter arrays [alpha, beta], got 1"), e.getMessage());
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.posterior(inputs(m, 1), mu, mu.clone()));
    }

    @ParameterizedTest
    @EnumSource(value = Likelihood.class, names = "BERNOULLI")
    void anotherBatchSizeRebuildsTheGraphWithItsOwnFingerprint(Likelihood lik) {
        try (VaeModel shipped = VaeModel.loadTensorFlow(TinyModels.dir(lik)); VaeModel one = VaeModel.loadTensorFlow(TinyModels.dir(lik), Device.CPU, 1);
             VaeModel same = VaeModel.loadTensorFlow(TinyModels.dir(lik), Device.CPU, TinyModels.BATCH)) {
            assertEquals(1, one.batchSize());
            assertEquals(1, one.manifest().batchSize());
            assertNotEquals(HexFormat.of().formatHex(shipped.fingerprint()), HexFormat.of().formatHex(one.fingerprint()));
            assertArrayEquals(shipped.fingerprint(), same.fingerprint());
            float[] x = inputs(shipped, 8);
            float[][] all = posterior(shipped, x);
            float[][] row = posterior(one, Arrays.copyOf(x, 784));
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(all[k][j], row[k][j], 1e-4f * Math.max(1, Math.abs(all[k][j])), "same function, maybe other rounding");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Likelihood.class, names = "DISCRETIZED_LOGISTIC")
    void deviceChoiceIsReported(Likelihood lik) {
        try (VaeModel m = VaeModel.loadTensorFlow(TinyModels.dir(lik), Device.AUTO, 0)) {
            assertTrue(m.device() == Device.CPU || m.device() == Device.GPU);
        }
        try (VaeModel m = VaeModel.loadTensorFlow(TinyModels.dir(lik), Device.GPU, 0)) {
            assertEquals(Device.GPU, m.device(), "loaded on a GPU");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("device gpu requested") && e.getMessage().contains("no GPU is visible"), e.getMessage());
        }
    }
}
