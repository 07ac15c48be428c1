package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;

/**
 * The uniform distribution over {@code 2^bits} values {@code 0 .. 2^bits - 1}, bits in 0..24:
 * the bits-back prior over equal-mass buckets, and the codec of raw bits.
 *
 * <h2>Read me first</h2>
 * Coded at precision {@code bits} with interval {@code [x, x + 1)}: symbol and cumulative
 * frequency are the same number, so a pop needs no search and costs exactly {@code bits} bits
 * (no rounding loss). {@code bits = 0} is the one-value distribution: nothing is coded, a pop
 * returns zeros. Symbol k of a batch goes to lane {@code k mod lanes}. There is no separate
 * vector path: the interval is the symbol itself and the message's own kernels do the rest.
 * Immutable and thread-safe.
 */
public final class Uniform {
    private static final Uniform[] ALL = new Uniform[Message.PRECISION_MAX + 1];
    /** Frequency 1 for every symbol of a push chunk or a pop round (never written): at most max(CHUNK, MAX_LANES) of them. */
    private static final int[] ONES = new int[Math.max(Batch.CHUNK, Message.MAX_LANES)];

    static {
        java.util.Arrays.fill(ONES, 1);
        for (int b = 0; b < ALL.length; b++) {
            ALL[b] = new Uniform(b);
        }
    }

    private final int bits;

    private Uniform(int bits) {
        this.bits = bits;
    }

    /** The uniform distribution over {@code 2^bits} values, {@code 0 <= bits <= 24}. */
    public static Uniform of(int bits) {
        if (bits < 0 || bits > Message.PRECISION_MAX) {
            throw new IllegalArgumentException("bits must be in [0, " + Message.PRECISION_MAX + "], got " + bits);
        }
        return ALL[bits];
    }

    public int bits() {
        return bits;
    }

    /**
     * Pushes {@code symbols[offset .. offset + count)}.
     *
     * @throws io.latentcodec.ZeroProbabilityException if a symbol is outside {@code [0, 2^bits)}
     */
    public void push(Message m, int[] symbols, int offset, int count) {
        Batch.checkCount(count);
        Batch.checkSymbols(symbols, offset, count, 0, (1 << bits) - 1);
        if (bits == 0) {
            return;
        }
        Batch.push(m, bits, count, (k0, n, start, freq) -> {
            System.arraycopy(symbols, offset + k0, start, 0, n);
            System.arraycopy(ONES, 0, freq, 0, n);
        });
    }

    /** Pops {@code count} symbols into {@code out[offset ..]}. */
    public void pop(Message m, int[] out, int offset, int count) {
        Batch.checkCount(count);
        Batch.checkSlice("out", out.length, offset, count);
        if (bits == 0) {
            java.util.Arrays.fill(out, offset, offset + count, 0);
            return;
        }
        m.pop(bits, count, (k0, n, cf, start, freq) -> {
            System.arraycopy(cf, 0, out, offset + k0, n);
            System.arraycopy(cf, 0, start, 0, n);
            System.arraycopy(ONES, 0, freq, 0, n);
        });
    }
}
