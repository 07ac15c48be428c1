package io.latentcodec.models;

import java.nio.file.Path;

/**
 * A model directory that cannot be used: missing, no or a damaged {@code manifest.json}, a
 * SavedModel TensorFlow cannot load, signatures or weights whose shapes differ from the manifest,
 * or weights whose fingerprint differs from the one the manifest records. The message names the
 * directory and what is wrong.
 */
public final class InvalidModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path dir;
    private final String reason;

    public InvalidModelException(Path dir, String reason) {
        super("invalid model " + dir + ": " + reason);
        this.dir = dir;
        this.reason = reason;
    }

    public InvalidModelException(Path dir, String reason, Throwable cause) {
        this(dir, reason);
        initCause(cause);
    }

    /** The model directory. */
    public Path dir() {
        return dir;
    }

    /** What is wrong, without the directory. */
    public String reason() {
        return reason;
    }
}
