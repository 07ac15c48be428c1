package io.latentcodec.kernels;

/**
 * The scalar reference of {@link Message}: one lane at a time, exactly as the contract there
 * describes. The vector kernels are tested against it byte for byte.
 */
final class MessageScalar extends Message {

    MessageScalar(int lanes, long seed) {
        super(lanes, seed);
    }

    @Override
    public String implementation() {
        return "scalar";
    }

    @Override
    public void push(int precision, int[] start, int[] freq, int offset, int count) {
        int rounds = checkPush(precision, start, freq, offset, count);
        final int n = head.length;
        final int shift = PRECISION_MAX - precision;
        final int limit = 1 << precision;
        final long[] head = this.head;
        final Tail tail = this.tail;
        for (int r = rounds - 1; r >= 0; r--) { // last round first: pop returns symbol 0 first
            int k0 = offset + r * n;
            int m = Math.min(n, offset + count - k0);
            for (int j = 0; j < m; j++) { // ascending lanes: words leave in lane order
                int s = start[k0 + j];
                int f = freq[k0 + j];
                if (f < 1 || s < 0 || s > limit - f) {
                    throw badInterval(precision, k0 + j - offset, s, f);
                }
                long fs = (long) f << shift;
                long ss = (long) s << shift;
                long x = head[j];
                if ((x >>> RENORM_SHIFT) >= fs) { // x >= f 2^39 (f 2^39 itself would overflow at f = 2^24): emit a word so x / f < 2^39
                    tail.push((int) x);
                    x >>>= 32;
                }
                long q = x / fs;
                head[j] = (q << PRECISION_MAX) + (x - q * fs) + ss; // x' = C(s, x) = floor(x/f) M + (x mod f) + start
            }
        }
    }

    @Override
    public void pop(int precision, int count, CdfInverse inverse) {
        checkPrecision(precision);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        final int n = head.length;
        final int shift = PRECISION_MAX - precision;
        final long[] head = this.head;
        final Tail tail = this.tail;
        for (int k0 = 0; k0 < count; k0 += n) {
            int m = Math.min(n, count - k0);
            for (int j = 0; j < m; j++) {
                cf[j] = (int) ((head[j] & MASK) >>> shift);
            }
            inverse.invert(k0, m, cf, start, freq);
            for (int j = m - 1; j >= 0; j--) { // descending lanes: words come back in reverse
                int s = start[j];
                int f = freq[j];
                int c = cf[j];
                if (f < 1 || s < 0 || s > c || c - s >= f) {
                    throw badInverse(k0 + j, c, s, f);
                }
                long fs = (long) f << shift;
                long ss = (long) s << shift;
                long x = head[j];
                x = fs * (x >>> PRECISION_MAX) + (x & MASK) - ss; // x = D(x) = f floor(x/M) + (x mod M) - start
                if (x < L) {
                    x = (x << 32) | (tail.pop() & 0xFFFF_FFFFL);
                }
                head[j] = x;
            }
        }
    }
}
