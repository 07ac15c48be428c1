package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A static byte distribution for the static codec: frequencies of the 256 byte values at
 * {@code precision} bits, every present byte at least 1, summing to exactly {@code 2^precision}.
 *
 * <p>Quantisation ({@link #quantize}) runs only in the encoder; the table travels in the stream,
 * so the decoder never recomputes it and float rounding cannot make the two sides disagree.
 *
 * <p>Serialized form: a 256-bit presence bitmap (32 bytes, bit s of byte s/8), then for each
 * present byte in ascending order {@code freq - 1} as an unsigned LEB128 varint (1 or 2 bytes at
 * 12-bit precision).
 */
final class FrequencyTable {
    static final int SYMBOLS = 256;
    static final int BITMAP_BYTES = SYMBOLS / 8;
    /** Largest serialized table: bitmap plus 2 varint bytes per symbol (freq - 1 < 2^14). */
    static final int MAX_BYTES = BITMAP_BYTES + 2 * SYMBOLS;

    private FrequencyTable() {
    }

    /**
     * Frequencies at {@code precision} bits for byte counts {@code counts[0..256)}: each byte that
     * occurs gets at least 1, absent bytes 0, sum {@code 2^precision}; near-minimal code length
     * {@code sum_s counts[s] * log2(2^precision / freq[s])}. All zero counts give all zero freqs.
     */
    static int[] quantize(long[] counts, int precision) {
        final int m = 1 << precision;
        int[] freq = new int[SYMBOLS];
        long n = 0;
        int present = 0;
        for (long c : counts) {
            n += c;
            present += c > 0 ? 1 : 0;
        }
        if (present == 0) {
            return freq;
        }
        if (present > m) {
            throw new IllegalArgumentException(present + " distinct symbols do not fit precision " + precision);
        }
        int sum = 0;
        for (int s = 0; s < SYMBOLS; s++) {
            if (counts[s] > 0) {
                // floor(c M / n), at least 1; c M < 2^63 as long as n < 2^49
                long f = multiplyDivide(counts[s], m, n);
                freq[s] = (int) Math.max(1, f);
                sum += freq[s];
            }
        }
        // Greedy fix-up, one unit at a time, by the change in code length c log2(f'/f):
        // add where a unit saves most, remove where a unit costs least. At most ~256 steps.
        while (sum < m) {
            int best = -1;
            double bestGain = -1;
            for (int s = 0; s < SYMBOLS; s++) {
                if (freq[s] > 0) {
                    double gain = counts[s] * Math.log1p(1.0 / freq[s]);
                    if (gain > bestGain) {
                        bestGain = gain;
                        best = s;
                    }
                }
            }
            freq[best]++;
            sum++;
        }
        while (sum > m) {
            int best = -1;
            double bestLoss = Double.POSITIVE_INFINITY;
            for (int s = 0; s < SYMBOLS; s++) {
                if (freq[s] > 1) {
                    double loss = -counts[s] * Math.log1p(-1.0 / freq[s]);
                    if (loss < bestLoss) {
                        bestLoss = loss;
                        best = s;
                    }
                }
            }
            freq[best]--;
            sum--;
        }
        return freq;
    }

    /** floor(a b / n) for a <= n and b <= 2^24: exact below 2^39 counts, where a b cannot overflow. */
    private static long multiplyDivide(long a, long b, long n) {
        return a < 1L << 39 ? a * b / n : (long) ((double) a / n * b);
    }

    /** Writes the table at {@code offset}; returns bytes written. */
    static int write(int[] freq, MemorySegment out, long offset) {
        long p = offset + BITMAP_BYTES;
        for (int i = 0; i < BITMAP_BYTES; i++) {
            int bits = 0;
            for (int b = 0; b < 8; b++) {
                if (freq[i * 8 + b] > 0) {
                    bits |= 1 << b;
                }
            }
            out.set(ValueLayout.JAVA_BYTE, offset + i, (byte) bits);
        }
        for (int s = 0; s < SYMBOLS; s++) {
            if (freq[s] > 0) {
                p = Varint.put(out, p, freq[s] - 1);
            }
        }
        return (int) (p - offset);
    }

    /**
     * Reads a table written by {@link #write} from {@code [offset, end)} into {@code freq}; returns
     * the offset after it. Checks every frequency and that they sum to exactly 2^precision.
     */
    static long read(MemorySegment in, long offset, long end, int precision, int[] freq) {
        if (end - offset < BITMAP_BYTES) {
            throw new CorruptInputException(offset, "frequency table truncated");
        }
        final int m = 1 << precision;
        long p = offset + BITMAP_BYTES;
        int sum = 0;
        long[] value = new long[1];
        for (int s = 0; s < SYMBOLS; s++) {
            freq[s] = 0;
            if ((in.get(ValueLayout.JAVA_BYTE, offset + (s >>> 3)) >>> (s & 7) & 1) != 0) {
                p = Varint.get(in, p, end, 3, "frequency of byte " + s, value); // freq - 1 < 2^24 fits 3 bytes
                long v = value[0];
                if (v >= m) {
                    throw new CorruptInputException(p - 1, "frequency " + (v + 1) + " of byte " + s + " exceeds 2^" + precision);
                }
                freq[s] = (int) v + 1;
                sum += (int) v + 1;
            }
        }
        if (sum != m) {
            throw new CorruptInputException(offset, "frequencies sum to " + sum + ", not 2^" + precision);
        }
        return p;
    }

    /** Cumulative starts: {@code start[s] = sum_{t<s} freq[t]}. */
    static int[] starts(int[] freq) {
        int[] start = new int[SYMBOLS];
        int c = 0;
        for (int s = 0; s < SYMBOLS; s++) {
            start[s] = c;
            c += freq[s];
        }
        return start;
    }
}
