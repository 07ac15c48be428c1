package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.kernels.Message;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
