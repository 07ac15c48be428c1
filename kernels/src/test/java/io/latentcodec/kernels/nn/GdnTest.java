package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** IGDN: vector bits equal the scalar reference's on edge shapes; the reference equals the formula. */
class GdnTest {

    static Gdn random(SplittableRandom r, int n) {
        float[] beta = new float[n];
        float[] gamma = new float[n * n];
        for (int i = 0; i < n; i++) {
            beta[i] = (float) Math.abs(r.nextGaussian()) + 1e-6f;
        }
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] = r.nextInt(5) == 0 ? 0f : (float) Math.abs(r.nextGaussian() * 0.1);
        }
        return Gdn.inverse(beta, gamma);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "3, 7, 7", "8, 5, 2", "16, 9, 3", "17, 4, 4", "33, 6, 5", "64, 1, 1", "64, 3, 3", "64, 13, 4",
            "64, 37, 9", "72, 11, 11", "20, 50, 7"})
    void vectorKernelGivesTheScalarBits(int n, int pixels, int rowPixels) {
        Assumptions.assumeTrue(Simd.vectorAvailable(), "no Vector API module");
        SplittableRandom r = new SplittableRandom(n * 1000L + pixels * 10L + rowPixels);
        Gdn g = random(r, n);
        float[] x = ConvTranspose2dTest.input(r, n * pixels);
        float[] scalar = x.clone();
        float[] vector = x.clone();
        float[] threads = x.clone();
        float[] viaApply = x.clone();
        g.applyScalar(scalar, pixels, rowPixels, false);
        GdnVector.apply(g, vector, pixels, rowPixels, false);
        GdnVector.apply(g, threads, pixels, rowPixels, true);
        g.apply(viaApply, pixels, rowPixels, true);
        String what = "n " + n + ", " + pixels + " pixels, vector-" + Simd.vectorBits();
        ConvTranspose2dTest.assertBits(scalar, vector, what);
        ConvTranspose2dTest.assertBits(scalar, threads, what + " threaded");
        ConvTranspose2dTest.assertBits(scalar, viaApply, what + " apply (" + Simd.describe() + ")");
    }

    @Test
    void scalarReferenceIsTheFormula() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 24;
        Gdn g = random(r, n);
        float[] x = new float[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 3;
        }
        float[] y = x.clone();
        g.applyScalar(y, 5, 2, false);
        for (int p = 0; p < 5; p++) {
            for (int i = 0; i < n; i++) {
                double s = g.beta[i];
                for (int j = 0; j < n; j++) {
                    s += (double) x[p * n + j] * x[p * n + j] * g.gamma[j * n + i];
                }
                double want = x[p * n + i] * Math.sqrt(s);
                assertEquals(want, y[p * n + i], 1e-5 * (1 + Math.abs(want)), "pixel " + p + " channel " + i);
            }
        }
    }

    @Test
    void refusesBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> Gdn.inverse(new float[] {1f, 1f}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Gdn.inverse(new float[] {0f}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> Gdn.inverse(new float[] {1f}, new float[] {-1f}));
        Gdn g = Gdn.inverse(new float[] {1f, 2f}, new float[4]);
        assertThrows(IllegalArgumentException.class, () -> g.apply(new float[5], 2, 1, false));
    }
}
