package io.latentcodec.spark;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.models.VaeModel;
import io.latentcodec.models.data.GrayImage;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * Decompresses or verifies a data set written by {@link CompressJob}: the driver checks the
 * manifest, that every part it names is present with its size, and the model's fingerprint,
 * before any task starts; each task then decodes one part (any executor can: the model floats
 * come from the deterministic kernels) and checks the part's CRC32C, its containers' own checks,
 * its image count and its pixels' CRC32C against the manifest. A missing or damaged part is an
 * error naming it, and no output is left.
 * <ul>
 *   <li>{@link Mode#VERIFY}: decode and check, write nothing;</li>
 *   <li>{@link Mode#IDX}: one IDX file {@code [n, rows, cols]} of every image in order (tasks write
 *       their pixels, the driver joins them behind the header);</li>
 *   <li>{@link Mode#IMAGES}: a directory of PNG files, named as in the compressed directory when
 *       it recorded names, else {@code 000000.png, ...}.</li>
 * </ul>
 */
public final class DecompressJob {
    private DecompressJob() {
    }

    public enum Mode { VERIFY, IDX, IMAGES }

    /**
     * @param input  the compressed data set's directory
     * @param model  null for the model the manifest names (a shipped model), else a name or a model directory
     * @param output the IDX file or image directory (null for VERIFY)
     */
    public record Options(String input, String model, Mode mode, String output, boolean force) implements Serializable {
    }

    public record Summary(long images, long bytes, int parts, double seconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    /** What one task decoded; {@code attemptFile} holds its pixels (IDX mode). */
    record Decoded(int index, long images, String attemptFile) implements Serializable {
    }

    /** One task's work: a part and, for named images, its images' names. */
    record Task(DataSetManifest.Part part, List<String> names) implements Serializable {
    }

    public static Summary run(SparkSession spark, Options o) throws IOException {
        long started = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        Path in = new Path(o.input());
        FileSystem fs = HadoopFs.of(in, conf.get());
        DataSetManifest manifest = readManifest(fs, in);
        boolean vbq = manifest.codec().equals("vbq");
        if (vbq && o.mode() == Mode.IDX) {
            throw new IllegalArgumentException(o.input() + " holds VBQ-coded colour images of any size, which no IDX file holds: "
                    + "decompress them with --images");
        }
        long bytes = checkParts(fs, in, manifest);
        String modelName = o.model() != null ? o.model() : shippedName(manifest);
        // the model's files, as the executors get them: bits-back's deterministic VAE, or VBQ's decoder and tables
        Serializable model;
        String name;
        byte[] fingerprint;
        if (vbq) {
            VbqModelFiles files = VbqModelFiles.read(modelName, conf.get());
            io.latentcodec.engine.vbq.VbqModel m = files.open();
            model = files;
            name = m.name();
            fingerprint = m.fingerprint();
        } else {
            ModelBytes bytesOfModel = ModelBytes.read(modelName, conf.get());
            VaeModel m = bytesOfModel.open();
            model = bytesOfModel;
            name = m.name();
            fingerprint = m.fingerprint();
        }
        if (!Arrays.equals(fingerprint, manifest.fingerprint())) {
            throw new WrongModelException(o.input() + " was compressed with model '" + manifest.model() + "' (fingerprint "
                    + HexFormat.of().formatHex(manifest.fingerprint(), 0, 8) + "...), but the model given is '" + name
                    + "' (fingerprint " + HexFormat.of().formatHex(fingerprint, 0, 8) + "...)");
        }
        List<String> names = manifest.names() == null || o.mode() != Mode.IMAGES ? null : readNames(fs, in, manifest);
        List<Task> tasks = new ArrayList<>(manifest.parts().size());
        for (DataSetManifest.Part p : manifest.parts()) {
            tasks.add(new Task(p, names == null ? null : new ArrayList<>(names.subList((int) p.first(), (int) (p.first() + p.images())))));
        }
        Broadcast<Serializable> shipped = jsc.broadcast(model);
        String dir = in.toString();
        int rows = manifest.rows();
        int cols = manifest.cols();
        int digits = Math.max(6, String.valueOf(manifest.images()).length());
        try (Staging out = o.mode() == Mode.VERIFY ? null : Staging.of(o.output(), o.force(), conf.get())) {
            String target;
            if (out != null) {
                target = out.path().toString();
                if (!out.fs().mkdirs(out.path())) {
                    throw new IOException("cannot create " + out.path());
                }
            } else {
                target = null;
            }
            Mode mode = o.mode();
            List<Decoded> decoded = new ArrayList<>(jsc.parallelize(tasks, tasks.size())
                    .map(t -> decodePart(t, shipped.value(), dir, conf, mode, target, rows, cols, digits))
                    .collect());
            decoded.sort(Comparator.comparingInt(Decoded::index));
            if (mode == Mode.IDX) {
                joinIdx(out, decoded, manifest);
            } else if (mode == Mode.IMAGES) {
                out.commit();
            }
            return new Summary(manifest.images(), bytes, manifest.parts().size(), (System.nanoTime() - started) / 1e9);
        } finally {
            shipped.destroy();
        }
    }

    private static String shippedName(DataSetManifest manifest) {
        if (!VaeModel.isPlainName(manifest.model())) {
            throw new IllegalArgumentException("the manifest names model '" + manifest.model() + "', which is not a shipped model's name; "
                    + "choose the model with --model NAME|DIR");
        }
        return manifest.model();
    }

    static DataSetManifest readManifest(FileSystem fs, Path dir) throws IOException {
        Path f = new Path(dir, DataSetManifest.FILE);
        if (!fs.exists(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString());
        }
        if (!fs.exists(f)) {
            throw new CorruptInputException(-1, dir + " has no " + DataSetManifest.FILE + ": not a data set written by the "
                    + "latentcodec Spark job (or one whose job did not finish)");
        }
        long size = fs.getFileStatus(f).getLen();
        if (size > 1L << 30) {
            throw new CorruptInputException(-1, f + " is " + size + " bytes, more than any manifest");
        }
        try (InputStream s = fs.open(f)) {
            return DataSetManifest.parse(new String(s.readNBytes((int) size), StandardCharsets.UTF_8));
        }
    }

    /** Every part the manifest names is present with its size; the total bytes. */
    private static long checkParts(FileSystem fs, Path dir, DataSetManifest manifest) throws IOException {
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        for (FileStatus s : fs.listStatus(dir)) {
            sizes.put(s.getPath().getName(), s.getLen());
        }
        long total = 0;
        List<DataSetManifest.Part> all = new ArrayList<>(manifest.parts());
        if (manifest.names() != null) {
            all.add(manifest.names());
        }
        for (DataSetManifest.Part p : all) {
            Long size = sizes.get(p.file());
            if (size == null) {
                throw new CorruptInputException(-1, p.file() + " is missing from " + dir + " (the manifest lists it with "
                        + p.images() + " images)");
            }
            if (size != p.bytes()) {
                throw new CorruptInputException(size, p.file() + " is " + size + " bytes, the manifest says " + p.bytes() + ": the part is damaged");
            }
            total += size;
        }
        return total;
    }

    private static List<String> readNames(FileSystem fs, Path dir, DataSetManifest manifest) throws IOException {
        byte[] b = readChecked(fs, new Path(dir, manifest.names().file()), manifest.names());
        return manifest.parseNames(b);
    }

    /** A part's bytes, checked against the manifest's size and CRC32C. */
    static byte[] readChecked(FileSystem fs, Path file, DataSetManifest.Part p) throws IOException {
        byte[] b;
        try (FSDataInputStream s = fs.open(file)) {
            b = s.readNBytes((int) Math.min(p.bytes() + 1, Integer.MAX_VALUE - 16));
        } catch (java.io.FileNotFoundException e) {
            throw new CorruptInputException(-1, p.file() + " is missing from " + file.getParent());
        }
        if (b.length != p.bytes()) {
            throw new CorruptInputException(b.length, p.file() + " is " + (b.length > p.bytes() ? "longer" : b.length + " bytes")
                    + " where the manifest says " + p.bytes() + ": the part is damaged");
        }
        CRC32C c = new CRC32C();
        c.update(b);
        if ((int) c.getValue() != p.crc32c()) {
            throw new CorruptInputException(-1, p.file() + " fails its CRC32C (manifest " + Integer.toHexString(p.crc32c()) + ", file "
                    + Integer.toHexString((int) c.getValue()) + "): the part is damaged");
        }
        return b;
    }

    /**
     * One task: a part decoded and checked, its images written as the mode asks. {@code model} is a
     * {@link ModelBytes} (bits-back: grey {@code rows x cols} pixels) or a {@link VbqModelFiles}
     * (VBQ: each image's RGB bytes; any size).
     */
    static Decoded decodePart(Task t, Serializable model, String dir, HadoopConf conf, Mode mode, String target, int rows, int cols,
                              int digits) throws IOException {
        DataSetManifest.Part p = t.part();
        Path file = new Path(dir, p.file());
        FileSystem fs = HadoopFs.of(file, conf.get());
        byte[] bytes = readChecked(fs, file, p);
        byte[][] images;
        java.util.function.IntFunction<byte[]> png;
        try {
            if (model instanceof VbqModelFiles vbq) {
                List<io.latentcodec.engine.image.RgbImage> photos = VbqParts.decode(bytes, vbq.open());
                images = photos.stream().map(io.latentcodec.engine.image.RgbImage::rgb).toArray(byte[][]::new);
                png = i -> photos.get(i).toPng();
            } else {
                int threads = Math.max(1, TaskContext.get() == null ? 1 : TaskContext.get().cpus());
                byte[][] grey = BitsBack.decompress(MemorySegment.ofArray(bytes), ((ModelBytes) model).open(), threads, null);
                images = grey;
                png = i -> GrayImage.of(cols, rows, grey[i]).toPng();
            }
        } catch (CorruptInputException e) {
            throw new CorruptInputException(e.offset(), p.file() + ": " + e.reason(), e);
        } catch (WrongModelException e) {
            throw new WrongModelException(p.file() + ": " + e.getMessage());
        }
        CRC32C c = new CRC32C();
        for (byte[] img : images) {
            c.update(img);
        }
        if (images.length != p.images() || (int) c.getValue() != p.pixelsCrc32c()) {
            throw new CorruptInputException(-1, p.file() + " decodes to " + images.length + " images with pixel CRC32C "
                    + Integer.toHexString((int) c.getValue()) + ", the manifest says " + p.images() + " and "
                    + Integer.toHexString(p.pixelsCrc32c()) + ": the part or the manifest is damaged");
        }
        int index = Integer.parseInt(p.file().substring(5, p.file().length() - 3));
        String attempt = null;
        if (mode == Mode.IDX) {
            attempt = p.file() + ".pixels.attempt-" + (TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId());
            try (FSDataOutputStream out = CompressJob.create(fs, new Path(target, attempt))) {
                for (byte[] img : images) {
                    out.write(img);
                }
                out.hsync();
            }
        } else if (mode == Mode.IMAGES) {
            for (int i = 0; i < images.length; i++) {
                String name = t.names() != null ? pngName(t.names().get(i))
                        : String.format(Locale.ROOT, "%0" + digits + "d.png", p.first() + i);
                CompressJob.writeFile(fs, new Path(target, name), png.apply(i));
            }
        }
        return new Decoded(index, images.length, attempt);
    }

    /** A recorded name with its extension made {@code .png} (the pixels come back, not the original encoding). */
    static String pngName(String name) {
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }

    /** The IDX file: header, then every task's pixels in part order, into the staging file; then the rename. */
    private static void joinIdx(Staging out, List<Decoded> decoded, DataSetManifest manifest) throws IOException {
        FileSystem fs = out.fs();
        Path pieces = out.path();
        Path file = new Path(pieces, "joined.idx");
        boolean flat = manifest.rows() == 1;
        ByteBuffer head = ByteBuffer.allocate(flat ? 12 : 16);
        head.putInt(flat ? 0x0802 : 0x0803).putInt((int) manifest.images());
        if (!flat) {
            head.putInt(manifest.rows());
        }
        head.putInt(manifest.cols());
        try (FSDataOutputStream o = CompressJob.create(fs, file)) {
            o.write(head.array());
            byte[] buf = new byte[1 << 20];
            for (Decoded d : decoded) {
                try (FSDataInputStream in = fs.open(new Path(pieces, d.attemptFile()))) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        o.write(buf, 0, n);
                    }
                }
            }
            o.hsync();
        }
        out.commitFile(file);
    }
}
