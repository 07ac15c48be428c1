package io.latentcodec.engine.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * An input file read into memory (off-heap, so beyond 2 GiB too) for the length of one command.
 *
 * <p>Read, not memory-mapped: a mapped file that another process truncates faults on the next
 * access (SIGBUS, which kills the JVM in an intrinsic, or an {@code InternalError}); a copy cannot
 * change under the codec. A file that changes while it is being read (its size, or its
 * modification time, differs before and after, or it ends early) is an {@link IOException} naming
 * it; one rewritten in place after the copy is simply not seen.
 */
final class InputFile implements AutoCloseable {
    /** Bytes per read call: a {@link ByteBuffer} holds at most 2^31 - 1. */
    private static final int READ_BYTES = 1 << 26;

    private final Arena arena = Arena.ofShared();
    final MemorySegment data;

    InputFile(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " is not a regular file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            BasicFileAttributes before = Files.readAttributes(path, BasicFileAttributes.class);
            long size = ch.size();
            MemorySegment copy = arena.allocate(Math.max(1, size)).asSlice(0, size);
            long at = 0;
            while (at < size) {
                ByteBuffer b = copy.asSlice(at, Math.min(READ_BYTES, size - at)).asByteBuffer();
                while (b.hasRemaining()) {
                    if (ch.read(b, at + b.position()) < 0) {
                        throw changed(path, "it ended at byte " + (at + b.position()) + " of " + size);
                    }
                }
                at += b.capacity();
            }
            if (ch.read(ByteBuffer.allocate(1), size) > 0 || ch.size() != size) {
                throw changed(path, "it grew");
            }
            FileTime after = Files.getLastModifiedTime(path);
            if (!after.equals(before.lastModifiedTime())) {
                throw changed(path, "it was modified");
            }
            data = copy;
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static IOException changed(Path path, String how) {
        return new IOException(path + " changed while it was read (" + how + "); nothing written");
    }

    @Override
    public void close() {
        arena.close();
    }
}
