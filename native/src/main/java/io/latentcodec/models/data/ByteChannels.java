package io.latentcodec.models.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Complete writes to a channel, or an exception: the one loop every writer of this project (the
 * IDX, PNG, PGM and PPM writers, the engine's {@code AtomicOutput}) writes its bytes through.
 *
 * <p>Read me first: {@link WritableByteChannel#write} may write fewer bytes than remain, and does
 * when a file reaches the file-size limit ({@code ulimit -f}) or the disk fills: the write that
 * crosses the limit returns a short count, the next one fails ({@code EFBIG}, {@code ENOSPC}). A
 * caller that ignores the count leaves a truncated file and reports success. Here the loop goes
 * on until nothing remains; a write that makes no progress (returns 0 on a blocking channel) is an
 * {@link IOException}, never a spin.
 */
public final class ByteChannels {
    private ByteChannels() {
    }

    /** Writes every remaining byte of {@code b} at the channel's position; on return {@code b} has none left. */
    public static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int want = b.remaining();
            if (ch.write(b) <= 0) {
                throw new IOException(noProgress(want));
            }
        }
    }

    /** Writes every remaining byte of {@code b} at file position {@code position} (the channel's own position is unchanged). */
    public static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int want = b.remaining();
            int n = ch.write(b, p);
            if (n <= 0) {
                throw new IOException(noProgress(want) + " at offset " + p);
            }
            p += n;
        }
    }

    /** Writes all of {@code bytes}. */
    public static void writeFully(WritableByteChannel ch, byte[] bytes) throws IOException {
        writeFully(ch, ByteBuffer.wrap(bytes));
    }

    private static String noProgress(int want) {
        return "short write: 0 of " + want + " bytes written (disk full or file size limit?)";
    }
}
