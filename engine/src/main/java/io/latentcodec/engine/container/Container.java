package io.latentcodec.engine.container;

import io.latentcodec.CorruptInputException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The latentcodec file format: one header, then the streams of independently decodable
 * <em>chains</em> (chunks of bytes, or runs of images coded by one bits-back chain), in order.
 *
 * <pre>
 *  0        4     5       6        8                12               16
 *  +--------+-----+-------+--------+----------------+----------------+
 *  | "LCDC" | ver | codec | flags  | header length h| CRC32C of bytes|  ver: 2 (1 still read; see VERSION)
 *  |        | u8  | u8    | u16    | u32            | 0..11 + header |
 *  +--------+-----+-------+--------+----------------+----------------+
 *  16: header, h bytes:
 *  +---------------------------------------------------------------+
 *  | model fingerprint: 32 bytes (all zero when the codec has none) |
 *  | shape: rank u8, then rank x u64 dimensions of the original data|
 *  | codec parameters: length u32, then that many bytes             |
 *  | chain count c: u32                                             |
 *  | c x { stream bytes u64 | original bytes u64 | CRC32C u32 of the|
 *  |       chain's original bytes }                                 |
 *  +---------------------------------------------------------------+
 *  16 + h: chain 0's stream, chain 1's stream, ... (exactly the declared lengths, nothing after)
 * </pre>
 * All integers little-endian. A reader checks the header CRC before it trusts any field, checks
 * every declared size against the file's length and sane maxima before it allocates, and each
 * decoder checks its chain's CRC32C after decoding: a damaged file is an error, never wrong data.
 */
public final class Container {
    public static final int MAGIC = 0x4344434C; // "LCDC" little-endian
    /**
     * The version this build writes. 2: every model float the coder depends on comes from the
     * project's deterministic Java inference ({@code io.latentcodec.kernels.nn}), and the
     * fingerprint covers the weights file ({@code latentcodec-weights/2}); such a file decodes on any
     * machine. 1: bits-back and VBQ floats came from TensorFlow, and the fingerprint covers the
     * SavedModel's weights and batch size; such a file decodes only where TensorFlow computes the
     * same floats as on the machine that wrote it. Static rANS chains are the same in both.
     */
    public static final int VERSION = 2;
    /** The oldest version this build reads. */
    public static final int OLDEST_VERSION = 1;
    public static final int PREFIX_BYTES = 16;
    public static final int FINGERPRINT_BYTES = 32;
    /** Sanity bounds checked before any allocation a header could ask for. */
    public static final int MAX_HEADER_BYTES = 64 << 20;
    public static final int MAX_RANK = 8;
    public static final int MAX_PARAM_BYTES = 1 << 20;
    public static final int MAX_CHAINS = 1 << 20;
    /**
     * Flag bit 0, static rANS only: another container follows this one in the same file (the Hadoop
     * codec writes a container per chunk; every one but the last carries it). Older readers ignore flags.
     */
    public static final int FLAG_MORE = 1;
    static final int CHAIN_ENTRY_BYTES = 8 + 8 + 4;

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Container() {
    }

    /** One chain's entry in the header. */
    public record Chain(long streamBytes, long originalBytes, int crc32c) {
    }

    /** Everything before the streams. {@code streamsAt} is the file offset of chain 0's stream. */
    public record Header(int version, CodecId codec, int flags, byte[] fingerprint, long[] shape, byte[] params, List<Chain> chains) {
        /** A header of the version this build writes. */
        public Header(CodecId codec, int flags, byte[] fingerprint, long[] shape, byte[] params, List<Chain> chains) {
            this(VERSION, codec, flags, fingerprint, shape, params, chains);
        }

        public Header {
            if (version < OLDEST_VERSION || version > VERSION) {
                throw new IllegalArgumentException("container version " + version + " is not " + OLDEST_VERSION + ".." + VERSION);
            }
            if (fingerprint.length != FINGERPRINT_BYTES) {
                throw new IllegalArgumentException("fingerprint must be " + FINGERPRINT_BYTES + " bytes, got " + fingerprint.length);
            }
            if (shape.length > MAX_RANK) {
                throw new IllegalArgumentException("rank " + shape.length + " exceeds " + MAX_RANK);
            }
            if (params.length > MAX_PARAM_BYTES || chains.size() > MAX_CHAINS) {
                throw new IllegalArgumentException("too many parameter bytes or chains");
            }
            chains = List.copyOf(chains);
        }

        /** Bytes of the header section (without the 16-byte prefix). */
        public int headerBytes() {
            return FINGERPRINT_BYTES + 1 + 8 * shape.length + 4 + params.length + 4 + CHAIN_ENTRY_BYTES * chains.size();
        }

        public long streamsAt() {
            return PREFIX_BYTES + headerBytes();
        }

        /** File offset of chain i's stream. */
        public long streamAt(int i) {
            long at = streamsAt();
            for (int k = 0; k < i; k++) {
                at += chains.get(k).streamBytes();
            }
            return at;
        }

        public long totalBytes() {
            long at = streamsAt();
            for (Chain c : chains) {
                at += c.streamBytes();
            }
            return at;
        }

        public long originalBytes() {
            long n = 0;
            for (Chain c : chains) {
                n += c.originalBytes();
            }
            return n;
        }

        public boolean hasFingerprint() {
            for (byte b : fingerprint) {
                if (b != 0) {
                    return true;
                }
            }
            return false;
        }

        /** The header as the bytes that precede the streams in the file. */
        public byte[] toBytes() {
            int h = headerBytes();
            ByteBuffer b = ByteBuffer.allocate(PREFIX_BYTES + h).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(MAGIC).put((byte) version).put((byte) codec.id()).putShort((short) flags).putInt(h).putInt(0);
            b.put(fingerprint);
            b.put((byte) shape.length);
            for (long d : shape) {
                b.putLong(d);
            }
            b.putInt(params.length).put(params);
            b.putInt(chains.size());
            for (Chain c : chains) {
                b.putLong(c.streamBytes()).putLong(c.originalBytes()).putInt(c.crc32c());
            }
            b.putInt(12, headerCrc(b.array()));
            return b.array();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header other && version == other.version && codec == other.codec && flags == other.flags
                    && Arrays.equals(fingerprint, other.fingerprint) && Arrays.equals(shape, other.shape)
                    && Arrays.equals(params, other.params) && chains.equals(other.chains);
        }

        @Override
        public int hashCode() {
            return codec.hashCode() * 31 + chains.hashCode();
        }

        @Override
        public String toString() {
            return "Header[v" + version + ", " + codec + ", shape=" + Arrays.toString(shape) + ", chains=" + chains.size() + "]";
        }
    }

    /** Whether {@code in} starts with the container magic (cheap sniffing for the CLI). */
    public static boolean looksLikeContainer(MemorySegment in) {
        return in.byteSize() >= 4 && in.get(LE_INT, 0) == MAGIC;
    }

    /**
     * Parses and validates the header of a whole container file in {@code in}: magic, version,
     * header CRC, field ranges, and that the chains' streams exactly fill the rest of the file.
     *
     * @throws CorruptInputException naming the byte offset and what is wrong
     */
    public static Header read(MemorySegment in) {
        return parse(in, in.byteSize(), true);
    }

    /**
     * {@link #read(MemorySegment)} for a file of {@code fileSize} bytes of which {@code start} holds
     * only the first: at least the prefix and the header it declares, or the whole file where that
     * is shorter. A reader that fetches the streams itself, chain by chain, checks the header so.
     */
    public static Header read(MemorySegment start, long fileSize) {
        if (start.byteSize() > fileSize) {
            throw new IllegalArgumentException(start.byteSize() + " bytes given of a " + fileSize + "-byte file");
        }
        return parse(start, fileSize, true);
    }

    /**
     * Parses and validates the container that starts {@code in} and may be followed by more bytes
     * (the next member of a file of several containers one after another, as the Hadoop codec
     * writes): everything {@link #read} checks except that its streams end the file; they must fit in it.
     */
    public static Header readMember(MemorySegment in) {
        return parse(in, in.byteSize(), false);
    }

    /**
     * Validates a header alone: {@code prefixAndHeader} holds exactly the 16-byte prefix and the
     * header it declares, as a stream reader has them before it reads the chains' streams (whose
     * declared sizes it must bound itself).
     */
    public static Header readHeader(MemorySegment prefixAndHeader) {
        Header h = parse(prefixAndHeader, Long.MAX_VALUE, false);
        if (h.streamsAt() != prefixAndHeader.byteSize()) {
            throw new CorruptInputException(8, "header length disagrees with the " + prefixAndHeader.byteSize() + " bytes given");
        }
        return h;
    }

    /** The header of the container at the start of {@code in}, whose streams may end at most at {@code size}, and exactly there when {@code whole}. */
    private static Header parse(MemorySegment in, long size, boolean whole) {
        long have = in.byteSize();
        if (have < PREFIX_BYTES) {
            throw new CorruptInputException(have, "file too short for a latentcodec container (" + have + " bytes)");
        }
        if (in.get(LE_INT, 0) != MAGIC) {
            throw new CorruptInputException(0, "not a latentcodec container (bad magic)");
        }
        int version = in.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new CorruptInputException(4, "container version " + version + " is not supported (this build reads versions "
                    + OLDEST_VERSION + " to " + VERSION + ")");
        }
        int codecId = in.get(ValueLayout.JAVA_BYTE, 5) & 0xFF;
        CodecId codec = CodecId.byId(codecId);
        if (codec == null) {
            throw new CorruptInputException(5, "unknown codec id " + codecId);
        }
        int flags = in.get(LE_SHORT, 6) & 0xFFFF;
        long h = in.get(LE_INT, 8) & 0xFFFF_FFFFL;
        if (h > MAX_HEADER_BYTES || h > have - PREFIX_BYTES) {
            throw new CorruptInputException(8, "header length " + h + " exceeds the file (" + have + " bytes)");
        }
        int crc = in.get(LE_INT, 12);
        if (headerCrc(in.asSlice(0, PREFIX_BYTES + h).toArray(ValueLayout.JAVA_BYTE)) != crc) {
            throw new CorruptInputException(12, "header checksum mismatch: the header is damaged");
        }
        long p = PREFIX_BYTES;
        long end = PREFIX_BYTES + h;
        need(p, FINGERPRINT_BYTES + 1, end, "fingerprint and rank");
        byte[] fingerprint = in.asSlice(p, FINGERPRINT_BYTES).toArray(ValueLayout.JAVA_BYTE);
        p += FINGERPRINT_BYTES;
        int rank = in.get(ValueLayout.JAVA_BYTE, p) & 0xFF;
        if (rank > MAX_RANK) {
            throw new CorruptInputException(p, "rank " + rank + " exceeds " + MAX_RANK);
        }
        p++;
        need(p, 8L * rank + 4, end, "shape");
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++, p += 8) {
            shape[i] = in.get(LE_LONG, p);
            if (shape[i] < 0) {
                throw new CorruptInputException(p, "negative dimension " + shape[i]);
            }
        }
        long paramBytes = in.get(LE_INT, p) & 0xFFFF_FFFFL;
        p += 4;
        if (paramBytes > MAX_PARAM_BYTES) {
            throw new CorruptInputException(p - 4, "codec parameters of " + paramBytes + " bytes exceed " + MAX_PARAM_BYTES);
        }
        need(p, paramBytes + 4, end, "codec parameters");
        byte[] params = in.asSlice(p, paramBytes).toArray(ValueLayout.JAVA_BYTE);
        p += paramBytes;
        long chainCount = in.get(LE_INT, p) & 0xFFFF_FFFFL;
        p += 4;
        if (chainCount > MAX_CHAINS) {
            throw new CorruptInputException(p - 4, "chain count " + chainCount + " exceeds " + MAX_CHAINS);
        }
        if (chainCount * CHAIN_ENTRY_BYTES != end - p) {
            throw new CorruptInputException(p - 4, "header declares " + chainCount + " chains but holds room for "
                    + (end - p) / CHAIN_ENTRY_BYTES);
        }
        List<Chain> chains = new ArrayList<>((int) chainCount);
        long streams = 0;
        for (long i = 0; i < chainCount; i++, p += CHAIN_ENTRY_BYTES) {
            long sb = in.get(LE_LONG, p);
            long ob = in.get(LE_LONG, p + 8);
            if (sb < 0 || ob < 0) {
                throw new CorruptInputException(p, "chain " + i + " declares negative sizes " + sb + " / " + ob);
            }
            if (sb > size - end - streams) { // invariant: streams <= size - end, so this neither overflows nor wraps
                throw new CorruptInputException(p, "file truncated: chain " + i + "'s stream ends past byte " + (end + streams)
                        + " + " + sb + " but the file has " + size + " bytes");
            }
            streams += sb;
            chains.add(new Chain(sb, ob, in.get(LE_INT, p + 16)));
        }
        if (whole && streams != size - end) {
            throw new CorruptInputException(end + streams, "the file is " + (size - end - streams)
                    + " bytes longer than its chains: truncated header or trailing garbage");
        }
        return new Header(version, codec, flags, fingerprint, shape, params, chains);
    }

    /** CRC32C over the prefix without its checksum field (bytes 0..11) and the header after it. */
    static int headerCrc(byte[] prefixAndHeader) {
        CRC32C c = new CRC32C();
        c.update(prefixAndHeader, 0, 12);
        c.update(prefixAndHeader, PREFIX_BYTES, prefixAndHeader.length - PREFIX_BYTES);
        return (int) c.getValue();
    }

    private static void need(long p, long bytes, long end, String what) {
        if (bytes > end - p) {
            throw new CorruptInputException(p, "header truncated in " + what);
        }
    }

    /** CRC32C of a segment. */
    public static int crc32c(MemorySegment data) {
        CRC32C c = new CRC32C();
        c.update(data.asByteBuffer());
        return (int) c.getValue();
    }
}
