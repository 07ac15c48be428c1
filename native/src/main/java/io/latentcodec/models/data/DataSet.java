package io.latentcodec.models.data;

import java.util.Objects;

/**
 * A named data set as the models see it: training images, test images and what their pixels mean.
 *
 * <ul>
 *   <li>{@code train}: 8-bit images (0..255). When {@code binarized}, the trainer draws fresh
 *       stochastic bits from them every epoch ({@link Binarization#sample}).</li>
 *   <li>{@code test}: exactly the bytes a codec compresses and the evaluator scores: 0..255, or
 *       0/1 when {@code binarized} (the fixed binarization {@link Binarization#fixed}).</li>
 * </ul>
 *
 * @param name        the data set's name ({@link DataSets})
 * @param description source, split and binarization in words, recorded in model manifests
 * @param rows        image height
 * @param cols        image width
 * @param binarized   whether models see 0/1 pixels
 */
public record DataSet(String name, String description, int rows, int cols, boolean binarized,
                      byte[][] train, int[] trainLabels, byte[][] test, int[] testLabels) {

    public DataSet {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        check(train, rows * cols, "train");
        check(test, rows * cols, "test");
        if (trainLabels != null && trainLabels.length != train.length || testLabels != null && testLabels.length != test.length) {
            throw new IllegalArgumentException("label count differs from image count");
        }
    }

    private static void check(byte[][] images, int pixels, String what) {
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != pixels) {
                throw new IllegalArgumentException(what + " image " + i + " has " + images[i].length + " pixels, expected " + pixels);
            }
        }
    }

    /** Pixels per image. */
    public int pixels() {
        return rows * cols;
    }

    /** Largest pixel value the models see: 1 when binarized, else 255. */
    public int maxValue() {
        return binarized ? 1 : 255;
    }
}
