package io.latentcodec.kernels.dist;

import io.latentcodec.ZeroProbabilityException;
import io.latentcodec.kernels.Message;

/**
 * Argument checks and the chunked push shared by every distribution of this package.
 *
 * <p><b>Chunked push = one push.</b> {@link Message#push} codes symbol k on lane {@code k mod N}
 * and codes the last round of N symbols first. Cutting a batch into chunks of whole rounds
 * ({@code chunk} a multiple of N) and pushing the last chunk first therefore writes exactly the
 * bytes one push of the whole batch would, while (start, freq) scratch stays a few KiB.
 */
final class Batch {
    private Batch() {
    }

    /** Symbols per chunk before rounding to whole rounds: 8 KiB of (start, freq) scratch. */
    static final int CHUNK = 1024;

    /** Computes (start, freq) of symbols {@code k0 .. k0 + n - 1} of a batch into {@code start[0..n)}, {@code freq[0..n)}. */
    @FunctionalInterface
    interface Intervals {
        void fill(int k0, int n, int[] start, int[] freq);
    }

    /** Symbols per push chunk on {@code lanes} lanes: whole rounds, about {@link #CHUNK}, at most {@code max(CHUNK, lanes)}. */
    static int chunk(int lanes) {
        return lanes * Math.max(1, CHUNK / lanes);
    }

    /** Pushes {@code count} symbols whose intervals {@code fill} computes, in chunks of whole rounds, last chunk first. */
    static void push(Message m, int precision, int count, Intervals fill) {
        if (count == 0) {
            return;
        }
        int chunk = chunk(m.lanes());
        int size = Math.min(count, chunk);
        int[] start = new int[size];
        int[] freq = new int[size];
        for (int k0 = (count - 1) / chunk * chunk; k0 >= 0; k0 -= chunk) {
            int n = Math.min(chunk, count - k0);
            fill.fill(k0, n, start, freq);
            m.push(precision, start, freq, 0, n);
        }
    }

    static void checkCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }

    /** {@code a[off .. off + count)} must lie inside an array of {@code length}. */
    static void checkSlice(String name, int length, int off, int count) {
        if (off < 0 || off > length - count) {
            throw new IllegalArgumentException(count + " entries of " + name + " at offset " + off
                    + " do not fit an array of " + length);
        }
    }

    /** Every {@code a[off + k]} must be finite. */
    static void checkFinite(String name, float[] a, int off, int count) {
        checkSlice(name, a.length, off, count);
        for (int i = off; i < off + count; i++) {
            float x = a[i];
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + x + ": distribution parameters must be finite");
            }
        }
    }

    /** Every {@code a[off + k]} must be finite and positive. */
    static void checkPositive(String name, float[] a, int off, int count) {
        checkSlice(name, a.length, off, count);
        for (int i = off; i < off + count; i++) {
            float x = a[i];
            if (!(x > 0) || x == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + x + ": must be finite and positive");
            }
        }
    }

    /** Every symbol {@code s[off + k]} must lie in {@code [lo, hi]}. */
    static void checkSymbols(int[] s, int off, int count, int lo, int hi) {
        checkSlice("symbols", s.length, off, count);
        for (int i = off; i < off + count; i++) {
            int x = s[i];
            if (x < lo || x > hi) {
                throw outside(i, x, lo, hi);
            }
        }
    }

    static ZeroProbabilityException outside(int index, int symbol, int lo, int hi) {
        return new ZeroProbabilityException("symbols[" + index + "] = " + symbol + " is outside the support ["
                + lo + ", " + hi + "]: it has probability zero");
    }

    static void checkPrecision(int precision) {
        if (precision < 1 || precision > Message.PRECISION_MAX) {
            throw new IllegalArgumentException("precision must be in [1, " + Message.PRECISION_MAX + "], got " + precision);
        }
    }
}
