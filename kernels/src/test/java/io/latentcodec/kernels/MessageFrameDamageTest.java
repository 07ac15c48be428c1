package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every single-bit flip and every truncation of a small message frame, full and compact, read by
 * the scalar and the vector implementation. The frame holds a miniature bits-back stream: per
 * batch the encoder pops latents z with q, pushes data x with a table chosen by z, pushes z with
 * the prior; the decoder mirrors it and, as the bits-back decoder does, checks that the message
 * ends in its fresh state and that a CRC32C of x matches. A frame has no checksum of its own
 * (damage to bits coded at exact probability changes those symbols and nothing else), so each
 * damaged frame must be refused when read, or fail one of those two checks, or decode to x.
 */
class MessageFrameDamageTest {
    static final int LANES = 3;
    static final int BATCHES = 4;
    static final int LATENTS = 4;
    static final int PIXELS = 6;

    final Table posterior;
    final Table prior;
    final Table[] likelihood;
    final int[][] x;

    MessageFrameDamageTest() {
        SplittableRandom r = new SplittableRandom(77);
        posterior = table(r, 10, 16);
        prior = table(r, 4, 16);
        // one uniform table: a flip in the bits that select its symbols changes the symbol and nothing else,
        // so only the CRC of the data can notice it (this is why the container has one per chain)
        likelihood = new Table[] {table(r, 12, 8), table(r, 12, 8), new Table(12, new int[] {512, 512, 512, 512, 512, 512, 512, 512})};
        x = new int[BATCHES][PIXELS];
        for (int[] batch : x) {
            for (int i = 0; i < PIXELS; i++) {
                batch[i] = r.nextInt(8);
            }
        }
    }

    /** A seeded table of {@code alphabet} symbols at {@code precision} bits (uniform when the precision leaves no room). */
    static Table table(SplittableRandom r, int precision, int alphabet) {
        int[] f = new int[alphabet];
        Arrays.fill(f, 1);
        for (int left = (1 << precision) - alphabet; left > 0; left--) {
            f[r.nextInt(alphabet)]++;
        }
        return new Table(precision, f);
    }

    /** The table of pixel i given the batch's latents: a fixed function of z, the same on both sides. */
    Table likelihoodOf(int[] z, int i) {
        return likelihood[(z[i % LATENTS] + i) % likelihood.length];
    }

    Table[] likelihoods(int[] z) {
        Table[] t = new Table[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            t[i] = likelihoodOf(z, i);
        }
        return t;
    }

    static Table[] all(Table t, int n) {
        Table[] out = new Table[n];
        Arrays.fill(out, t);
        return out;
    }

    static void push(Message m, Table[] tables, int[] symbols) {
        int[] start = new int[symbols.length];
        int[] freq = new int[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            start[i] = tables[i].start(symbols[i]);
            freq[i] = tables[i].freq(symbols[i]);
        }
        m.push(tables[0].precision, start, freq, 0, symbols.length);
    }

    static int[] pop(Message m, Table[] tables) {
        int[] out = new int[tables.length];
        m.pop(tables[0].precision, tables.length, (k0, n, cf, start, freq) -> {
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

    /** All likelihood tables share precision 12, so one push or pop call codes a batch's pixels. */
    void encode(Message m) {
        for (int[] batch : x) {
            int[] z = pop(m, all(posterior, LATENTS));    // bits back
            push(m, likelihoods(z), batch);
            push(m, all(prior, LATENTS), z);
        }
    }

    /** Decodes into {@code out}; returns whether both checks pass (fresh final state, CRC32C of the data). */
    boolean decodeAndCheck(Message m, int[][] out, long crc) {
        for (int b = BATCHES - 1; b >= 0; b--) {
            int[] z = pop(m, all(prior, LATENTS));
            out[b] = pop(m, likelihoods(z));
            push(m, all(posterior, LATENTS), z);         // give the bits back
        }
        return m.isPristine() && crc(out) == crc;
    }

    static long crc(int[][] data) {
        CRC32C c = new CRC32C();
        for (int[] row : data) {
            for (int v : row) {
                c.update(v);
            }
        }
        return c.getValue();
    }

    static Message read(byte[] frame, boolean compact, boolean vector) {
        return compact ? Message.readCompact(MemorySegment.ofArray(frame), 0, frame.length, LANES, 9, vector)
                : Message.readFrom(MemorySegment.ofArray(frame), 0, vector);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyBitFlipAndTruncationIsCaught(boolean compact) {
        byte[] frame;
        try (Message m = Message.createScalar(LANES, 9)) {
            encode(m);
            frame = compact ? m.toCompactByteArray() : m.toByteArray();
        }
        long crc = crc(x);
        for (boolean vector : new boolean[] {false, true}) {
            try (Message m = read(frame, compact, vector)) {
                int[][] out = new int[BATCHES][];
                if (!decodeAndCheck(m, out, crc) || !Arrays.deepEquals(x, out)) {
                    fail("the undamaged frame does not decode (vector " + vector + ")");
                }
            }
        }
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] bad = frame.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            for (boolean vector : new boolean[] {false, true}) {
                Message m;
                try {
                    m = read(bad, compact, vector);
                } catch (CorruptInputException refused) {
                    continue;
                }
                try (m) {
                    int[][] out = new int[BATCHES][];
                    if (decodeAndCheck(m, out, crc) && !Arrays.deepEquals(x, out)) {
                        fail((compact ? "compact" : "full") + " frame, flip of bit " + bit + " (vector " + vector
                                + "): other data passed the final-state check and its CRC32C");
                    }
                } catch (RuntimeException other) {
                    fail("flip of bit " + bit + " (vector " + vector + ") threw " + other, other);
                }
            }
        }
        for (int len = 0; len < frame.length; len++) {
            byte[] cut = Arrays.copyOf(frame, len);
            for (boolean vector : new boolean[] {false, true}) {
                int l = len;
                assertThrows(CorruptInputException.class, () -> read(cut, compact, vector).close(), "truncation to " + l + " bytes");
            }
        }
    }
}
