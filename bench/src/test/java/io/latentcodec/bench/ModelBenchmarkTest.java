package io.latentcodec.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Each benchmark computes what the model computes, and counts the images it ran. */
class ModelBenchmarkTest {

    @Test
    void benchmarksReturnTheModelsOutputs() {
        check("tensorflow", 10, 10);
        check("java", 0, 100);
    }

    private static void check(String backend, int batch, int rows) {
        ModelBenchmark.Model m = new ModelBenchmark.Model();
        m.model = "mnist";
        m.batch = batch;
        m.backend = backend;
        m.setUp();
        try {
            ModelBenchmark bench = new ModelBenchmark();
            ModelBenchmark.Images n = new ModelBenchmark.Images();
            float[] mu = new float[m.mu.length];
            float[] sigma = new float[m.sigma.length];
            m.vae.posterior(m.x, mu, sigma);
            assertArrayEquals(sigma, bench.posteriorArrays(m, n));
            assertEquals(sigma[sigma.length - 1], bench.posteriorSegments(m, n));
            float[][] p = new float[2][m.x.length];
            m.vae.likelihoodParams(m.z, p);
            float[][] got = bench.likelihoodArrays(m, n);
            assertArrayEquals(p[0], got[0]);
            assertArrayEquals(p[1], got[1]);
            assertEquals(p[1][p[1].length - 1], bench.likelihoodSegments(m, n));
            assertEquals(4 * rows, n.images, backend);
            assertEquals(m.x[7], m.xSeg.getAtIndex(ValueLayout.JAVA_FLOAT, 7));
        } finally {
            m.tearDown();
        }
    }
}
