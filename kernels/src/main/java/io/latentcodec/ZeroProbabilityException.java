package io.latentcodec;

/**
 * A symbol was pushed that its distribution cannot code: it lies outside the support, or its
 * frequency is zero. An entropy coder can only code symbols of positive probability; this is
 * the caller's data or model disagreeing with the distribution it chose, never corrupt input.
 */
public final class ZeroProbabilityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ZeroProbabilityException(String message) {
        super(message);
    }
}
