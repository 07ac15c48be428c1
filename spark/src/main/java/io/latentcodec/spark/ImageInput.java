package io.latentcodec.spark;

import io.latentcodec.models.data.GrayImage;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * An ordered data set of grey images as executors read it, one partition per part file, partition
 * i before partition i+1 in the data set's order:
 * <ul>
 *   <li>an IDX file {@code [n, rows, cols]} or {@code [n, pixels]} of unsigned bytes (uncompressed:
 *       each task reads its range of images at its offset);</li>
 *   <li>a directory of {@code .png}/{@code .pgm} images, in name order (the names go into the output
 *       so that decompression restores them);</li>
 *   <li>a Parquet data set with a binary column of PNG/PGM bytes or raw pixels, in the order of
 *       (file path, row index in the file).</li>
 * </ul>
 * Paths are on any Hadoop file system.
 *
 * @param kind  which of the three
 * @param spec  the input as the user gave it
 * @param rows  image height
 * @param cols  image width
 * @param count images, or -1 where only the job learns it (Parquet)
 * @param names the directory's file names in order, else null
 * @param dataAt IDX: the byte offset of the first image (after the header), else 0
 */
record ImageInput(Kind kind, String spec, int rows, int cols, long count, List<String> names, long dataAt) implements Serializable {
    enum Kind { IDX, DIRECTORY, PARQUET }

    /** Largest image count of one data set: images are indexed by int in parts and the manifest. */
    static final long MAX_IMAGES = Integer.MAX_VALUE - 16;

    /**
     * Looks at {@code spec} on the driver: an IDX file, a directory of images, or, with a
     * {@code column}, a Parquet data set. {@code rawSize} ({@code [rows, cols]}) describes a Parquet
     * column of raw pixels.
     */
    static ImageInput open(SparkSession spark, String spec, String column, int[] rawSize) throws IOException {
        return open(spark, spec, column, rawSize, false);
    }

    /**
     * As {@link #open(SparkSession, String, String, int[])}; with {@code photos} (VBQ: colour images
     * of any sizes, handed on as their files' bytes by {@link #files}) only a directory or a Parquet
     * column of image files, whose sizes are not checked here ({@code rows} and {@code cols} are 0).
     */
    static ImageInput open(SparkSession spark, String spec, String column, int[] rawSize, boolean photos) throws IOException {
        Path p = new Path(spec);
        FileSystem fs = HadoopFs.of(p, spark.sparkContext().hadoopConfiguration());
        if (column != null) {
            return parquet(spark, spec, column, rawSize, photos);
        }
        if (!fs.exists(p)) {
            throw new java.nio.file.NoSuchFileException(spec);
        }
        if (photos && !fs.getFileStatus(p).isDirectory()) {
            throw new IllegalArgumentException(spec + " is a file: VBQ codes a directory of PNG/PGM images or a Parquet column of them "
                    + "(an IDX file of grey digits is for bitsback)");
        }
        return fs.getFileStatus(p).isDirectory() ? directory(fs, p, spec, photos) : idx(fs, p, spec);
    }

    private static ImageInput idx(FileSystem fs, Path p, String spec) throws IOException {
        long size = fs.getFileStatus(p).getLen();
        byte[] head = new byte[(int) Math.min(size, 16)];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, head);
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            throw new IllegalArgumentException(spec + " is gzip-compressed: gunzip it first (executors read ranges of an IDX "
                    + "file at their offsets, which a gzip stream does not allow)");
        }
        int rank = head.length >= 4 ? head[3] & 0xFF : 0;
        if (head.length < 4 || head[0] != 0 || head[1] != 0 || (rank != 2 && rank != 3) || head.length < 4 + 4 * rank) {
            throw new IllegalArgumentException(spec + " is not an IDX file of rank 2 or 3 (magic 00 00 08 02/03)");
        }
        if ((head[2] & 0xFF) != 0x08) {
            throw new IllegalArgumentException(spec + ": IDX of element type 0x" + Integer.toHexString(head[2] & 0xFF)
                    + "; the bits-back codec needs unsigned bytes (0x08)");
        }
        ByteBuffer b = ByteBuffer.wrap(head);
        long n = b.getInt(4) & 0xFFFF_FFFFL;
        int rows = rank == 3 ? b.getInt(8) : 1;
        int cols = rank == 3 ? b.getInt(12) : b.getInt(8);
        if (rows <= 0 || cols <= 0 || (long) rows * cols > GrayImage.MAX_PIXELS) {
            throw new IllegalArgumentException(spec + ": IDX images of " + (rows & 0xFFFF_FFFFL) + "x" + (cols & 0xFFFF_FFFFL) + " pixels");
        }
        if (n > MAX_IMAGES) {
            throw new IllegalArgumentException(spec + ": " + n + " images exceed the limit of " + MAX_IMAGES);
        }
        long expect = 4L + 4L * rank + n * rows * cols;
        if (size != expect) {
            throw new IllegalArgumentException(spec + ": IDX header declares " + n + " images of " + rows + "x" + cols + " ("
                    + expect + " bytes) but the file has " + size + " bytes" + (size < expect ? ": truncated" : ""));
        }
        return new ImageInput(Kind.IDX, spec, rows, cols, n, null, 4L + 4L * rank);
    }

    private static ImageInput directory(FileSystem fs, Path dir, String spec, boolean photos) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String n = s.getPath().getName();
            String lower = n.toLowerCase(Locale.ROOT);
            if (s.isFile() && (lower.endsWith(".png") || lower.endsWith(".pgm"))) {
                if (n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException(spec + ": image name " + Arrays.toString(n.getBytes()) + " holds a line break");
                }
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(spec + " holds no .png or .pgm images");
        }
        if (names.size() > MAX_IMAGES) {
            throw new IllegalArgumentException(spec + ": " + names.size() + " images exceed the limit of " + MAX_IMAGES);
        }
        names.sort(null);
        if (photos) {
            return new ImageInput(Kind.DIRECTORY, spec, 0, 0, names.size(), List.copyOf(names), 0);
        }
        GrayImage first = readImage(fs, new Path(dir, names.getFirst()));
        return new ImageInput(Kind.DIRECTORY, spec, first.height(), first.width(), names.size(), List.copyOf(names), 0);
    }

    private static ImageInput parquet(SparkSession spark, String spec, String column, int[] rawSize, boolean photos) {
        Dataset<Row> df = spark.read().parquet(spec);
        if (!Arrays.asList(df.columns()).contains(column)) {
            throw new IllegalArgumentException(spec + " has no column '" + column + "' (columns: " + String.join(", ", df.columns()) + ")");
        }
        List<Row> first = df.select(col(column)).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException(spec + ": no rows");
        }
        if (!(first.getFirst().get(0) instanceof byte[] bytes)) {
            throw new IllegalArgumentException(spec + ": column '" + column + "' is not binary");
        }
        if (photos) {
            return new ImageInput(Kind.PARQUET, spec + "#" + column, 0, 0, -1, null, 0);
        }
        int[] size = dims(bytes, rawSize, spec + ", column " + column + ", first row");
        return new ImageInput(Kind.PARQUET, spec + "#" + column, size[0], size[1], -1, null, 0);
    }

    /** {@code [rows, cols]} of an encoded image, or of raw pixels of {@code rawSize}. */
    private static int[] dims(byte[] bytes, int[] rawSize, String what) {
        if (GrayImage.isImageFile(bytes)) {
            GrayImage g = GrayImage.parse(bytes);
            return new int[] {g.height(), g.width()};
        }
        if (bytes.length == (long) rawSize[0] * rawSize[1]) {
            return rawSize;
        }
        throw new IllegalArgumentException(what + ": " + bytes.length + " bytes are neither a PNG/PGM image nor "
                + rawSize[0] + "x" + rawSize[1] + " raw pixels (--size)");
    }

    /**
     * The images, partition i holding part i: {@code parts} contiguous ranges of the data set's
     * order (for Parquet, range partitions of (file, row)).
     */
    JavaRDD<byte[]> images(SparkSession spark, int parts, HadoopConf conf) {
        return read(spark, parts, conf, false);
    }

    /** The images' files as they are (a directory's files, a Parquet column's values), partitioned as {@link #images}. */
    JavaRDD<byte[]> files(SparkSession spark, int parts, HadoopConf conf) {
        if (kind == Kind.IDX) {
            throw new IllegalStateException("an IDX file holds pixels, not image files");
        }
        return read(spark, parts, conf, true);
    }

    private JavaRDD<byte[]> read(SparkSession spark, int parts, HadoopConf conf, boolean raw) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int rows = this.rows;
        int cols = this.cols;
        String spec = this.spec;
        switch (kind) {
            case IDX -> {
                List<long[]> ranges = new ArrayList<>(parts);
                long header = dataAt;
                for (int i = 0; i < parts; i++) {
                    ranges.add(new long[] {count * i / parts, count * (i + 1) / parts});
                }
                // one range per slice: parallelize keeps the list's order and splits n elements into n slices of one
                return jsc.parallelize(ranges, parts).flatMap(r -> readIdx(conf, spec, header, rows, cols, r[0], r[1]));
            }
            case DIRECTORY -> {
                List<List<String>> slices = new ArrayList<>(parts);
                for (int i = 0; i < parts; i++) {
                    slices.add(new ArrayList<>(names.subList((int) (count * i / parts), (int) (count * (i + 1) / parts))));
                }
                return jsc.parallelize(slices, parts).flatMap(s -> readFiles(conf, spec, s, rows, cols, raw));
            }
            case PARQUET -> {
                int at = spec.lastIndexOf('#');
                String path = spec.substring(0, at);
                String column = spec.substring(at + 1);
                Dataset<Row> df = spark.read().parquet(path)
                        .select(col("_metadata.file_path").as("lc_file"), col("_metadata.row_index").as("lc_row"), col(column).as("lc_image"))
                        .repartitionByRange(parts, col("lc_file"), col("lc_row"))
                        .sortWithinPartitions("lc_file", "lc_row");
                int[] size = {rows, cols};
                return df.javaRDD().map(r -> {
                    byte[] b = (byte[]) r.get(2);
                    String what = r.getString(0) + ", row " + r.getLong(1);
                    if (b == null) {
                        throw new IllegalArgumentException(what + ": the image is null");
                    }
                    return raw ? b : pixels(b, size, what);
                });
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static Iterator<byte[]> readIdx(HadoopConf conf, String spec, long header, int rows, int cols, long from, long to) throws IOException {
        Path p = new Path(spec);
        int pixels = rows * cols;
        List<byte[]> out = new ArrayList<>((int) (to - from));
        try (FSDataInputStream in = HadoopFs.of(p, conf.get()).open(p)) {
            in.seek(header + from * pixels);
            for (long i = from; i < to; i++) {
                byte[] img = new byte[pixels];
                in.readFully(img);
                out.add(img);
            }
        }
        return out.iterator();
    }

    private static Iterator<byte[]> readFiles(HadoopConf conf, String dir, List<String> names, int rows, int cols, boolean raw)
            throws IOException {
        Path d = new Path(dir);
        FileSystem fs = HadoopFs.of(d, conf.get());
        List<byte[]> out = new ArrayList<>(names.size());
        for (String n : names) {
            Path file = new Path(d, n);
            out.add(raw ? readFile(fs, file) : sameSize(readImage(fs, file), rows, cols, file.toString()));
        }
        return out.iterator();
    }

    private static GrayImage readImage(FileSystem fs, Path file) throws IOException {
        try {
            return GrayImage.parse(readFile(fs, file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readFile(FileSystem fs, Path file) throws IOException {
        long size = fs.getFileStatus(file).getLen();
        if (size > GrayImage.MAX_PIXELS * 2 + (1 << 20)) {
            throw new IllegalArgumentException(file + " is " + size + " bytes, larger than any image this codec takes");
        }
        try (FSDataInputStream in = fs.open(file)) {
            return in.readNBytes((int) size);
        }
    }

    private static byte[] pixels(byte[] b, int[] size, String what) {
        if (GrayImage.isImageFile(b)) {
            GrayImage g;
            try {
                g = GrayImage.parse(b);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
            }
            return sameSize(g, size[0], size[1], what);
        }
        if (b.length != size[0] * size[1]) {
            throw new IllegalArgumentException(what + ": " + b.length + " bytes are neither a PNG/PGM image nor " + size[0] + "x"
                    + size[1] + " raw pixels");
        }
        return b;
    }

    /** {@code g}'s pixels when it is as large as the data set's first image, else an error naming both sizes. */
    private static byte[] sameSize(GrayImage g, int rows, int cols, String what) {
        if (g.height() != rows || g.width() != cols) {
            throw new IllegalArgumentException(what + " is " + g.width() + "x" + g.height() + ", but the first image is " + cols + "x" + rows);
        }
        return g.pixels();
    }
}
