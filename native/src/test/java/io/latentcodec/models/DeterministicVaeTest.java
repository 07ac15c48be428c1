package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentcodec.models.data.DataSet;
import io.latentcodec.models.data.DataSets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deterministic VAE against the SavedModel it was exported from: the same function up to a few
 * float ulps (TensorFlow sums in other orders), a row's floats independent of the batch around it,
 * the fingerprint the manifest records, and clear errors for damaged weights files.
 */
class DeterministicVaeTest {
    private static float[] batch(String model, int rows, int d) throws IOException {
        String set = model.startsWith("fashion") ? "fashion-mnist" : model.startsWith("mnist-binarized") ? "mnist-binarized" : "mnist";
        TestData.require(set.startsWith("fashion") ? "fashion-mnist" : "mnist");
        DataSet data = DataSets.load(set);
        float[] x = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            byte[] img = data.test()[r];
            for (int j = 0; j < d; j++) {
                x[r * d + j] = img[j] & 0xFF;
            }
        }
        return x;
    }

    /** Largest |a - b| relative to max(|b|, floor). */
    private static double maxRel(float[] a, float[] b, double floor) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist-binarized", "mnist", "mnist-logistic", "fashion-mnist", "mnist-ar", "fashion-mnist-ar"})
    void closeToTensorFlowAndBatchIndependent(String name) throws IOException {
        Path dir = Home.modelsDir().resolve(name);
        try (VaeModel j = VaeModel.load(dir); VaeModel tf = VaeModel.loadTensorFlow(dir)) {
            assertTrue(j.deterministic());
            assertEquals(tf.batchSize(), j.batchSize());
            assertEquals(j.manifest().weightsFingerprint(), Fingerprint.text(j.fingerprint()), name);
            int b = j.batchSize();
            int d = j.dataDim();
            int l = j.latentDim();
            float[] x = batch(name, b, d);
            float[] mu = new float[b * l];
            float[] sigma = new float[b * l];
            float[] muTf = new float[b * l];
            float[] sigmaTf = new float[b * l];
            j.posterior(x, mu, sigma);
            tf.posterior(x, muTf, sigmaTf);
            // sums of hundreds of terms of magnitude ~1 in another order: a few ulps of 1, relative to values of 1 and more
            double dMu = maxRel(mu, muTf, 1);
            double dSigma = maxRel(sigma, sigmaTf, 1);
            assertTrue(dMu < 2e-5 && dSigma < 2e-5, name + ": posterior differs from TensorFlow's by " + dMu + " (mu), " + dSigma + " (sigma)");

            // decoder at the posterior means
            int maps = j.contextNet().map(ContextNet::maps).orElse(j.likelihood().paramCount());
            float[][] p = new float[maps][b * d];
            float[][] pTf = new float[maps][b * d];
            if (j.contextNet().isPresent()) {
                j.rawParams(mu, p);
                tf.rawParams(mu, pTf);
            } else {
                j.likelihoodParams(mu, p);
                tf.likelihoodParams(mu, pTf);
            }
            for (int e = 0; e < maps; e++) {
                // the logistic's mean and scale are in pixel units (x 255): its ulps of 1 are 255 times larger
                double dp = maxRel(p[e], pTf[e], j.likelihood() == Likelihood.DISCRETIZED_LOGISTIC ? 255 : 1);
                assertTrue(dp < 2e-5, name + ": decoder map " + e + " differs from TensorFlow's by " + dp);
            }

            // row 3 alone in a batch of zeros: the same bits as inside the real batch
            float[] one = new float[b * d];
            System.arraycopy(x, 3 * d, one, 0, d);
            float[] mu1 = new float[b * l];
            float[] sigma1 = new float[b * l];
            j.posterior(one, mu1, sigma1);
            assertArrayEquals(Arrays.copyOfRange(mu, 3 * l, 4 * l), Arrays.copyOfRange(mu1, 0, l), name + ": mu of a row depends on its batch");
            assertArrayEquals(Arrays.copyOfRange(sigma, 3 * l, 4 * l), Arrays.copyOfRange(sigma1, 0, l), name + ": sigma depends on the batch");
            // only the first 5 rows asked for: the same bits in them
            float[] mu5 = new float[b * l];
            float[] sigma5 = new float[b * l];
            j.posterior(x, mu5, sigma5, 5);
            assertArrayEquals(Arrays.copyOf(mu, 5 * l), Arrays.copyOf(mu5, 5 * l), name + ": mu of 5 rows");
            assertArrayEquals(Arrays.copyOf(sigma, 5 * l), Arrays.copyOf(sigma5, 5 * l), name + ": sigma of 5 rows");
            float[][] p5 = new float[maps][b * d];
            if (j.contextNet().isPresent()) {
                j.rawParams(5, mu, p5);
            } else {
                j.likelihoodParams(5, mu, p5);
            }
            for (int e = 0; e < maps; e++) {
                assertArrayEquals(Arrays.copyOf(p[e], 5 * d), Arrays.copyOf(p5[e], 5 * d), name + ": map " + e + " of 5 rows");
            }
        }
    }

    @Test
    void damagedOrMissingWeightsAreNamed(@TempDir Path tmp) throws IOException {
        Path src = Home.modelsDir().resolve("mnist-binarized");
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        Files.copy(src.resolve(Manifest.FILE), dir.resolve(Manifest.FILE));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> VaeModel.load(dir));
        assertTrue(e.reason().contains("no weights.lcw"), e.reason());

        byte[] w = Files.readAllBytes(src.resolve(WeightsFile.FILE));
        w[w.length / 2] ^= 1;
        Files.write(dir.resolve(WeightsFile.FILE), w);
        e = assertThrows(InvalidModelException.class, () -> VaeModel.load(dir));
        assertTrue(e.reason().contains("CRC32C"), e.reason());

        Files.write(dir.resolve(WeightsFile.FILE), Arrays.copyOf(w, 100));
        e = assertThrows(InvalidModelException.class, () -> VaeModel.load(dir));
        assertTrue(e.reason().contains("weights.lcw"), e.reason());

        // another model's weights under this manifest: refused by the recorded fingerprint
        Files.copy(Home.modelsDir().resolve("mnist").resolve(WeightsFile.FILE), dir.resolve(WeightsFile.FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = assertThrows(InvalidModelException.class, () -> VaeModel.load(dir));
        assertTrue(e.reason().contains("tensor") || e.reason().contains("fingerprint"), e.reason());
    }

    @Test
    void weightsFileRoundTripsAndRefusesForgeries() {
        WeightsFile w = WeightsFile.of(java.util.List.of(new WeightsFile.Tensor("a", new int[] {2, 3}, new float[] {1, -0f, 3, 4, 5, 6}),
                new WeightsFile.Tensor("b", new int[] {}, new float[] {7})));
        WeightsFile back = WeightsFile.parse(Path.of("mem"), w.bytes());
        assertArrayEquals(w.bytes(), back.bytes());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(back.tensors().get(0).values()[1]));
        assertArrayEquals(w.fingerprint("x"), back.fingerprint("x"));
        assertTrue(!Arrays.equals(w.fingerprint("x"), w.fingerprint("y")), "the architecture id is part of the fingerprint");
        byte[] forged = w.bytes();
        forged[12] = (byte) 0xFF; // tensor count, CRC then fixed up
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(forged, 0, forged.length - 4);
        java.nio.ByteBuffer.wrap(forged).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(forged.length - 4, (int) c.getValue());
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> WeightsFile.parse(Path.of("mem"), forged));
        assertTrue(e.reason().contains("tensor"), e.reason());
        assertThrows(IllegalArgumentException.class, () -> new WeightsFile.Tensor("bad name", new int[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> WeightsFile.of(java.util.List.of(new WeightsFile.Tensor("n", new int[] {1},
                new float[] {Float.NaN}))));
    }
}
