package io.latentcodec.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.UUID;

/**
 * A job's output on a Hadoop file system, complete or absent: tasks write into a hidden staging
 * path beside the target ({@code .NAME.RANDOM.part}), and {@link #commit} renames it over the
 * target once everything is written (moving an old target aside first with {@code --force}, and
 * deleting it after). A failed job deletes its staging path ({@link #close}); the user's old
 * output is never touched before the new one is complete.
 */
final class Staging implements AutoCloseable {
    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final boolean force;

    private Staging(FileSystem fs, Path target, Path staging, boolean force) {
        this.fs = fs;
        this.target = target;
        this.staging = staging;
        this.force = force;
    }

    /** Checks that {@code target} may be written (absent, or {@code force}) and names a staging path for it. */
    static Staging of(String target, boolean force, Configuration conf) throws IOException {
        Path t = new Path(target);
        FileSystem fs = HadoopFs.of(t, conf);
        t = fs.makeQualified(t);
        if (fs.exists(t) && !force) {
            throw new java.nio.file.FileAlreadyExistsException(target, null, "exists; pass --force to replace it");
        }
        if (t.getParent() == null) {
            throw new IllegalArgumentException("cannot write the root " + target);
        }
        if (!fs.exists(t.getParent())) {
            throw new java.nio.file.NoSuchFileException(t.getParent().toString(), null, "the output's parent directory does not exist");
        }
        return new Staging(fs, t, new Path(t.getParent(), "." + t.getName() + "." + UUID.randomUUID() + ".part"), force);
    }

    FileSystem fs() {
        return fs;
    }

    /** Where tasks write: a directory output's directory, or a file output's temporary file. */
    Path path() {
        return staging;
    }

    Path target() {
        return target;
    }

    /** Makes the staging path the target, in one rename (two with an old target to move aside). */
    void commit() throws IOException {
        commitFrom(staging);
    }

    /** Makes {@code file}, written inside the staging directory, the target; the rest of the staging directory goes. */
    void commitFile(Path file) throws IOException {
        commitFrom(file);
        fs.delete(staging, true);
    }

    private void commitFrom(Path source) throws IOException {
        Path old = null;
        if (fs.exists(target)) {
            if (!force) {
                throw new java.nio.file.FileAlreadyExistsException(target.toString(), null, "appeared while the job ran; pass --force to replace it");
            }
            old = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".old");
            if (!fs.rename(target, old)) {
                throw new IOException("cannot move the old " + target + " aside to " + old);
            }
        }
        if (!fs.rename(source, target)) {
            if (old != null) {
                fs.rename(old, target);
            }
            throw new IOException("cannot rename " + source + " to " + target);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    @Override
    public void close() throws IOException {
        // after a commit of the directory nothing is left at this (random) path; after a failed job, tasks still
        // running may add a file while the directory is deleted (they cannot re-create it), so look again
        for (int attempt = 0; fs.exists(staging) && attempt < 20; attempt++) {
            fs.delete(staging, true);
            if (fs.exists(staging)) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
