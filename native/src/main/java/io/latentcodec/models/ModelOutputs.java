package io.latentcodec.models;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The outputs of one model call as {@link MemorySegment}s of float32 in native byte order, each of
 * shape [batch, dim] row-major. For a TensorFlow model they are views of the output tensors'
 * memory: nothing is copied. They stay valid until {@link #close()}, which frees the tensors; a
 * view read after that throws {@link IllegalStateException} (it never reads freed memory). Views
 * of a TensorFlow call may only be read by the thread that made the call.
 */
public final class ModelOutputs implements AutoCloseable {
    private final List<String> names;
    private final MemorySegment[] segments;
    private final AutoCloseable owner;
    private boolean closed;

    ModelOutputs(List<String> names, MemorySegment[] segments, AutoCloseable owner) {
        this.names = List.copyOf(names);
        this.segments = segments;
        this.owner = owner;
    }

    /** Outputs held in heap arrays (not copied): for models written in Java, such as test doubles. */
    public static ModelOutputs ofArrays(List<String> names, float[]... arrays) {
        if (names.size() != arrays.length) {
            throw new IllegalArgumentException(names.size() + " names for " + arrays.length + " arrays");
        }
        MemorySegment[] segs = new MemorySegment[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            segs[i] = MemorySegment.ofArray(arrays[i]);
        }
        return new ModelOutputs(names, segs, null);
    }

    /** Number of outputs. */
    public int size() {
        return segments.length;
    }

    /** Output names, e.g. {@code mu, sigma} or the likelihood's {@link Likelihood#paramNames()}. */
    public List<String> names() {
        return names;
    }

    /** The i-th output. */
    public MemorySegment get(int i) {
        return segments[i];
    }

    /** The output with this name; an IllegalArgumentException listing the names otherwise. */
    public MemorySegment get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no output '" + name + "'; outputs: " + names);
        }
        return segments[i];
    }

    /** Frees the tensors behind the views (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner != null) {
            try {
                owner.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
