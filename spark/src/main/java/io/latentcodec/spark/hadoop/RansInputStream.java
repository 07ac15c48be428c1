package io.latentcodec.spark.hadoop;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import org.apache.hadoop.fs.Seekable;
import org.apache.hadoop.io.compress.SplitCompressionInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a {@code .rans} stream (or any static rANS file the CLI wrote) chain by chain: it holds
 * one chain's stream and output at a time (at most {@link ChunkedBytes#MAX_CHUNK} bytes), checks
 * every header as the file reader does, every chain's CRC32C, and that the stream ends exactly
 * after a container that says none follows. Damage is a {@link CorruptInputException} with the
 * byte offset in the file.
 *
 * <p><b>Splits.</b> A container belongs to the split {@code [start, end)} that holds its first
 * byte. A reader for a split with {@code start > 0} seeks to {@code start} and takes the first
 * offset in {@code [start, end)} where a valid header starts (magic, header CRC32C, a static rANS
 * codec, known flags, chunk parameters, bounded stream sizes: a false match in other bytes has odd
 * about 2^-64, and its chain's CRC32C would still fail); with none, the split is empty. From there
 * it reads on past {@code end} for as long as the caller reads, as Hadoop's line readers do to
 * finish the split's last record. {@link #getPos} is one past the file offset of the container
 * whose bytes {@code read} returned last (before any, of the first one): it exceeds {@code end}
 * exactly once bytes of a later split's container have been returned, and one {@code read} never
 * returns bytes of two containers. Together with the line readers' rule (a split other than the
 * first skips its first line; every split reads lines while the position is at most its end, and
 * one more) every line is read by exactly one split.
 */
final class RansInputStream extends SplitCompressionInputStream {
    /**
     * Largest header a split scan accepts: the writer's members have one chain (about 80 bytes);
     * the bound keeps a scan over hostile bytes from reading megabytes per false magic.
     */
    static final int MAX_SCANNED_HEADER = 64 << 10;
    /** File offset of the next byte {@link #in} returns (offsets in errors). */
    private long consumed;
    /** File offset of the container being read, or to be read next. */
    private long containerAt;
    /** Value of {@link #getPos}: one past the offset of the container read() returned bytes of last. */
    private long position;
    /** The container being read, or null between containers. */
    private Container.Header header;
    /** The next chain of {@link #header} to decode. */
    private int nextChain;
    /** Decoded bytes of the current chain; [pos, out.length) not yet returned. */
    private byte[] out = new byte[0];
    private int pos;
    /** True once the last container's last chain is decoded and the end of the stream checked, or the split is empty. */
    private boolean done;

    /** The whole stream from its first byte. */
    RansInputStream(InputStream in) throws IOException {
        super(in, 0, Long.MAX_VALUE);
        position = 1;
    }

    /** The containers that start in {@code [start, end)} of a seekable file, and what follows them. */
    RansInputStream(InputStream in, long start, long end) throws IOException {
        super(in, start, end);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad split [" + start + ", " + end + ")");
        }
        if (start > 0) {
            if (!(in instanceof Seekable seekable)) {
                throw new IOException("a split starting at byte " + start + " needs a seekable stream, got " + in.getClass().getName());
            }
            long first = firstContainer(seekable, start, end);
            if (first < 0) {
                done = true;
                setStart(end);
                position = end + 1;
                return;
            }
            seekable.seek(first);
            consumed = first;
            containerAt = first;
            setStart(first);
        } else {
            if (in instanceof Seekable seekable && seekable.getPos() != 0) {
                seekable.seek(0);
            }
            // the first split decodes the file's first chain now: an empty or damaged file fails even where
            // the split reads no line (Hadoop gives an empty file one split of length 0, whose reader never reads)
            advance();
        }
        position = containerAt + 1;
    }

    @Override
    public long getPos() {
        return position;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (pos == out.length) {
            if (done || !advance()) {
                return -1;
            }
        }
        int n = Math.min(len, out.length - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        position = containerAt + 1;
        return n;
    }

    /** Decodes the next chain (reading the next header first where needed); false at the checked end. */
    private boolean advance() throws IOException {
        if (header != null && nextChain == header.chains().size()) {
            boolean more = (header.flags() & Container.FLAG_MORE) != 0;
            header = null;
            if (!more) {
                if (in.read() >= 0) {
                    throw new CorruptInputException(consumed, "trailing bytes after the last container");
                }
                done = true;
                return false;
            }
        }
        if (header == null) {
            containerAt = consumed;
            byte[] prefix = readFully(Container.PREFIX_BYTES, "a container's prefix");
            long h = headerLength(prefix, containerAt, Container.MAX_HEADER_BYTES);
            byte[] all = java.util.Arrays.copyOf(prefix, (int) (Container.PREFIX_BYTES + h));
            byte[] rest = readFully(h, "a container's header");
            System.arraycopy(rest, 0, all, prefix.length, rest.length);
            header = member(all, containerAt);
            nextChain = 0;
        }
        Container.Chain c = header.chains().get(nextChain);
        long at = consumed;
        byte[] stream = readFully(c.streamBytes(), "chain " + nextChain + "'s stream");
        out = ChunkedBytes.decodeChain(stream, header, nextChain, at);
        pos = 0;
        nextChain++;
        return true;
    }

    /** The header length a 16-byte prefix at file offset {@code at} declares, after its magic is checked and the length bounded by {@code max}. */
    private static long headerLength(byte[] prefix, long at, long max) {
        ByteBuffer le = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        if (le.getInt(0) != Container.MAGIC) {
            throw new CorruptInputException(at, "not a latentcodec container (bad magic)");
        }
        long h = le.getInt(8) & 0xFFFF_FFFFL; // header length, unsigned
        if (h > max) {
            throw new CorruptInputException(at + 8, "header length " + h + " exceeds " + max);
        }
        return h;
    }

    /**
     * The header in {@code all} (prefix and header, from file offset {@code at}), checked as one
     * member of a static rANS stream: codec, flags, chunk parameters and stream sizes the codec can write.
     */
    static Container.Header member(byte[] all, long at) {
        try {
            Container.Header parsed = Container.readHeader(MemorySegment.ofArray(all));
            if (parsed.codec() != CodecId.RANS0 && parsed.codec() != CodecId.RANS1) {
                throw new CorruptInputException(5, "codec " + parsed.codec().cliName() + " is not static rANS");
            }
            if ((parsed.flags() & ~Container.FLAG_MORE) != 0) {
                throw new CorruptInputException(6, "unknown flags 0x" + Integer.toHexString(parsed.flags()));
            }
            ChunkedBytes.check(parsed); // also bounds each chain's stream by what the codec writes
            if (parsed.chains().isEmpty()) {
                throw new CorruptInputException(0, "a container with no chains");
            }
            return parsed;
        } catch (CorruptInputException e) {
            throw new CorruptInputException(at + Math.max(0, e.offset()), e.reason(), e);
        }
    }

    /** The first offset in [start, end) where a valid member header starts, or -1. Leaves the stream anywhere. */
    private long firstContainer(Seekable seekable, long start, long end) throws IOException {
        byte[] window = new byte[64 << 10];
        long base = start; // file offset of window[0]
        while (base < end) {
            seekable.seek(base);
            int n = in.readNBytes(window, 0, window.length);
            for (int i = 0; i + 4 <= n && base + i < end; i++) {
                if ((window[i] & 0xFF) == (Container.MAGIC & 0xFF) && readIntLe(window, i) == Container.MAGIC
                        && validAt(seekable, base + i)) {
                    return base + i;
                }
            }
            if (n < window.length) {
                return -1; // end of file
            }
            base += n - 3; // a magic may straddle windows
        }
        return -1;
    }

    private static int readIntLe(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    /** Whether a member header that a split scan accepts starts at file offset {@code at}. */
    private boolean validAt(Seekable seekable, long at) throws IOException {
        seekable.seek(at);
        byte[] prefix = in.readNBytes(Container.PREFIX_BYTES);
        if (prefix.length < Container.PREFIX_BYTES) {
            return false;
        }
        try {
            long h = headerLength(prefix, at, MAX_SCANNED_HEADER);
            byte[] rest = in.readNBytes((int) h);
            if (rest.length < h) {
                return false;
            }
            byte[] all = java.util.Arrays.copyOf(prefix, (int) (Container.PREFIX_BYTES + h));
            System.arraycopy(rest, 0, all, prefix.length, rest.length);
            member(all, at);
            return true;
        } catch (CorruptInputException notAHeader) {
            return false;
        }
    }

    private byte[] readFully(long n, String what) throws IOException {
        byte[] b = in.readNBytes((int) n);
        consumed += b.length;
        if (b.length != n) {
            throw new CorruptInputException(consumed, "stream truncated in " + what + " (" + b.length + " of " + n + " bytes)");
        }
        return b;
    }

    @Override
    public void resetState() {
        header = null;
        out = new byte[0];
        pos = 0;
        done = false;
    }
}
