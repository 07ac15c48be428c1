package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;
import io.latentcodec.ZeroProbabilityException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An interleaved rANS message: a head of N independent lanes and one shared tail of 32-bit words
 * in off-heap memory. Encoder and decoder are the same object (ANS is a stack, and bits-back
 * coding interleaves pushes and pops).
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Stack semantics.</b> {@link #push} then {@link #pop} of the same symbols with the same
 * distributions returns those symbols and leaves the message bit for bit as it was. Whatever is
 * pushed last is popped first; the decoder therefore runs the encoder's program backwards.
 * <li><b>Lanes.</b> A call codes K symbols; symbol k goes to lane {@code k mod N}. A call is cut
 * into rounds of N symbols; {@code pop} returns symbol 0 first, so {@code push} codes the last
 * round first. Within a round, renormalisation words go to the tail in <em>ascending</em> lane
 * order on push and come back in <em>descending</em> lane order on pop; every implementation
 * (scalar, 256-bit, 512-bit vectors) follows this order, so all write identical bytes.
 * <li><b>Distributions.</b> Every symbol brings its own interval {@code [start, start + freq)}
 * of {@code [0, 2^precision)}, precision 1 to 24, so each pixel or latent may have its own
 * distribution. Probability of the symbol: {@code freq / 2^precision}. Internally intervals are
 * scaled to {@link #PRECISION_MAX} bits ({@code start << (24 - precision)}); the probabilities,
 * and so the rate, are the same, and one fixed shift keeps the kernels simple.
 * <li><b>State.</b> Each lane state x is a 63-bit integer: {@code 2^31 <= x < 2^63} between
 * operations. Words are 32 bits, so one renormalisation step per symbol always suffices; 24-bit
 * precision wastes next to nothing even for 256-symbol alphabets whose rarest symbols have
 * frequency 1. (64-bit states with 32-bit words as in constriction; one bit is given up so every
 * state is a positive Java {@code long} and the vector kernels divide in doubles.)
 * <li><b>Empty tail.</b> Popping when the tail holds no real word draws seeded clean words (see
 * {@link Tail}); a fresh message's heads are seeded too. Nothing borrowed is free: every word
 * pushed later is written out and counted in {@link #byteSize()}.
 * </ul>
 *
 * <p>Create with {@link #create(int, long)}, which picks the Vector API implementation when the
 * platform has one and the scalar reference otherwise (system property {@code latentcodec.simd}
 * = {@code auto}, {@code scalar}, {@code 256} or {@code 512}; see {@link Simd}). Not thread-safe:
 * one message belongs to one thread at a time. Close it to free its off-heap tail.
 */
public abstract sealed class Message implements AutoCloseable permits MessageScalar, MessageVector {
    /** Largest supported precision, and the precision the kernels code at internally. */
    public static final int PRECISION_MAX = 24;
    /** Most lanes one message may have (a sanity bound for streams read from outside). */
    public static final int MAX_LANES = 4096;

    /** Lower bound of a lane state: {@code L = 2^31}. */
    static final long L = 1L << 31;
    /** {@code 2^24 - 1}: the low bits of a state that select the symbol, {@code cf = x mod 2^24}. */
    static final long MASK = (1L << PRECISION_MAX) - 1;
    /**
     * Renormalise before coding freq f when {@code x >>> RENORM_SHIFT >= f}, i.e. {@code x >= f 2^39}
     * (written as a shift of x because {@code f 2^39} overflows at f = 2^24): afterwards
     * {@code x / f < 2^39} and {@code x' = (x / f) 2^24 + ... < 2^63}. (39 = 63 - 24.)
     */
    static final int RENORM_SHIFT = 63 - PRECISION_MAX;

    /** Bytes before the heads in {@link #toByteArray()}; see the layout there. */
    public static final int HEADER_BYTES = 32;
    private static final int FRAME_MAGIC = 0x314D434C; // "LCM1" little-endian

    /** Lane states; invariant {@code L <= head[j] < 2^63} between public calls. */
    final long[] head;
    final Tail tail;
    /** Scratch of one round for {@link #pop}: allocated once, never per symbol. */
    final int[] cf;
    final int[] start;
    final int[] freq;

    Message(int lanes, long seed) {
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes must be in [1, " + MAX_LANES + "], got " + lanes);
        }
        this.head = new long[lanes];
        this.tail = new Tail(seed);
        this.cf = new int[lanes];
        this.start = new int[lanes];
        this.freq = new int[lanes];
        for (int j = 0; j < lanes; j++) {
            head[j] = initialHead(seed, j);
        }
    }

    /** The seeded state lane j starts in: {@code 2^31 + (31 clean bits)}. */
    static long initialHead(long seed, int lane) {
        return L + (Tail.cleanWord(~seed, lane) >>> 1);
    }

    /** A fresh message of {@code lanes} lanes whose clean bits come from {@code seed}; the fastest implementation. */
    public static Message create(int lanes, long seed) {
        return Simd.vectorEnabled() ? new MessageVector(lanes, seed) : new MessageScalar(lanes, seed);
    }

    /** The scalar reference implementation (identical bytes, slower). */
    public static Message createScalar(int lanes, long seed) {
        return new MessageScalar(lanes, seed);
    }

    /** The Vector API implementation, whatever {@code latentcodec.simd} says (needs the incubator module). */
    public static Message createVector(int lanes, long seed) {
        if (!Simd.vectorAvailable()) {
            throw new IllegalStateException("vector kernels need --add-modules jdk.incubator.vector");
        }
        return new MessageVector(lanes, seed);
    }

    /** Which implementation this is: {@code scalar} or {@code vector-256}/{@code vector-512}. */
    public abstract String implementation();

    public final int lanes() {
        return head.length;
    }

    /** Seed of the clean bits below the tail. */
    public final long seed() {
        return tail.seed;
    }

    /**
     * Pushes {@code count} symbols: symbol k (k = 0..count-1) has interval
     * {@code [start[offset+k], start[offset+k] + freq[offset+k])} of {@code [0, 2^precision)} and
     * goes to lane {@code k mod lanes()}.
     *
     * @throws ZeroProbabilityException if a frequency is below 1 or an interval leaves [0, 2^precision)
     *                                  (the message is then unchanged for the rounds not yet coded, but
     *                                  rounds already coded stay pushed: treat the message as spent)
     */
    public abstract void push(int precision, int[] start, int[] freq, int offset, int count);

    /**
     * Pops {@code count} symbols, symbol k from lane {@code k mod lanes()}, round by round: for each
     * round the {@code inverse} gets the cumulative frequencies and names each symbol's interval.
     *
     * @throws IllegalStateException if the inverse names an interval that does not hold its cumulative frequency
     */
    public abstract void pop(int precision, int count, CdfInverse inverse);

    /** Validates a push call's arguments; returns the number of rounds. */
    final int checkPush(int precision, int[] start, int[] freq, int offset, int count) {
        checkPrecision(precision);
        if (count < 0 || offset < 0 || offset > start.length - count || offset > freq.length - count) {
            throw new IllegalArgumentException("push of " + count + " symbols at offset " + offset
                    + " does not fit arrays of " + start.length + " starts and " + freq.length + " frequencies");
        }
        return (count + head.length - 1) / head.length;
    }

    static void checkPrecision(int precision) {
        if (precision < 1 || precision > PRECISION_MAX) {
            throw new IllegalArgumentException("precision must be in [1, " + PRECISION_MAX + "], got " + precision);
        }
    }

    static ZeroProbabilityException badInterval(int precision, int k, int start, int freq) {
        return new ZeroProbabilityException("symbol " + k + " has interval [" + start + ", " + start + " + " + freq
                + ") outside [0, 2^" + precision + ") or frequency below 1: it cannot be coded");
    }

    static IllegalStateException badInverse(int k, int cf, int start, int freq) {
        return new IllegalStateException("CDF inverse gave symbol " + k + " the interval [" + start + ", " + start
                + " + " + freq + ") which does not hold its cumulative frequency " + cf);
    }

    // ---------------------------------------------------------------- size and serialization

    /** Real words in the tail. */
    public final long tailWords() {
        return tail.size();
    }

    /**
     * Depth of the lowest real tail word. It falls only when a pop finds no real word and draws
     * clean bits; a decoder that must never run past its stream checks that it stays put.
     */
    public final long tailLow() {
        return tail.low;
    }

    /** Bytes {@link #toByteArray()} writes: header, 8 per lane, 4 per tail word. */
    public final long byteSize() {
        return HEADER_BYTES + 8L * head.length + 4L * tail.size();
    }

    /**
     * Information the message holds, in bits: {@code 32 * tailWords + sum_j log2(head_j)}. The
     * difference of this figure before and after a push is the push's code length without the
     * fixed cost of flushing the heads (about {@code 64 - log2(x)} bits per lane); for measurement only.
     */
    public final double informationBits() {
        double bits = 32.0 * tail.size();
        for (long x : head) {
            bits += Math.log(x) / Math.log(2);
        }
        return bits;
    }

    /**
     * The message as bytes, little-endian:
     * <pre>
     *  0        4        8                16               24               32
     *  +--------+--------+----------------+----------------+----------------+
     *  | "LCM1" | lanes  | seed           | low (depth of  | words n        |
     *  |        |  u32   |  u64           |  first word)   |  u64           |
     *  +--------+--------+----------------+----------------+----------------+
     *  | head[0] .. head[lanes-1]: u64 each | tail words, lowest first: u32 each (n of them)
     *  +-----------------------------------+-----------------------------------
     * </pre>
     */
    public final byte[] toByteArray() {
        long size = byteSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("message of " + size + " bytes is too large for a byte[]; use writeTo");
        }
        byte[] out = new byte[(int) size];
        writeTo(MemorySegment.ofArray(out), 0);
        return out;
    }

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Writes {@link #byteSize()} bytes at {@code offset}; returns the number written. */
    public final long writeTo(MemorySegment dst, long offset) {
        long size = byteSize();
        if (offset < 0 || dst.byteSize() - offset < size) {
            throw new IllegalArgumentException("need " + size + " bytes at offset " + offset + " of a segment of " + dst.byteSize());
        }
        dst.set(LE_INT, offset, FRAME_MAGIC);
        dst.set(LE_INT, offset + 4, head.length);
        dst.set(LE_LONG, offset + 8, tail.seed);
        dst.set(LE_LONG, offset + 16, tail.low);
        dst.set(LE_LONG, offset + 24, tail.size());
        long p = offset + HEADER_BYTES;
        for (long x : head) {
            dst.set(LE_LONG, p, x);
            p += 8;
        }
        tail.copyWordsTo(dst, p);
        return size;
    }

    /** Reads a message written by {@link #writeTo}; the fastest implementation. */
    public static Message readFrom(MemorySegment src, long offset) {
        return readFrom(src, offset, Simd.vectorEnabled());
    }

    public static Message readFrom(byte[] src) {
        return readFrom(MemorySegment.ofArray(src), 0);
    }

    /** Bytes the message at {@code offset} occupies, validated against the segment's length. */
    public static long frameSize(MemorySegment src, long offset) {
        long avail = src.byteSize() - offset;
        if (avail < HEADER_BYTES) {
            throw new CorruptInputException(offset, "rANS message truncated: " + avail + " bytes, header needs " + HEADER_BYTES);
        }
        if (src.get(LE_INT, offset) != FRAME_MAGIC) {
            throw new CorruptInputException(offset, "not a rANS message (bad magic)");
        }
        int lanes = src.get(LE_INT, offset + 4);
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new CorruptInputException(offset + 4, "lane count " + Integer.toUnsignedString(lanes) + " outside [1, " + MAX_LANES + "]");
        }
        long low = src.get(LE_LONG, offset + 16);
        long n = src.get(LE_LONG, offset + 24);
        if (low > 0) {
            throw new CorruptInputException(offset + 16, "first word depth " + low + " is above the origin");
        }
        long rest = avail - HEADER_BYTES - 8L * lanes;
        if (n < 0 || rest < 0 || n > rest / 4) {
            throw new CorruptInputException(offset + 24, "message declares " + n + " words and " + lanes
                    + " lanes but only " + avail + " bytes remain");
        }
        if (low < Long.MIN_VALUE / 2) {
            throw new CorruptInputException(offset + 16, "first word depth " + low + " is out of range");
        }
        return HEADER_BYTES + 8L * lanes + 4L * n;
    }

    /** Reads a message into the implementation the caller chooses ({@code vector} needs the incubator module). */
    public static Message readFrom(MemorySegment src, long offset, boolean vector) {
        if (vector && !Simd.vectorAvailable()) {
            throw new IllegalStateException("vector kernels need --add-modules jdk.incubator.vector");
        }
        frameSize(src, offset);
        int lanes = src.get(LE_INT, offset + 4);
        long seed = src.get(LE_LONG, offset + 8);
        long low = src.get(LE_LONG, offset + 16);
        long n = src.get(LE_LONG, offset + 24);
        Message m = vector ? new MessageVector(lanes, seed) : new MessageScalar(lanes, seed);
        long p = offset + HEADER_BYTES;
        for (int j = 0; j < lanes; j++, p += 8) {
            long x = src.get(LE_LONG, p);
            if (x < L) { // also catches x >= 2^63, which reads as negative
                m.close();
                throw new CorruptInputException(p, "lane " + j + " state " + Long.toUnsignedString(x) + " outside [2^31, 2^63)");
            }
            m.head[j] = x;
        }
        m.tail.load(src, p, low, n);
        return m;
    }

    // ---------------------------------------------------------------- compact frames

    /**
     * Bytes {@link #writeCompact} writes: for containers that record lanes and seed themselves,
     * the 32-byte header shrinks to two varints.
     */
    public final long compactSize() {
        return Varint.size(-tail.low) + Varint.size(tail.size()) + 8L * head.length + 4L * tail.size();
    }

    /**
     * The message without lanes and seed, little-endian:
     * <pre>
     *  varint -low | varint words n | head[0..lanes) u64 each | n tail words u32 each, lowest first
     * </pre>
     * (varints: unsigned LEB128). Read back with {@link #readCompact}, given the lanes and seed.
     */
    public final byte[] toCompactByteArray() {
        long size = compactSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("message of " + size + " bytes is too large for a byte[]");
        }
        byte[] out = new byte[(int) size];
        MemorySegment dst = MemorySegment.ofArray(out);
        long p = Varint.put(dst, 0, -tail.low);
        p = Varint.put(dst, p, tail.size());
        for (long x : head) {
            dst.set(LE_LONG, p, x);
            p += 8;
        }
        tail.copyWordsTo(dst, p);
        return out;
    }

    /**
     * Reads a compact frame occupying exactly {@code [offset, offset + length)} of {@code src}.
     *
     * @throws CorruptInputException if the frame is malformed or its length disagrees with its contents
     */
    public static Message readCompact(MemorySegment src, long offset, long length, int lanes, long seed, boolean vector) {
        if (vector && !Simd.vectorAvailable()) {
            throw new IllegalStateException("vector kernels need --add-modules jdk.incubator.vector");
        }
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes must be in [1, " + MAX_LANES + "], got " + lanes);
        }
        if (offset < 0 || length < 0 || src.byteSize() - offset < length) {
            throw new CorruptInputException(offset, "frame of " + length + " bytes does not fit the input");
        }
        long end = offset + length;
        long[] v = new long[1];
        long p = Varint.get(src, offset, end, 9, "compact frame depth", v);
        long depth = v[0];
        p = Varint.get(src, p, end, 9, "compact frame word count", v);
        long low = -depth;
        long n = v[0];
        if (depth < 0 || depth > Long.MAX_VALUE / 2 || n < 0 || end - p != 8L * lanes + 4 * n || n > (end - p) / 4) {
            throw new CorruptInputException(offset, "compact frame declares depth " + depth + " and " + n + " words for "
                    + lanes + " lanes, but holds " + (end - p) + " bytes after its varints");
        }
        Message m = vector ? new MessageVector(lanes, seed) : new MessageScalar(lanes, seed);
        for (int j = 0; j < lanes; j++, p += 8) {
            long x = src.get(LE_LONG, p);
            if (x < L) {
                m.close();
                throw new CorruptInputException(p, "lane " + j + " state " + Long.toUnsignedString(x) + " outside [2^31, 2^63)");
            }
            m.head[j] = x;
        }
        m.tail.load(src, p, low, n);
        return m;
    }

    /** An independent copy with the same state (same implementation). */
    public final Message copy() {
        Message m = this instanceof MessageVector ? new MessageVector(head.length, tail.seed) : new MessageScalar(head.length, tail.seed);
        System.arraycopy(head, 0, m.head, 0, head.length);
        m.tail.copyFrom(tail);
        return m;
    }

    /** Whether both messages hold the same state: heads, seed, and the same word at every depth of the tail (see {@link Tail#contentEquals}). */
    public final boolean contentEquals(Message other) {
        return Arrays.equals(head, other.head) && tail.contentEquals(other.tail);
    }

    /** Whether this message is exactly a fresh {@code create(lanes, seed)} message, or one that had clean words popped and pushed back. */
    public final boolean isPristine() {
        for (int j = 0; j < head.length; j++) {
            if (head[j] != initialHead(tail.seed, j)) {
                return false;
            }
        }
        if (tail.top != 0) {
            return false;
        }
        for (long d = tail.low; d < 0; d++) {
            if (tail.wordAt(d) != Tail.cleanWord(tail.seed, d)) {
                return false;
            }
        }
        return true;
    }

    /** Frees the off-heap tail. The message must not be used afterwards. */
    @Override
    public final void close() {
        tail.close();
    }

    @Override
    public String toString() {
        return "Message[" + implementation() + ", lanes=" + head.length + ", tailWords=" + tail.size() + "]";
    }
}
