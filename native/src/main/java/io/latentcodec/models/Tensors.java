package io.latentcodec.models;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataStorageVisitor;
import org.tensorflow.types.TFloat32;

/** Tensor memory as MemorySegments: TensorFlow Java tensors live in native memory at a fixed address. */
public final class Tensors {
    private Tensors() {
    }

    private static final DataStorageVisitor<Long> ADDRESS = new DataStorageVisitor<>() {
        @Override
        public Long visit(long address, long length, long scale) {
            return address;
        }

        @Override
        public Long fallback() {
            return 0L;
        }
    };

    /** The tensor's bytes, unbounded lifetime: valid only while the tensor is open. */
    @SuppressWarnings("restricted") // the address comes from TensorFlow with the tensor's exact byte size
    public static MemorySegment view(Tensor t) {
        long address = t.asRawTensor().data().accept(ADDRESS);
        if (address == 0 && t.numBytes() != 0) {
            throw new IllegalStateException("tensor memory has no native address");
        }
        return MemorySegment.ofAddress(address).reinterpret(t.numBytes());
    }

    /** The tensor's bytes, valid while {@code arena} is open (close the arena before the tensor). */
    @SuppressWarnings("restricted")
    static MemorySegment view(Tensor t, Arena arena) {
        return view(t).reinterpret(arena, null);
    }

    /** A new float32 tensor of this shape holding {@code src} (row-major). */
    public static TFloat32 floats(Shape shape, float[] src) {
        TFloat32 t = TFloat32.tensorOf(shape);
        try {
            MemorySegment.copy(src, 0, view(t), ValueLayout.JAVA_FLOAT, 0, src.length);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** A new float32 tensor of this shape holding {@code src}'s floats (native order). */
    static TFloat32 floats(Shape shape, MemorySegment src) {
        TFloat32 t = TFloat32.tensorOf(shape);
        try {
            MemorySegment dst = view(t);
            if (src.byteSize() != dst.byteSize()) {
                throw new IllegalArgumentException("input has " + src.byteSize() + " bytes, the model needs " + dst.byteSize()
                        + " (" + shape + " float32)");
            }
            MemorySegment.copy(src, 0, dst, 0, dst.byteSize());
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Copies a float32 tensor's values into {@code dst}, which must hold exactly as many. */
    public static void copy(Tensor t, float[] dst) {
        MemorySegment src = view(t);
        if (src.byteSize() != 4L * dst.length) {
            throw new IllegalStateException("tensor has " + src.byteSize() / 4 + " floats, destination " + dst.length);
        }
        MemorySegment.copy(src, ValueLayout.JAVA_FLOAT, 0, dst, 0, dst.length);
    }

    /** Copies a float64 tensor's values into {@code dst}. */
    static void copy(Tensor t, double[] dst) {
        MemorySegment src = view(t);
        if (src.byteSize() != 8L * dst.length) {
            throw new IllegalStateException("tensor has " + src.byteSize() / 8 + " doubles, destination " + dst.length);
        }
        MemorySegment.copy(src, ValueLayout.JAVA_DOUBLE, 0, dst, 0, dst.length);
    }

    /** A tensor's float32 values as a new array. */
    public static float[] toFloats(Tensor t) {
        float[] out = new float[Math.toIntExact(t.numBytes() / 4)];
        copy(t, out);
        return out;
    }
}
