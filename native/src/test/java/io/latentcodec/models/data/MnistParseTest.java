package io.latentcodec.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The digit-file parser and the split permutation, without the real data. */
class MnistParseTest {

    /** Writes v = round(b / 255, 3) the way JavaScript prints it (shortest form: 0, 1, 0.2, 0.624). */
    static String js(int b) {
        BigDecimal v = BigDecimal.valueOf(b).divide(BigDecimal.valueOf(255), 3, RoundingMode.HALF_UP).stripTrailingZeros();
        return v.signum() == 0 ? "0" : v.toPlainString();
    }

    static byte[] file(int[] bytes) {
        StringBuilder s = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < bytes.length; i++) {
            s.append(i > 0 ? "," : "").append(js(bytes[i]));
        }
        return s.append("]}\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void everyByteValueIsRecoveredExactly() {
        int[] px = new int[784 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 7) % 256;
        }
        byte[] got = Mnist.parseDigitFile(file(px));
        assertEquals(px.length, got.length);
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i], got[i] & 0xFF, "pixel " + i);
        }
        assertArrayEquals(new byte[0], Mnist.parseDigitFile("{\"data\":[]}".getBytes(StandardCharsets.US_ASCII)));
    }

    private static MalformedDataException bad(String json) {
        return assertThrows(MalformedDataException.class, () -> Mnist.parseDigitFile(json.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void valuesThatAreNoByteRoundingAreRefused() {
        String zeros = ",0".repeat(783);
        MalformedDataException e = bad("{\"data\":[0.5" + zeros + "]}");
        assertEquals(9, e.offset());
        assertTrue(e.getMessage().contains("not round(b/255, 3)"), e.getMessage());
        assertTrue(bad("{\"data\":[0.1234" + zeros + "]}").getMessage().contains("more than 3 decimals"));
        assertTrue(bad("{\"data\":[1.5" + zeros + "]}").getMessage().contains("above 1"));
        assertTrue(bad("{\"data\":[-0.2" + zeros + "]}").getMessage().contains("expected a number"));
        assertTrue(bad("{\"data\":[0" + ",0".repeat(782) + "]}").getMessage().contains("783 values"));
        assertTrue(bad("{\"data\":[0,0").getMessage().contains("truncated"));
        assertTrue(bad("{\"pixels\":[]}").getMessage().contains("\"data\""));
        assertTrue(bad("{\"data\":[]} x").getMessage().contains("trailing"));
    }

    @Test
    void theSplitPermutationIsFixed() {
        int[] p = Mnist.splitPermutation(Mnist.IMAGES, Mnist.SPLIT_SEED);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, Mnist.splitPermutation(Mnist.IMAGES, Mnist.SPLIT_SEED));
        // pinned: the engine and earlier releases depend on exactly this split
        assertArrayEquals(new int[] {5721, 484, 2136}, Arrays.copyOf(p, 3));
        assertEquals(420, p[9999]);
    }
}
