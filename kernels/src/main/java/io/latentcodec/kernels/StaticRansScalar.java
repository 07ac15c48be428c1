package io.latentcodec.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.latentcodec.kernels.StaticRans.L;
import static io.latentcodec.kernels.StaticRans.LANES;
import static io.latentcodec.kernels.StaticRans.LE_SHORT;
import static io.latentcodec.kernels.StaticRans.PRECISION;
import static io.latentcodec.kernels.StaticRans.RENORM_SHIFT;

/**
 * Scalar reference kernels of {@link StaticRans}: one lane at a time, in exactly the order the
 * format defines. Lane states live in {@code heads}; on return the encoder leaves its final
 * states there and the decoder the states it ended in (which must be {@code 2^15}).
 */
final class StaticRansScalar {
    private static final int SLOT_MASK = (1 << PRECISION) - 1;

    private StaticRansScalar() {
    }

    /**
     * Byte counts of {@code in[0, n)}. Eight bytes are read at once and spread over four count
     * tables, so runs of one byte do not serialise on a single counter (store-to-load forwarding).
     */
    static long[] histogram(MemorySegment in, long n) {
        int[] c0 = new int[256];
        int[] c1 = new int[256];
        int[] c2 = new int[256];
        int[] c3 = new int[256];
        long[] counts = new long[256];
        long i = 0;
        while (i < n) {
            long end = Math.min(n, i + (1L << 29)); // each int counter sees at most 2^30 bytes per round
            for (; i + 8 <= end; i += 8) {
                long w = in.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
                c0[(int) w & 0xFF]++;
                c1[(int) (w >>> 8) & 0xFF]++;
                c2[(int) (w >>> 16) & 0xFF]++;
                c3[(int) (w >>> 24) & 0xFF]++;
                c0[(int) (w >>> 32) & 0xFF]++;
                c1[(int) (w >>> 40) & 0xFF]++;
                c2[(int) (w >>> 48) & 0xFF]++;
                c3[(int) (w >>> 56)]++;
            }
            for (; i < end; i++) {
                c0[in.get(ValueLayout.JAVA_BYTE, i) & 0xFF]++;
            }
            for (int s = 0; s < 256; s++) {
                counts[s] += (long) c0[s] + c1[s] + c2[s] + c3[s];
                c0[s] = c1[s] = c2[s] = c3[s] = 0;
            }
        }
        return counts;
    }

    /** Segment length of order-1 lanes: {@code ceil(n / 32)}. */
    static long segment(long n) {
        return (n + LANES - 1) / LANES;
    }

    /** Lanes active at order-1 step t: those j with {@code j seg + t < n}, i.e. {@code min(32, ceil((n - t) / seg))}. */
    static int activeLanes(long n, long seg, long t) {
        return (int) Math.min(LANES, (n - t + seg - 1) / seg);
    }

    /**
     * Pair counts {@code [ctx * 256 + s]} with the order-1 lane layout's contexts (0 at segment
     * starts). Four segments are walked side by side, eight bytes of each per long load, so the
     * increments of one segment's runs do not serialise on one counter.
     */
    static long[] histogram1(MemorySegment in, long n) {
        long seg = segment(n);
        long[] counts = new long[256 * 256];
        if (seg > 1L << 27) { // a group of four segments could overflow an int counter: count in longs
            for (int j = 0; j < LANES; j++) {
                int p = 0;
                for (long i = j * seg, end = Math.min(n, i + seg); i < end; i++) {
                    int s = in.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                    counts[p << 8 | s]++;
                    p = s;
                }
            }
            return counts;
        }
        int[] c = new int[256 * 256];
        long pending = 0; // bytes counted into c since the last flush: below 2^30, so no int counter overflows
        int[] prev = new int[4];
        for (int g = 0; g < LANES; g += 4) {
            long b0 = g * seg, b1 = b0 + seg, b2 = b1 + seg, b3 = b2 + seg;
            long common = Math.max(0, Math.min(seg, n - b3)); // steps all four segments have
            int p0 = 0, p1 = 0, p2 = 0, p3 = 0;
            long k = 0;
            for (; k + 8 <= common; k += 8) {
                long w0 = in.get(StaticRans.LE_LONG, b0 + k);
                long w1 = in.get(StaticRans.LE_LONG, b1 + k);
                long w2 = in.get(StaticRans.LE_LONG, b2 + k);
                long w3 = in.get(StaticRans.LE_LONG, b3 + k);
                for (int sh = 0; sh < 64; sh += 8) {
                    int s0 = (int) (w0 >>> sh) & 0xFF;
                    int s1 = (int) (w1 >>> sh) & 0xFF;
                    int s2 = (int) (w2 >>> sh) & 0xFF;
                    int s3 = (int) (w3 >>> sh) & 0xFF;
                    c[p0 << 8 | s0]++;
                    c[p1 << 8 | s1]++;
                    c[p2 << 8 | s2]++;
                    c[p3 << 8 | s3]++;
                    p0 = s0;
                    p1 = s1;
                    p2 = s2;
                    p3 = s3;
                }
            }
            prev[0] = p0;
            prev[1] = p1;
            prev[2] = p2;
            prev[3] = p3;
            for (int l = 0; l < 4; l++) { // each segment's rest, one byte at a time
                long from = (g + l) * seg;
                long len = Math.max(0, Math.min(seg, n - from));
                int p = prev[l];
                for (long i = k; i < len; i++) {
                    int s = in.get(ValueLayout.JAVA_BYTE, from + i) & 0xFF;
                    c[p << 8 | s]++;
                    p = s;
                }
                pending += len;
            }
            if (pending >= 1L << 30 || g + 4 == LANES) {
                for (int i = 0; i < c.length; i++) {
                    counts[i] += c[i];
                    c[i] = 0;
                }
                pending = 0;
            }
        }
        return counts;
    }

    /**
     * Decoder slot table: for every cumulative frequency cf, the symbol s whose interval holds it,
     * packed as {@code s | (freq - 1) << 8 | (cf - start) << 20} (8 + 12 + 12 bits), so one load
     * gives everything {@code x = freq (x >> 12) + (cf - start)} needs.
     */
    static int[] slotTable(int[] freq) {
        int[] slots = new int[1 << PRECISION];
        fillSlots(freq, 0, slots, 0);
        return slots;
    }

    /** Writes the 2^12 slots of the table {@code freq[from, from + 256)} into {@code slots[at, at + 2^12)}, packed as in {@link #slotTable}. */
    static void fillSlots(int[] freq, int from, int[] slots, int at) {
        for (int s = 0; s < 256; s++) {
            int f = freq[from + s];
            int packed = s | (f - 1) << 8;
            for (int k = 0; k < f; k++) {
                slots[at++] = packed | k << 20;
            }
        }
    }

    /** Encoder table: {@code freq | start << 16} per symbol. */
    static int[] encodeTable(int[] freq, int[] start) {
        int[] enc = new int[freq.length];
        for (int s = 0; s < freq.length; s++) {
            enc[s] = freq[s] | start[s] << 16;
        }
        return enc;
    }

    /** Order 0: codes {@code in[0, n)} backwards, byte i on lane i mod 32; returns the number of words written at {@code wordsAt}. */
    static long encode0(MemorySegment in, long n, int[] freq, int[] start, int[] heads, MemorySegment out, long wordsAt) {
        int[] enc = encodeTable(freq, start);
        long top = 0;
        long blocks = n / LANES;
        int rem = (int) (n % LANES);
        for (int j = 0; j < rem; j++) {
            top = encodeOne(enc, in.get(ValueLayout.JAVA_BYTE, blocks * LANES + j) & 0xFF, heads, j, out, wordsAt, top);
        }
        for (long b = blocks - 1; b >= 0; b--) {
            long i0 = b * LANES;
            for (int j = 0; j < LANES; j++) {
                top = encodeOne(enc, in.get(ValueLayout.JAVA_BYTE, i0 + j) & 0xFF, heads, j, out, wordsAt, top);
            }
        }
        return top;
    }

    /** One symbol on lane j; returns the new word count. */
    static long encodeOne(int[] enc, int s, int[] heads, int j, MemorySegment out, long wordsAt, long top) {
        int e = enc[s];
        int f = e & 0xFFFF;
        int x = heads[j];
        if ((x >>> RENORM_SHIFT) >= f) { // x >= f 2^19 (f 2^19 overflows at f = 4096): emit the low word
            out.set(LE_SHORT, wordsAt + 2 * top, (short) x);
            top++;
            x >>>= 16;
        }
        int q = x / f;
        heads[j] = (q << PRECISION) + (x - q * f) + (e >>> 16); // x' = C(s, x) = floor(x/f) M + (x mod f) + start
        return top;
    }

    /**
     * Order 0: decodes n bytes into {@code out}, reading words backwards from
     * {@code [wordsAt, wordsAt + 2 words)}; returns the number of words left unread (0 for an intact stream).
     */
    static long decode0(MemorySegment in, long wordsAt, long words, int[] slots, int[] heads, MemorySegment out, long n) {
        long top = words;
        long blocks = n / LANES;
        int rem = (int) (n % LANES);
        for (long b = 0; b < blocks; b++) {
            long i0 = b * LANES;
            for (int j = LANES - 1; j >= 0; j--) {
                top = decodeOne(slots, 0, heads, j, in, wordsAt, top, out, i0 + j);
            }
        }
        for (int j = rem - 1; j >= 0; j--) {
            top = decodeOne(slots, 0, heads, j, in, wordsAt, top, out, blocks * LANES + j);
        }
        return top;
    }

    /** One symbol from lane j using the slots at {@code slotBase}; writes it at {@code out[i]}; returns the new top. */
    static long decodeOne(int[] slots, int slotBase, int[] heads, int j, MemorySegment in, long wordsAt, long top, MemorySegment out, long i) {
        int x = heads[j];
        int e = slots[slotBase + (x & SLOT_MASK)];
        x = ((e >>> 8 & 0xFFF) + 1) * (x >>> PRECISION) + (e >>> 20); // x = D(x) = f floor(x/M) + cf - start
        if (x < L) {
            if (top == 0) {
                throw StaticRans.wordUnderflow(wordsAt);
            }
            top--;
            x = x << 16 | (in.get(LE_SHORT, wordsAt + 2 * top) & 0xFFFF);
        }
        heads[j] = x;
        out.set(ValueLayout.JAVA_BYTE, i, (byte) e);
        return top;
    }

    /** Order 1: lane j codes segment j, steps backwards; returns the number of words written. */
    static long encode1(MemorySegment in, long n, Order1Tables t, int[] heads, MemorySegment out, long wordsAt) {
        return encode1Steps(in, n, encodeTable(t.freq, t.start), heads, out, wordsAt, 0, segment(n), 0);
    }

    /**
     * Order 1, steps {@code [from, to)} backwards (step t codes byte {@code j seg + t} of every lane j
     * that has it, ascending lanes), continuing a stack of {@code top} words; returns the new count.
     * The vector kernel codes the steps where all 32 lanes are active and leaves the rest to this.
     */
    static long encode1Steps(MemorySegment in, long n, int[] enc, int[] heads, MemorySegment out, long wordsAt,
                             long from, long to, long top) {
        long seg = segment(n);
        for (long step = to - 1; step >= from; step--) {
            int active = activeLanes(n, seg, step);
            for (int j = 0; j < active; j++) {
                long i = j * seg + step;
                int ctx = step == 0 ? 0 : in.get(ValueLayout.JAVA_BYTE, i - 1) & 0xFF;
                top = encodeOne(enc, ctx << 8 | (in.get(ValueLayout.JAVA_BYTE, i) & 0xFF), heads, j, out, wordsAt, top);
            }
        }
        return top;
    }

    /** Order 1 decoder; returns the number of words left unread. */
    static long decode1(MemorySegment in, long wordsAt, long words, Order1Tables t, int[] heads, MemorySegment out, long n) {
        return decode1Steps(in, wordsAt, words, t.slotTables(PRECISION), t.slotBases(PRECISION), heads, out, n, 0, segment(n));
    }

    /**
     * Order 1, steps {@code [from, to)} forwards (descending lanes within a step), from a stack of
     * {@code top} words, with context c's slots at {@code slots[base[c]]} ({@code base[c] < 0}: no
     * table). The contexts of step {@code from} are read back from {@code out}: the vector kernel
     * decodes the steps before it and leaves the short last ones to this. Returns the number of
     * words left unread.
     */
    static long decode1Steps(MemorySegment in, long wordsAt, long top, int[] slots, int[] base, int[] heads,
                             MemorySegment out, long n, long from, long to) {
        long seg = segment(n);
        int[] ctx = new int[LANES];
        if (from > 0) {
            for (int j = 0, active = activeLanes(n, seg, from); j < active; j++) {
                ctx[j] = out.get(ValueLayout.JAVA_BYTE, j * seg + from - 1) & 0xFF;
            }
        }
        for (long step = from; step < to; step++) {
            int active = activeLanes(n, seg, step);
            for (int j = active - 1; j >= 0; j--) {
                int b = base[ctx[j]];
                if (b < 0) {
                    throw new io.latentcodec.CorruptInputException(wordsAt + 2 * top,
                            "decoded context byte " + ctx[j] + " has no order-1 table: the stream is damaged");
                }
                long i = j * seg + step;
                top = decodeOne(slots, b, heads, j, in, wordsAt, top, out, i);
                ctx[j] = out.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            }
        }
        return top;
    }
}
