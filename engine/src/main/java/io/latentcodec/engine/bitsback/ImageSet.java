package io.latentcodec.engine.bitsback;

import io.latentcodec.engine.Home;
import io.latentcodec.models.data.DataSet;
import io.latentcodec.models.data.DataSets;
import io.latentcodec.models.data.GrayImage;
import io.latentcodec.models.data.Idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images for the bits-back codec: 8-bit grayscale, all the same size, from an IDX file
 * ({@code [n, rows, cols]} or {@code [n, pixels]} unsigned bytes, gzip allowed), a directory of
 * PGM/PNG files (sorted by name), or a built-in test split ({@code mnist:test},
 * {@code mnist-binarized:test}, {@code fashion-mnist:test}).
 */
public record ImageSet(byte[][] images, int rows, int cols, String source) {
    /** Refuse inputs with more images than this (2^31 pixels of IDX at most anyway). */
    public static final int MAX_IMAGES = 1 << 24;

    public long[] shape() {
        return new long[] {images.length, rows, cols};
    }

    public int pixels() {
        return rows * cols;
    }

    /** Whether {@code spec} names a built-in split rather than a file. */
    public static boolean isBuiltIn(String spec) {
        return spec.matches("[a-z-]+:(test|train)") && !Files.exists(Path.of(spec));
    }

    /** The data set name of a built-in spec ({@code mnist-binarized:test} gives {@code mnist-binarized}). */
    public static String dataSetOf(String spec) {
        return spec.substring(0, spec.indexOf(':'));
    }

    public static ImageSet load(String spec) throws IOException {
        if (isBuiltIn(spec)) {
            return builtIn(spec);
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            return directory(p);
        }
        if (!Files.exists(p)) {
            throw new java.nio.file.NoSuchFileException(spec);
        }
        Idx idx = Idx.read(p);
        if (idx.type() != Idx.Type.UNSIGNED_BYTE) {
            throw new IllegalArgumentException(spec + ": IDX of " + idx.type() + " values; the bits-back codec needs unsigned bytes");
        }
        int[] dims = idx.dims();
        if (dims.length != 3 && dims.length != 2) {
            throw new IllegalArgumentException(spec + ": IDX of rank " + dims.length + "; expected [n, rows, cols] or [n, pixels]");
        }
        if (dims[0] > MAX_IMAGES) {
            throw new IllegalArgumentException(spec + ": " + dims[0] + " images exceed the limit of " + MAX_IMAGES);
        }
        int rows = dims.length == 3 ? dims[1] : 1;
        int cols = dims.length == 3 ? dims[2] : dims[1];
        return new ImageSet(idx.images(), rows, cols, spec);
    }

    static ImageSet builtIn(String spec) throws IOException {
        String name = dataSetOf(spec);
        if (!DataSets.NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown data set '" + name + "' (known: " + String.join(", ", DataSets.NAMES) + ")");
        }
        DataSet ds;
        try {
            ds = DataSets.load(name);
        } catch (IOException first) {
            Home.runScript("scripts/fetch-data");
            ds = DataSets.load(name);
        }
        byte[][] images = spec.endsWith(":test") ? ds.test() : ds.train();
        return new ImageSet(images, ds.rows(), ds.cols(), spec);
    }

    static ImageSet directory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(f) && (n.endsWith(".png") || n.endsWith(".pgm"));
            }).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no .png or .pgm images");
        }
        if (files.size() > MAX_IMAGES) {
            throw new IllegalArgumentException(dir + ": " + files.size() + " images exceed the limit of " + MAX_IMAGES);
        }
        List<byte[]> images = new ArrayList<>(files.size());
        int rows = -1;
        int cols = -1;
        for (Path f : files) {
            GrayImage g = GrayImage.read(f);
            if (rows < 0) {
                rows = g.height();
                cols = g.width();
            } else if (g.height() != rows || g.width() != cols) {
                throw new IllegalArgumentException(f + " is " + g.width() + "x" + g.height() + ", but the first image is " + cols + "x" + rows);
            }
            images.add(g.pixels());
        }
        return new ImageSet(images.toArray(byte[][]::new), rows, cols, dir.toString());
    }

    /** Writes the images as an IDX file {@code [n, rows, cols]} of unsigned bytes (gzip if the name ends in .gz). */
    public void writeIdx(Path file) throws IOException {
        Idx.ofImages(images, rows, cols).write(file);
    }

    /** Writes the images as PNG files {@code 000000.png, ...} into {@code dir} (created if missing). */
    public void writePngs(Path dir) throws IOException {
        Files.createDirectories(dir);
        int digits = Math.max(6, String.valueOf(images.length).length());
        for (int i = 0; i < images.length; i++) {
            GrayImage.of(cols, rows, images[i]).write(dir.resolve(String.format(Locale.ROOT, "%0" + digits + "d.png", i)));
        }
    }
}
