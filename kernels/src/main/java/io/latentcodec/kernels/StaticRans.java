package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Static rANS for arbitrary bytes: order 0 (one frequency table) or order 1 (one table per
 * preceding byte), the tables in the stream header.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Coder.</b> {@value #LANES} interleaved rANS lanes with 32-bit states in
 * {@code [2^15, 2^31)}, 16-bit words and 12-bit frequencies: a narrower sibling of
 * {@link Message}'s 63-bit lanes, because static byte tables need no more precision and half-width
 * states put twice as many lanes in a vector (16 per 512-bit register).
 * <li><b>Order 0 lanes.</b> Byte i goes to lane {@code i mod 32}. <b>Order 1 lanes.</b> The input
 * is cut into 32 contiguous segments of {@code ceil(n/32)} bytes; lane j codes segment j, each byte
 * in the context of the byte before it in the same segment (0 for a segment's first byte), so the
 * lanes of a decoding step never wait on each other.
 * <li><b>Stack order.</b> The encoder runs from the last byte to the first and appends words
 * (ascending lanes within a step); the decoder runs forwards and takes words back from the end
 * (descending lanes). Scalar and vector kernels follow this order and write identical bytes.
 * <li><b>Integrity.</b> The header holds the CRC32C of the original bytes. A decoder must end
 * with every word consumed and every lane back at its initial state {@code 2^15}; anything else,
 * and any checksum mismatch, is a {@link CorruptInputException}.
 * </ul>
 *
 * <pre>
 *  0        4     5       6       7       8                  16        20            24                32
 *  +--------+-----+-------+-------+-------+------------------+---------+-------------+-----------------+
 *  | "LCS1" | ver | order | lanes | prec  | length n (u64)   | CRC32C  | table bytes | words w (u64)   |
 *  +--------+-----+-------+-------+-------+------------------+---------+-------------+-----------------+
 *  | frequency tables | final lane states: 32 x u32 | w words: u16 each, in the order the encoder wrote them
 *  +------------------+------------------------------+------------------------------------------------
 * </pre>
 * All integers little-endian. Order-0 table: {@link FrequencyTable}'s form. Order-1 tables: a
 * 256-bit bitmap of the contexts that occur, then one {@link FrequencyTable} per such context.
 */
public final class StaticRans {
    public static final int LANES = 32;
    /** Frequency precision: 12 bits keeps the decoder's slot table (4096 ints) in L1. */
    public static final int PRECISION = 12;
    static final int M = 1 << PRECISION;
    /** Lower bound of a lane state, {@code L = 2^15}: one 16-bit word lifts any state below it back into range. */
    static final int L = 1 << 15;
    /** Emit a word before coding freq f when {@code x >= f 2^19}, so that {@code x' < 2^31}. (19 = 31 - 12.) */
    static final int RENORM_SHIFT = 31 - PRECISION;

    public static final int HEADER_BYTES = 32;
    static final int MAGIC = 0x3153434C; // "LCS1" little-endian
    static final int VERSION = 1;
    static final int HEADS_BYTES = 4 * LANES;
    /** Room the vector kernels may write past the last word (one full vector of 16-bit words, any width). */
    static final int SLACK_BYTES = 128;
    static final long MAX_LENGTH = Long.MAX_VALUE / 4;

    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private StaticRans() {
    }

    /** Largest table section for an order. */
    static int maxTableBytes(int order) {
        return order == 0 ? FrequencyTable.MAX_BYTES : FrequencyTable.BITMAP_BYTES + 256 * FrequencyTable.MAX_BYTES;
    }

    /** An output buffer of this many bytes always suffices to compress {@code n} bytes at {@code order}. */
    public static long maxCompressedLength(long n, int order) {
        checkOrder(order);
        if (n < 0 || n > MAX_LENGTH) {
            throw new IllegalArgumentException("length must be in [0, " + MAX_LENGTH + "], got " + n);
        }
        // at most one 16-bit word per byte: a 12-bit code plus the renormalisation it triggers
        return HEADER_BYTES + maxTableBytes(order) + HEADS_BYTES + 2 * n + SLACK_BYTES;
    }

    private static void checkOrder(int order) {
        if (order != 0 && order != 1) {
            throw new IllegalArgumentException("order must be 0 or 1, got " + order);
        }
    }

    /** Compresses {@code in} at {@code order} (0 or 1). */
    public static byte[] compress(byte[] in, int order) {
        long max = maxCompressedLength(in.length, order);
        byte[] out = new byte[(int) Math.min(max, Integer.MAX_VALUE - 16)];
        long n = compress(MemorySegment.ofArray(in), MemorySegment.ofArray(out), order);
        return Arrays.copyOf(out, (int) n);
    }

    /**
     * Compresses all of {@code in} into {@code out}, which needs {@link #maxCompressedLength} bytes;
     * returns the number of bytes written.
     */
    public static long compress(MemorySegment in, MemorySegment out, int order) {
        return compress(in, out, order, Simd.vectorEnabled());
    }

    /**
     * {@link #compress(MemorySegment, MemorySegment, int)} with the kernel chosen by the caller:
     * {@code vector} false forces the scalar reference (same bytes; for tests and benchmarks).
     */
    public static long compress(MemorySegment in, MemorySegment out, int order, boolean vector) {
        if (vector && !Simd.vectorEnabled() && !Simd.vectorAvailable()) {
            throw new IllegalStateException("vector kernels need --add-modules jdk.incubator.vector");
        }
        final long n = in.byteSize();
        long max = maxCompressedLength(n, order);
        if (out.byteSize() < max) {
            throw new IllegalArgumentException("output of " + out.byteSize() + " bytes is smaller than maxCompressedLength " + max);
        }
        CRC32C crc = new CRC32C();
        crc.update(in.asByteBuffer());
        int[] heads = new int[LANES];
        Arrays.fill(heads, L);
        long tableEnd;
        long words;
        if (n == 0) {
            tableEnd = HEADER_BYTES; // nothing to code, no table
            words = 0;
        } else if (order == 0) {
            int[] freq = FrequencyTable.quantize(StaticRansScalar.histogram(in, n), PRECISION);
            tableEnd = HEADER_BYTES + FrequencyTable.write(freq, out, HEADER_BYTES);
            long wordsAt = tableEnd + HEADS_BYTES;
            int[] start = FrequencyTable.starts(freq);
            words = vector && n >= LANES ? StaticRansVector.encode0(in, n, freq, start, heads, out, wordsAt)
                    : StaticRansScalar.encode0(in, n, freq, start, heads, out, wordsAt);
        } else {
            Order1Tables t = Order1Tables.quantize(StaticRansScalar.histogram1(in, n), PRECISION);
            tableEnd = HEADER_BYTES + t.write(out, HEADER_BYTES);
            long wordsAt = tableEnd + HEADS_BYTES;
            words = vector ? StaticRansVectorOrder1.encode(in, n, t, heads, out, wordsAt)
                    : StaticRansScalar.encode1(in, n, t, heads, out, wordsAt);
        }
        out.set(LE_INT, 0, MAGIC);
        out.set(ValueLayout.JAVA_BYTE, 4, (byte) VERSION);
        out.set(ValueLayout.JAVA_BYTE, 5, (byte) order);
        out.set(ValueLayout.JAVA_BYTE, 6, (byte) LANES);
        out.set(ValueLayout.JAVA_BYTE, 7, (byte) PRECISION);
        out.set(LE_LONG, 8, n);
        out.set(LE_INT, 16, (int) crc.getValue());
        out.set(LE_INT, 20, (int) (tableEnd - HEADER_BYTES));
        out.set(LE_LONG, 24, words);
        for (int j = 0; j < LANES; j++) {
            out.set(LE_INT, tableEnd + 4L * j, heads[j]);
        }
        return tableEnd + HEADS_BYTES + 2 * words;
    }

    /** The parsed, validated header of a stream. */
    record Header(int order, long length, int crc, long tableBytes, long words, long compressedLength) {
        long tableAt() {
            return HEADER_BYTES;
        }

        long headsAt() {
            return HEADER_BYTES + tableBytes;
        }

        long wordsAt() {
            return HEADER_BYTES + tableBytes + HEADS_BYTES;
        }
    }

    static Header header(MemorySegment in) {
        long size = in.byteSize();
        if (size < HEADER_BYTES) {
            throw new CorruptInputException(size, "static rANS stream truncated: " + size + " bytes, the header alone needs " + HEADER_BYTES);
        }
        if (in.get(LE_INT, 0) != MAGIC) {
            throw new CorruptInputException(0, "not a static rANS stream (bad magic)");
        }
        int version = in.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
        if (version != VERSION) {
            throw new CorruptInputException(4, "static rANS version " + version + " is not supported (this build reads " + VERSION + ")");
        }
        int order = in.get(ValueLayout.JAVA_BYTE, 5) & 0xFF;
        if (order > 1) {
            throw new CorruptInputException(5, "order " + order + " is not 0 or 1");
        }
        int lanes = in.get(ValueLayout.JAVA_BYTE, 6) & 0xFF;
        if (lanes != LANES) {
            throw new CorruptInputException(6, "lane count " + lanes + " is not " + LANES);
        }
        int prec = in.get(ValueLayout.JAVA_BYTE, 7) & 0xFF;
        if (prec != PRECISION) {
            throw new CorruptInputException(7, "precision " + prec + " is not " + PRECISION);
        }
        long n = in.get(LE_LONG, 8);
        if (n < 0 || n > MAX_LENGTH) {
            throw new CorruptInputException(8, "length " + Long.toUnsignedString(n) + " is out of range");
        }
        int crc = in.get(LE_INT, 16);
        long tableBytes = in.get(LE_INT, 20) & 0xFFFF_FFFFL;
        if (tableBytes > maxTableBytes(order) || (n > 0 ? tableBytes < FrequencyTable.BITMAP_BYTES : tableBytes != 0)) {
            throw new CorruptInputException(20, "table size " + tableBytes + " is impossible for order " + order);
        }
        long words = in.get(LE_LONG, 24);
        long fixed = HEADER_BYTES + tableBytes + HEADS_BYTES;
        if (words < 0 || words > n || size < fixed || words > (size - fixed) / 2) {
            throw new CorruptInputException(24, "stream declares " + Long.toUnsignedString(words) + " words for " + n
                    + " bytes but holds " + size + " bytes in all");
        }
        return new Header(order, n, crc, tableBytes, words, fixed + 2 * words);
    }

    /** Number of bytes the stream in {@code in} decompresses to (reads the header only). */
    public static long decompressedLength(MemorySegment in) {
        return header(in).length();
    }

    /** Number of bytes the stream occupies at the start of {@code in}. */
    public static long compressedLength(MemorySegment in) {
        return header(in).compressedLength();
    }

    /** The order (0 or 1) the stream was written at. */
    public static int order(MemorySegment in) {
        return header(in).order();
    }

    /** Decompresses a whole stream (up to 2^31 - 17 bytes; see {@link #decompress(byte[], long)} to set a lower limit). */
    public static byte[] decompress(byte[] in) {
        return decompress(in, Integer.MAX_VALUE - 16);
    }

    /**
     * Decompresses a stream that must not expand to more than {@code maxLength} bytes: a stream
     * declaring more is refused before anything is allocated. Use it for input from outside,
     * since a byte repeated a billion times is a valid, tiny stream.
     *
     * @throws CorruptInputException if the stream is damaged or declares more than {@code maxLength} bytes
     */
    public static byte[] decompress(byte[] in, long maxLength) {
        Plan plan = plan(MemorySegment.ofArray(in));
        long n = plan.header.length();
        if (n > Math.min(maxLength, Integer.MAX_VALUE - 16)) {
            throw new CorruptInputException(8, "stream declares " + n + " bytes, more than the limit of "
                    + Math.min(maxLength, Integer.MAX_VALUE - 16));
        }
        byte[] out = new byte[(int) n];
        decode(MemorySegment.ofArray(in), MemorySegment.ofArray(out), plan, Simd.vectorEnabled());
        return out;
    }

    /**
     * Decompresses the stream at the start of {@code in} into {@code out} (at least
     * {@link #decompressedLength} bytes); returns the number of bytes written.
     *
     * @throws CorruptInputException if the stream is truncated, damaged or not a static rANS stream
     */
    public static long decompress(MemorySegment in, MemorySegment out) {
        return decompress(in, out, Simd.vectorEnabled());
    }

    /** {@link #decompress(MemorySegment, MemorySegment)} with the kernel chosen by the caller (see {@link #compress(MemorySegment, MemorySegment, int, boolean)}). */
    public static long decompress(MemorySegment in, MemorySegment out, boolean vector) {
        if (vector && !Simd.vectorEnabled() && !Simd.vectorAvailable()) {
            throw new IllegalStateException("vector kernels need --add-modules jdk.incubator.vector");
        }
        Plan plan = plan(in);
        if (out.byteSize() < plan.header.length()) {
            throw new IllegalArgumentException("output of " + out.byteSize() + " bytes cannot hold the "
                    + plan.header.length() + " decompressed bytes");
        }
        return decode(in, out, plan, vector);
    }

    /** A validated header with its parsed tables: everything checked before the decoder allocates or runs. */
    record Plan(Header header, int[] freq, Order1Tables order1) {
    }

    /**
     * Parses and checks header and tables. Beyond field ranges it checks that the declared length
     * is possible: every byte costs at least {@code log2(2^12 / maxFreq)} bits and the stream holds
     * at most 16 bits per word plus 16 per lane state, so a damaged length field cannot make the
     * caller allocate gigabytes (only a table with a certain symbol, frequency 2^12, leaves the
     * length unbounded: then the data really is one byte repeated).
     */
    static Plan plan(MemorySegment in) {
        Header h = header(in);
        if (h.length() == 0) {
            return new Plan(h, null, null);
        }
        int maxFreq;
        int[] freq = null;
        Order1Tables t = null;
        if (h.order() == 0) {
            freq = new int[FrequencyTable.SYMBOLS];
            long end = FrequencyTable.read(in, h.tableAt(), h.headsAt(), PRECISION, freq);
            if (end != h.headsAt()) {
                throw new CorruptInputException(end, "table section has " + (h.headsAt() - end) + " unexplained bytes");
            }
            maxFreq = Arrays.stream(freq).max().orElse(M);
        } else {
            t = Order1Tables.read(in, h.tableAt(), h.headsAt(), PRECISION);
            maxFreq = 0;
            for (int c = 0; c < 256; c++) {
                if (t.present[c]) {
                    for (int s = 0; s < 256; s++) {
                        maxFreq = Math.max(maxFreq, t.freq[c * 256 + s]);
                    }
                }
            }
        }
        if (maxFreq < M) {
            double minBitsPerByte = PRECISION - Math.log(maxFreq) / Math.log(2);
            double capacityBits = 16.0 * (h.words() + LANES);
            if (h.length() * minBitsPerByte > capacityBits * 1.001 + 64) {
                throw new CorruptInputException(8, "declared length " + h.length() + " cannot fit in " + h.words()
                        + " words with these frequency tables: the header is damaged");
            }
        }
        return new Plan(h, freq, t);
    }

    private static long decode(MemorySegment in, MemorySegment out, Plan plan, boolean vector) {
        Header h = plan.header;
        final long n = h.length();
        int[] heads = new int[LANES];
        for (int j = 0; j < LANES; j++) {
            heads[j] = in.get(LE_INT, h.headsAt() + 4L * j);
            if (heads[j] < L) { // negative values, i.e. >= 2^31, land here too
                throw new CorruptInputException(h.headsAt() + 4L * j, "lane " + j + " state " + Integer.toUnsignedString(heads[j]) + " outside [2^15, 2^31)");
            }
        }
        long left;
        MemorySegment dst = out.asSlice(0, n);
        if (n == 0) {
            left = h.words();
        } else if (h.order() == 0) {
            int[] slots = StaticRansScalar.slotTable(plan.freq);
            left = vector && n >= LANES ? StaticRansVector.decode0(in, h.wordsAt(), h.words(), slots, heads, dst, n)
                    : StaticRansScalar.decode0(in, h.wordsAt(), h.words(), slots, heads, dst, n);
        } else {
            left = vector ? StaticRansVectorOrder1.decode(in, h.wordsAt(), h.words(), plan.order1, heads, dst, n)
                    : StaticRansScalar.decode1(in, h.wordsAt(), h.words(), plan.order1, heads, dst, n);
        }
        if (left != 0) {
            throw new CorruptInputException(h.wordsAt() + 2 * left, left + " words were left unread: the stream is damaged");
        }
        for (int j = 0; j < LANES; j++) {
            if (heads[j] != L) {
                throw new CorruptInputException(h.headsAt() + 4L * j, "lane " + j + " did not return to its initial state: the stream is damaged");
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(dst.asByteBuffer());
        if ((int) crc.getValue() != h.crc()) {
            throw new CorruptInputException(16, "CRC32C of the decoded bytes does not match the header: the stream is damaged");
        }
        return n;
    }

    static CorruptInputException wordUnderflow(long wordsAt) {
        return new CorruptInputException(wordsAt, "decoder ran out of words: the stream is truncated or damaged");
    }
}
