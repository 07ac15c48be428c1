package io.latentcodec.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The shared tail of a {@link Message}: a stack of 32-bit words in off-heap memory, growable,
 * freed by {@link #close()}.
 *
 * <h2>Read me first</h2>
 * Words are addressed by <em>depth</em>, a signed position counted from the message's origin.
 * The words at depths {@code [low, top)} are real: written by pushes, or read from a stream.
 * Below {@code low} the stack goes on forever with <em>clean words</em>: the word at depth
 * {@code d} is {@link #cleanWord(long, long) cleanWord(seed, d)}, a fixed pseudo-random function
 * of the seed. Popping from an empty tail therefore draws seeded clean bits, which is what
 * bits-back coding does first; they are paid for because every word pushed afterwards lands at
 * a real depth and is written out. A decoder that undoes everything pushes the same clean words
 * back, so it can check that it ended where the encoder began.
 *
 * <p>Memory: depth {@code d} lives at word index {@code d - base} of {@link #seg}. Virtual words
 * need no memory; when pops run below {@code base} with no real word left, the segment is
 * simply re-based (nothing to copy).
 */
final class Tail implements AutoCloseable {
    /** Words kept free above {@code top}, so a vector kernel may store a whole vector at {@code top}. */
    static final int SLACK = 64;
    private static final int INITIAL_WORDS = 1 << 12;
    private static final long MAX_WORDS = 1L << 36; // 256 GiB of words: far past any sane message
    static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED;

    static {
        // Words are stored in native order and serialized little-endian; vector kernels move them
        // as raw lanes, so a big-endian machine would need a byte swap we have not written.
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("latentcodec's rANS kernels need a little-endian machine");
        }
    }

    final long seed;
    private Arena arena;
    /** Off-heap words; covers depths {@code [base, base + capacity)}. */
    MemorySegment seg;
    /** Depth of word index 0 of {@link #seg}; invariant {@code base <= low}. */
    long base;
    /** Number of words {@link #seg} holds; invariant {@code top + SLACK <= base + capacity}. */
    long capacity;
    /** One past the topmost word; invariant {@code low <= top}. */
    long top;
    /** Lowest real word; words below are the clean words of {@link #seed}. Invariant {@code low <= min(0, top)}. */
    long low;

    Tail(long seed) {
        this.seed = seed;
        allocate(INITIAL_WORDS);
        this.base = -(INITIAL_WORDS / 4);
    }

    private void allocate(long words) {
        arena = Arena.ofShared();
        seg = arena.allocate(words * Integer.BYTES, 64);
        capacity = words;
    }

    /** Number of real words: what a serialized message holds besides its heads. */
    long size() {
        return top - low;
    }

    /** The clean word at depth {@code d} of a tail with this seed (SplitMix64 finalizer of seed and depth). */
    static int cleanWord(long seed, long d) {
        long z = seed + (d + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z >>> 32);
    }

    void push(int word) {
        if (top + SLACK >= base + capacity) {
            grow(1);
        }
        seg.setAtIndex(WORD, top - base, word);
        top++;
    }

    int pop() {
        if (top > low) {
            top--;
            return seg.getAtIndex(WORD, top - base);
        }
        return popClean();
    }

    /** Pops a clean word: only when no real word is left ({@code top == low}). */
    int popClean() {
        top--;
        low = top;
        if (top < base) {
            base = top - capacity / 2; // no real words: re-base without copying
        }
        return cleanWord(seed, top);
    }

    /** Makes room so that {@code n} more words plus {@link #SLACK} fit above {@code top}. */
    void ensure(long n) {
        if (top + n + SLACK > base + capacity) {
            grow(n);
        }
    }

    private void grow(long n) {
        long need = top - low + n + SLACK;
        long words = Math.max(capacity * 2, need + need / 2);
        if (words > MAX_WORDS) {
            throw new IllegalStateException("rANS message tail would exceed " + MAX_WORDS + " words");
        }
        Arena oldArena = arena;
        MemorySegment old = seg;
        long oldBase = base;
        allocate(words);
        base = low; // pushes never write below low, and clean-word pops re-base by themselves
        MemorySegment.copy(old, (low - oldBase) * Integer.BYTES, seg, (low - base) * Integer.BYTES,
                (top - low) * Integer.BYTES);
        oldArena.close();
    }

    /** Copies the real words, lowest first, into {@code dst} at {@code dstOffset} as little-endian ints. */
    void copyWordsTo(MemorySegment dst, long dstOffset) {
        MemorySegment.copy(seg, WORD, (low - base) * Integer.BYTES, dst,
                ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), dstOffset, top - low);
    }

    /** Replaces the content by {@code count} little-endian words read from {@code src}, lowest first, at depths [low, low+count). */
    void load(MemorySegment src, long srcOffset, long newLow, long count) {
        if (count + SLACK > capacity) {
            Arena oldArena = arena;
            allocate(count + count / 2 + SLACK);
            oldArena.close();
        }
        base = newLow;
        low = newLow;
        top = newLow + count;
        MemorySegment.copy(src, ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), srcOffset,
                seg, WORD, 0, count);
    }

    void copyFrom(Tail other) {
        long count = other.top - other.low;
        if (count + SLACK > capacity) {
            Arena oldArena = arena;
            allocate(count + count / 2 + SLACK);
            oldArena.close();
        }
        base = other.low;
        low = other.low;
        top = other.top;
        MemorySegment.copy(other.seg, (other.low - other.base) * Integer.BYTES, seg, 0, count * Integer.BYTES);
    }

    /** The word at depth {@code d < top}: real at or above {@code low}, the seed's clean word below. */
    int wordAt(long d) {
        return d >= low ? seg.getAtIndex(WORD, d - base) : cleanWord(seed, d);
    }

    /**
     * Whether both tails hold the same stack: same seed, same top, and the same word at every
     * depth, where a real word equal to the clean word beneath it counts as that clean word (a
     * decoder that pushed borrowed clean bits back holds them as real words).
     */
    boolean contentEquals(Tail other) {
        if (top != other.top || seed != other.seed) {
            return false;
        }
        long from = Math.min(low, other.low);
        long common = Math.max(low, other.low);
        for (long d = from; d < common && d < top; d++) {
            if (wordAt(d) != other.wordAt(d)) {
                return false;
            }
        }
        if (common >= top) {
            return true;
        }
        long n = (top - common) * Integer.BYTES;
        long a = (common - base) * Integer.BYTES;
        long b = (common - other.base) * Integer.BYTES;
        return MemorySegment.mismatch(seg, a, a + n, other.seg, b, b + n) < 0;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
            seg = null;
        }
    }
}
