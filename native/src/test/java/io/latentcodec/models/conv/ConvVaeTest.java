package io.latentcodec.models.conv;

import io.latentcodec.models.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny conv VAE exported, loaded and run: shapes, repeatable outputs, damaged directories refused, checkpoints round-trip. */
class ConvVaeTest {
    @TempDir
    Path dir;

    static final ConvArchitecture TINY = new ConvArchitecture(6, 3, 3, 4.0);

    @Test
    void exportLoadRunAndRepeat() throws Exception {
        Path m = dir.resolve("tiny");
        ConvTrainer.export(m, "tiny", TINY, ConvTrainer.initialWeights(TINY, 5), Map.of("note", "test"), Map.of());
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[48 * 32 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256);
        }
        try (ConvVae vae = ConvVae.load(m)) {
            ConvVae.Posterior q = vae.posterior(x, 32, 48);
            assertEquals(2 * 3 * 3, q.mu().length);
            for (float s : q.sigma()) {
                assertTrue(s > 0);
            }
            float[] out = vae.decode(q.mu(), 2, 3);
            assertEquals(x.length, out.length);
            assertArrayEquals(q.mu(), vae.posterior(x, 32, 48).mu(), "same input, same shape: same floats");
            assertArrayEquals(out, vae.decode(q.mu(), 2, 3));
            assertThrows(IllegalArgumentException.class, () -> vae.posterior(new float[40 * 30 * 3], 30, 40), "sizes must be multiples of 16");
            // refinement: L(z) = sum (x - decoder(z))^2 / (2 sigmaX^2) + sum z^2 / 2 never rises, sigma is kept
            ConvVae.Posterior refined = vae.refine(x, 32, 48, q, 20);
            assertArrayEquals(q.sigma(), refined.sigma());
            double before = refinementObjective(vae, x, q.mu());
            double after = refinementObjective(vae, x, refined.mu());
            assertTrue(after < before, "20 steps on a random image lower L: " + before + " -> " + after);
            assertTrue(vae.refine(x, 32, 48, q, 0) == q, "zero steps: the posterior as it was");
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> vae.refine(new float[64 * 32 * 3], 32, 64, q, 5));
            assertTrue(wrong.getMessage().contains("does not fit"), wrong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> vae.refine(x, 32, 48, q, -1));
        }
        // a manifest whose fingerprint does not match the weights
        String json = Files.readString(m.resolve(ConvManifest.FILE));
        String fp = ConvManifest.parse(json).fingerprint();
        Files.writeString(m.resolve(ConvManifest.FILE), json.replace(fp, "sha256:" + "0".repeat(64)));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ConvVae.load(m));
        assertTrue(e.getMessage().contains("fingerprint"), e.getMessage());
        Files.delete(m.resolve("saved_model.pb"));
        assertThrows(InvalidModelException.class, () -> ConvVae.load(m));
        assertThrows(InvalidModelException.class, () -> ConvVae.load(dir.resolve("absent")));
    }

    static double refinementObjective(ConvVae vae, float[] x, float[] z) {
        float[] mean = vae.decode(z, 2, 3);
        double l = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[i];
            l += d * d / (2 * TINY.sigmaX() * TINY.sigmaX());
        }
        for (float v : z) {
            l += v * (double) v / 2;
        }
        return l;
    }

    @Test
    void checkpointsRoundTrip() throws Exception {
        List<float[]> w = ConvTrainer.initialWeights(TINY, 9);
        List<String> names = TINY.variables().stream().map(ConvArchitecture.Var::name).toList();
        ConvTrainer.writeCheckpoint(dir, new ConvTrainer.Checkpoint(1234, 56.5, 1000, names, w));
        ConvTrainer.Checkpoint c = ConvTrainer.readCheckpoint(dir);
        assertEquals(1234, c.step());
        assertEquals(56.5, c.seconds());
        assertEquals(1000, c.adamStart());
        assertEquals(names, c.names());
        for (int i = 0; i < w.size(); i++) {
            assertArrayEquals(w.get(i), c.values().get(i), names.get(i));
        }
    }
    @Test
    void widenedLatentsLeaveTheReconstructionAlone() throws Exception {
        ConvArchitecture wide = new ConvArchitecture(6, 5, 3, 4.0);
        List<float[]> w = ConvTrainer.initialWeights(TINY, 11);
        ConvTrainer.export(dir.resolve("narrow"), "narrow", TINY, w, Map.of(), Map.of());
        ConvTrainer.export(dir.resolve("wide"), "wide", wide, LatentWidening.widen(TINY, w, wide, 3), Map.of(), Map.of());
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[32 * 48 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256);
        }
        try (ConvVae narrow = ConvVae.load(dir.resolve("narrow")); ConvVae wider = ConvVae.load(dir.resolve("wide"))) {
            ConvVae.Posterior q = narrow.posterior(x, 32, 48);
            ConvVae.Posterior q2 = wider.posterior(x, 32, 48);
            float[] z2 = new float[6 * 5];
            for (int p = 0; p < 6; p++) {
                for (int c = 0; c < 5; c++) {
                    if (c < 3) {
                        assertEquals(q.mu()[p * 3 + c], q2.mu()[p * 5 + c], 1e-5, "mu, position " + p + " channel " + c);
                        assertEquals(q.sigma()[p * 3 + c], q2.sigma()[p * 5 + c], 1e-5, "sigma, position " + p + " channel " + c);
                        z2[p * 5 + c] = q.mu()[p * 3 + c];
                    } else {
                        assertEquals(0.5, q2.sigma()[p * 5 + c], 1e-3, "a new channel's sigma");
                        z2[p * 5 + c] = (float) (3 * r.nextDouble() - 1.5); // anything: the decoder ignores it
                    }
                }
            }
            float[] a = narrow.decode(q.mu(), 2, 3);
            float[] b = wider.decode(z2, 2, 3);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-3, "reconstruction sample " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LatentWidening.widen(wide, LatentWidening.widen(TINY, w, wide, 3), TINY, 3),
                "narrowing is refused");
    }
}
