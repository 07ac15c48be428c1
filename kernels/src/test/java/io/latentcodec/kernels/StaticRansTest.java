package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Seeded property tests of the static byte codec; every message names its seed. */
class StaticRansTest {

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    /** Inputs of every shape that has broken a byte coder: empty, tiny, lane-boundary sizes, one symbol, all symbols, skewed. */
    static byte[] randomInput(SplittableRandom rnd) {
        int n = switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextInt(4);
            case 1 -> 31 + rnd.nextInt(3);
            case 2 -> 32 * (1 + rnd.nextInt(40)) + rnd.nextInt(2) - 1;
            case 3 -> 1 << (6 + rnd.nextInt(12));
            default -> rnd.nextInt(20_000);
        };
        byte[] b = new byte[Math.max(0, n)];
        switch (rnd.nextInt(5)) {
            case 0 -> Arrays.fill(b, (byte) rnd.nextInt(256));
            case 1 -> { // all 256 values, uniform
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            case 2 -> { // geometric skew: a few symbols dominate, rare ones get frequency 1
                double p = rnd.nextDouble(0.05, 0.95);
                for (int i = 0; i < b.length; i++) {
                    int s = 0;
                    while (s < 255 && rnd.nextDouble() > p) {
                        s++;
                    }
                    b[i] = (byte) s;
                }
            }
            case 3 -> { // runs and a small alphabet: order-1 structure
                int alphabet = 1 + rnd.nextInt(6);
                for (int i = 0; i < b.length; ) {
                    byte v = (byte) ('a' + rnd.nextInt(alphabet));
                    int run = 1 + rnd.nextInt(10);
                    for (int k = 0; k < run && i < b.length; k++) {
                        b[i++] = v;
                    }
                }
            }
            default -> { // one dominant byte with rare outliers of every value
                Arrays.fill(b, (byte) 7);
                for (int k = 0; k < b.length / 100; k++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
        }
        return b;
    }

    static byte[] compress(byte[] in, int order, boolean vector) {
        byte[] out = new byte[(int) StaticRans.maxCompressedLength(in.length, order)];
        long n = StaticRans.compress(MemorySegment.ofArray(in), MemorySegment.ofArray(out), order, vector);
        return Arrays.copyOf(out, (int) n);
    }

    static byte[] decompress(byte[] in, boolean vector) {
        MemorySegment src = MemorySegment.ofArray(in);
        long n = StaticRans.plan(src).header().length(); // validates before the test allocates
        if (n > 1 << 20) { // a damaged length behind tables that do not bound it: the caller's limit refuses it
            assertThrows(CorruptInputException.class, () -> StaticRans.decompress(in, 1 << 20));
            throw new CorruptInputException(8, "over the test's limit");
        }
        byte[] out = new byte[(int) n];
        StaticRans.decompress(src, MemorySegment.ofArray(out), vector);
        return out;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void roundTripAndIdenticalBytes(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] in = randomInput(rnd);
        for (int order = 0; order <= 1; order++) {
            byte[] scalar = compress(in, order, false);
            byte[] vector = compress(in, order, true);
            assertArrayEquals(scalar, vector, "seed " + seed + " order " + order + " n " + in.length + ": scalar and vector streams differ");
            assertArrayEquals(in, decompress(scalar, false), "seed " + seed + " order " + order + ": scalar round trip");
            assertArrayEquals(in, decompress(scalar, true), "seed " + seed + " order " + order + ": vector round trip");
            assertEquals(order, StaticRans.order(MemorySegment.ofArray(scalar)));
            assertEquals(scalar.length, StaticRans.compressedLength(MemorySegment.ofArray(scalar)), "seed " + seed);
        }
    }

    /** Which vector width this JVM runs: the build runs this suite at 512 and at 256 bits (-XX:UseAVX=2). */
    @Test
    void reportsTheVectorWidthUnderTest() {
        System.out.println("StaticRansTest runs with " + Simd.describe());
        assertTrue(Simd.vectorEnabled(), "the test JVM should have the Vector API module and AVX2 or better");
    }

    @Test
    void publicByteArrayApi() {
        byte[] in = "the quick brown fox jumps over the lazy dog; the lazy dog sleeps".repeat(50).getBytes();
        for (int order = 0; order <= 1; order++) {
            byte[] c = StaticRans.compress(in, order);
            assertTrue(c.length < in.length, "order " + order + " should compress text: " + c.length);
            assertArrayEquals(in, StaticRans.decompress(c));
        }
    }

    /** Order 0 costs within a few tenths of a percent of the order-0 entropy on a large skewed input (12-bit tables). */
    @Test
    void order0RateNearEntropy() {
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] in = new byte[1 << 22];
        for (int i = 0; i < in.length; i++) {
            int s = 0;
            while (s < 255 && rnd.nextDouble() > 0.2) {
                s++;
            }
            in[i] = (byte) s;
        }
        long[] counts = StaticRansScalar.histogram(MemorySegment.ofArray(in), in.length);
        double entropyBits = 0;
        for (long c : counts) {
            if (c > 0) {
                entropyBits -= c * (Math.log((double) c / in.length) / Math.log(2));
            }
        }
        byte[] c = StaticRans.compress(in, 0);
        double overhead = c.length * 8.0 / entropyBits - 1;
        assertTrue(overhead < 0.01, "order-0 overhead over the empirical entropy " + overhead);
        assertTrue(overhead > 0, "cannot beat the entropy: " + overhead);
    }

    @Test
    void emptyAndOneByte() {
        for (int order = 0; order <= 1; order++) {
            byte[] e = StaticRans.compress(new byte[0], order);
            assertEquals(StaticRans.HEADER_BYTES + 4 * StaticRans.LANES, e.length, "empty stream: header and lane states only");
            assertEquals(0, StaticRans.decompress(e).length);
            byte[] one = StaticRans.compress(new byte[] {42}, order);
            assertArrayEquals(new byte[] {42}, StaticRans.decompress(one));
        }
    }

    /** A single repeated byte has probability 1: its codes are free, no words at all. */
    @Test
    void constantInputCostsNoWords() {
        byte[] in = new byte[1 << 20];
        Arrays.fill(in, (byte) 'z');
        byte[] c = StaticRans.compress(in, 0);
        assertEquals(0, MemorySegment.ofArray(c).get(StaticRans.LE_LONG, 24), "words");
        assertArrayEquals(in, StaticRans.decompress(c));
    }

    /** Every single-bit flip and every truncation of a small stream: the original, or the corrupt-input error. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void everyBitFlipAndTruncationIsCaught(int order) {
        byte[] in = "abracadabra, abracadabra! 0123456789".repeat(3).getBytes();
        byte[] c = StaticRans.compress(in, order);
        for (int bit = 0; bit < c.length * 8; bit++) {
            byte[] bad = c.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            for (boolean vector : new boolean[] {false, true}) {
                try {
                    byte[] out = decompress(bad, vector);
                    assertArrayEquals(in, out, "flip of bit " + bit + " decoded to other data without an error");
                } catch (CorruptInputException expected) {
                    assertTrue(expected.getMessage().contains("corrupt input"), expected.getMessage());
                } catch (RuntimeException other) {
                    fail("flip of bit " + bit + " (vector " + vector + ") threw " + other, other);
                }
            }
        }
        for (int len = 0; len < c.length; len++) {
            byte[] cut = Arrays.copyOf(c, len);
            for (boolean vector : new boolean[] {false, true}) {
                int l = len;
                assertThrows(CorruptInputException.class, () -> decompress(cut, vector), "truncation to " + l + " bytes");
            }
        }
    }
}
