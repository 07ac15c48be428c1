package io.latentcodec.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An output file that appears under its name only when complete: bytes go to a temporary file
 * beside the target, which {@link #commit()} renames over the target in one step. Closing
 * without committing deletes the temporary file, so an interrupted or failed run leaves nothing
 * half-written under the target name and never touches an existing file there.
 *
 * <p>Interrupted runs: on Ctrl-C or SIGTERM the JVM runs its shutdown hooks but not the writer's
 * {@code finally} blocks, so a hook deletes every temporary file not yet committed. SIGKILL (or a
 * power cut) runs nothing: then a {@code .NAME.*.part} file may stay beside the target, never the
 * target itself, which is either absent, the old file, or the complete new one.
 */
public final class AtomicOutput implements AutoCloseable {
    /** Temporary files of outputs neither committed nor closed: what the shutdown hook deletes. */
    private static final java.util.Set<Path> PENDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : PENDING) {
                try {
                    Files.deleteIfExists(p); // after a rename that raced us this finds nothing: the target is never touched
                } catch (IOException ignored) {
                    // shutting down: nothing better to do
                }
            }
        }, "latentcodec-delete-partial-outputs"));
    }

    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private final FileChannel channel;
    private boolean committed;

    private AtomicOutput(Path target, boolean overwrite) throws IOException {
        this.target = target.toAbsolutePath();
        this.overwrite = overwrite;
        Path dir = this.target.getParent();
        this.temp = Files.createTempFile(dir, "." + this.target.getFileName() + ".", ".part");
        PENDING.add(temp);
        try {
            // createTempFile makes the file private (rw-------); a finished output gets the usual rw-r--r--,
            // or the permissions of the file it replaces
            try {
                Files.setPosixFilePermissions(temp, Files.exists(this.target) ? Files.getPosixFilePermissions(this.target)
                        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // other file systems keep their defaults
            }
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            PENDING.remove(temp);
            throw e;
        }
    }

    /**
     * Opens a temporary file for {@code target}.
     *
     * @param overwrite whether an existing target may be replaced (the CLI's {@code --force})
     * @throws FileAlreadyExistsException if the target exists and {@code overwrite} is false
     */
    public static AtomicOutput open(Path target, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists; pass --force to replace it");
        }
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a directory");
        }
        return new AtomicOutput(target, overwrite);
    }

    public FileChannel channel() {
        return channel;
    }

    /** Flushes to disk and renames the temporary file to the target. */
    public void commit() throws IOException {
        channel.force(true);
        channel.close();
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "appeared while writing; not replaced");
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        PENDING.remove(temp);
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(temp);
                PENDING.remove(temp);
            }
        }
    }
}
