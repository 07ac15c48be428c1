package io.latentcodec.models.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The MNIST digit-file reader ({@code {"data": [v, ...]}}, values round(b/255, 3)) under Jazzer.
 * It lives in the reader's package because the parser is package-private. Any input gives
 * whole 784-pixel images or {@link MalformedDataException}; what reads writes back (each byte b
 * as round(b/255, 3)) to a file that reads the same.
 */
class MnistJsonFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] bytes) {
        byte[] px;
        try {
            px = Mnist.parseDigitFile(bytes);
        } catch (MalformedDataException expected) {
            return;
        }
        assertEquals(0, px.length % Mnist.PIXELS);
        StringBuilder b = new StringBuilder("{\"data\": [");
        for (int i = 0; i < px.length; i++) {
            b.append(i == 0 ? "" : ",").append(java.math.BigDecimal.valueOf((px[i] & 0xFF) * 1000L / 255.0)
                    .setScale(0, java.math.RoundingMode.HALF_UP).movePointLeft(3).stripTrailingZeros().toPlainString());
        }
        b.append("]}");
        assertArrayEquals(px, Mnist.parseDigitFile(b.toString().getBytes(StandardCharsets.US_ASCII)));
    }
}
