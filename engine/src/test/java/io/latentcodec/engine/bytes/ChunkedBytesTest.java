package io.latentcodec.engine.bytes;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.container.Container;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ChunkedBytesTest {

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    /** Random sizes, chunk sizes and thread counts: the container restores the input exactly. */
    @ParameterizedTest
    @MethodSource("seeds")
    void roundTripWithChunksAndThreads(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] data = new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(3) : rnd.nextInt(200_000)];
        int alphabet = 1 + rnd.nextInt(256);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (rnd.nextInt(alphabet) * rnd.nextInt(2));
        }
        int order = rnd.nextInt(2);
        int chunk = 1 + rnd.nextInt(70_000);
        int threads = 1 + rnd.nextInt(4);
        ChunkedBytes.MemorySink sink = new ChunkedBytes.MemorySink();
        long size = ChunkedBytes.compress(MemorySegment.ofArray(data), order, chunk, threads, null, sink);
        byte[] c = sink.toByteArray();
        assertEquals(size, c.length, "seed " + seed);
        Container.Header h = Container.read(MemorySegment.ofArray(c));
        assertEquals(Math.max(1, (data.length + chunk - 1) / chunk), h.chains().size(), "seed " + seed);
        ChunkedBytes.MemorySink back = new ChunkedBytes.MemorySink();
        ChunkedBytes.decompress(MemorySegment.ofArray(c), h, threads, null, back);
        assertArrayEquals(data, Arrays.copyOf(back.toByteArray(), data.length), "seed " + seed + " order " + order + " chunk " + chunk);
    }

    /** Every single-bit flip and every truncation of a small container of several chains, order 0 and 1: the original, or the corrupt-input error. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void everyBitFlipAndTruncationIsCaught(int order) {
        byte[] data = "to be or not to be, that is the question; ".repeat(8).getBytes();
        ChunkedBytes.MemorySink sink = new ChunkedBytes.MemorySink();
        try {
            ChunkedBytes.compress(MemorySegment.ofArray(data), order, 100, 1, null, sink);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] c = sink.toByteArray();
        for (int bit = 0; bit < c.length * 8; bit++) {
            byte[] bad = c.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                assertArrayEquals(data, ChunkedBytes.decompress(bad), "order " + order + ": bit " + bit + " decoded to other data");
            } catch (CorruptInputException expected) {
                // the one error for damaged input
            } catch (RuntimeException other) {
                fail("order " + order + ": flip of bit " + bit + " threw " + other, other);
            }
        }
        for (int len = 0; len < c.length; len++) {
            byte[] cut = Arrays.copyOf(c, len);
            assertThrows(CorruptInputException.class, () -> ChunkedBytes.decompress(cut), "order " + order + ": truncation to " + len);
        }
    }

    /** Files of several containers (what the Hadoop codec writes): they decode to the members' bytes in order, whatever each member's order. */
    @ParameterizedTest
    @MethodSource("seeds")
    void membersDecodeInOrder(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = 1 + rnd.nextInt(4);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream original = new java.io.ByteArrayOutputStream();
        for (int m = 0; m < k; m++) {
            byte[] data = new byte[rnd.nextInt(3) == 0 ? rnd.nextInt(2) : rnd.nextInt(50_000)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) rnd.nextInt(1 + rnd.nextInt(40));
            }
            original.writeBytes(data);
            file.writeBytes(ChunkedBytes.compressMember(MemorySegment.ofArray(data), rnd.nextInt(2), m < k - 1));
        }
        byte[] f = file.toByteArray();
        assertEquals(k, ChunkedBytes.members(MemorySegment.ofArray(f)).size(), "seed " + seed);
        assertArrayEquals(original.toByteArray(), ChunkedBytes.decompress(f), "seed " + seed + ", " + k + " members");
    }

    /** A file of several containers cut anywhere, at a container's end too, or with a byte flipped: the original, or the corrupt-input error. */
    @org.junit.jupiter.api.Test
    void membersCutAnywhereOrFlippedAreCaught() {
        byte[] a = "first member, first member; ".repeat(5).getBytes();
        byte[] b = "and the second one".repeat(4).getBytes();
        byte[] ca = ChunkedBytes.compressMember(MemorySegment.ofArray(a), 1, true);
        byte[] cb = ChunkedBytes.compressMember(MemorySegment.ofArray(b), 0, false);
        byte[] f = Arrays.copyOf(ca, ca.length + cb.length);
        System.arraycopy(cb, 0, f, ca.length, cb.length);
        byte[] whole = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, whole, a.length, b.length);
        assertArrayEquals(whole, ChunkedBytes.decompress(f));
        for (int len = 0; len < f.length; len++) {
            byte[] cut = Arrays.copyOf(f, len);
            CorruptInputException e = assertThrows(CorruptInputException.class, () -> ChunkedBytes.decompress(cut), "truncation to " + len);
            if (len == ca.length) {
                assertTrue(e.getMessage().contains("says another follows"), e.getMessage());
            }
        }
        for (int bit = 0; bit < f.length * 8; bit++) {
            byte[] bad = f.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                assertArrayEquals(whole, ChunkedBytes.decompress(bad), "bit " + bit + " decoded to other data");
            } catch (CorruptInputException expected) {
                // the one error for damaged input
            } catch (RuntimeException other) {
                fail("flip of bit " + bit + " threw " + other, other);
            }
        }
        byte[] twice = Arrays.copyOf(cb, 2 * cb.length);
        System.arraycopy(cb, 0, twice, cb.length, cb.length);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> ChunkedBytes.decompress(twice));
        assertTrue(e.getMessage().contains("longer than its container"), e.getMessage());
    }
}
