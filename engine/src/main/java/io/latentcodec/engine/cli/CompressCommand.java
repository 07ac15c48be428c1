package io.latentcodec.engine.cli;

import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.ImageSet;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.io.AtomicOutput;
import io.latentcodec.engine.io.Progress;
import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.engine.vbq.Vbq;
import io.latentcodec.engine.vbq.VbqModel;
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
                "or a built-in test split: mnist:test, mnist-binarized:test, fashion-mnist:test.",
                "vbq: IN is an RGB image (PNG, JPEG, PPM); the bitrate is chosen by --lambda or --bpp."})
final class CompressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--codec", defaultValue = "rans0", converter = CodecName.class,
            description = "rans0 (static order-0 rANS), rans1 (order 1), bitsback (lossless images with a VAE), vbq (lossy photos, variable bitrate). Default: ${DEFAULT-VALUE}.")
    CodecId codec;

    /** picocli's converter: an unknown name is a usage error (one line pointing at --help), not a failed run. */
    static final class CodecName implements picocli.CommandLine.ITypeConverter<CodecId> {
        @Override
        public CodecId convert(String name) {
            try {
                return CodecId.byName(name);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--chunk-size", defaultValue = "" + ChunkedBytes.DEFAULT_CHUNK,
            description = "rans0/rans1: bytes per independently coded chunk (at most 64 MiB). Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--lambda", description = "vbq: rate-distortion trade-off, larger for fewer bits (default " + DEFAULT_LAMBDA + " unless --bpp)")
    Double lambda;

    @Option(names = "--bpp", description = "vbq: target bits per pixel; the smallest lambda whose file fits is searched")
    Double bpp;

    @Option(names = "--refine", defaultValue = "" + DEFAULT_REFINE,
            description = "vbq: gradient steps that refine the encoder network's latents before quantizing (better quality per bit, "
                    + "slower encoding; 0 for the network's latents as they are; the decoder is not affected). Default: ${DEFAULT-VALUE}.")
    int refine;

    @Option(names = "--tune", defaultValue = "" + DEFAULT_TUNE,
            description = "vbq: rounds of re-quantization with the decoder in the loop (fewer bits and less distortion; 0 for VBQ's "
                    + "points as published; the decoder is not affected). Default: ${DEFAULT-VALUE}.")
    int tune;

    /** vbq's encoder effort by default ({@link Vbq.Effort#THOROUGH}). */
    static final int DEFAULT_REFINE = 50;
    static final int DEFAULT_TUNE = 12;

    /** vbq's lambda when neither --lambda nor --bpp is given: 0.64 bpp, 35.3 dB on the held-out photos with the default effort (docs/vbq.md). */
    static final double DEFAULT_LAMBDA = 16.0;
    /** The shipped VBQ model. */
    static final String DEFAULT_VBQ_MODEL = "photo-vae";

    @Option(names = "--model", description = "bitsback: a shipped model (mnist-binarized, mnist, mnist-logistic, fashion-mnist; "
            + "mnist-ar, fashion-mnist-ar with a locally autoregressive likelihood) or a model directory. "
            + "Default: the model named like a built-in split, else mnist. vbq: a VBQ model (default " + DEFAULT_VBQ_MODEL + ").")
    String model;

    @Option(names = "--device", defaultValue = "cpu", description = "bitsback: cpu (coding always runs the deterministic Java kernels on the CPU, "
            + "so that files decode on any machine; gpu is refused). Default: ${DEFAULT-VALUE}.")
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
        CodecId id = codec;
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
            case VBQ -> vbq();
        };
    }

    private int bytes(CodecId id, int t) throws Exception {
        long started = System.nanoTime();
        long written;
        long size;
        try (InputChunks input = new InputChunks(Path.of(in));
             AtomicOutput output = AtomicOutput.open(out, opts.force);
             Progress progress = new Progress("compress", input.size(), "B", !opts.quiet)) {
            size = input.size();
            written = ChunkedBytes.compress(input, size, id == CodecId.RANS0 ? 0 : 1, chunkSize, t, progress, output::write);
            input.checkUnchanged();
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
        if (Device.parse(device) == Device.GPU) {
            throw new IllegalArgumentException("--device gpu: bits-back codes with the deterministic Java kernels on the CPU, so that its files "
                    + "decode on any machine; TensorFlow (and a GPU) serve train and eval");
        }
        try (VaeModel m = VaeModel.open(modelName)) {
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
                output.write(ByteBuffer.wrap(r.container()));
                output.commit();
            }
            if (!opts.quiet) {
                printSummary(spec.commandLine().getOut(), images, m, r.stats());
            }
        }
        return 0;
    }

    private int vbq() throws Exception {
        if (lambda != null && bpp != null) {
            throw new IllegalArgumentException("give --lambda or --bpp, not both");
        }
        if (lambda != null && !(lambda > 0 && lambda < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--lambda must be a positive number, got " + lambda);
        }
        if (bpp != null && !(bpp > 0 && bpp <= 24)) {
            throw new IllegalArgumentException("--bpp must be in (0, 24], got " + bpp);
        }
        if (refine < 0 || refine > Vbq.Effort.MAX_REFINE_STEPS) {
            throw new IllegalArgumentException("--refine must be in 0.." + Vbq.Effort.MAX_REFINE_STEPS + " steps, got " + refine);
        }
        if (tune < 0 || tune > Vbq.Effort.MAX_TUNE_ROUNDS) {
            throw new IllegalArgumentException("--tune must be in 0.." + Vbq.Effort.MAX_TUNE_ROUNDS + " rounds, got " + tune);
        }
        RgbImage image = RgbImage.read(Path.of(in));
        Vbq.Result r;
        try (VbqModel m = VbqModel.named(model != null ? model : DEFAULT_VBQ_MODEL)) {
            Vbq.Analysis a = Vbq.analyze(image, m, new Vbq.Effort(refine, tune));
            r = bpp != null ? a.compressToBpp(bpp) : a.compress(lambda != null ? lambda : DEFAULT_LAMBDA);
        }
        try (AtomicOutput output = AtomicOutput.open(out, opts.force)) {
            output.write(ByteBuffer.wrap(r.container()));
            output.commit();
        }
        if (!opts.quiet) {
            Vbq.Stats s = r.stats();
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %dx%d -> %d bytes, %.4f bits/pixel at lambda %.4g; PSNR %.2f dB (of the "
                            + "reconstruction the decoder will produce) in %.3f s%n", in, s.width(), s.height(), s.bytes(), s.bpp(), s.lambda(),
                    s.psnr(), s.encodeNanos() / 1e9);
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
