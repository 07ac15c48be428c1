package io.latentcodec.spark.hadoop;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.kernels.StaticRans;
import org.apache.hadoop.io.compress.CompressionInputStream;

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
 * byte offset in the compressed stream.
 */
final class RansInputStream extends CompressionInputStream {
    /** Compressed bytes consumed so far (offsets in errors). */
    private long consumed;
    /** The container being read, or null between containers. */
    private Container.Header header;
    /** The next chain of {@link #header} to decode. */
    private int nextChain;
    /** Decoded bytes of the current chain; [pos, out.length) not yet returned. */
    private byte[] out = new byte[0];
    private int pos;
    /** True once the last container's last chain is decoded and the end of the stream checked. */
    private boolean done;

    RansInputStream(InputStream in) throws IOException {
        super(in);
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
            readHeader();
        }
        Container.Chain c = header.chains().get(nextChain);
        long at = consumed;
        byte[] stream = readFully(c.streamBytes(), "chain " + nextChain + "'s stream");
        out = ChunkedBytes.decodeChain(stream, header, nextChain, at);
        pos = 0;
        nextChain++;
        return true;
    }

    private void readHeader() throws IOException {
        long at = consumed;
        byte[] prefix = readFully(Container.PREFIX_BYTES, "a container's prefix");
        ByteBuffer le = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        long h = le.getInt(8) & 0xFFFF_FFFFL; // header length, unsigned
        if (le.getInt(0) != Container.MAGIC) {
            throw new CorruptInputException(at, "not a latentcodec container (bad magic)");
        }
        if (h > Container.MAX_HEADER_BYTES) {
            throw new CorruptInputException(at + 8, "header length " + h + " exceeds " + Container.MAX_HEADER_BYTES);
        }
        byte[] all = new byte[(int) (Container.PREFIX_BYTES + h)];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        byte[] rest = readFully(h, "a container's header");
        System.arraycopy(rest, 0, all, prefix.length, rest.length);
        Container.Header parsed;
        try {
            parsed = Container.readHeader(MemorySegment.ofArray(all));
            if (parsed.codec() != CodecId.RANS0 && parsed.codec() != CodecId.RANS1) {
                throw new CorruptInputException(5, "codec " + parsed.codec().cliName() + " is not static rANS");
            }
            if ((parsed.flags() & ~Container.FLAG_MORE) != 0) {
                throw new CorruptInputException(6, "unknown flags 0x" + Integer.toHexString(parsed.flags()));
            }
            ChunkedBytes.check(parsed);
            for (int i = 0; i < parsed.chains().size(); i++) {
                Container.Chain c = parsed.chains().get(i);
                if (c.streamBytes() > StaticRans.maxCompressedLength(c.originalBytes(), parsed.codec() == CodecId.RANS0 ? 0 : 1)) {
                    throw new CorruptInputException(Container.PREFIX_BYTES, "chain " + i + " declares a " + c.streamBytes()
                            + "-byte stream for " + c.originalBytes() + " bytes, more than the codec ever writes");
                }
            }
        } catch (CorruptInputException e) {
            throw new CorruptInputException(at + Math.max(0, e.offset()), e.reason(), e);
        }
        header = parsed;
        nextChain = 0;
        if (header.chains().isEmpty()) {
            throw new CorruptInputException(at, "a container with no chains");
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
