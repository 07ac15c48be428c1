package io.latentcodec.bench;

import htsjdk.samtools.cram.compression.rans.rans4x8.RANS4x8Decode;
import htsjdk.samtools.cram.compression.rans.rans4x8.RANS4x8Encode;
import htsjdk.samtools.cram.compression.rans.rans4x8.RANS4x8Params;
import htsjdk.samtools.cram.compression.rans.RANSParams;
import htsjdk.samtools.cram.compression.rans.ransnx16.RANSNx16Decode;
import htsjdk.samtools.cram.compression.rans.ransnx16.RANSNx16Encode;
import htsjdk.samtools.cram.compression.rans.ransnx16.RANSNx16Params;
import io.latentcodec.kernels.StaticRans;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The byte codecs the static-codec benchmark compares, behind one shape: encode into a reusable
 * buffer, decode into a reusable buffer, both returning the length produced.
 */
public abstract class ByteCodecs {
    /** Prepares buffers for inputs of {@code n} bytes. */
    abstract void init(int n);

    /** Compresses {@code in}; the result stays in the codec until the next call; returns its length. */
    abstract int encode(byte[] in);

    /** The last compressed result, as an exact copy. */
    abstract byte[] encoded();

    /** Decompresses {@code c}; returns the decoded length, the bytes in {@link #decoded()}. */
    abstract int decode(byte[] c);

    abstract byte[] decoded();

    public static ByteCodecs of(String name) {
        return switch (name) {
            case "latentcodec-o0-vector" -> new Latent(0, true);
            case "latentcodec-o0-scalar" -> new Latent(0, false);
            case "latentcodec-o1-vector" -> new Latent(1, true);
            case "latentcodec-o1-scalar" -> new Latent(1, false);
            case "htsjdk-rans4x8-o0" -> new Htsjdk(false, 0);
            case "htsjdk-ransNx16-o0" -> new Htsjdk(true, 0);
            case "htsjdk-ransNx16-o0-x32" -> new Htsjdk(true, RANSNx16Params.N32_FLAG_MASK);
            case "htscodecs-rans32x16-o0" -> new HtscodecsPeer(0);
            case "htscodecs-rans32x16-o1" -> new HtscodecsPeer(1);
            case "deflate-1" -> new Deflate(1);
            case "deflate-6" -> new Deflate(6);
            default -> throw new IllegalArgumentException("unknown codec " + name);
        };
    }

    static final class Latent extends ByteCodecs {
        private final int order;
        private final boolean vector;
        private byte[] out;
        private int outLen;
        private byte[] dec;

        Latent(int order, boolean vector) {
            this.order = order;
            this.vector = vector;
        }

        @Override
        void init(int n) {
            out = new byte[(int) StaticRans.maxCompressedLength(n, order)];
            dec = new byte[n];
        }

        @Override
        int encode(byte[] in) {
            outLen = (int) StaticRans.compress(MemorySegment.ofArray(in), MemorySegment.ofArray(out), order, vector);
            return outLen;
        }

        @Override
        byte[] encoded() {
            return java.util.Arrays.copyOf(out, outLen);
        }

        @Override
        int decode(byte[] c) {
            return (int) StaticRans.decompress(MemorySegment.ofArray(c), MemorySegment.ofArray(dec), vector);
        }

        @Override
        byte[] decoded() {
            return dec;
        }
    }

    static final class Htsjdk extends ByteCodecs {
        private final boolean nx16;
        private final int flags;
        private ByteBuffer last;
        private ByteBuffer dec;

        Htsjdk(boolean nx16, int flags) {
            this.nx16 = nx16;
            this.flags = flags;
        }

        @Override
        void init(int n) {
        }

        @Override
        int encode(byte[] in) {
            ByteBuffer src = ByteBuffer.wrap(in);
            last = nx16 ? new RANSNx16Encode().compress(src, new RANSNx16Params(flags))
                    : new RANS4x8Encode().compress(src, new RANS4x8Params(RANSParams.ORDER.ZERO));
            return last.remaining();
        }

        @Override
        byte[] encoded() {
            byte[] b = new byte[last.remaining()];
            last.duplicate().get(b);
            return b;
        }

        @Override
        int decode(byte[] c) {
            ByteBuffer src = ByteBuffer.wrap(c);
            dec = nx16 ? new RANSNx16Decode().uncompress(src) : new RANS4x8Decode().uncompress(src);
            return dec.remaining();
        }

        @Override
        byte[] decoded() {
            byte[] b = new byte[dec.remaining()];
            dec.duplicate().get(b);
            return b;
        }
    }

    static final class Deflate extends ByteCodecs {
        private final int level;
        private byte[] out;
        private int outLen;
        private byte[] dec;

        Deflate(int level) {
            this.level = level;
        }

        @Override
        void init(int n) {
            out = new byte[n + n / 100 + 1024];
            dec = new byte[n];
        }

        @Override
        int encode(byte[] in) {
            Deflater d = new Deflater(level, true);
            try {
                d.setInput(in);
                d.finish();
                outLen = d.deflate(out);
                if (!d.finished()) {
                    throw new IllegalStateException("deflate buffer too small");
                }
                return outLen;
            } finally {
                d.end();
            }
        }

        @Override
        byte[] encoded() {
            return java.util.Arrays.copyOf(out, outLen);
        }

        @Override
        int decode(byte[] c) {
            Inflater inf = new Inflater(true);
            try {
                inf.setInput(c);
                return inf.inflate(dec);
            } catch (DataFormatException e) {
                throw new IllegalStateException(e);
            } finally {
                inf.end();
            }
        }

        @Override
        byte[] decoded() {
            return dec;
        }
    }
}
