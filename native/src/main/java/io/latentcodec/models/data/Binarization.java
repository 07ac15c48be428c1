package io.latentcodec.models.data;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Binarization of 8-bit images for the Bernoulli model, the way the bits-back paper does it:
 * each pixel with byte value b becomes 1 with probability b / 255.
 *
 * <ul>
 *   <li><b>Training</b> draws fresh bits every epoch ({@link #sample}), which acts as data
 *       augmentation.</li>
 *   <li><b>Test</b> data is binarized once, reproducibly ({@link #fixed}): one
 *       {@code new java.util.Random(seed)} (a fully specified generator) visits the images in order
 *       and their pixels in row-major order; pixel b becomes 1 exactly when
 *       {@code random.nextInt(255) < b}, which has probability b / 255 (0 never, 255 always). The
 *       shipped binarized test set is {@code fixed(Mnist.test(), TEST_SEED)}.</li>
 * </ul>
 */
public final class Binarization {
    /** Seed of the fixed binarization of the MNIST test split. */
    public static final long TEST_SEED = 1;

    private Binarization() {
    }

    /** Fixed binarization: bytes 0/1, reproducible from the seed (see the class comment). */
    public static byte[][] fixed(byte[][] images, long seed) {
        Random random = new Random(seed);
        byte[][] out = new byte[images.length][];
        for (int i = 0; i < images.length; i++) {
            byte[] src = images[i];
            byte[] dst = new byte[src.length];
            for (int j = 0; j < src.length; j++) {
                dst[j] = (byte) (random.nextInt(255) < (src[j] & 0xFF) ? 1 : 0);
            }
            out[i] = dst;
        }
        return out;
    }

    /** Fresh stochastic bits for training: {@code dst[off + j]} = 1 with probability src[j] / 255, as floats. */
    public static void sample(byte[] src, float[] dst, int off, SplittableRandom random) {
        for (int j = 0; j < src.length; j++) {
            dst[off + j] = random.nextInt(255) < (src[j] & 0xFF) ? 1f : 0f;
        }
    }
}
