package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The order-1 tables of the static codec: one {@link FrequencyTable} per preceding byte
 * (context) that occurs. Serialized as a 256-bit bitmap of present contexts, then each present
 * context's table in ascending context order.
 */
final class Order1Tables {
    /** {@code freq[ctx * 256 + s]}; zero for absent contexts and symbols. */
    final int[] freq;
    /** {@code start[ctx * 256 + s]}, cumulative within each context. */
    final int[] start;
    /** Whether context ctx has a table (it precedes at least one coded byte). */
    final boolean[] present;

    private Order1Tables(int[] freq, boolean[] present) {
        this.freq = freq;
        this.present = present;
        this.start = new int[256 * 256];
        for (int c = 0; c < 256; c++) {
            int acc = 0;
            for (int s = 0; s < 256; s++) {
                start[c * 256 + s] = acc;
                acc += freq[c * 256 + s];
            }
        }
    }

    /** Quantises pair counts {@code counts[ctx * 256 + s]}. */
    static Order1Tables quantize(long[] counts, int precision) {
        int[] freq = new int[256 * 256];
        boolean[] present = new boolean[256];
        long[] row = new long[256];
        for (int c = 0; c < 256; c++) {
            long total = 0;
            for (int s = 0; s < 256; s++) {
                row[s] = counts[c * 256 + s];
                total += row[s];
            }
            if (total > 0) {
                present[c] = true;
                System.arraycopy(FrequencyTable.quantize(row, precision), 0, freq, c * 256, 256);
            }
        }
        return new Order1Tables(freq, present);
    }

    int write(MemorySegment out, long offset) {
        long p = offset + FrequencyTable.BITMAP_BYTES;
        for (int i = 0; i < FrequencyTable.BITMAP_BYTES; i++) {
            int bits = 0;
            for (int b = 0; b < 8; b++) {
                bits |= present[i * 8 + b] ? 1 << b : 0;
            }
            out.set(ValueLayout.JAVA_BYTE, offset + i, (byte) bits);
        }
        int[] row = new int[256];
        for (int c = 0; c < 256; c++) {
            if (present[c]) {
                System.arraycopy(freq, c * 256, row, 0, 256);
                p += FrequencyTable.write(row, out, p);
            }
        }
        return (int) (p - offset);
    }

    static Order1Tables read(MemorySegment in, long offset, long end, int precision) {
        if (end - offset < FrequencyTable.BITMAP_BYTES) {
            throw new CorruptInputException(offset, "order-1 context bitmap truncated");
        }
        boolean[] present = new boolean[256];
        int[] freq = new int[256 * 256];
        int[] row = new int[256];
        long p = offset + FrequencyTable.BITMAP_BYTES;
        for (int c = 0; c < 256; c++) {
            present[c] = (in.get(ValueLayout.JAVA_BYTE, offset + (c >>> 3)) >>> (c & 7) & 1) != 0;
            if (present[c]) {
                p = FrequencyTable.read(in, p, end, precision, row);
                System.arraycopy(row, 0, freq, c * 256, 256);
            }
        }
        if (p != end) {
            throw new CorruptInputException(p, "order-1 table section has " + (end - p) + " unexplained bytes");
        }
        return new Order1Tables(freq, present);
    }

    /**
     * Offset of context ctx's decoder slots in {@link #slotTables}, or -1 if the context has no
     * table (a decoder that meets it is reading a damaged stream).
     */
    int[] slotBases(int precision) {
        int[] base = new int[256];
        int next = 0;
        for (int c = 0; c < 256; c++) {
            base[c] = present[c] ? next++ << precision : -1;
        }
        return base;
    }

    /** Decoder slots of every present context, packed as in {@link StaticRansScalar#slotTable}, at {@link #slotBases}. */
    int[] slotTables(int precision) {
        int m = 1 << precision;
        int count = 0;
        for (boolean b : present) {
            count += b ? 1 : 0;
        }
        int[] slots = new int[count * m];
        int next = 0;
        for (int c = 0; c < 256; c++) {
            if (present[c]) {
                StaticRansScalar.fillSlots(freq, c * 256, slots, next++ * m);
            }
        }
        return slots;
    }

    /** The highest context that has a table (0 when none has: then nothing was coded). */
    int lastContext() {
        int last = 0;
        for (int c = 0; c < 256; c++) {
            last = present[c] ? c : last;
        }
        return last;
    }

    /**
     * Decoder slots for the vector kernel: context c's 2^precision slots at {@code c << precision},
     * packed as in {@link StaticRansScalar#slotTable}, for the contexts up to {@link #lastContext}
     * and one row more (the trap), so the next index is {@code min(s, last + 1) << 12 | (x mod 2^12)},
     * one gather from the symbol just decoded. Absent contexts and the trap hold zeros (symbol 0,
     * frequency 1): a damaged stream that reaches one decodes garbage in bounds, and the decoder's
     * final checks reject it. Size: 16 KiB per row, 2 MiB for 7-bit text.
     */
    int[] contextSlots(int precision) {
        int rows = lastContext() + 2;
        int[] slots = new int[rows << precision];
        for (int c = 0; c < rows - 1; c++) {
            if (present[c]) {
                StaticRansScalar.fillSlots(freq, c * 256, slots, c << precision);
            }
        }
        return slots;
    }

    /** Offsets of the contexts in {@link #contextSlots}, or -1 where a context has no table. */
    int[] contextBases(int precision) {
        int[] base = new int[256];
        for (int c = 0; c < 256; c++) {
            base[c] = present[c] ? c << precision : -1;
        }
        return base;
    }
}
