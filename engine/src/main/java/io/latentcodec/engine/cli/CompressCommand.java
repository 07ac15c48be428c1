package io.latentcodec.engine.cli;

import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.io.AtomicOutput;
import io.latentcodec.engine.io.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "Compress IN into the container file OUT (written to a temporary file, then renamed).")
final class CompressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--codec", defaultValue = "rans0",
            description = "rans0 (static order-0 rANS) or rans1 (order 1) for any bytes. Default: ${DEFAULT-VALUE}.")
    String codec;

    @Option(names = "--chunk-size", defaultValue = "" + ChunkedBytes.DEFAULT_CHUNK,
            description = "bytes per independently coded chunk for rans0/rans1 (at most 64 MiB). Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = {"-f", "--force"}, description = "replace OUT if it exists")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar or summary")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "IN")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT")
    Path out;

    @Override
    public Integer call() throws Exception {
        CodecId id = CodecId.byName(codec);
        if (id != CodecId.RANS0 && id != CodecId.RANS1) {
            throw new IllegalArgumentException("codec " + id.cliName() + " is not available in this build yet");
        }
        checkNotSameFile(in, out, force);
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        long started = System.nanoTime();
        long written;
        long size;
        try (InputFile input = new InputFile(in);
             AtomicOutput output = AtomicOutput.open(out, force);
             Progress progress = new Progress("compress", input.data.byteSize(), "B", !quiet)) {
            size = input.data.byteSize();
            written = ChunkedBytes.compress(input.data, id == CodecId.RANS0 ? 0 : 1, chunkSize, t, progress,
                    ChunkedBytes.sink(output.channel()));
            output.commit();
        }
        if (!quiet) {
            double secs = (System.nanoTime() - started) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d -> %d bytes (%.4f bits/byte) with %s in %.3f s (%.1f MB/s)%n",
                    in, size, written, size == 0 ? 0.0 : written * 8.0 / size, id.cliName(), secs, size / 1e6 / secs);
        }
        return 0;
    }

    /** Refuses to write over the input unless forced (and then the temporary file keeps the input intact until the rename). */
    static void checkNotSameFile(Path in, Path out, boolean force) throws java.io.IOException {
        if (!force && Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
            throw new java.nio.file.FileAlreadyExistsException(out.toString(), null, "is the input; pass --force to replace it");
        }
    }
}
