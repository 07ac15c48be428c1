package io.latentcodec.engine.embed;

import io.latentcodec.CorruptInputException;
import io.latentcodec.kernels.Message;
import io.latentcodec.engine.vbq.VbqMatrix;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Lossy compression of a matrix of Gaussian posteriors (a Bayesian embedding's means and standard
 * deviations, rows x cols) with VBQ or with uniform quantization of the means, each entropy-coded with
 * rANS under per-column models that the stream carries, so the stream alone decodes and its size is
 * the whole rate. See {@link VbqMatrix} for the quantizers.
 *
 * <pre>
 *  "LEMB" u32 | version u8 = 1 | mode u8 (0 VBQ, 1 uniform) | R u8 | lanes u8 | rows u32 | cols u32 | lambda or step f64
 *  VBQ:     cols x {m f32, s f32}  (column c's prior N(m, s^2): grid value F^-1(j / G) = m + s probit(j / G))
 *           cols x (R + 1) varint depth counts
 *  uniform: Q u16, cols x (2Q + 1) varint symbol counts
 *  frame length u32 | compact rANS frame (lanes and seed as above)
 * </pre>
 * All little-endian. Decoding refuses anything malformed with a {@link CorruptInputException}.
 */
public final class EmbeddingCodec {
    static final int MAGIC = 0x424D454C; // "LEMB"
    static final long SEED = 0x656D62L;

    private EmbeddingCodec() {
    }

    /** A stream and the matrix its decoder reproduces. */
    public record Coded(byte[] bytes, float[] reconstruction) {
    }

    public static Coded compressVbq(float[] mu, float[] sigma, int rows, int cols, double lambda) {
        VbqMatrix.Chosen c = VbqMatrix.vbq(mu, sigma, rows, cols, lambda);
        byte[] frame;
        try (Message m = Message.create(VbqMatrix.LANES, SEED)) {
            VbqMatrix.pushVbq(m, c);
            frame = m.toCompactByteArray();
        }
        ByteBuffer b = ByteBuffer.allocate(64 + 8 * cols + 10 * cols * (c.depth() + 1) + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        head(b, 0, c.depth(), rows, cols, lambda);
        for (int k = 0; k < cols; k++) {
            b.putFloat(c.m()[k]).putFloat(c.s()[k]);
        }
        for (long[] ch : c.counts()) {
            for (long n : ch) {
                varint(b, n);
            }
        }
        b.putInt(frame.length).put(frame);
        return new Coded(java.util.Arrays.copyOf(b.array(), b.position()), c.values());
    }

    public static Coded compressUniform(float[] mu, int rows, int cols, double step) {
        VbqMatrix.Uniform u = VbqMatrix.uniform(mu, rows, cols, step);
        byte[] frame;
        try (Message m = Message.create(VbqMatrix.LANES, SEED)) {
            VbqMatrix.pushUniform(m, u);
            frame = m.toCompactByteArray();
        }
        ByteBuffer b = ByteBuffer.allocate(64 + 10 * cols * (2 * u.half() + 1) + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        head(b, 1, 0, rows, cols, step);
        b.putShort((short) u.half());
        for (long[] ch : u.counts()) {
            for (long n : ch) {
                varint(b, n);
            }
        }
        b.putInt(frame.length).put(frame);
        return new Coded(java.util.Arrays.copyOf(b.array(), b.position()), u.values());
    }

    private static void head(ByteBuffer b, int mode, int depth, int rows, int cols, double param) {
        b.putInt(MAGIC).put((byte) 1).put((byte) mode).put((byte) depth).put((byte) VbqMatrix.LANES).putInt(rows).putInt(cols).putDouble(param);
    }

    private static void varint(ByteBuffer b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.put((byte) (v | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    /** Reads a stream back into the rows x cols matrix the encoder reported. */
    public static float[] decompress(byte[] in) {
        ByteBuffer b = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (b.getInt() != MAGIC || b.get() != 1) {
                throw new CorruptInputException(0, "not an embedding stream (magic or version)");
            }
            int mode = b.get();
            int depth = b.get() & 0xFF;
            int lanes = b.get() & 0xFF;
            int rows = b.getInt();
            int cols = b.getInt();
            double param = b.getDouble();
            if (mode < 0 || mode > 1 || lanes < 1 || lanes > 64 || rows < 1 || cols < 1 || (long) rows * cols > 1L << 28
                    || mode == 0 && (depth < 1 || depth > 16 || !(param > 0)) || mode == 1 && !(param > 0) || Double.isInfinite(param)) {
                throw new CorruptInputException(5, "bad embedding stream header");
            }
            if (mode == 0) {
                float[] m = new float[cols];
                float[] s = new float[cols];
                for (int k = 0; k < cols; k++) {
                    m[k] = b.getFloat();
                    s[k] = b.getFloat();
                    if (!Float.isFinite(m[k]) || !(s[k] > 0) || !Float.isFinite(s[k])) {
                        throw new CorruptInputException(b.position() - 8, "bad prior of column " + k);
                    }
                }
                long[][] counts = new long[cols][depth + 1];
                for (long[] ch : counts) {
                    for (int r = 0; r <= depth; r++) {
                        ch[r] = getVarint(b);
                    }
                }
                Message msg = frame(b, in, lanes);
                try (msg) {
                    float[] out = VbqMatrix.popVbq(msg, m, s, counts, depth, rows, cols, param);
                    done(msg, b);
                    return out;
                }
            }
            int half = b.getShort() & 0xFFFF;
            if (half < 1 || half > 8191) {
                throw new CorruptInputException(b.position() - 2, "bad uniform half-range " + half);
            }
            long[][] counts = new long[cols][2 * half + 1];
            for (long[] ch : counts) {
                for (int q = 0; q < ch.length; q++) {
                    ch[q] = getVarint(b);
                }
            }
            Message msg = frame(b, in, lanes);
            try (msg) {
                float[] out = VbqMatrix.popUniform(msg, counts, half, param, rows, cols);
                done(msg, b);
                return out;
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptInputException(in.length, "embedding stream truncated");
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CorruptInputException(b.position(), "embedding stream damaged: " + e.getMessage());
        }
    }

    private static Message frame(ByteBuffer b, byte[] in, int lanes) {
        int len = b.getInt();
        if (len < 0 || len != b.remaining()) {
            throw new CorruptInputException(b.position() - 4, "frame of " + len + " bytes, " + b.remaining() + " remain");
        }
        Message m = Message.readCompact(MemorySegment.ofArray(in), b.position(), len, lanes, SEED, false);
        b.position(b.limit());
        return m;
    }

    private static void done(Message m, ByteBuffer b) {
        if (m.tailWords() != 0 || !m.isPristine()) {
            throw new CorruptInputException(b.position(), "the embedding stream does not end where its symbols do");
        }
    }

    private static long getVarint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift <= 56; shift += 7) {
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                if (v > 0xFFFF_FFFFL) {
                    throw new CorruptInputException(b.position(), "count " + v + " too large");
                }
                return v;
            }
        }
        throw new CorruptInputException(b.position(), "varint too long");
    }
}
