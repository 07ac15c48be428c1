package io.latentcodec.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The model fingerprint: SHA-256 over
 *
 * <pre>
 *   "latentcodec-vae-weights/1" 0x00
 *   architecture id (ASCII, e.g. "mlp-vae-784-100-40-bernoulli") 0x00
 *   batch size                 int32 big-endian
 *   for each variable of Architecture.variableNames(), in order:
 *     name (ASCII) 0x00, rank int32 big-endian, each dimension int64 big-endian,
 *     the float32 values row-major, each as its raw IEEE bits little-endian
 * </pre>
 *
 * The batch size is part of it because TensorFlow's floats depend on the batch shape: two models
 * with one fingerprint give bit-identical outputs on the same machine type.
 */
final class Fingerprint {
    static final String TAG = "latentcodec-vae-weights/1";

    private Fingerprint() {
    }

    static byte[] of(Architecture arch, int batchSize, List<float[]> weights) {
        List<String> names = arch.variableNames();
        List<long[]> shapes = arch.variableShapes();
        if (weights.size() != names.size()) {
            throw new IllegalArgumentException(weights.size() + " weight arrays, architecture has " + names.size());
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        sha.update(TAG.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(arch.id().getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(ByteBuffer.allocate(4).putInt(batchSize).array());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int v = 0; v < names.size(); v++) {
            long[] shape = shapes.get(v);
            float[] w = weights.get(v);
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (w.length != n) {
                throw new IllegalArgumentException(names.get(v) + " has " + w.length + " values, shape needs " + n);
            }
            sha.update(names.get(v).getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            ByteBuffer head = ByteBuffer.allocate(4 + 8 * shape.length).putInt(shape.length);
            for (long d : shape) {
                head.putLong(d);
            }
            sha.update(head.array());
            for (int i = 0; i < w.length; ) {
                buf.clear();
                while (i < w.length && buf.remaining() >= 4) {
                    buf.putInt(Float.floatToRawIntBits(w[i++]));
                }
                buf.flip();
                sha.update(buf);
            }
        }
        return sha.digest();
    }

    /** {@code sha256:} and 64 lower-case hex digits. */
    static String text(byte[] fingerprint) {
        return "sha256:" + HexFormat.of().formatHex(fingerprint);
    }
}
