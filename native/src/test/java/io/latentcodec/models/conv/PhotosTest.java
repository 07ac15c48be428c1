package io.latentcodec.models.conv;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The photo sets: disjoint, distinctly named test crops, exact downscaling and cropping, pinned test crops when the photos are present. */
class PhotosTest {
    /** First 16 hex digits of {@link Photos#pixelHash} of each test crop, in {@link Photos#TEST} order. */
    static final List<String> PINNED = List.of(
            "9890039b1a1e537b",
            "23287c6697574eaf",
            "996991b605146af4",
            "7718c9582a0c0034",
            "c5fbab995c380ddc",
            "bd7503625b4aed59",
            "b065c1ce0363eea0",
            "a845763284aa0420",
            "2a037228f77fd45d",
            "3f2afd2140634c2b",
            "492e3a05d0663fd6",
            "44ccf03134bb8cc4",
            "b9fcf8a23745c603",
            "a78212b4e749f539",
            "00d5b9d588442971",
            "986e4ee71efb471f",
            "9318df1d49540006",
            "af55bd674d3ef653",
            "c194b63527a0217c",
            "f64d49b13f17e752",
            "76e6325fa5064cb0",
            "3cfdc5919d4c82a0",
            "e386864444936d0a",
            "4ec53a40edc7d878");

    @Test
    void trainingAndTestPhotosAreDisjointAndTestNamesDistinct() {
        Set<String> test = new HashSet<>(Photos.TEST);
        assertEquals(24, test.size());
        for (String t : Photos.TRAIN) {
            assertTrue(!test.contains(t), t + " is in both sets");
        }
        Set<String> names = new HashSet<>();
        for (String t : Photos.TEST) {
            assertTrue(names.add(Photos.testName(t)), "two test photos map to " + Photos.testName(t));
        }
    }

    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void downscaleAveragesBlocksRoundingHalfUp(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = 1 + r.nextInt(5);
        int w = 1 + r.nextInt(40);
        int h = 1 + r.nextInt(40);
        byte[] b = new byte[3 * w * h];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        Photos.Rgb img = new Photos.Rgb(w, h, b);
        Photos.Rgb small = w / k > 0 && h / k > 0 ? Photos.downscale(img, k) : null;
        if (small == null) {
            return;
        }
        assertEquals(w / k, small.width(), "seed " + seed);
        int x = r.nextInt(small.width());
        int y = r.nextInt(small.height());
        int c = r.nextInt(3);
        int sum = 0;
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                sum += b[3 * ((y * k + dy) * w + x * k + dx) + c] & 0xFF;
            }
        }
        assertEquals((sum + k * k / 2) / (k * k), small.rgb()[3 * (y * small.width() + x) + c] & 0xFF, "seed " + seed);
        Photos.Rgb crop = Photos.crop(img, x, y, w - x, h - y);
        assertEquals(b[3 * (y * w + x) + c], crop.rgb()[c], "seed " + seed);
    }

    /** One photo of each source package (decoding all 24 takes half a minute; the RD experiment uses them all). */
    @Test
    void testCropsArePinned() throws Exception {
        Assumptions.assumeTrue(Photos.available(), "skipped: the photos are not fetched (scripts/fetch-photos)");
        for (int i : new int[] {0, 9, 16, 23}) {
            Photos.Rgb crop = Photos.testCrop(Photos.read(Photos.sourceDir().resolve(Photos.TEST.get(i))));
            assertEquals(Photos.TEST_W * Photos.TEST_H * 3, crop.rgb().length);
            assertEquals(PINNED.get(i), Photos.pixelHash(crop).substring(0, 16), Photos.TEST.get(i));
        }
    }
}
