package io.latentcodec.engine.cli;

import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "decompress", mixinStandardHelpOptions = true,
        description = {"Decompress the container IN into OUT; the codec is read from IN's header.",
                "bitsback: OUT is an IDX file of the images (or, with --images, a directory of PNG files);",
                "vbq: OUT is a PNG image.",
                "The model is the one named in IN unless --model gives another, and must be the one IN was made with."})
final class DecompressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "bitsback, vbq: a shipped model name or a model directory (default: the one named in IN)")
    String model;

    @Option(names = "--device", defaultValue = "cpu", description = "bitsback version-1 files (TensorFlow floats): cpu, gpu or auto. "
            + "Version-2 files decode with the deterministic Java kernels. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--images", description = "bitsback: write OUT as a directory of PNG files instead of one IDX file")
    boolean pngs;

    @Mixin
    OutputOptions opts = new OutputOptions();

    @Parameters(index = "0", paramLabel = "IN")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT")
    Path out;

    @Override
    public Integer call() throws Exception {
        CompressCommand.checkNotSameFile(in, out, opts.force);
        if (!opts.force && Files.exists(out)) {
            throw new java.nio.file.FileAlreadyExistsException(out.toString(), null, "exists; pass --force to replace it");
        }
        int t = opts.threads();
        long started = System.nanoTime();
        if (staticByChunks(t, started)) {
            return 0;
        }
        try (InputFile input = new InputFile(in)) {
            // static rANS files may hold several containers one after another (the Hadoop codec writes one per chunk)
            Container.Header first = Container.readMember(input.data);
            Container.Header h = first.codec() == CodecId.RANS0 || first.codec() == CodecId.RANS1 ? first : Container.read(input.data);
            switch (h.codec()) {
                case RANS0, RANS1 -> {
                    List<ChunkedBytes.Member> members = ChunkedBytes.members(input.data);
                    long original = ChunkedBytes.originalBytes(members);
                    try (AtomicOutput output = AtomicOutput.open(out, opts.force);
                         Progress progress = new Progress("decompress", original, "B", !opts.quiet)) {
                        ChunkedBytes.decompress(input.data, members, t, progress, output::write);
                        output.commit();
                    }
                    printRestored(original, h.codec(), started);
                }
                case BITSBACK -> bitsBack(input, t, started);
                case VBQ -> vbq(input, started);
            }
        }
        return 0;
    }

    /**
     * A file of one static rANS container, decoded with each chain's stream read by the worker that
     * decodes it, so that memory stays at a few chains whatever the file's size; false (nothing done)
     * for anything else, including a header that does not check out, which the whole-file path
     * below then reads and names.
     */
    private boolean staticByChunks(int t, long started) throws Exception {
        try (InputChunks input = new InputChunks(in)) {
            long size = input.size();
            byte[] prefix = new byte[(int) Math.min(size, Container.PREFIX_BYTES)];
            input.read(0, prefix);
            java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(prefix).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (prefix.length < Container.PREFIX_BYTES || le.getInt(0) != Container.MAGIC) {
                return false;
            }
            long h = le.getInt(8) & 0xFFFF_FFFFL;
            if (h > Container.MAX_HEADER_BYTES || h > size - Container.PREFIX_BYTES) {
                return false;
            }
            byte[] start = new byte[(int) (Container.PREFIX_BYTES + h)];
            input.read(0, start);
            Container.Header header;
            try {
                header = Container.read(java.lang.foreign.MemorySegment.ofArray(start), size);
            } catch (io.latentcodec.CorruptInputException e) {
                return false;
            }
            if ((header.codec() != CodecId.RANS0 && header.codec() != CodecId.RANS1) || header.flags() != 0) {
                return false;
            }
            long original = header.originalBytes();
            try (AtomicOutput output = AtomicOutput.open(out, opts.force);
                 Progress progress = new Progress("decompress", original, "B", !opts.quiet)) {
                ChunkedBytes.decompress(input, header, t, progress, output::write);
                input.checkUnchanged();
                output.commit();
            }
            printRestored(original, header.codec(), started);
            return true;
        }
    }

    private void printRestored(long original, CodecId codec, long started) {
        if (!opts.quiet) {
            double secs = (System.nanoTime() - started) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d bytes restored (%s, checksums verified) in %.3f s (%.1f MB/s)%n",
                    out, original, codec.cliName(), secs, original / 1e6 / secs);
        }
    }

    private void bitsBack(InputFile input, int t, long started) throws Exception {
        BitsBack.Parsed parsed = BitsBack.parse(input.data);
        String name = model != null ? model : parsed.params().modelName();
        if (model == null && !VaeModel.isPlainName(name)) {
            // a name from the file is only ever looked up among the shipped models, never taken as a path
            throw new IllegalArgumentException(in + " names model '" + name + "', which is not a shipped model's name; "
                    + "choose the model with --model NAME|DIR");
        }
        long[] shape = parsed.header().shape();
        // parse() checked that the dimensions after the first make exactly dataDim pixels, so each fits an int
        int rows = shape.length == 3 ? (int) shape[1] : 1;
        int cols = shape.length == 3 ? (int) shape[2] : parsed.params().dataDim();
        byte[][] images;
        try (VaeModel m = BitsBack.openModel(parsed, model, Device.parse(device));
             Progress progress = new Progress("decompress", parsed.images(), "images", !opts.quiet)) {
            images = BitsBack.decompress(input.data, m, t, progress);
        }
        if (pngs) {
            // the names ImageSet.writePngs gives (000000.png, ...), each file written into the temporary directory
            int digits = Math.max(6, String.valueOf(images.length).length());
            try (AtomicOutput output = AtomicOutput.openDirectory(out, opts.force)) {
                for (int i = 0; i < images.length; i++) {
                    io.latentcodec.models.data.GrayImage g = io.latentcodec.models.data.GrayImage.of(cols, rows, images[i]);
                    output.writeFile(String.format(Locale.ROOT, "%0" + digits + "d.png", i), ch -> g.write(ch, true));
                }
                output.commit();
            }
        } else {
            io.latentcodec.models.data.Idx idx = io.latentcodec.models.data.Idx.ofImages(images, rows, cols);
            try (AtomicOutput output = AtomicOutput.open(out, opts.force)) {
                output.write(idx::write);
                output.commit();
            }
        }
        if (!opts.quiet) {
            double secs = (System.nanoTime() - started) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d images restored (bits-back, model %s, checksums and final state verified) in %.3f s (%.0f images/s)%n",
                    out, images.length, name, secs, images.length / secs);
        }
    }

    private void vbq(InputFile input, long started) throws Exception {
        String name = model != null ? model : Vbq.modelName(input.data);
        if (model == null && !VaeModel.isPlainName(name)) {
            // as for bits-back: a name from the file only selects a shipped model, never a path
            throw new IllegalArgumentException(in + " names model '" + name + "', which is not a shipped model's name; "
                    + "choose the model with --model NAME|DIR");
        }
        RgbImage image;
        try (VbqModel m = model != null ? VbqModel.named(model) : VbqModel.load(io.latentcodec.models.Home.modelsDir().resolve(name))) {
            image = Vbq.decompress(input.data, m);
        }
        try (AtomicOutput output = AtomicOutput.open(out, opts.force)) {
            output.write(image::writePng);
            output.commit();
        }
        if (!opts.quiet) {
            double secs = (System.nanoTime() - started) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %dx%d image restored (vbq, model %s, reconstruction checksum verified) in %.3f s%n",
                    out, image.width(), image.height(), name, secs);
        }
    }
}
