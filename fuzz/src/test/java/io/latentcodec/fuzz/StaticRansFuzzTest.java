package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.kernels.StaticRans;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The static byte codec under Jazzer. In {@code mvn test} the corpus under
 * src/test/resources/io/latentcodec/fuzz/StaticRansFuzzTestInputs/ runs as regression tests;
 * with {@code JAZZER_FUZZ=1} Jazzer searches for new inputs.
 */
class StaticRansFuzzTest {

    /**
     * Every byte array round-trips at order 0 and 1, and the scalar and vector kernels write the
     * same stream. (Order 1 has scalar kernels only, so it is coded once: under Jazzer's
     * instrumentation its 4096-slot decoder table per context dominates the cost of an input.)
     */
    @FuzzTest(maxDuration = "30s")
    void roundTrip(byte[] data) {
        for (int order = 0; order <= 1; order++) {
            byte[] scalar = compress(data, order, false);
            byte[] out = new byte[data.length];
            StaticRans.decompress(MemorySegment.ofArray(scalar), MemorySegment.ofArray(out), false);
            assertArrayEquals(data, out);
            if (order == 0) {
                assertArrayEquals(scalar, compress(data, order, true), "scalar and vector streams differ");
                Arrays.fill(out, (byte) 0);
                StaticRans.decompress(MemorySegment.ofArray(scalar), MemorySegment.ofArray(out), true);
                assertArrayEquals(data, out);
            }
        }
    }

    /** Arbitrary bytes fed to the decoder: a result or the corrupt-input error, never another exception or a hang. */
    @FuzzTest(maxDuration = "30s")
    void decodeArbitraryBytes(FuzzedDataProvider in) {
        boolean vector = in.consumeBoolean();
        byte[] stream = in.consumeRemainingAsBytes();
        try {
            byte[] out = StaticRans.decompress(stream, 1 << 16);
            // a stream that decodes passed the CRC: it must re-encode to a stream that decodes to the same bytes
            assertArrayEquals(out, StaticRans.decompress(StaticRans.compress(out, StaticRans.order(MemorySegment.ofArray(stream)))));
        } catch (CorruptInputException expected) {
            // the one error for damaged input
        }
        try {
            long n = StaticRans.decompressedLength(MemorySegment.ofArray(stream));
            if (n <= 1 << 16) {
                StaticRans.decompress(MemorySegment.ofArray(stream), MemorySegment.ofArray(new byte[(int) n]), vector);
            }
        } catch (CorruptInputException expected) {
            // likewise
        }
    }

    /** A valid stream with bytes mutated by the fuzzer: the original or the corrupt-input error. */
    @FuzzTest(maxDuration = "30s")
    void mutatedValidStream(FuzzedDataProvider in) {
        byte[] data = in.consumeBytes(in.consumeInt(0, 4096));
        int order = in.consumeInt(0, 1);
        byte[] c = StaticRans.compress(data, order);
        int edits = in.consumeInt(1, 4);
        for (int e = 0; e < edits && c.length > 0; e++) {
            c[in.consumeInt(0, c.length - 1)] ^= (byte) in.consumeInt(1, 255);
        }
        if (in.consumeBoolean()) {
            c = Arrays.copyOf(c, in.consumeInt(0, c.length));
        }
        try {
            assertArrayEquals(data, StaticRans.decompress(c, 1 << 20));
        } catch (CorruptInputException expected) {
            // caught by a check
        }
    }

    private static byte[] compress(byte[] data, int order, boolean vector) {
        byte[] out = new byte[(int) StaticRans.maxCompressedLength(data.length, order)];
        long n = StaticRans.compress(MemorySegment.ofArray(data), MemorySegment.ofArray(out), order, vector);
        return Arrays.copyOf(out, (int) n);
    }
}
