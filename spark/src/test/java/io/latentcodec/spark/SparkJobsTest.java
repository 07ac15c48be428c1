package io.latentcodec.spark;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.models.VaeModel;
import io.latentcodec.models.data.DataSets;
import io.latentcodec.models.data.GrayImage;
import io.latentcodec.models.data.Idx;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark jobs in local mode on two cores (local[2]) with real MNIST test images: compress from
 * an IDX file, a directory of images and a Parquet column, decompress and verify, and the failures
 * a user meets (a damaged, truncated or missing part, the wrong model, an existing output).
 */
class SparkJobsTest {
    static final int N = 3000;
    static SparkSession spark;
    static byte[][] images;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        try {
            images = Arrays.copyOf(DataSets.load("mnist").train(), N); // 8,000 train images (the held-out 2,000 are too few here)
        } catch (IOException e) {
            String msg = "MNIST missing (" + e.getMessage() + "): run scripts/fetch-data";
            if (System.getenv("CI") != null) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        spark = SparkSession.builder().master("local[2]").appName("latentcodec-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static Path writeIdx(String name, byte[][] imgs) throws IOException {
        Path f = tmp.resolve(name);
        Idx.ofImages(imgs, 28, 28).write(f);
        return f;
    }

    static CompressJob.Summary compress(String in, String out, int parts) throws IOException {
        return CompressJob.run(spark, new CompressJob.Options(in, null, new int[] {28, 28}, "mnist", out, parts, 1, false));
    }

    static DecompressJob.Summary decompress(String in, String out, DecompressJob.Mode mode, String model, boolean force) throws IOException {
        return DecompressJob.run(spark, new DecompressJob.Options(in, model, mode, out, force));
    }

    /** The project's exception a job failed with: a task's exception reaches the driver as the cause of a SparkException. */
    static Throwable failure(org.junit.jupiter.api.function.Executable job) {
        Throwable t = assertThrows(Throwable.class, job);
        return SparkMain.Failures.rootCause(t);
    }

    /** No staging directory or temporary file is left beside an output in {@code dir}. */
    static void assertNothingStaged(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") && (n.endsWith(".part") || n.endsWith(".old"))).toList();
            assertTrue(left.isEmpty(), "left behind: " + left);
        }
    }

    @Test
    void idxRoundTripsInOrderAndEachPartIsAnOrdinaryContainer() throws IOException {
        Path in = writeIdx("in.idx", images);
        Path out = tmp.resolve("idx.lcs");
        CompressJob.Summary s = compress(in.toString(), out.toString(), 4);
        assertEquals(N, s.images());
        assertEquals(4, s.parts());
        // the rate of the shipped model (about 1.3 bits/dim on MNIST with beta-binomial pixels), not a stored copy
        assertTrue(s.bitsPerDim() > 0.5 && s.bitsPerDim() < 2.0, "bits/dim " + s.bitsPerDim());
        DataSetManifest m = DecompressJob.readManifest(org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext().hadoopConfiguration()),
                new org.apache.hadoop.fs.Path(out.toString()));
        try (VaeModel model = VaeModel.named("mnist")) {
            for (DataSetManifest.Part p : m.parts()) {
                byte[][] back = BitsBack.decompress(MemorySegment.ofArray(Files.readAllBytes(out.resolve(p.file()))), model, 1, null);
                assertEquals(p.images(), back.length, p.file());
                for (int i = 0; i < back.length; i++) {
                    assertArrayEquals(images[(int) p.first() + i], back[i], p.file() + " image " + i);
                }
            }
        }
        Path restored = tmp.resolve("restored.idx");
        DecompressJob.Summary d = decompress(out.toString(), restored.toString(), DecompressJob.Mode.IDX, null, false);
        assertEquals(N, d.images());
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(restored), "the restored IDX file is the input, byte for byte");
        assertEquals(N, decompress(out.toString(), null, DecompressJob.Mode.VERIFY, null, false).images());
        assertNothingStaged(tmp);
    }

    @Test
    void aDirectoryOfImagesComesBackWithItsNames() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("pngs"));
        int n = 250;
        for (int i = 0; i < n; i++) {
            GrayImage g = GrayImage.of(28, 28, images[i]);
            // names that sort otherwise than their numbers, and both formats
            String name = String.format(Locale.ROOT, "digit-%d.%s", i, i % 3 == 0 ? "pgm" : "png");
            Files.write(dir.resolve(name), i % 3 == 0 ? g.toPgm() : g.toPng());
        }
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Path out = tmp.resolve("pngs.lcs");
        assertEquals(n, compress(dir.toString(), out.toString(), 3).images());
        Path back = tmp.resolve("pngs-back");
        decompress(out.toString(), back.toString(), DecompressJob.Mode.IMAGES, null, false);
        try (Stream<Path> s = Files.list(back)) {
            assertEquals(n, s.count());
        }
        for (int i = 0; i < n; i++) {
            GrayImage g = GrayImage.read(back.resolve(String.format(Locale.ROOT, "digit-%d.png", i)));
            assertArrayEquals(images[i], g.pixels(), "digit-" + i);
        }
    }

    @Test
    void aParquetColumnComesBackInFileAndRowOrder() throws IOException {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("pixels", DataTypes.BinaryType);
        Path dir = tmp.resolve("parquet");
        int n = 900;
        for (int f = 0; f < 3; f++) {
            List<Row> rows = new ArrayList<>();
            for (int i = f * n / 3; i < (f + 1) * n / 3; i++) {
                // raw pixels in two files, PNG bytes in the third
                rows.add(RowFactory.create(i, f == 1 ? GrayImage.of(28, 28, images[i]).toPng() : images[i]));
            }
            spark.createDataFrame(rows, schema).coalesce(1).write().mode("append").parquet(dir.toString());
        }
        // the order the job promises: files by path, rows in file order
        List<byte[]> expected = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path file : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                Dataset<Row> one = spark.read().parquet(file.toString()).coalesce(1);
                for (Row r : one.collectAsList()) {
                    expected.add(images[r.getInt(0)]);
                }
            }
        }
        Path out = tmp.resolve("parquet.lcs");
        CompressJob.Summary s = CompressJob.run(spark, new CompressJob.Options(dir.toString(), "pixels", new int[] {28, 28}, "mnist",
                out.toString(), 3, 1, false));
        assertEquals(n, s.images());
        Path back = tmp.resolve("parquet-back.idx");
        decompress(out.toString(), back.toString(), DecompressJob.Mode.IDX, null, false);
        byte[][] got = Idx.read(back).images();
        assertEquals(n, got.length);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(expected.get(i), got[i], "image " + i);
        }
        Throwable noColumn = failure(() -> CompressJob.run(spark, new CompressJob.Options(dir.toString(), "image", new int[] {28, 28},
                "mnist", tmp.resolve("none.lcs").toString(), 0, 1, false)));
        assertTrue(noColumn.getMessage().contains("no column 'image'"), noColumn.getMessage());
    }

    @Test
    void aDamagedTruncatedOrMissingPartIsNamedAndLeavesNoOutput() throws IOException {
        Path in = writeIdx("faults.idx", Arrays.copyOf(images, 1200));
        Path out = tmp.resolve("faults.lcs");
        compress(in.toString(), out.toString(), 3);
        Path part = out.resolve(DataSetManifest.partFile(2));
        byte[] good = Files.readAllBytes(part);

        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x10;
        Files.write(part, flipped);
        Throwable e = failure(() -> decompress(out.toString(), null, DecompressJob.Mode.VERIFY, null, false));
        assertTrue(e instanceof CorruptInputException && e.getMessage().contains("part-00002.lc"), String.valueOf(e));
        Path target = tmp.resolve("faults-back.idx");
        e = failure(() -> decompress(out.toString(), target.toString(), DecompressJob.Mode.IDX, null, false));
        assertTrue(e instanceof CorruptInputException && e.getMessage().contains("part-00002.lc"), String.valueOf(e));
        assertFalse(Files.exists(target));
        assertNothingStaged(tmp);

        Files.write(part, Arrays.copyOf(good, good.length - 7));
        e = failure(() -> decompress(out.toString(), null, DecompressJob.Mode.VERIFY, null, false));
        assertTrue(e.getMessage().contains("part-00002.lc is " + (good.length - 7) + " bytes"), e.getMessage());

        Files.write(part, good);
        Files.delete(out.resolve(DataSetManifest.partFile(1)));
        e = failure(() -> decompress(out.toString(), target.toString(), DecompressJob.Mode.IDX, null, false));
        assertTrue(e.getMessage().contains("part-00001.lc is missing"), e.getMessage());
        assertFalse(Files.exists(target));

        Files.delete(out.resolve(DataSetManifest.FILE));
        e = failure(() -> decompress(out.toString(), null, DecompressJob.Mode.VERIFY, null, false));
        assertTrue(e.getMessage().contains("has no manifest.json"), e.getMessage());
    }

    @Test
    void vbqCodesColourImagesOfAnySizeAndAnyExecutorDecodesThem() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("photos"));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
        int n = 7;
        io.latentcodec.engine.image.RgbImage[] photos = new io.latentcodec.engine.image.RgbImage[n];
        for (int i = 0; i < n; i++) {
            photos[i] = io.latentcodec.engine.vbq.TinyVbq.image(rnd, 40 + 16 * (i % 3), 24 + 8 * (i % 4));
            photos[i].writePng(dir.resolve(String.format(Locale.ROOT, "photo-%d.png", i)));
        }
        Path out = tmp.resolve("photos.lcs");
        CompressJob.Summary s = CompressJob.run(spark, new CompressJob.Options(dir.toString(), null, new int[] {28, 28}, "photo-vae",
                out.toString(), 3, 1, false, "vbq", 4, 0));
        assertEquals(n, s.images());
        assertTrue(s.bitsPerDim() > 0.05 && s.bitsPerDim() < 12, "bits/pixel " + s.bitsPerDim());
        DataSetManifest m = DecompressJob.readManifest(org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext().hadoopConfiguration()),
                new org.apache.hadoop.fs.Path(out.toString()));
        assertEquals("vbq", m.codec());
        assertEquals(3, m.parts().size());

        // a part is its images' ordinary VBQ containers one after another: decoded here without Spark, image by image
        try (io.latentcodec.engine.vbq.VbqModel model = io.latentcodec.engine.vbq.VbqModel.named("photo-vae")) {
            List<io.latentcodec.engine.image.RgbImage> all = new ArrayList<>();
            for (DataSetManifest.Part p : m.parts()) {
                all.addAll(VbqParts.decode(Files.readAllBytes(out.resolve(p.file())), model));
            }
            assertEquals(n, all.size());
            Path back = tmp.resolve("photos-back");
            assertEquals(n, decompress(out.toString(), back.toString(), DecompressJob.Mode.IMAGES, null, false).images());
            assertEquals(n, decompress(out.toString(), null, DecompressJob.Mode.VERIFY, null, false).images());
            for (int i = 0; i < n; i++) {
                io.latentcodec.engine.image.RgbImage got = io.latentcodec.engine.image.RgbImage.read(back.resolve("photo-" + i + ".png"));
                assertArrayEquals(all.get(i).rgb(), got.rgb(), "photo " + i + ": the job's PNG is the decoder's reconstruction");
                assertEquals(photos[i].width(), got.width());
                assertEquals(photos[i].height(), got.height());
                double mse = 0;
                for (int k = 0; k < got.rgb().length; k++) {
                    double d = (got.rgb()[k] & 0xFF) - (photos[i].rgb()[k] & 0xFF);
                    mse += d * d;
                }
                double psnr = 10 * Math.log10(255.0 * 255 / (mse / got.rgb().length));
                assertTrue(psnr > 22, "photo " + i + ": PSNR " + psnr);
            }
        }

        // a Parquet column of the same photos' PNG bytes, in one file: the same containers, named by position on the way back
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("png", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(RowFactory.create(i, photos[i].toPng()));
        }
        Path pq = tmp.resolve("photos-parquet");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(pq.toString());
        Path pqOut = tmp.resolve("photos-parquet.lcs");
        assertEquals(3, CompressJob.run(spark, new CompressJob.Options(pq.toString(), "png", new int[] {28, 28}, "photo-vae",
                pqOut.toString(), 2, 1, false, "vbq", 4, 0)).images());
        Path pqBack = tmp.resolve("photos-parquet-back");
        decompress(pqOut.toString(), pqBack.toString(), DecompressJob.Mode.IMAGES, null, false);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("photos-back").resolve("photo-" + i + ".png")),
                    Files.readAllBytes(pqBack.resolve(String.format(Locale.ROOT, "%06d.png", i))), "Parquet row " + i);
        }

        Throwable e = failure(() -> decompress(out.toString(), tmp.resolve("photos.idx").toString(), DecompressJob.Mode.IDX, null, false));
        assertTrue(e instanceof IllegalArgumentException && e.getMessage().contains("--images"), String.valueOf(e));
        e = failure(() -> decompress(out.toString(), null, DecompressJob.Mode.VERIFY, "mnist", false));
        assertTrue(e.getMessage().contains("model"), String.valueOf(e));
        Path part = out.resolve(DataSetManifest.partFile(1));
        byte[] bad = Files.readAllBytes(part);
        bad[bad.length / 2] ^= 0x04;
        Files.write(part, bad);
        e = failure(() -> decompress(out.toString(), null, DecompressJob.Mode.VERIFY, null, false));
        assertTrue(e instanceof CorruptInputException && e.getMessage().contains("part-00001.lc"), String.valueOf(e));
        e = failure(() -> CompressJob.run(spark, new CompressJob.Options(writeIdx("vbq.idx", Arrays.copyOf(images, 10)).toString(), null,
                new int[] {28, 28}, "photo-vae", tmp.resolve("idx-vbq.lcs").toString(), 1, 1, false, "vbq", 4, 0)));
        assertTrue(e.getMessage().contains("IDX") || e.getMessage().contains("directory"), String.valueOf(e));
    }

    @Test
    void theWrongModelAndAnExistingOutputAreRefused() throws IOException {
        Path in = writeIdx("refuse.idx", Arrays.copyOf(images, 600));
        Path out = tmp.resolve("refuse.lcs");
        compress(in.toString(), out.toString(), 2);
        Throwable e = failure(() -> decompress(out.toString(), null, DecompressJob.Mode.VERIFY, "mnist-logistic", false));
        assertTrue(e instanceof WrongModelException && e.getMessage().contains("compressed with model 'mnist'"), String.valueOf(e));

        Path existing = tmp.resolve("existing.idx");
        Files.writeString(existing, "keep me");
        e = failure(() -> decompress(out.toString(), existing.toString(), DecompressJob.Mode.IDX, null, false));
        assertTrue(e instanceof java.nio.file.FileAlreadyExistsException, String.valueOf(e));
        assertEquals("keep me", Files.readString(existing));
        decompress(out.toString(), existing.toString(), DecompressJob.Mode.IDX, null, true);
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(existing), "--force replaced it with the restored data");

        e = failure(() -> compress(in.toString(), out.toString(), 2));
        assertTrue(e instanceof java.nio.file.FileAlreadyExistsException, String.valueOf(e));
        e = failure(() -> CompressJob.run(spark, new CompressJob.Options(in.toString(), null, new int[] {28, 28}, "mnist-binarized-nope",
                tmp.resolve("x.lcs").toString(), 0, 1, false)));
        assertTrue(e.getMessage().contains("mnist-binarized-nope"), e.getMessage());
        assertNothingStaged(tmp);
    }

    /** Spark writes text through the Hadoop codec and reads it back by the extension; the CLI's reader decodes each part file too. */
    @Test
    void sparkWritesAndReadsRansFilesThroughTheHadoopCodec() throws IOException {
        org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.hadoopConfiguration().set("io.compression.codecs", io.latentcodec.spark.hadoop.RansCodec.class.getName());
        jsc.hadoopConfiguration().setInt(io.latentcodec.spark.hadoop.RansCodec.CHUNK, 10_000); // several containers per part
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            written.add("line " + i + " of a text data set, " + (i * 7919 % 1000));
        }
        for (Class<? extends org.apache.hadoop.io.compress.CompressionCodec> codec : List.of(io.latentcodec.spark.hadoop.RansCodec.class,
                io.latentcodec.spark.hadoop.Rans1Codec.class)) {
            List<String> lines = new ArrayList<>(written);
            Path dir = tmp.resolve("text-" + codec.getSimpleName());
            jsc.parallelize(lines, 3).saveAsTextFile(dir.toString(), codec);
            List<Path> parts;
            try (Stream<Path> s = Files.list(dir)) {
                parts = s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
            }
            assertEquals(3, parts.size(), codec.getSimpleName());
            StringBuilder all = new StringBuilder();
            for (Path p : parts) {
                assertTrue(p.getFileName().toString().endsWith(".rans"), p.toString());
                all.append(new String(io.latentcodec.engine.bytes.ChunkedBytes.decompress(Files.readAllBytes(p)), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertTrue((String.join("\n", lines) + "\n").equals(all.toString()), codec.getSimpleName() + ": the CLI's reader");
            // textFile takes the part files in the order the file system lists them, so compare in sorted order
            List<String> read = new ArrayList<>(jsc.textFile(dir.toString()).collect());
            read.sort(null);
            lines.sort(null);
            assertEquals(lines.size(), read.size(), codec.getSimpleName() + ": lines Spark's textFile read");
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(lines.get(i), read.get(i), codec.getSimpleName() + ": line " + i + " as Spark's textFile read it");
            }
        }
    }

    @Test
    void oneRansFileIsReadInSplitsInOrderAndADamagedOneFailsTheJob() throws IOException {
        org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.hadoopConfiguration().set("io.compression.codecs", io.latentcodec.spark.hadoop.RansCodec.class.getName());
        jsc.hadoopConfiguration().setInt(io.latentcodec.spark.hadoop.RansCodec.CHUNK, 10_000);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            lines.add(i % 97 == 0 ? "" : "record " + i + ", " + (i * 7919 % 1000));
        }
        Path dir = tmp.resolve("one-file");
        jsc.parallelize(lines, 1).saveAsTextFile(dir.toString(), io.latentcodec.spark.hadoop.Rans1Codec.class);
        Path part = dir.resolve("part-00000.rans");
        org.apache.spark.api.java.JavaRDD<String> read = jsc.textFile(part.toString(), 7);
        assertTrue(read.getNumPartitions() >= 7, read.getNumPartitions() + " splits of one " + Files.size(part) + "-byte file");
        assertEquals(lines, read.collect(), "the splits' records in split order are the file's lines");

        byte[] bad = Files.readAllBytes(part);
        bad[bad.length / 2] ^= 0x10;
        Path damaged = tmp.resolve("damaged.rans");
        Files.write(damaged, bad);
        Exception e = assertThrows(Exception.class, () -> jsc.textFile(damaged.toString(), 7).count());
        Throwable cause = e;
        while (cause != null && !(cause instanceof CorruptInputException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "the job fails with the codec's error, not with fewer lines: " + e);
    }
}
