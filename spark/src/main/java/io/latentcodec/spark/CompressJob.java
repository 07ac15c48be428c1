package io.latentcodec.spark;

import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.models.VaeModel;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Compresses an image data set with bits-back ANS on a Spark cluster: partition i of the input
 * (in data-set order, see {@link ImageInput}) becomes {@code part-0000i.lc}, a complete bits-back
 * container of its own (one chain, or {@code chainsPerPart}), coded by whichever executor runs the
 * task; the driver then writes {@code manifest.json} and renames the whole directory into place.
 * Each part is an ordinary {@code .lc} file: {@code ./latentcodec decompress part-00003.lc} decodes it alone.
 */
public final class CompressJob {
    private CompressJob() {
    }

    /**
     * What to compress and how.
     *
     * @param input         an IDX file, a directory of PNG/PGM images, or a Parquet data set (with {@code column})
     * @param column        the Parquet column of image bytes, else null
     * @param rawSize       {@code [rows, cols]} of a Parquet column of raw pixels
     * @param model         a shipped model's name or a model directory on any Hadoop file system
     * @param output        the output directory (must not exist unless {@code force})
     * @param partitions    part files, 0 for the default ({@link #defaultParts})
     * @param chainsPerPart bits-back chains in each part
     * @param codec         {@code bitsback} (lossless, grey images of one size) or {@code vbq} (lossy, colour images of any size)
     * @param lambda        vbq: the rate-distortion trade-off, 0 for {@link #DEFAULT_LAMBDA} (ignored when {@code bpp} is given)
     * @param bpp           vbq: the target bits per pixel of every image, or 0 to code at {@code lambda}
     */
    public record Options(String input, String column, int[] rawSize, String model, String output, int partitions, int chainsPerPart,
                          boolean force, String codec, double lambda, double bpp) implements Serializable {
        /** Bits-back. */
        public Options(String input, String column, int[] rawSize, String model, String output, int partitions, int chainsPerPart,
                       boolean force) {
            this(input, column, rawSize, model, output, partitions, chainsPerPart, force, "bitsback", 0, 0);
        }
    }

    /** VBQ's lambda when neither a lambda nor a target rate is given: the CLI's ({@code ./latentcodec compress --codec vbq}). */
    public static final double DEFAULT_LAMBDA = 16.0;
    /** The shipped VBQ model. */
    public static final String DEFAULT_VBQ_MODEL = "photo-vae";

    /** What a compress job did. */
    /** What a compress job did; {@code pixels} counts every image's pixels (a colour pixel once). */
    public record Summary(long images, long bytes, int parts, long pixels, double seconds) {
        /** Bits per pixel: per dimension for grey images, per colour pixel (three dimensions) for VBQ's. */
        public double bitsPerDim() {
            return pixels == 0 ? 0 : bytes * 8.0 / pixels;
        }

        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    /** What one task wrote: its file under the staging directory, and the manifest's entry for it. */
    record Written(int index, String attemptFile, long images, long pixels, long bytes, int crc32c, int pixelsCrc32c) implements Serializable {
    }

    /**
     * Default part count: one per core of the cluster (so every core codes one chain), at least
     * 2,500 images each (a chain's fixed cost is about 100 bytes and its first image's bits-back
     * debt) and at most 250,000 (a task holds its part in memory: 196 MB at 784 pixels).
     */
    static int defaultParts(long images, int cores) {
        long most = Math.max(1, images / BitsBack.MIN_IMAGES_PER_CHAIN);
        long least = (images + 249_999) / 250_000;
        return (int) Math.max(1, Math.max(least, Math.min(cores, most)));
    }

    /**
     * Default part count for VBQ: one per core, and at least one per 10,000 images (a task holds its
     * part's containers in memory: about 50 KB a 768x512 photo at the default lambda).
     */
    static int defaultVbqParts(long images, int cores) {
        return (int) Math.max(1, Math.min(Math.max(1, images), Math.max(cores, (images + 9_999) / 10_000)));
    }

    public static Summary run(SparkSession spark, Options o) throws IOException {
        if ("vbq".equals(o.codec())) {
            return runVbq(spark, o);
        }
        if (!"bitsback".equals(o.codec())) {
            throw new IllegalArgumentException("--codec must be bitsback or vbq, got '" + o.codec() + "'");
        }
        long started = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        if (o.chainsPerPart() < 1 || o.chainsPerPart() > 1024) {
            throw new IllegalArgumentException("--chains-per-part must be in 1..1024, got " + o.chainsPerPart());
        }
        ModelBytes model = ModelBytes.read(o.model(), conf.get());
        VaeModel m = model.open();
        ImageInput input = ImageInput.open(spark, o.input(), o.column(), o.rawSize());
        if ((long) input.rows() * input.cols() != m.dataDim()) {
            throw new IllegalArgumentException(o.input() + " holds " + input.cols() + "x" + input.rows() + " images; model " + m.name()
                    + " codes " + m.dataDim() + " pixels per image");
        }
        int parts = checkParts(input, o.partitions() > 0 ? o.partitions()
                : defaultParts(input.count() >= 0 ? input.count() : 0, jsc.defaultParallelism()));
        Broadcast<ModelBytes> shipped = jsc.broadcast(model);
        int rows = input.rows();
        int cols = input.cols();
        int chains = o.chainsPerPart();
        try (Staging out = Staging.of(o.output(), o.force(), conf.get())) {
            if (!out.fs().mkdirs(out.path())) {
                throw new IOException("cannot create " + out.path());
            }
            String dir = out.path().toString();
            List<Written> written = new ArrayList<>(input.images(spark, parts, conf)
                    .mapPartitionsWithIndex((i, images) -> compressPart(i, images, shipped.value(), rows, cols, chains, dir, conf), true)
                    .collect());
            return commit(out, written, input, o, "bitsback", m.name(), m.fingerprint(), started);
        } finally {
            shipped.destroy();
        }
    }

    private static int checkParts(ImageInput input, int parts) {
        if (input.count() >= 0 && parts > Math.max(1, input.count())) {
            throw new IllegalArgumentException("--partitions " + parts + " exceeds the " + input.count() + " images");
        }
        if (parts > DataSetManifest.MAX_PARTS) {
            throw new IllegalArgumentException("--partitions must be at most " + DataSetManifest.MAX_PARTS + ", got " + parts);
        }
        return parts;
    }

    /**
     * VBQ: every image coded alone at the options' rate by the executor that reads it (the encoder's
     * network runs there: TensorFlow must be on the executors' class path); a part is its images'
     * containers one after another ({@link VbqParts}).
     */
    private static Summary runVbq(SparkSession spark, Options o) throws IOException {
        long started = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        VbqParts.requireTensorFlow("driver"); // the executors check again: their class path may differ
        VbqParts.Rate rate = new VbqParts.Rate(o.bpp() != 0 ? 0 : o.lambda() != 0 ? o.lambda() : DEFAULT_LAMBDA, o.bpp()); // 0: not given
        VbqModelFiles model = VbqModelFiles.read(o.model() != null ? o.model() : DEFAULT_VBQ_MODEL, conf.get());
        io.latentcodec.engine.vbq.VbqModel m = model.open(); // checks the model on the driver before any task starts
        ImageInput input = ImageInput.open(spark, o.input(), o.column(), o.rawSize(), true);
        int parts = checkParts(input, o.partitions() > 0 ? o.partitions()
                : defaultVbqParts(input.count() >= 0 ? input.count() : 0, jsc.defaultParallelism()));
        Broadcast<VbqModelFiles> shipped = jsc.broadcast(model);
        try (Staging out = Staging.of(o.output(), o.force(), conf.get())) {
            if (!out.fs().mkdirs(out.path())) {
                throw new IOException("cannot create " + out.path());
            }
            String dir = out.path().toString();
            List<Written> written = new ArrayList<>(input.files(spark, parts, conf)
                    .mapPartitionsWithIndex((i, files) -> VbqParts.compressPart(i, files, shipped.value(), rate, dir, conf), true)
                    .collect());
            return commit(out, written, input, o, "vbq", m.name(), m.fingerprint(), started);
        } finally {
            shipped.destroy();
        }
    }

    /** The driver's end of a job: parts renamed into place in order, lost attempts deleted, names and manifest written, the directory committed. */
    private static Summary commit(Staging out, List<Written> written, ImageInput input, Options o, String codec, String modelName,
                                  byte[] fingerprint, long started) throws IOException {
        int rows = input.rows();
        int cols = input.cols();
        written.sort(Comparator.comparingInt(Written::index));
        FileSystem fs = out.fs();
        List<DataSetManifest.Part> entries = new ArrayList<>(written.size());
        long first = 0;
        long bytes = 0;
        long pixels = 0;
        for (int i = 0; i < written.size(); i++) {
            Written w = written.get(i);
            if (w.index() != i) {
                throw new IllegalStateException("part " + i + " is missing from the job's results");
            }
            String name = DataSetManifest.partFile(i);
            if (!fs.rename(new Path(out.path(), w.attemptFile()), new Path(out.path(), name))) {
                throw new IOException("cannot rename " + w.attemptFile() + " to " + name + " in " + out.path());
            }
            entries.add(new DataSetManifest.Part(name, first, w.images(), w.bytes(), w.crc32c(), w.pixelsCrc32c()));
            first += w.images();
            bytes += w.bytes();
            pixels += w.pixels();
        }
        // attempts that lost (retried or speculative tasks) leave files the manifest does not name
        for (FileStatus s : fs.listStatus(out.path())) {
            if (s.getPath().getName().contains(".attempt-")) {
                fs.delete(s.getPath(), false);
            }
        }
        DataSetManifest.Part names = input.names() == null ? null : writeNames(fs, out.path(), input.names());
        DataSetManifest manifest = new DataSetManifest(codec, modelName, fingerprint, rows, cols, first, o.input()
                + (o.column() != null ? "#" + o.column() : ""), names, entries);
        writeFile(fs, new Path(out.path(), DataSetManifest.FILE), manifest.toJson().getBytes(StandardCharsets.UTF_8));
        out.commit();
        return new Summary(first, bytes, entries.size(), pixels, (System.nanoTime() - started) / 1e9);
    }

    /** One task: its images into one bits-back container, written under the staging directory by this attempt's name. */
    static Iterator<Written> compressPart(int index, Iterator<byte[]> it, ModelBytes model, int rows, int cols, int chains, String dir,
                                          HadoopConf conf) throws IOException {
        List<byte[]> list = new ArrayList<>();
        CRC32C pixels = new CRC32C();
        while (it.hasNext()) {
            byte[] img = it.next();
            pixels.update(img);
            list.add(img);
        }
        byte[][] images = list.toArray(byte[][]::new);
        long[] shape = rows == 1 ? new long[] {images.length, cols} : new long[] {images.length, rows, cols};
        int threads = Math.max(1, TaskContext.get() == null ? 1 : TaskContext.get().cpus());
        BitsBack.Result r = BitsBack.compress(images, shape, model.open(),
                BitsBack.Options.defaults().withChains(Math.min(chains, Math.max(1, images.length))).withThreads(threads), null);
        String attempt = DataSetManifest.partFile(index) + ".attempt-" + (TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId());
        Path p = new Path(dir, attempt);
        writeFile(HadoopFs.of(p, conf.get()), p, r.container());
        CRC32C file = new CRC32C();
        file.update(r.container());
        return List.of(new Written(index, attempt, images.length, (long) images.length * rows * cols, r.container().length, (int) file.getValue(), (int) pixels.getValue())).iterator();
    }

    private static DataSetManifest.Part writeNames(FileSystem fs, Path dir, List<String> names) throws IOException {
        byte[] b = DataSetManifest.namesFile(names);
        writeFile(fs, new Path(dir, DataSetManifest.NAMES_FILE), b);
        CRC32C c = new CRC32C();
        c.update(b);
        return new DataSetManifest.Part(DataSetManifest.NAMES_FILE, 0, names.size(), b.length, (int) c.getValue(), 0);
    }

    /**
     * Writes a new file whose directory must exist: a task still running after its job failed must
     * not re-create the staging directory the driver has just deleted.
     */
    static void writeFile(FileSystem fs, Path p, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = create(fs, p)) {
            out.write(bytes);
            out.hsync();
        }
    }

    static FSDataOutputStream create(FileSystem fs, Path p) throws IOException {
        return fs.createNonRecursive(p, false, 1 << 16, fs.getDefaultReplication(p), fs.getDefaultBlockSize(p), null);
    }
}
