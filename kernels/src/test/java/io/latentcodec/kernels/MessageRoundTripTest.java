package io.latentcodec.kernels;

import io.latentcodec.ZeroProbabilityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property tests of the stack contract, as seeded generators: every case prints its seed on
 * failure, and {@code -Dtest=MessageRoundTripTest#program} with that seed reproduces it.
 */
class MessageRoundTripTest {

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    /** One coding step: tables per symbol, the symbols, push or pop. */
    record Step(boolean push, int precision, Table[] tables, int[] symbols) {
    }

    static Message[] implementations(int lanes, long seed) {
        return new Message[] {Message.createScalar(lanes, seed), new MessageVector(lanes, seed)};
    }

    static void push(Message m, Step st) {
        int k = st.symbols.length;
        int[] start = new int[k + 3];
        int[] freq = new int[k + 3];
        for (int i = 0; i < k; i++) {
            start[i + 3] = st.tables[i].start(st.symbols[i]);
            freq[i + 3] = st.tables[i].freq(st.symbols[i]);
        }
        m.push(st.precision, start, freq, 3, k); // a non-zero offset on purpose
    }

    static int[] pop(Message m, int precision, Table[] tables) {
        int[] out = new int[tables.length];
        m.pop(precision, tables.length, (k0, n, cf, start, freq) -> {
            for (int i = 0; i < n; i++) {
                Table t = tables[k0 + i];
                int s = t.find(cf[i]);
                out[k0 + i] = s;
                start[i] = t.start(s);
                freq[i] = t.freq(s);
            }
        });
        return out;
    }

    static Step randomStep(SplittableRandom rnd, int lanes, boolean push) {
        int precision = 1 + rnd.nextInt(Message.PRECISION_MAX);
        int k = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> lanes;
            case 3 -> lanes * (1 + rnd.nextInt(4)) + rnd.nextInt(lanes);
            default -> rnd.nextInt(3 * lanes + 2);
        };
        Table[] pool = new Table[1 + rnd.nextInt(4)];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = Table.random(rnd, precision);
        }
        Table[] tables = new Table[k];
        int[] symbols = new int[k];
        for (int i = 0; i < k; i++) {
            tables[i] = pool[rnd.nextInt(pool.length)];
            symbols[i] = rnd.nextInt(8) == 0 ? rnd.nextInt(tables[i].alphabet()) : tables[i].sample(rnd);
        }
        return new Step(push, precision, tables, symbols);
    }

    /**
     * A random program of pushes and pops (pops of fresh distributions as bits-back does, also on
     * an empty tail), run forwards on the scalar and the vector implementation in lockstep (same
     * bytes after every step), then undone step by step: symbols come back, and the message ends
     * exactly where it began.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void program(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int lanes = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(64) : new int[] {1, 2, 7, 8, 9, 16, 32, 33, 64}[rnd.nextInt(9)];
        Message[] ms = implementations(lanes, rnd.nextLong());
        Message[] initial = {ms[0].copy(), ms[1].copy()};
        try {
            List<Step> done = new ArrayList<>();
            int steps = 1 + rnd.nextInt(12);
            for (int i = 0; i < steps; i++) {
                Step st = randomStep(rnd, lanes, rnd.nextInt(3) != 0);
                if (st.push) {
                    for (Message m : ms) {
                        push(m, st);
                    }
                    done.add(st);
                } else {
                    int[] a = pop(ms[0], st.precision, st.tables);
                    int[] b = pop(ms[1], st.precision, st.tables);
                    assertArrayEquals(a, b, "seed " + seed + ": scalar and vector popped different symbols at step " + i);
                    done.add(new Step(false, st.precision, st.tables, a));
                }
                assertArrayEquals(ms[0].toByteArray(), ms[1].toByteArray(),
                        "seed " + seed + ": scalar and vector bytes differ after step " + i + " (lanes " + lanes + ")");
            }
            for (int i = done.size() - 1; i >= 0; i--) {
                Step st = done.get(i);
                for (Message m : ms) {
                    if (st.push) {
                        int[] got = pop(m, st.precision, st.tables);
                        assertArrayEquals(st.symbols, got, "seed " + seed + ": " + m.implementation() + " popped other symbols undoing step " + i);
                    } else {
                        push(m, st);
                    }
                }
            }
            for (int v = 0; v < 2; v++) {
                assertTrue(ms[v].contentEquals(initial[v]), "seed " + seed + ": " + ms[v].implementation() + " did not return to its initial state");
                assertTrue(ms[v].isPristine(), "seed " + seed + ": " + ms[v].implementation() + " is not pristine after undoing everything");
            }
        } finally {
            for (Message m : ms) {
                m.close();
            }
            initial[0].close();
            initial[1].close();
        }
    }

    /** Serialise mid-stream, read back with either implementation, and finish decoding from the copy. */
    @ParameterizedTest
    @MethodSource("seeds")
    void serializeThenDecode(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int lanes = 1 + rnd.nextInt(40);
        try (Message m = Message.createScalar(lanes, seed)) {
            Step a = randomStep(rnd, lanes, true);
            Step b = randomStep(rnd, lanes, true);
            int[] popped = pop(m, 12, new Table[] {Table.random(rnd, 12), Table.random(rnd, 12), Table.random(rnd, 12)});
            assertEquals(3, popped.length);
            push(m, a);
            push(m, b);
            byte[] bytes = m.toByteArray();
            assertEquals(m.byteSize(), bytes.length);
            for (boolean vector : new boolean[] {false, true}) {
                try (Message r = Message.readFrom(java.lang.foreign.MemorySegment.ofArray(bytes), 0, vector)) {
                    assertArrayEquals(bytes, r.toByteArray(), "seed " + seed);
                    assertArrayEquals(b.symbols, pop(r, b.precision, b.tables), "seed " + seed);
                    assertArrayEquals(a.symbols, pop(r, a.precision, a.tables), "seed " + seed);
                }
            }
        }
    }

    @Test
    void emptyPushAndPopChangeNothing() {
        for (Message m : implementations(5, 42)) {
            try (m; Message before = m.copy()) {
                m.push(8, new int[0], new int[0], 0, 0);
                m.pop(8, 0, (k0, n, cf, s, f) -> fail("no round expected"));
                assertTrue(m.contentEquals(before));
                assertTrue(m.isPristine());
            }
        }
    }

    /** Exact sizes for tiny inputs: a fresh message is 32 header bytes plus 8 per lane; one certain symbol adds nothing. */
    @Test
    void exactSizesOfTinyMessages() {
        for (Message m : implementations(3, 7)) {
            try (m) {
                assertEquals(32 + 3 * 8, m.byteSize());
                m.push(24, new int[] {0}, new int[] {1 << 24}, 0, 1); // probability 1: costs 0 bits
                assertEquals(32 + 3 * 8, m.byteSize());
                assertTrue(m.isPristine());
                // a symbol of probability 2^-24 on a fresh lane (x < 2^32) costs 24 bits, no word yet
                m.push(24, new int[] {5}, new int[] {1}, 0, 1);
                assertEquals(0, m.tailWords());
                m.push(24, new int[] {5, 5}, new int[] {1, 1}, 0, 1);
                assertEquals(1, m.tailWords(), "second 24-bit symbol on lane 0 overflows 2^63 and emits one word");
            }
        }
    }

    @Test
    void zeroFrequencyAndOutOfRangeAreRefused() {
        for (Message m : implementations(4, 1)) {
            try (m) {
                assertThrows(ZeroProbabilityException.class, () -> m.push(8, new int[] {0}, new int[] {0}, 0, 1));
                assertThrows(ZeroProbabilityException.class, () -> m.push(8, new int[] {200}, new int[] {57}, 0, 1));
                assertThrows(ZeroProbabilityException.class, () -> m.push(8, new int[] {-1}, new int[] {2}, 0, 1));
                assertThrows(IllegalArgumentException.class, () -> m.push(25, new int[] {0}, new int[] {1}, 0, 1));
                assertThrows(IllegalArgumentException.class, () -> m.push(0, new int[] {0}, new int[] {1}, 0, 1));
                assertThrows(IllegalArgumentException.class, () -> m.push(8, new int[] {0}, new int[] {1}, 1, 1));
                assertThrows(IllegalStateException.class,
                        () -> m.pop(8, 1, (k0, n, cf, s, f) -> { s[0] = cf[0] + 1; f[0] = 1; }));
            }
        }
    }

    /** Bits-back begins by popping from nothing: clean bits come from the seed, reproducibly. */
    @Test
    void popFromEmptyIsSeededAndDeterministic() {
        Table t = new Table(16, new int[] {1 << 14, 1 << 14, 1 << 15});
        Table[] ts = new Table[1000];
        java.util.Arrays.fill(ts, t);
        int[] a;
        int[] b;
        int[] c;
        try (Message m1 = Message.createScalar(4, 99); Message m2 = new MessageVector(4, 99); Message m3 = Message.createScalar(4, 100)) {
            a = pop(m1, 16, ts);
            b = pop(m2, 16, ts);
            c = pop(m3, 16, ts);
            assertArrayEquals(a, b);
            assertTrue(m1.tailWords() == 0 && m1.contentEquals(m1.copy()));
        }
        assertTrue(!java.util.Arrays.equals(a, c), "different seeds should give different clean bits");
        int twos = 0;
        for (int s : a) {
            twos += s == 2 ? 1 : 0;
        }
        assertTrue(twos > 420 && twos < 580, "clean bits should look uniform: symbol 2 (p=1/2) came " + twos + " times of 1000");
    }
}
