package io.latentcodec.engine.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An input file mapped read-only into memory for the length of one command. */
final class InputFile implements AutoCloseable {
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
            data = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
