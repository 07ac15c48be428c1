package io.latentcodec.spark;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.cli.Main;
import io.latentcodec.models.InvalidModelException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code spark-submit --class io.latentcodec.spark.SparkMain latentcodec-spark-all.jar compress|decompress|verify ...}:
 * the Spark jobs from the command line. Exit status as the CLI's: 1 corrupt input, 2 bad usage or
 * wrong model, 3 I/O, 4 a bug, 5 out of memory.
 */
@Command(name = "latentcodec-spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Compress.class,
        SparkMain.Decompress.class, SparkMain.Verify.class},
        description = "Compress, decompress and verify whole image data sets with bits-back ANS on Apache Spark.")
public final class SparkMain implements Callable<Integer> {
    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*])")
    String master;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command: compress, decompress or verify");
    }

    SparkSession session() {
        SparkSession.Builder b = SparkSession.builder().appName("latentcodec");
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master("local[*]");
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    @Command(name = "compress", mixinStandardHelpOptions = true, description = {
            "Compress IN (an IDX file of unsigned bytes, a directory of PNG/PGM images, or with --column a Parquet data set) "
                    + "into the directory OUT: part-NNNNN.lc (one bits-back container per partition; with --codec vbq, the "
                    + "partition's images' VBQ containers one after another) and manifest.json."})
    static final class Compress implements Callable<Integer> {
        @CommandLine.ParentCommand
        SparkMain parent;
        @Parameters(index = "0", paramLabel = "IN")
        String in;
        @Parameters(index = "1", paramLabel = "OUT")
        String out;
        @Option(names = "--model", description = "a shipped model or a model directory on any Hadoop file system (default: mnist for "
                + "bitsback, photo-vae for vbq)")
        String model;
        @Option(names = "--codec", defaultValue = "bitsback", description = "bitsback (lossless, grey images of one size) or vbq (lossy, "
                + "colour PNG/JPEG/PGM images of any size, one rate chosen now). Default: ${DEFAULT-VALUE}.")
        String codec;
        @Option(names = "--lambda", description = "vbq: rate-distortion trade-off, larger for fewer bits (default " + CompressJob.DEFAULT_LAMBDA
                + " unless --bpp)")
        Double lambda;
        @Option(names = "--bpp", description = "vbq: target bits per pixel of every image (the smallest lambda whose file fits)")
        Double bpp;
        @Option(names = "--column", description = "Parquet: the binary column of image bytes (PNG/PGM, or raw pixels of --size)")
        String column;
        @Option(names = "--size", defaultValue = "28x28", description = "raw pixels in a Parquet column: ROWSxCOLS. Default: ${DEFAULT-VALUE}.")
        String size;
        @Option(names = "--partitions", defaultValue = "0", description = "part files (default: one per core, 2,500 to 250,000 images each)")
        int partitions;
        @Option(names = "--chains-per-part", defaultValue = "1", description = "bits-back chains in each part. Default: ${DEFAULT-VALUE}.")
        int chains;
        @Option(names = "--force", description = "replace OUT if it exists (only once the new one is complete)")
        boolean force;

        @Override
        public Integer call() throws IOException {
            String[] rc = size.split("x");
            if (rc.length != 2 || !rc[0].matches("[0-9]{1,5}") || !rc[1].matches("[0-9]{1,5}") || Integer.parseInt(rc[0]) == 0
                    || Integer.parseInt(rc[1]) == 0) {
                throw new IllegalArgumentException("--size must be ROWSxCOLS, got " + size);
            }
            boolean vbq = codec.equals("vbq");
            if (!vbq && (lambda != null || bpp != null)) {
                throw new IllegalArgumentException("--lambda and --bpp are for --codec vbq (bits-back is lossless)");
            }
            if (lambda != null && bpp != null) {
                throw new IllegalArgumentException("give --lambda or --bpp, not both");
            }
            if (lambda != null && lambda == 0) {
                throw new IllegalArgumentException("--lambda must be a positive number, got 0"); // 0 stands for "not given" below
            }
            CompressJob.Summary s = CompressJob.run(parent.session(), new CompressJob.Options(in, column,
                    new int[] {Integer.parseInt(rc[0]), Integer.parseInt(rc[1])}, model != null ? model : vbq ? CompressJob.DEFAULT_VBQ_MODEL
                    : "mnist", out, partitions, chains, force, codec, lambda != null ? lambda : 0, bpp != null ? bpp : 0));
            System.out.printf(Locale.ROOT, "%s: %d images -> %d bytes in %d parts (%.4f bits/%s) in %.2f s (%s images/s)%n", out,
                    s.images(), s.bytes(), s.parts(), s.bitsPerDim(), vbq ? "pixel" : "dim", s.seconds(), rate(s.imagesPerSecond()));
            return 0;
        }
    }

    @Command(name = "decompress", mixinStandardHelpOptions = true, description = {
            "Decompress the data set IN (a directory written by compress) into OUT: one IDX file of every image in order, "
                    + "or with --images a directory of PNG files (named as the compressed directory's images were)."})
    static final class Decompress implements Callable<Integer> {
        @CommandLine.ParentCommand
        SparkMain parent;
        @Parameters(index = "0", paramLabel = "IN")
        String in;
        @Parameters(index = "1", paramLabel = "OUT")
        String out;
        @Option(names = "--model", description = "a shipped model or a model directory (default: the one the manifest names)")
        String model;
        @Option(names = "--images", description = "write a directory of PNG files instead of one IDX file")
        boolean images;
        @Option(names = "--force", description = "replace OUT if it exists (only once the new one is complete)")
        boolean force;

        @Override
        public Integer call() throws IOException {
            DecompressJob.Summary s = DecompressJob.run(parent.session(), new DecompressJob.Options(in, model,
                    images ? DecompressJob.Mode.IMAGES : DecompressJob.Mode.IDX, out, force));
            System.out.printf(Locale.ROOT, "%s: %d images restored from %d parts (checksums verified) in %.2f s (%s images/s)%n",
                    out, s.images(), s.parts(), s.seconds(), rate(s.imagesPerSecond()));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
            "Decode every part of the data set IN and check it against the manifest (sizes, CRC32Cs of the files and of the "
                    + "pixels, the containers' own checks); writes nothing."})
    static final class Verify implements Callable<Integer> {
        @CommandLine.ParentCommand
        SparkMain parent;
        @Parameters(index = "0", paramLabel = "IN")
        String in;
        @Option(names = "--model", description = "a shipped model or a model directory (default: the one the manifest names)")
        String model;

        @Override
        public Integer call() throws IOException {
            DecompressJob.Summary s = DecompressJob.run(parent.session(), new DecompressJob.Options(in, model, DecompressJob.Mode.VERIFY, null, false));
            System.out.printf(Locale.ROOT, "%s: %d images in %d parts verified in %.2f s (%s images/s)%n", in, s.images(), s.parts(),
                    s.seconds(), rate(s.imagesPerSecond()));
            return 0;
        }
    }

    /** Images per second as a person reads it: whole above 100, else three significant digits (VBQ photos take seconds each). */
    static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f", perSecond) : String.format(Locale.ROOT, "%.3g", perSecond);
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.err, true)));
    }

    /** Runs a command; errors are one line on {@code err} and an exit status. */
    static int run(String[] args, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable cause = Failures.rootCause(e);
            err.println("latentcodec-spark: " + Main.describe(cause));
            return Main.exitCode(cause);
        });
        try {
            return cl.execute(args);
        } finally {
            SparkSession.getActiveSession().foreach(s -> {
                s.stop();
                return null;
            });
        }
    }

    /** Finding the project's own exception in what Spark reports; wording and exit status are the CLI's ({@link Main}). */
    static final class Failures {
        private Failures() {
        }

        /**
         * The first of our exceptions (corrupt input, wrong or invalid model, bad argument, I/O) in
         * {@code e}'s cause chain: a task's exception reaches the driver as the cause of a SparkException.
         */
        static Throwable rootCause(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                // a wrong model and malformed data are IllegalArgumentExceptions too; Spark's own are not ours
                if (t instanceof CorruptInputException || t instanceof InvalidModelException || t instanceof IOException
                        || (t instanceof IllegalArgumentException && !t.getClass().getName().startsWith("org.apache"))) {
                    return t;
                }
                if (t.getCause() == t) {
                    break;
                }
            }
            return e;
        }
    }
}
