package io.latentcodec.models.data;

/**
 * A data file (IDX, PGM, PNG, the MNIST JSON) that does not follow its format: truncated, a bad
 * magic number, dimensions that do not match the bytes present, values out of range. It names the
 * byte offset where the problem was found and the reason, so a truncated download reads
 * differently from a wrong file.
 *
 * <p>It is an {@link IllegalArgumentException}: the caller handed the loader something that is not
 * what it claims to be. The engine may translate it into its own corrupt-input error; this module
 * knows nothing of entropy coding and does not depend on the kernels module.
 */
public final class MalformedDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Byte offset in the (decompressed) input where the problem was detected, or -1 where no single offset applies. */
    private final long offset;
    private final String reason;

    public MalformedDataException(long offset, String reason) {
        super(offset >= 0 ? "malformed data at byte " + offset + ": " + reason : "malformed data: " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    public MalformedDataException(long offset, String reason, Throwable cause) {
        this(offset, reason);
        initCause(cause);
    }

    /** Byte offset in the (decompressed) input where the problem was detected, or -1 where none applies. */
    public long offset() {
        return offset;
    }

    /** The reason alone, without the offset. */
    public String reason() {
        return reason;
    }
}
