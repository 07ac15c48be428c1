package io.latentcodec.engine.vbq;

import io.latentcodec.engine.image.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The VBQ fuzz target's helpers ({@code io.latentcodec.fuzz.VbqFuzzTest}): the engine's tiny test
 * model and images ({@link TinyVbq}, from the engine's test-jar), and a uniform-ablation stream
 * pushed as the encoder does. Here in the engine's package because {@link VbqCoder#pushUniform}
 * is package-private.
 */
public final class FuzzVbqModels {
    private FuzzVbqModels() {
    }

    /** Writes the model into {@code dir} (created) and loads it. Deterministic in {@code seed}, so its fingerprint is too. */
    public static VbqModel create(Path dir, long seed) throws IOException {
        return TinyVbq.create(dir, seed);
    }

    /**
     * A compact rANS frame of uniform-ablation symbols ({@code 0..2Q} per latent) pushed with the
     * model's tables for step {@code step}, as the encoder writes it ({@link VbqCoder#pushUniform}
     * is package-private): for forged files whose streams decode.
     */
    public static byte[] uniformStream(VbqTables t, int step, int[] symbols, int lanes, long seed) {
        try (io.latentcodec.kernels.Message m = io.latentcodec.kernels.Message.create(lanes, seed)) {
            VbqCoder.pushUniform(m, t, step, symbols);
            return m.toCompactByteArray();
        }
    }

    /** A smooth random image with some noise and an edge ({@link TinyVbq#image}). */
    public static RgbImage image(SplittableRandom r, int w, int h) {
        return TinyVbq.image(r, w, h);
    }
}
