package io.latentcodec.spark.hadoop;

import io.latentcodec.engine.bytes.ChunkedBytes;
import org.apache.hadoop.io.compress.CompressionOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;

/**
 * Writes a {@code .rans} stream: a container per chunk. A full chunk is written only once a
 * further byte arrives, so that every container knows whether another follows it (the flag that
 * makes a stream cut at a container's end a detectable truncation); {@link #finish} writes the
 * last one, empty when nothing was written.
 */
final class RansOutputStream extends CompressionOutputStream {
    private final int order;
    /** The chunk being filled: bytes [0, filled) of it are the stream's bytes not yet written. */
    private final byte[] chunk;
    private int filled;
    /** True after finish() until resetState(): finish writes the last container once. */
    private boolean finished;

    RansOutputStream(OutputStream out, int order, int chunk) {
        super(out);
        this.order = order;
        this.chunk = new byte[chunk];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (finished) {
            throw new IOException("write after finish() without resetState()");
        }
        while (len > 0) {
            if (filled == chunk.length) {
                emit(true); // len > 0: another container follows this one
            }
            int n = Math.min(len, chunk.length - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void emit(boolean more) throws IOException {
        out.write(ChunkedBytes.compressMember(MemorySegment.ofArray(chunk).asSlice(0, filled), order, more));
        filled = 0;
    }

    @Override
    public void finish() throws IOException {
        if (!finished) {
            emit(false);
            finished = true;
        }
    }

    @Override
    public void resetState() {
        filled = 0;
        finished = false;
    }
}
