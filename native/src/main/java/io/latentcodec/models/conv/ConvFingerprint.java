package io.latentcodec.models.conv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 over {@code "latentcodec-conv-vae-weights/1" 0x00}, the architecture id and sigmaX's
 * float64 bits (big-endian), then for each variable of {@link ConvArchitecture#variables()} in order:
 * name 0x00, rank int32 big-endian, dimensions int64 big-endian, float32 values little-endian.
 * (The layout of the MLP models' fingerprint; the tag differs. Inference runs at batch 1 always, so no
 * batch size is hashed.)
 */
public final class ConvFingerprint {
    static final String TAG = "latentcodec-conv-vae-weights/1";

    private ConvFingerprint() {
    }

    public static byte[] of(ConvArchitecture a, List<float[]> weights) {
        List<ConvArchitecture.Var> vars = a.variables();
        if (weights.size() != vars.size()) {
            throw new IllegalArgumentException(weights.size() + " weight arrays, architecture has " + vars.size());
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        sha.update(TAG.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(a.id().getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(ByteBuffer.allocate(8).putDouble(a.sigmaX()).array());
        for (int i = 0; i < vars.size(); i++) {
            ConvArchitecture.Var v = vars.get(i);
            float[] w = weights.get(i);
            if (w.length != v.size()) {
                throw new IllegalArgumentException(v.name() + " has " + w.length + " values, shape needs " + v.size());
            }
            sha.update(v.name().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            ByteBuffer head = ByteBuffer.allocate(4 + 8 * v.shape().length).putInt(v.shape().length);
            for (long d : v.shape()) {
                head.putLong(d);
            }
            sha.update(head.array());
            ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : w) {
                b.putInt(Float.floatToRawIntBits(f));
            }
            sha.update(b.array());
        }
        return sha.digest();
    }

    public static String text(byte[] fp) {
        return "sha256:" + HexFormat.of().formatHex(fp);
    }
}
