package io.latentcodec.engine.cli;

import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.ImageSet;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.io.AtomicOutput;
import io.latentcodec.engine.io.Progress;
import io.latentcodec.models.Device;
import io.latentcodec.models.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = {"Compress IN into the container file OUT (written to a temporary file, then renamed).",
                "rans0/rans1: IN is any file. bitsback: IN is an IDX file of 8-bit images, a directory of PGM/PNG images,",
                "or a built-in test split: mnist:test, mnist-binarized:test, fashion-mnist:test."})
final class CompressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--codec", defaultValue = "rans0",
            description = "rans0 (static order-0 rANS), rans1 (order 1), bitsback (lossless images with a VAE). Default: ${DEFAULT-VALUE}.")
    String codec;

    @Option(names = "--chunk-size", defaultValue = "" + ChunkedBytes.DEFAULT_CHUNK,
            description = "rans0/rans1: bytes per independently coded chunk (at most 64 MiB). Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--model", description = "bitsback: a shipped model (mnist-binarized, mnist, mnist-logistic, fashion-mnist; "
            + "mnist-ar, fashion-mnist-ar with a locally autoregressive likelihood) or a model directory. "
            + "Default: the model named like a built-in split, else mnist.")
    String model;

    @Option(names = "--device", defaultValue = "cpu", description = "bitsback: cpu, gpu or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--chains", defaultValue = "0",
            description = "bitsback: independent chains (0: one per core, at most one per " + BitsBack.MIN_IMAGES_PER_CHAIN + " images).")
    int chains;

    @Option(names = "--lanes", defaultValue = "" + BitsBack.DEFAULT_LANES, description = "bitsback: rANS lanes per chain. Default: ${DEFAULT-VALUE}.")
    int lanes;

    @Mixin
    OutputOptions opts = new OutputOptions();

    @Parameters(index = "0", paramLabel = "IN")
    String in;

    @Parameters(index = "1", paramLabel = "OUT")
    Path out;

    @Override
    public Integer call() throws Exception {
        CodecId id = CodecId.byName(codec);
        if (!ImageSet.isBuiltIn(in)) {
            checkNotSameFile(Path.of(in), out, opts.force);
        }
        if (!opts.force && Files.exists(out)) {
            throw new java.nio.file.FileAlreadyExistsException(out.toString(), null, "exists; pass --force to replace it");
        }
        int t = opts.threads();
        return switch (id) {
            case RANS0, RANS1 -> bytes(id, t);
            case BITSBACK -> bitsBack(t);
            case VBQ -> throw new IllegalArgumentException("codec vbq is not available in this build yet");
        };
    }

    private int bytes(CodecId id, int t) throws Exception {
        long started = System.nanoTime();
        long written;
        long size;
        try (InputFile input = new InputFile(Path.of(in));
             AtomicOutput output = AtomicOutput.open(out, opts.force);
             Progress progress = new Progress("compress", input.data.byteSize(), "B", !opts.quiet)) {
            size = input.data.byteSize();
            written = ChunkedBytes.compress(input.data, id == CodecId.RANS0 ? 0 : 1, chunkSize, t, progress,
                    ChunkedBytes.sink(output.channel()));
            output.commit();
        }
        if (!opts.quiet) {
            double secs = (System.nanoTime() - started) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d -> %d bytes (%.4f bits/byte) with %s in %.3f s (%.1f MB/s)%n",
                    in, size, written, size == 0 ? 0.0 : written * 8.0 / size, id.cliName(), secs, size / 1e6 / secs);
        }
        return 0;
    }

    private int bitsBack(int t) throws Exception {
        ImageSet images = ImageSet.load(in);
        String modelName = model != null ? model : ImageSet.isBuiltIn(in) ? ImageSet.dataSetOf(in) : "mnist";
        try (VaeModel m = VaeModel.open(modelName, Device.parse(device))) {
            if (images.pixels() != m.dataDim()) {
                throw new IllegalArgumentException(in + " holds " + images.cols() + "x" + images.rows() + " images; model "
                        + m.name() + " codes " + m.dataDim() + " pixels per image");
            }
            BitsBack.Options o = BitsBack.Options.defaults().withChains(chains).withThreads(t).withLanes(lanes);
            BitsBack.Result r;
            try (Progress progress = new Progress("compress", images.images().length, "images", !opts.quiet)) {
                r = BitsBack.compress(images.images(), images.shape(), m, o, progress);
            }
            try (AtomicOutput output = AtomicOutput.open(out, opts.force)) {
                ChunkedBytes.sink(output.channel()).write(0, ByteBuffer.wrap(r.container()));
                output.commit();
            }
            if (!opts.quiet) {
                printSummary(spec.commandLine().getOut(), images, m, r.stats());
            }
        }
        return 0;
    }

    static void printSummary(PrintWriter out, ImageSet images, VaeModel m, BitsBack.Stats s) {
        int d = m.dataDim();
        out.printf(Locale.ROOT, "%s: %d images of %dx%d, model %s (%s), %d chain(s)%n", images.source(), s.images(),
                images.cols(), images.rows(), m.name(), m.device().name().toLowerCase(Locale.ROOT), s.chains());
        out.printf(Locale.ROOT, "  %d bytes: %.5f bits/dim (chain streams %.5f bits/dim, container header %d bytes)%n",
                s.bytes(), s.bitsPerDim(d), s.streamBitsPerDim(d), s.bytes() - s.streamBytes());
        if (m.manifest() != null && m.manifest().metrics() != null
                && images.source().equals(m.manifest().metrics().dataset() + ":test")) { // the set the model was scored on
            double elbo = m.manifest().metrics().testBitsPerDim();
            out.printf(Locale.ROOT, "  model's test -ELBO %.5f bits/dim (%s): streams %+.2f%%, file %+.2f%%%n", elbo,
                    m.manifest().metrics().dataset(), 100 * (s.streamBitsPerDim(d) / elbo - 1), 100 * (s.bitsPerDim(d) / elbo - 1));
        }
        out.printf(Locale.ROOT, "  %.3f s, %.0f images/s; %.0f%% of chain time in the model, %.0f%% in coding%n",
                s.nanos() / 1e9, s.imagesPerSecond(), 100 * s.modelShare(), 100 * (1 - s.modelShare()));
    }

    /** Refuses to write over the input unless forced (and then the temporary file keeps the input intact until the rename). */
    static void checkNotSameFile(Path in, Path out, boolean force) throws java.io.IOException {
        if (!force && Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
            throw new java.nio.file.FileAlreadyExistsException(out.toString(), null, "is the input; pass --force to replace it");
        }
    }
}
