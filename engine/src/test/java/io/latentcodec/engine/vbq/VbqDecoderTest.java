package io.latentcodec.engine.vbq;

import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.models.conv.ConvVae;
import io.latentcodec.models.conv.Photos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deterministic decoder against TensorFlow's on the shipped photo-vae: the same function up to
 * float rounding (padding offsets, filter layout, IGDN's reparametrization and the x255 all match),
 * on a synthetic scene, on odd latent grids, and on a held-out photo where one is fetched.
 */
class VbqDecoderTest {
    static VbqModel model;

    @BeforeAll
    static void load() {
        model = VbqModel.named("photo-vae");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** max |java - tf| in pixel units, and how many rounded, clipped samples differ. */
    record Diff(double maxAbs, long samplesDiffering, long pixelsDiffering, long pixels) {
    }

    static Diff compare(float[] z, int h, int w) {
        float[] java = model.decoder().decode(z, h, w, true);
        float[] tf = model.vae().decode(z, h, w);
        assertEquals(tf.length, java.length);
        double max = 0;
        long samples = 0;
        long pixels = 0;
        for (int p = 0; p < java.length / 3; p++) {
            boolean differs = false;
            for (int c = 0; c < 3; c++) {
                int i = 3 * p + c;
                max = Math.max(max, Math.abs(java[i] - tf[i]));
                if (toByte(java[i]) != toByte(tf[i])) {
                    samples++;
                    differs = true;
                }
            }
            pixels += differs ? 1 : 0;
        }
        return new Diff(max, samples, pixels, java.length / 3);
    }

    static int toByte(float v) {
        return v >= 255f ? 255 : v <= 0f || Float.isNaN(v) ? 0 : Math.round(v);
    }

    static String text(String what, Diff d) {
        return String.format(Locale.ROOT, "%s: max |java - tf| %.2e pixel units; %d of %d pixels (%d samples) round differently", what,
                d.maxAbs(), d.pixelsDiffering(), d.pixels(), d.samplesDiffering());
    }

    @Test
    void matchesTensorFlowOnTheSceneLatents() {
        RgbImage img = ShippedPhotoVaeTest.scene(128, 96, 5);
        ConvVae.Posterior q = Vbq.analyze(img, model).posterior();
        Diff d = compare(q.mu(), q.height(), q.width());
        System.out.println(text("scene 128x96, posterior means", d));
        assertTrue(d.maxAbs() < 5e-3, text("scene", d));
        assertTrue(d.pixelsDiffering() <= d.pixels() / 200, text("scene", d));
    }

    @Test
    void matchesTensorFlowOnOddLatentGrids() {
        SplittableRandom r = new SplittableRandom(11);
        for (int[] hw : new int[][] {{1, 1}, {1, 3}, {3, 1}, {3, 5}, {2, 7}}) {
            float[] z = new float[hw[0] * hw[1] * model.manifest().architecture().latents()];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (r.nextGaussian() * 0.3);
            }
            Diff d = compare(z, hw[0], hw[1]);
            assertTrue(d.maxAbs() < 5e-3, text(hw[0] + "x" + hw[1] + " latents", d));
        }
    }

    @Test
    void isRepeatableAndThreadIndependent() {
        SplittableRandom r = new SplittableRandom(12);
        float[] z = new float[5 * 7 * model.manifest().architecture().latents()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (r.nextGaussian() * 0.3);
        }
        float[] a = model.decoder().decode(z, 5, 7, true);
        for (int k = 0; k < 3; k++) { // later calls run compiled code
            assertArrayEquals(a, model.decoder().decode(z, 5, 7, k % 2 == 0), "call " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> model.decoder().decode(new float[z.length - 1], 5, 7, false));
    }

    @Test
    void matchesTensorFlowOnAHeldOutPhoto() throws Exception {
        Assumptions.assumeTrue(Photos.available(), "no photos (scripts/fetch-photos)");
        List<Path> test = Photos.testSet();
        RgbImage img = RgbImage.read(test.getFirst());
        Vbq.Analysis a = Vbq.analyze(img, model);
        ConvVae.Posterior q = a.posterior();
        Diff d = compare(q.mu(), q.height(), q.width());
        System.out.println(text(test.getFirst().getFileName() + ", posterior means", d));
        float[] z = a.codeOnce(16).z();
        Diff dz = compare(z, q.height(), q.width());
        System.out.println(text(test.getFirst().getFileName() + ", the file's points at lambda 16", dz));
        assertTrue(d.maxAbs() < 5e-3 && dz.maxAbs() < 5e-3, text("photo", d) + "; " + text("photo points", dz));
        assertTrue(dz.pixelsDiffering() <= dz.pixels() / 200, text("photo points", dz));
    }
}
