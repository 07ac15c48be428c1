package io.latentcodec.engine.cli;

import io.latentcodec.engine.bytes.ChunkedBytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

/**
 * An input file read a chunk at a time, by whichever worker codes the chunk (positional reads on
 * one channel), for the static codecs: memory stays at a few chunks whatever the file's size,
 * where {@link InputFile} holds a copy of all of it. The same promise as {@link InputFile}: a file
 * that changes while it is read (it ends early, grows, or its modification time moves by the end)
 * is an {@link IOException} naming it, checked by {@link #checkUnchanged} before the output is kept.
 */
final class InputChunks implements ChunkedBytes.Source, AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    /** The size and modification time when opened: what {@link #checkUnchanged} compares. */
    private final long size;
    private final FileTime modified;

    InputChunks(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " is not a regular file");
        }
        this.path = path;
        this.modified = Files.getLastModifiedTime(path);
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
    }

    long size() {
        return size;
    }

    @Override
    public void read(long offset, byte[] dst) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                throw changed("it ended at byte " + (offset + b.position()) + " of " + size);
            }
        }
    }

    /** Throws unless the file still has its size and modification time (call after the last chunk is read). */
    void checkUnchanged() throws IOException {
        if (channel.read(ByteBuffer.allocate(1), size) > 0 || channel.size() != size) {
            throw changed("it grew");
        }
        if (!Files.getLastModifiedTime(path).equals(modified)) {
            throw changed("it was modified");
        }
    }

    private IOException changed(String how) {
        return new IOException(path + " changed while it was read (" + how + "); nothing written");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
