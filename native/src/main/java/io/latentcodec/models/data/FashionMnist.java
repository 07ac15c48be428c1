package io.latentcodec.models.data;

import io.latentcodec.models.Home;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fashion-MNIST (Zalando; Debian package {@code dataset-fashion-mnist}, fetched by
 * {@code scripts/fetch-data} into {@code data/fashion-mnist/}): 60,000 training and 10,000 test
 * images of 28 x 28 bytes in gzipped IDX files, with labels 0..9. The split is the data set's own;
 * images keep their file order.
 */
public final class FashionMnist {
    public static final int TRAIN_SIZE = 60_000;
    public static final int TEST_SIZE = 10_000;
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    private final byte[][] train;
    private final int[] trainLabels;
    private final byte[][] test;
    private final int[] testLabels;

    private FashionMnist(byte[][] train, int[] trainLabels, byte[][] test, int[] testLabels) {
        this.train = train;
        this.trainLabels = trainLabels;
        this.test = test;
        this.testLabels = testLabels;
    }

    /** Loads from {@code <data dir>/fashion-mnist} ({@link Home#dataDir()}). */
    public static FashionMnist load() throws IOException {
        return load(Home.dataDir().resolve("fashion-mnist"));
    }

    /** Loads the four IDX files from {@code dir}. */
    public static FashionMnist load(Path dir) throws IOException {
        byte[][] train = images(dir.resolve(TRAIN_IMAGES), TRAIN_SIZE);
        int[] trainLabels = labels(dir.resolve(TRAIN_LABELS), TRAIN_SIZE);
        byte[][] test = images(dir.resolve(TEST_IMAGES), TEST_SIZE);
        int[] testLabels = labels(dir.resolve(TEST_LABELS), TEST_SIZE);
        return new FashionMnist(train, trainLabels, test, testLabels);
    }

    private static Idx idx(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "Fashion-MNIST not found: run scripts/fetch-data (or set LATENTCODEC_DATA)");
        }
        return Idx.read(file);
    }

    private static byte[][] images(Path file, int n) throws IOException {
        Idx idx = idx(file);
        if (idx.type() != Idx.Type.UNSIGNED_BYTE || !Arrays.equals(idx.dims(), new int[] {n, ROWS, COLS})) {
            throw new MalformedDataException(-1, file + " is " + idx + ", expected unsigned bytes [" + n + ", 28, 28]");
        }
        return idx.images();
    }

    private static int[] labels(Path file, int n) throws IOException {
        Idx idx = idx(file);
        if (idx.type() != Idx.Type.UNSIGNED_BYTE || !Arrays.equals(idx.dims(), new int[] {n})) {
            throw new MalformedDataException(-1, file + " is " + idx + ", expected unsigned bytes [" + n + "]");
        }
        return idx.labels();
    }

    /** The 60,000 training images (copies), each 784 bytes. */
    public byte[][] train() {
        return deepCopy(train);
    }

    public int[] trainLabels() {
        return trainLabels.clone();
    }

    /** The 10,000 test images (copies), each 784 bytes. */
    public byte[][] test() {
        return deepCopy(test);
    }

    public int[] testLabels() {
        return testLabels.clone();
    }

    static byte[][] deepCopy(byte[][] a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
