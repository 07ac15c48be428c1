package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.kernels.Message;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The dynamic rANS message under Jazzer: fuzzer-chosen programs of pushes and pops, and fuzzer-made frames. */
class MessageFuzzTest {

    /** A distribution the fuzzer shapes: {@code alphabet} symbols, frequencies from its bytes, summing to 2^precision. */
    record Dist(int precision, int[] cum) {
        static Dist from(FuzzedDataProvider in) {
            int precision = in.consumeInt(1, Message.PRECISION_MAX);
            int total = 1 << precision;
            int alphabet = in.consumeInt(1, Math.min(total, 64));
            int[] cum = new int[alphabet + 1];
            int left = total - alphabet; // every symbol keeps 1
            for (int s = 0; s < alphabet; s++) {
                int extra = s == alphabet - 1 ? left : in.consumeInt(0, left);
                left -= extra;
                cum[s + 1] = cum[s] + 1 + extra;
            }
            return new Dist(precision, cum);
        }

        int find(int cf) {
            int s = 0;
            while (cum[s + 1] <= cf) {
                s++;
            }
            return s;
        }
    }

    record Step(boolean push, Dist dist, int[] symbols) {
    }

    /** A random program on scalar and vector messages in lockstep: same bytes after every step, and undoing it restores the start. */
    @FuzzTest(maxDuration = "30s")
    void programsUndoExactly(FuzzedDataProvider in) {
        int lanes = in.consumeInt(1, 70);
        long seed = in.consumeLong();
        try (Message a = Message.createScalar(lanes, seed); Message b = Message.createVector(lanes, seed)) {
            List<Step> steps = new ArrayList<>();
            int count = in.consumeInt(0, 8);
            for (int i = 0; i < count; i++) {
                Dist d = Dist.from(in);
                int k = in.consumeInt(0, 3 * lanes + 3);
                if (in.consumeBoolean()) {
                    int[] sym = new int[k];
                    for (int j = 0; j < k; j++) {
                        sym[j] = in.consumeInt(0, d.cum.length - 2);
                    }
                    push(a, d, sym);
                    push(b, d, sym);
                    steps.add(new Step(true, d, sym));
                } else {
                    int[] sa = pop(a, d, k);
                    int[] sb = pop(b, d, k);
                    assertArrayEquals(sa, sb);
                    steps.add(new Step(false, d, sa));
                }
                assertArrayEquals(a.toByteArray(), b.toByteArray(), "scalar and vector bytes differ after step " + i);
            }
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step s = steps.get(i);
                for (Message m : new Message[] {a, b}) {
                    if (s.push) {
                        assertArrayEquals(s.symbols, pop(m, s.dist, s.symbols.length));
                    } else {
                        push(m, s.dist, s.symbols);
                    }
                }
            }
            assertTrue(a.isPristine() && b.isPristine(), "undoing every step must restore the fresh message");
        }
    }

    /** Arbitrary bytes read as a message frame: a message or the corrupt-input error; a read message can always be popped. */
    @FuzzTest(maxDuration = "30s")
    void readArbitraryFrames(byte[] bytes) {
        try (Message m = Message.readFrom(bytes)) {
            byte[] again = m.toByteArray(); // a frame that reads must write back as its own prefix
            assertArrayEquals(again, java.util.Arrays.copyOf(bytes, again.length));
            int[] out = new int[3 * m.lanes()];
            m.pop(8, out.length, (k0, n, cf, start, freq) -> {
                for (int i = 0; i < n; i++) {
                    start[i] = cf[i];
                    freq[i] = 1;
                }
            });
        } catch (CorruptInputException expected) {
            // the one error for damaged input
        }
    }

    /**
     * Arbitrary bytes read as a compact frame (lanes and seed from the fuzzer, as a container
     * supplies them): a message or the corrupt-input error, within an allocation bound; a read
     * frame writes back to a frame that reads as the same message, and can be popped.
     */
    @FuzzTest(maxDuration = "30s")
    void readArbitraryCompactFrames(FuzzedDataProvider in) {
        int lanes = in.consumeInt(1, 64);
        long seed = in.consumeLong();
        boolean vector = in.consumeBoolean();
        byte[] frame = in.consumeRemainingAsBytes();
        Message m;
        try {
            Message[] read = new Message[1];
            // heads, the tail copy, the off-heap tail (not counted: native) and scratch: a few times the frame
            Allocation.bounded(frame.length, 8, 1 << 20, "readCompact",
                    () -> read[0] = Message.readCompact(MemorySegment.ofArray(frame), 0, frame.length, lanes, seed, vector));
            m = read[0];
        } catch (CorruptInputException expected) {
            return;
        }
        try (m; Message again = Message.readCompact(MemorySegment.ofArray(m.toCompactByteArray()), 0, m.compactSize(), lanes, seed, vector)) {
            assertTrue(m.contentEquals(again), "a compact frame that reads must write back as the same message");
            m.pop(8, 3 * lanes, (k0, n, cf, start, freq) -> {
                for (int i = 0; i < n; i++) {
                    start[i] = cf[i];
                    freq[i] = 1;
                }
            });
        }
    }

    /**
     * A message after a fuzzer-chosen program of pushes, as a full or a compact frame, then
     * damaged by fuzzer edits and truncation. A frame has no checksum of its own: damage to bits
     * that code symbols at their exact probability (uniform ones, say) changes those symbols and
     * nothing else, so a decoder needs two checks, as the bits-back decoder does: the message
     * must end in its fresh state, and a CRC32C of the decoded data must match. Reading and
     * undoing the program must therefore fail with the corrupt-input error, or fail one of those
     * checks, or give back the pushed symbols; never throw anything else.
     */
    @FuzzTest(maxDuration = "30s")
    void damagedFramesAreDetected(FuzzedDataProvider in) {
        int lanes = in.consumeInt(1, 24);
        long seed = in.consumeLong();
        boolean compact = in.consumeBoolean();
        List<Step> steps = new ArrayList<>();
        byte[] frame;
        java.util.zip.CRC32C pushed = new java.util.zip.CRC32C();
        try (Message m = Message.createScalar(lanes, seed)) {
            int count = in.consumeInt(1, 4);
            for (int i = 0; i < count; i++) {
                Dist d = Dist.from(in);
                int[] sym = new int[in.consumeInt(0, 3 * lanes + 3)];
                for (int j = 0; j < sym.length; j++) {
                    sym[j] = in.consumeInt(0, d.cum.length - 2);
                }
                push(m, d, sym);
                steps.add(new Step(true, d, sym));
            }
            frame = compact ? m.toCompactByteArray() : m.toByteArray();
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            update(pushed, steps.get(i).symbols);
        }
        byte[] original = frame.clone();
        int edits = in.consumeInt(1, 3);
        for (int e = 0; e < edits; e++) {
            frame[in.consumeInt(0, frame.length - 1)] ^= (byte) in.consumeInt(1, 255);
        }
        if (in.consumeBoolean()) {
            frame = Arrays.copyOf(frame, in.consumeInt(0, frame.length));
        }
        boolean vector = in.consumeBoolean();
        Message read;
        try {
            read = compact ? Message.readCompact(MemorySegment.ofArray(frame), 0, frame.length, lanes, seed, vector)
                    : Message.readFrom(MemorySegment.ofArray(frame), 0, vector);
        } catch (CorruptInputException expected) {
            return;
        }
        try (read) {
            boolean same = true;
            java.util.zip.CRC32C popped = new java.util.zip.CRC32C();
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step s = steps.get(i);
                int[] got = pop(read, s.dist, s.symbols.length);
                update(popped, got);
                same &= Arrays.equals(s.symbols, got);
            }
            if (!same && read.isPristine() && popped.getValue() == pushed.getValue()) {
                fail("a damaged frame decoded to other symbols that pass both the final-state check and their CRC32C ("
                        + (compact ? "compact" : "full") + " frame, " + frame.length + " of " + original.length + " bytes)");
            }
        }
    }

    private static void update(java.util.zip.CRC32C crc, int[] symbols) {
        for (int s : symbols) {
            crc.update(s);
            crc.update(s >>> 8);
        }
    }

    static void push(Message m, Dist d, int[] sym) {
        int[] start = new int[sym.length];
        int[] freq = new int[sym.length];
        for (int j = 0; j < sym.length; j++) {
            start[j] = d.cum[sym[j]];
            freq[j] = d.cum[sym[j] + 1] - d.cum[sym[j]];
        }
        m.push(d.precision, start, freq, 0, sym.length);
    }

    static int[] pop(Message m, Dist d, int k) {
        int[] out = new int[k];
        m.pop(d.precision, k, (k0, n, cf, start, freq) -> {
            for (int i = 0; i < n; i++) {
                int s = d.find(cf[i]);
                out[k0 + i] = s;
                start[i] = d.cum[s];
                freq[i] = d.cum[s + 1] - d.cum[s];
            }
        });
        return out;
    }
}
