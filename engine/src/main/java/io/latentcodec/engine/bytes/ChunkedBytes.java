package io.latentcodec.engine.bytes;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.io.OrderedParallel;
import io.latentcodec.engine.io.Progress;
import io.latentcodec.kernels.StaticRans;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any bytes with the static rANS codec (order 0 or 1) in a container: the input is cut into
 * chunks (16 MiB by default), each chunk is one chain compressed on its own worker thread,
 * streams are written in order. Codec parameters in the container: order (u8) and chunk size
 * (u32, little-endian).
 */
public final class ChunkedBytes {
    public static final int DEFAULT_CHUNK = 16 << 20;
    /** Largest chunk a decoder accepts: bounds what one chain may make it allocate. */
    public static final int MAX_CHUNK = 64 << 20;
    private static final byte[] NO_FINGERPRINT = new byte[Container.FINGERPRINT_BYTES];

    private ChunkedBytes() {
    }

    /** Where compressed or decompressed bytes go: positional writes (a file, or memory). */
    public interface Sink {
        void write(long position, ByteBuffer bytes) throws IOException;
    }

    /**
     * Where {@link #compress(Source, long, int, int, int, Progress, Sink)} reads its input: fills
     * {@code dst} with the bytes at {@code offset}. Called by the worker threads at once, a chunk
     * each (a {@link FileChannel}'s positional reads allow that), so the whole input is never in
     * memory: at most {@code 2 * threads} chunks and their streams are.
     */
    @FunctionalInterface
    public interface Source {
        void read(long offset, byte[] dst) throws IOException;
    }

    public static Sink sink(FileChannel channel) {
        return (position, bytes) -> {
            long p = position;
            while (bytes.hasRemaining()) {
                p += channel.write(bytes, p);
            }
        };
    }

    /** Compresses {@code data} into a whole container in memory. */
    public static byte[] compress(byte[] data, int order) {
        MemorySink sink = new MemorySink();
        try {
            compress(MemorySegment.ofArray(data), order, DEFAULT_CHUNK, Runtime.getRuntime().availableProcessors(), null, sink);
        } catch (IOException e) {
            throw new IllegalStateException(e); // memory sinks do not fail
        }
        return sink.toByteArray();
    }

    /** Decompresses a whole static rANS file held in memory: one container or several ({@link #members}). */
    public static byte[] decompress(byte[] container) {
        MemorySegment in = MemorySegment.ofArray(container);
        List<Member> members = members(in);
        long n = originalBytes(members);
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("container decompresses to " + n + " bytes: too large for a byte[]");
        }
        MemorySink sink = new MemorySink();
        try {
            decompress(in, members, Runtime.getRuntime().availableProcessors(), null, sink);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] out = sink.toByteArray();
        return out.length == n ? out : Arrays.copyOf(out, (int) n);
    }

    /**
     * Compresses {@code in} to {@code sink}: header at position 0, streams after it.
     *
     * @return the container's total size in bytes
     */
    public static long compress(MemorySegment in, int order, int chunk, int threads, Progress progress, Sink sink) throws IOException {
        return compress(in, order, chunk, threads, progress, sink, 0);
    }

    /**
     * One container of a file of several ({@link #members}): {@code data} (at most {@link #MAX_CHUNK}
     * bytes) as one chain, with {@link Container#FLAG_MORE} set when another container will follow it.
     * A stream writer that holds one chunk at a time writes these.
     */
    public static byte[] compressMember(MemorySegment data, int order, boolean more) {
        if (data.byteSize() > MAX_CHUNK) {
            throw new IllegalArgumentException("a member holds at most " + MAX_CHUNK + " bytes, got " + data.byteSize());
        }
        MemorySink sink = new MemorySink();
        try {
            compress(data, order, (int) Math.max(1, data.byteSize()), 1, null, sink, more ? Container.FLAG_MORE : 0);
        } catch (IOException e) {
            throw new IllegalStateException(e); // memory sinks do not fail
        }
        return sink.toByteArray();
    }

    private static long compress(MemorySegment in, int order, int chunk, int threads, Progress progress, Sink sink, int flags) throws IOException {
        return compress((offset, dst) -> MemorySegment.copy(in, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, dst, 0, dst.length),
                in.byteSize(), order, chunk, threads, progress, sink, flags);
    }

    /**
     * Compresses the {@code n} bytes {@code in} reads to {@code sink}, as {@link #compress(MemorySegment, int, int, int, Progress, Sink)}
     * does (the same container, byte for byte); each worker reads its chunk when it starts it.
     */
    public static long compress(Source in, long n, int order, int chunk, int threads, Progress progress, Sink sink) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("negative input length " + n);
        }
        return compress(in, n, order, chunk, threads, progress, sink, 0);
    }

    private static long compress(Source in, long n, int order, int chunk, int threads, Progress progress, Sink sink, int flags) throws IOException {
        if (order != 0 && order != 1) {
            throw new IllegalArgumentException("order must be 0 or 1, got " + order);
        }
        if (chunk < 1 || chunk > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk size must be in [1, " + MAX_CHUNK + "], got " + chunk);
        }
        final int chains = (int) Math.max(1, (n + chunk - 1) / chunk);
        if (chains > Container.MAX_CHAINS) {
            throw new IllegalArgumentException(n + " bytes in chunks of " + chunk + " need more than " + Container.MAX_CHAINS + " chains");
        }
        List<Container.Chain> entries = new ArrayList<>(chains);
        for (int i = 0; i < chains; i++) {
            entries.add(new Container.Chain(0, 0, 0)); // placeholders: same header size
        }
        byte[] params = params(order, chunk);
        long streamsAt = new Container.Header(order == 0 ? CodecId.RANS0 : CodecId.RANS1, 0, NO_FINGERPRINT,
                new long[] {n}, params, entries).streamsAt();
        long[] at = {streamsAt};
        try {
            OrderedParallel.run(chains, threads, i -> {
                byte[] part = new byte[(int) Math.min(chunk, n - (long) i * chunk)];
                try {
                    in.read((long) i * chunk, part);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return new Compressed(StaticRans.compress(part, order), part.length, Container.crc32c(MemorySegment.ofArray(part)));
            }, (i, c) -> {
                sink.write(at[0], ByteBuffer.wrap(c.stream));
                at[0] += c.stream.length;
                entries.set(i, new Container.Chain(c.stream.length, c.original, c.crc));
                if (progress != null) {
                    progress.add(c.original);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        Container.Header h = new Container.Header(order == 0 ? CodecId.RANS0 : CodecId.RANS1, flags, NO_FINGERPRINT,
                new long[] {n}, params, entries);
        sink.write(0, ByteBuffer.wrap(h.toBytes()));
        return at[0];
    }

    private record Compressed(byte[] stream, long original, int crc) {
    }

    static byte[] params(int order, int chunk) {
        return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) order).putInt(chunk).array();
    }

    /**
     * Decompresses the container {@code in} (header {@code h}, already read) to {@code sink}, the
     * original bytes from position 0. Every chain is checked: its size against the chunk size,
     * its stream, and its CRC32C.
     */
    public static void decompress(MemorySegment in, Container.Header h, int threads, Progress progress, Sink sink) throws IOException {
        decompress((offset, dst) -> MemorySegment.copy(in, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, dst, 0, dst.length),
                h, threads, progress, sink);
    }

    /**
     * {@link #decompress(MemorySegment, Container.Header, int, Progress, Sink)} reading each chain's
     * stream from {@code in} when a worker starts it, so that at most {@code 2 * threads} streams and
     * their outputs are in memory. {@code h} must have been read by {@link Container#read}, which
     * checked that the streams fill the file.
     */
    public static void decompress(Source in, Container.Header h, int threads, Progress progress, Sink sink) throws IOException {
        long chunk = check(h);
        List<Container.Chain> chains = h.chains();
        long[] streamAt = new long[chains.size()];
        long at = h.streamsAt();
        for (int i = 0; i < chains.size(); i++) {
            streamAt[i] = at;
            at += chains.get(i).streamBytes();
        }
        try {
            OrderedParallel.run(chains.size(), threads, i -> {
                byte[] stream = new byte[(int) chains.get(i).streamBytes()]; // bounded by check(h)
                try {
                    in.read(streamAt[i], stream);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return decodeChain(stream, h, i, streamAt[i]);
            }, (i, out) -> {
                sink.write((long) i * chunk, ByteBuffer.wrap(out));
                if (progress != null) {
                    progress.add(out.length);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /**
     * Chain {@code i} of a checked header ({@link #check}) from its stream bytes, which start at
     * byte {@code streamAt} of the file (for error offsets): its size and CRC32C checked.
     */
    public static byte[] decodeChain(byte[] stream, Container.Header h, int i, long streamAt) {
        Container.Chain c = h.chains().get(i);
        byte[] out;
        try {
            out = StaticRans.decompress(stream, c.originalBytes());
        } catch (CorruptInputException e) {
            throw new CorruptInputException(streamAt + Math.max(0, e.offset()), "chain " + i + ": " + e.reason(), e);
        }
        if (out.length != c.originalBytes()) {
            throw new CorruptInputException(streamAt, "chain " + i + " decoded to " + out.length + " bytes, header says " + c.originalBytes());
        }
        if (Container.crc32c(MemorySegment.ofArray(out)) != c.crc32c()) {
            throw new CorruptInputException(streamAt, "chain " + i + " fails its checksum: the file is damaged");
        }
        return out;
    }

    /**
     * Checks a static rANS header's parameters against its chains (order, chunk size, shape, every
     * chain's size from the chunking) and returns the chunk size. A stream reader that decodes chain
     * by chain calls this, then {@link #decodeChain} for each.
     */
    public static long check(Container.Header h) {
        if (h.codec() != CodecId.RANS0 && h.codec() != CodecId.RANS1) {
            throw new IllegalArgumentException("not a static rANS container: codec " + h.codec().cliName());
        }
        if (h.params().length != 5) {
            throw new CorruptInputException(Container.PREFIX_BYTES, "static rANS parameters must be 5 bytes, got " + h.params().length);
        }
        ByteBuffer p = ByteBuffer.wrap(h.params()).order(ByteOrder.LITTLE_ENDIAN);
        int order = p.get() & 0xFF;
        long chunk = p.getInt() & 0xFFFF_FFFFL;
        if (order != (h.codec() == CodecId.RANS0 ? 0 : 1) || chunk < 1 || chunk > MAX_CHUNK) {
            throw new CorruptInputException(Container.PREFIX_BYTES, "bad static rANS parameters: order " + order + ", chunk " + chunk);
        }
        if (h.shape().length != 1 || h.shape()[0] != h.originalBytes()) {
            throw new CorruptInputException(Container.PREFIX_BYTES, "shape " + Arrays.toString(h.shape())
                    + " does not match the chains' " + h.originalBytes() + " bytes");
        }
        List<Container.Chain> chains = h.chains();
        for (int i = 0; i < chains.size(); i++) {
            long expect = i < chains.size() - 1 ? chunk : h.originalBytes() - chunk * (chains.size() - 1L);
            if (chains.get(i).originalBytes() != expect && !(chains.size() == 1 && h.originalBytes() == 0)) {
                throw new CorruptInputException(Container.PREFIX_BYTES, "chain " + i + " declares " + chains.get(i).originalBytes()
                        + " bytes where the chunking gives " + expect);
            }
            // a stream reader allocates a chain's stream before decoding it: bound it by what the codec ever writes
            Container.Chain c = chains.get(i);
            if (c.streamBytes() > StaticRans.maxCompressedLength(c.originalBytes(), order)) {
                throw new CorruptInputException(Container.PREFIX_BYTES, "chain " + i + " declares a " + c.streamBytes()
                        + "-byte stream for " + c.originalBytes() + " bytes, more than the codec ever writes");
            }
        }
        return chunk;
    }

    /** One container of a static rANS file: where it starts and its validated header. */
    public record Member(long offset, Container.Header header) {
    }

    /**
     * The containers of a static rANS file in order: one for what the CLI writes, several one after
     * another for what the Hadoop codec writes (a container per chunk, so that a stream writer holds
     * one chunk at a time). Every header is read and checked before anything is decoded; all must be
     * {@code rans0}/{@code rans1}, every one but the last flagged {@link Container#FLAG_MORE} (so a
     * file cut at a container's end is still a truncated file), and together they fill {@code in} exactly.
     */
    public static List<Member> members(MemorySegment in) {
        List<Member> out = new ArrayList<>();
        long at = 0;
        do {
            Container.Header h;
            try {
                h = Container.readMember(in.asSlice(at));
            } catch (CorruptInputException e) {
                throw out.isEmpty() ? e : new CorruptInputException(at + Math.max(0, e.offset()), "container " + out.size()
                        + " (at byte " + at + "): " + e.reason(), e);
            }
            if (h.codec() != CodecId.RANS0 && h.codec() != CodecId.RANS1) {
                throw new CorruptInputException(at + 5, "container " + out.size() + " is " + h.codec().cliName()
                        + ", not static rANS" + (out.isEmpty() ? "" : ": only static rANS containers follow one another"));
            }
            if ((h.flags() & ~Container.FLAG_MORE) != 0) {
                throw new CorruptInputException(at + 6, "container " + out.size() + " has unknown flags 0x" + Integer.toHexString(h.flags()));
            }
            out.add(new Member(at, h));
            at += h.totalBytes();
            boolean more = (h.flags() & Container.FLAG_MORE) != 0;
            if (more && at == in.byteSize()) {
                throw new CorruptInputException(at, "file truncated: container " + (out.size() - 1) + " says another follows it");
            }
            if (!more && at != in.byteSize()) {
                throw new CorruptInputException(at, "the file is " + (in.byteSize() - at) + " bytes longer than its "
                        + (out.size() == 1 ? "container" : out.size() + " containers") + ": truncated header or trailing garbage");
            }
        } while (at < in.byteSize());
        return out;
    }

    /** The original size of a file's members together. */
    public static long originalBytes(List<Member> members) {
        long n = 0;
        for (Member m : members) {
            n = Math.addExact(n, m.header().originalBytes());
        }
        return n;
    }

    /**
     * Decompresses every member of a static rANS file ({@link #members}) to {@code sink}, member
     * k's bytes after those of members 0..k-1; errors name the member and its byte offset in {@code in}.
     */
    public static void decompress(MemorySegment in, List<Member> members, int threads, Progress progress, Sink sink) throws IOException {
        long outAt = 0;
        for (int k = 0; k < members.size(); k++) {
            Member m = members.get(k);
            long base = outAt;
            try {
                decompress(in.asSlice(m.offset(), m.header().totalBytes()), m.header(), threads, progress,
                        (position, bytes) -> sink.write(base + position, bytes));
            } catch (CorruptInputException e) {
                throw members.size() == 1 ? e : new CorruptInputException(m.offset() + Math.max(0, e.offset()), "container " + k
                        + " (at byte " + m.offset() + "): " + e.reason(), e);
            }
            outAt += m.header().originalBytes();
        }
    }

    /** A growable in-memory sink. */
    static final class MemorySink implements Sink {
        private byte[] buf = new byte[1024];
        private int size;

        @Override
        public void write(long position, ByteBuffer bytes) {
            int need = Math.toIntExact(position + bytes.remaining());
            if (need > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
            }
            bytes.get(buf, (int) position, bytes.remaining());
            size = Math.max(size, need);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}
