package io.latentcodec.engine.io;

import io.latentcodec.models.data.ByteChannels;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The one way this project writes an output, a file or a directory: it appears under its name
 * complete, or not at all. Every CLI output goes through here.
 *
 * <p>Read me first. Bytes go to a temporary beside the target, {@code .STEM.RANDOM.part} (a file,
 * or a directory the caller fills with {@link #writeFile}); {@link #commit()} flushes every file
 * and the directory to disk and renames the temporary over the target in one step. Any failure
 * before that (a short or failed write, a full disk, {@code ulimit -f}) is an {@link IOException}
 * that names the target and the cause, and {@link #close()} then deletes the temporary.
 * <ul>
 *   <li><b>Names.</b> STEM is the target's name cut (at a character boundary) so that the
 *       temporary's name stays within {@value #MAX_NAME_BYTES} bytes: any valid OUT name works.</li>
 *   <li><b>Directories.</b> A new directory is renamed into place. One that replaces an old
 *       directory is swapped with it by {@code renameat2(RENAME_EXCHANGE)} (one step; the old
 *       contents are then under the temporary's name and deleted). Where the system lacks that
 *       call: the old directory is renamed aside to {@code .STEM.HASH.old} (HASH from the full
 *       name, so it can be found again), the new one renamed in, the old one deleted; a run killed
 *       between the two renames (SIGKILL, power cut) is repaired by the next output to that target,
 *       which renames the aside directory back when the target is missing and deletes it otherwise.</li>
 *   <li><b>Signals.</b> Ctrl-C and SIGTERM run the JVM's shutdown hooks but not the writer's
 *       {@code finally} blocks. A hook, registered when this class loads (before any temporary
 *       exists), deletes every temporary not yet committed. Creating a temporary (and each file in
 *       a temporary directory), and each rename of a commit, happens under one lock that the hook
 *       also takes and after which nothing new is created: so no signal timing leaves a file behind,
 *       and a replace the signal interrupts finishes its renames first. SIGKILL runs nothing: then a
 *       {@code .part} may stay beside the target, never a partial target.</li>
 * </ul>
 *
 * <p>Concurrent commands writing the same target are not supported (the last rename wins).
 */
public final class AtomicOutput implements AutoCloseable {
    /** Longest file name on Linux's file systems (ext4, xfs, btrfs, tmpfs: NAME_MAX). */
    public static final int MAX_NAME_BYTES = 255;
    /** Random characters in a temporary's name (base 36: about 52 bits). */
    static final int RANDOM_CHARS = 10;
    private static final String PART = ".part";
    private static final String ASIDE = ".old";
    /** "." + STEM + "." + RANDOM + ".part" fits {@link #MAX_NAME_BYTES}: 238 bytes of the target's name are kept. */
    static final int MAX_STEM_BYTES = MAX_NAME_BYTES - 2 - RANDOM_CHARS - PART.length();

    /** Exit status of the JVM when a test makes it stop dead at a step (see {@link #step}). */
    public static final int HALT_STATUS = 97;
    private static final String HALT_AT = System.getProperty("latentcodec.test.haltAt");
    private static final String PAUSE_AT = System.getProperty("latentcodec.test.pauseAt");

    /** Guards {@link #PENDING} and {@link #exiting}; held by the shutdown hook while it deletes. */
    private static final Object LOCK = new Object();
    /** Temporaries (files, directories, old directories swapped out) not yet committed or deleted. */
    private static final Set<Path> PENDING = new LinkedHashSet<>();
    /** Set by the shutdown hook: from then on nothing is created or renamed. */
    private static boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (LOCK) {
                exiting = true;
                for (Path p : PENDING) {
                    deleteTreeQuietly(p); // after a commit raced us this finds nothing: the target is never touched
                }
                PENDING.clear();
            }
        }, "latentcodec-delete-partial-outputs"));
    }

    /** Writes one file's contents to a channel (the format writers' {@code write(WritableByteChannel)} methods). */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private final Path target;
    private final String shown;
    private final boolean overwrite;
    private final boolean directory;
    private final Path temp;
    private final FileChannel channel;
    private boolean done;

    private AtomicOutput(Path target, boolean overwrite, boolean directory) throws IOException {
        this.shown = target.toString();
        this.target = target.toAbsolutePath();
        this.overwrite = overwrite;
        this.directory = directory;
        Path name = this.target.getFileName();
        Path dir = this.target.getParent();
        if (name == null || dir == null) {
            throw new IOException(shown + ": not a file name");
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(shown, null, "its directory " + dir + " does not exist");
        }
        if (directory) {
            recoverAside(this.target);
        }
        if (!overwrite && Files.exists(this.target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(shown, null, "exists; pass --force to replace it");
        }
        if (!directory && Files.isDirectory(this.target)) {
            throw new IOException(shown + " is a directory");
        }
        this.temp = createTemp(dir, stem(name.toString()), directory);
        FileChannel ch = null;
        try {
            step("created");
            if (!directory) {
                copyPermissions(this.target, temp);
                ch = FileChannel.open(temp, StandardOpenOption.WRITE);
            }
        } catch (IOException | RuntimeException e) {
            discard();
            throw e;
        }
        this.channel = ch;
    }

    /**
     * Opens a temporary file for {@code target}.
     *
     * @param overwrite whether an existing target may be replaced (the CLI's {@code --force})
     * @throws FileAlreadyExistsException if the target exists and {@code overwrite} is false
     */
    public static AtomicOutput open(Path target, boolean overwrite) throws IOException {
        return new AtomicOutput(target, overwrite, false);
    }

    /** Opens a temporary directory for {@code target}; fill it with {@link #writeFile}. */
    public static AtomicOutput openDirectory(Path target, boolean overwrite) throws IOException {
        return new AtomicOutput(target, overwrite, true);
    }

    /** The temporary file's channel (file outputs): what the format writers write to. */
    public FileChannel channel() {
        requireFile();
        return channel;
    }

    /** The temporary file or directory (for tests and messages). */
    public Path temporary() {
        return temp;
    }

    /** Writes {@code content} to the temporary file; a failure names the target and the cause. */
    public void write(Content content) throws IOException {
        requireFile();
        try {
            content.writeTo(channel);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Writes all of {@code bytes} at the file's current position. */
    public void write(ByteBuffer bytes) throws IOException {
        write(ch -> ByteChannels.writeFully(ch, bytes));
    }

    /** Writes all of {@code bytes} at {@code position} (the signature of the chunked codec's sinks). */
    public void write(long position, ByteBuffer bytes) throws IOException {
        write(ch -> ByteChannels.writeFully(ch, bytes, position));
    }

    /** Writes one file, {@code name} (a plain name), into the temporary directory, flushed to disk. */
    public void writeFile(String name, Content content) throws IOException {
        if (!directory) {
            throw new IllegalStateException(shown + " is a file output");
        }
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        Path f = temp.resolve(name);
        FileChannel ch;
        synchronized (LOCK) { // the hook cannot delete the directory between our check and this file's creation
            checkNotExiting();
            try {
                ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw failed(e);
            }
        }
        try (ch) {
            content.writeTo(ch);
            ch.force(true);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Flushes to disk and puts the output under the target's name in one step. */
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException(shown + " already committed or closed");
        }
        Path old = null;
        try {
            if (directory) {
                fsync(temp);
            } else {
                channel.force(true);
                channel.close();
            }
            step("written");
            synchronized (LOCK) {
                checkNotExiting();
                if (!directory || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    renameInto();
                } else if (!overwrite) {
                    throw new FileAlreadyExistsException(shown, null, "appeared while writing; not replaced");
                } else if (Rename.call(temp, target, Rename.EXCHANGE)) {
                    old = temp; // the old directory, now under the temporary's name (still PENDING)
                } else {
                    old = aside(target);
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                    PENDING.add(old);
                    step("aside");
                    try {
                        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException | RuntimeException e) {
                        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // the old directory back where it was
                        PENDING.remove(old);
                        throw e;
                    }
                }
                if (old != temp) {
                    PENDING.remove(temp);
                }
                done = true;
            }
            fsync(target.getParent());
            step("swapped");
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw failed(e);
        }
        if (old != null) {
            deleteTree(old); // if a signal comes first, the hook deletes it
            synchronized (LOCK) {
                PENDING.remove(old);
            }
        }
    }

    /** Deletes the temporary unless committed. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            try {
                if (channel != null) {
                    channel.close();
                }
            } finally {
                discard();
            }
        }
    }

    // ---- names ----

    /** The longest prefix of {@code name} of at most {@link #MAX_STEM_BYTES} UTF-8 bytes that ends at a character boundary. */
    static String stem(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_STEM_BYTES) {
            return name;
        }
        int bytes = 0;
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > MAX_STEM_BYTES) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return name.substring(0, i);
    }

    /** Where the fallback replace puts an old directory: {@code .STEM.HASH.old}, HASH from the full name. */
    static Path aside(Path target) {
        String name = target.getFileName().toString();
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e); // every JDK has SHA-256
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (h[i] & 0xFF);
        }
        return target.resolveSibling("." + stem(name) + "." + base36(v >>> 12) + ASIDE);
    }

    private static String base36(long v) {
        StringBuilder s = new StringBuilder(Long.toString(v, 36));
        while (s.length() < RANDOM_CHARS) {
            s.insert(0, '0');
        }
        return s.substring(s.length() - RANDOM_CHARS);
    }

    private static Path createTemp(Path dir, String stem, boolean directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + stem + "." + base36(ThreadLocalRandom.current().nextLong() >>> 12) + PART);
            synchronized (LOCK) { // registered before it exists: a signal at any moment finds it in PENDING
                checkNotExiting();
                PENDING.add(p);
                try {
                    if (directory) {
                        Files.createDirectory(p);
                    } else {
                        Files.createFile(p);
                    }
                    return p;
                } catch (FileAlreadyExistsException clash) {
                    PENDING.remove(p); // someone else's: never delete it
                    if (attempt >= 16) {
                        throw clash;
                    }
                } catch (IOException | RuntimeException e) {
                    PENDING.remove(p);
                    throw e;
                }
            }
        }
    }

    // ---- steps ----

    private void renameInto() throws IOException {
        if (!directory && overwrite) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } else if (!Rename.call(temp, target, Rename.NOREPLACE)) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(shown, null, "appeared while writing; not replaced");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Repairs a fallback replace that was killed between its renames (see the class comment). */
    private static void recoverAside(Path target) throws IOException {
        Path old = aside(target);
        if (!Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(old); // the new directory made it in; only the deletion of the old one was lost
        } else {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // back as it was before the interrupted replace
        }
    }

    private void discard() throws IOException {
        try {
            deleteTree(temp);
        } finally {
            synchronized (LOCK) {
                PENDING.remove(temp);
            }
        }
    }

    private IOException failed(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return e;
        }
        String cause = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new IOException("cannot write " + shown + ": " + cause, e);
    }

    private void requireFile() {
        if (directory) {
            throw new IllegalStateException(shown + " is a directory output");
        }
    }

    private static void checkNotExiting() throws IOException {
        if (exiting) {
            throw new IOException("interrupted: shutting down");
        }
    }

    /** Test seams: {@code -Dlatentcodec.test.haltAt=STEP} stops the JVM dead there (as SIGKILL would); {@code pauseAt} waits 30 s. */
    private static void step(String name) {
        if (name.equals(HALT_AT)) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
        if (name.equals(PAUSE_AT)) {
            System.err.println("latentcodec-test: paused at " + name);
            System.err.flush();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        // a new output gets the usual permissions (0666 less the umask, as createFile made it); a replaced one keeps its own
        if (Files.exists(from)) {
            try {
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
            } catch (UnsupportedOperationException notPosix) {
                // other file systems keep their defaults
            }
        }
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(p)) {
                throw e;
            }
            // some file systems refuse to open or sync a directory: its entries are then as durable as they get
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(p)) {
            all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path q : all) {
            Files.deleteIfExists(q);
        }
    }

    private static void deleteTreeQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException | RuntimeException ignored) {
            // shutting down: nothing better to do
        }
    }
}
