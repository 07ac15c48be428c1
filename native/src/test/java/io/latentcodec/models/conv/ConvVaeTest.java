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
}
