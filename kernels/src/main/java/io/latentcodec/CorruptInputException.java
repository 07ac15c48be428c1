package io.latentcodec;

/**
 * The one exception for corrupt, truncated or hostile input: a stream that no encoder of this
 * library wrote, or one damaged since. It names the byte offset where the problem was found and
 * the reason, so a user can tell a truncated download from a wrong file.
 *
 * <p>Caller mistakes (bad arguments) are {@link IllegalArgumentException}s instead; a symbol
 * that its distribution gives no probability is a {@link ZeroProbabilityException}.
 */
public final class CorruptInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Byte offset in the input where the problem was detected, or -1 where no single offset applies. */
    private final long offset;
    private final String reason;

    public CorruptInputException(long offset, String reason) {
        super(offset >= 0 ? "corrupt input at byte " + offset + ": " + reason : "corrupt input: " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    public CorruptInputException(long offset, String reason, Throwable cause) {
        this(offset, reason);
        initCause(cause);
    }

    /** Byte offset in the input where the problem was detected, or -1 where none applies. */
    public long offset() {
        return offset;
    }

    /** The reason alone, without the offset. */
    public String reason() {
        return reason;
    }
}
