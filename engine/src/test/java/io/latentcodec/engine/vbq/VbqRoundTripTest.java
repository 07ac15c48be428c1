package io.latentcodec.engine.vbq;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.image.Metrics;
import io.latentcodec.engine.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The lossy codec end to end with a tiny TensorFlow model: bit-exact decoding, rate control, refusal of damaged files and other models. */
class VbqRoundTripTest {
    @TempDir
    static Path dir;
    static VbqModel model;
    static VbqModel other;

    @BeforeAll
    static void models() throws Exception {
        model = TinyVbq.create(dir.resolve("a"), 1);
        other = TinyVbq.create(dir.resolve("b"), 2);
    }

    @AfterAll
    static void close() {
        model.close();
        other.close();
    }

    static LongStream seeds() {
        return LongStream.range(0, 12);
    }

    /** The decoder reproduces the encoder's reconstruction bit for bit, at any size (padding) and lambda. */
    @ParameterizedTest
    @MethodSource("seeds")
    void decoderReproducesTheEncodersReconstruction(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RgbImage img = TinyVbq.image(r, 1 + r.nextInt(70), 1 + r.nextInt(50));
        double lambda = Math.exp(-6 + 12 * r.nextDouble());
        Vbq.Result res = Vbq.compress(img, model, lambda);
        RgbImage back = Vbq.decompress(res.container(), model);
        assertArrayEquals(res.reconstruction().rgb(), back.rgb(), "seed " + seed + ", lambda " + lambda);
        assertEquals(img.width(), back.width(), "seed " + seed);
        assertEquals(Metrics.psnr(img, back), res.stats().psnr(), 0.0, "seed " + seed);
        assertEquals(res.container().length, res.stats().bytes(), "seed " + seed);
        Vbq.Result uni = Vbq.compressUniform(img, model, r.nextInt(model.tables().uniformSteps()));
        assertArrayEquals(uni.reconstruction().rgb(), Vbq.decompress(uni.container(), model).rgb(), "seed " + seed + " (uniform)");
    }

    /** Rates: the file shrinks as lambda grows (on average over images), and compressToBpp meets its target when it can. */
    @ParameterizedTest
    @MethodSource("seeds")
    void rateFollowsLambda(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 100);
        RgbImage img = TinyVbq.image(r, 48 + r.nextInt(40), 32 + r.nextInt(40));
        Vbq.Analysis a = Vbq.analyze(img, model);
        long small = a.bytesAt(1e-3);
        long mid = a.bytesAt(1);
        long large = a.bytesAt(1e3);
        assertTrue(small >= mid && mid >= large, "seed " + seed + ": sizes " + small + ", " + mid + ", " + large + " at lambda 1e-3, 1, 1e3");
        double target = (mid * 8.0) / (img.width() * img.height());
        Vbq.Result res = a.compressToBpp(target);
        assertTrue(res.stats().bpp() <= target + 1e-12, "seed " + seed + ": " + res.stats().bpp() + " bpp for a target of " + target);
        assertArrayEquals(res.reconstruction().rgb(), Vbq.decompress(res.container(), model).rgb(), "seed " + seed);
    }

    /** Every single-byte change and every truncation is refused with the one corrupt-input exception (or as another model's file). */
    @ParameterizedTest
    @MethodSource("seeds")
    void damagedFilesAreRefused(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 200);
        RgbImage img = TinyVbq.image(r, 20 + r.nextInt(30), 20 + r.nextInt(30));
        byte[] c = Vbq.compress(img, model, Math.exp(-4 + 8 * r.nextDouble())).container();
        for (int k = 0; k < 25; k++) {
            byte[] bad = c.clone();
            int at = r.nextInt(bad.length);
            bad[at] ^= (byte) (1 + r.nextInt(255));
            try {
                RgbImage out = Vbq.decompress(bad, model);
                fail("seed " + seed + ": byte " + at + " of " + c.length + " changed, yet decoded a " + out.width() + "x" + out.height() + " image");
            } catch (CorruptInputException | WrongModelException expected) {
                // refused
            }
        }
        int cut = r.nextInt(c.length);
        assertThrows(CorruptInputException.class, () -> Vbq.decompress(Arrays.copyOf(c, cut), model), "seed " + seed + ": cut at " + cut);
        byte[] longer = Arrays.copyOf(c, c.length + 1 + r.nextInt(9));
        assertThrows(CorruptInputException.class, () -> Vbq.decompress(longer, model), "seed " + seed + ": trailing bytes");
    }

    @Test
    void anotherModelIsRefused() {
        RgbImage img = TinyVbq.image(new SplittableRandom(7), 40, 30);
        byte[] c = Vbq.compress(img, model, 1).container();
        WrongModelException e = assertThrows(WrongModelException.class, () -> Vbq.decompress(c, other));
        assertTrue(e.getMessage().contains("tiny-1"), e.getMessage());
    }

    /** A valid file's header resealed to declare more than MAX_PIXELS is refused before any decoding work; so is such an image to encode. */
    @Test
    void declaredSizesAboveTheCapAreRefused() {
        RgbImage img = TinyVbq.image(new SplittableRandom(8), 32, 32);
        byte[] c = Vbq.compress(img, model, 1).container();
        io.latentcodec.engine.container.Container.Header h = io.latentcodec.engine.container.Container.read(java.lang.foreign.MemorySegment.ofArray(c));
        io.latentcodec.engine.container.Container.Chain ch = h.chains().get(0);
        long side = 4097;
        byte[] head = new io.latentcodec.engine.container.Container.Header(io.latentcodec.engine.container.CodecId.VBQ, 0, h.fingerprint(),
                new long[] {side, side, 3}, h.params(), java.util.List.of(new io.latentcodec.engine.container.Container.Chain(ch.streamBytes(),
                3 * side * side, ch.crc32c()))).toBytes();
        byte[] forged = Arrays.copyOf(head, head.length + c.length - (int) h.streamsAt());
        System.arraycopy(c, (int) h.streamsAt(), forged, head.length, c.length - (int) h.streamsAt());
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> Vbq.decompress(forged, model));
        assertTrue(e.getMessage().contains(Long.toString(Vbq.MAX_PIXELS)), e.getMessage());
        RgbImage huge = new RgbImage(4097, 4096, new byte[3 * 4097 * 4096]);
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> Vbq.compress(huge, model, 1));
        assertTrue(big.getMessage().contains("exceeds"), big.getMessage());
    }
}
