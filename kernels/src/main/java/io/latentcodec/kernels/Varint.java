package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Unsigned LEB128 varints (7 bits a byte, low first, high bit = more), as the kernels' stream formats write them. */
final class Varint {
    private Varint() {
    }

    /** Bytes {@link #put} writes for {@code v} (treated as unsigned). */
    static int size(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Writes {@code v} at {@code p}; returns the offset after it. */
    static long put(MemorySegment dst, long p, long v) {
        while ((v & ~0x7FL) != 0) {
            dst.set(ValueLayout.JAVA_BYTE, p++, (byte) (v | 0x80));
            v >>>= 7;
        }
        dst.set(ValueLayout.JAVA_BYTE, p++, (byte) v);
        return p;
    }

    /**
     * Reads a varint of at most {@code maxBytes} bytes from {@code [p, end)} into {@code out[0]};
     * returns the offset after it.
     *
     * @throws CorruptInputException naming {@code what} if the input ends inside it or it is too long
     */
    static long get(MemorySegment src, long p, long end, int maxBytes, String what, long[] out) {
        long v = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (p >= end) {
                throw new CorruptInputException(p, what + " truncated");
            }
            int b = src.get(ValueLayout.JAVA_BYTE, p++) & 0xFF;
            v |= (long) (b & 0x7F) << (7 * i);
            if (b < 0x80) {
                out[0] = v;
                return p;
            }
        }
        throw new CorruptInputException(p, what + " is longer than " + maxBytes + " bytes");
    }
}
