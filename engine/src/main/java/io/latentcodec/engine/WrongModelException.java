package io.latentcodec.engine;

/**
 * A file is being decoded with a model other than the one it was made with (the container's
 * model fingerprint differs from the model's). Not corruption: the file may be fine, the model
 * is wrong. Decoding never proceeds, since another model's floats would give other data.
 */
public final class WrongModelException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public WrongModelException(String message) {
        super(message);
    }
}
