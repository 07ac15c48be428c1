package io.latentcodec.engine.cli;

import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.io.AtomicOutput;
import io.latentcodec.engine.io.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "decompress", mixinStandardHelpOptions = true,
        description = "Decompress the container IN into OUT; the codec is read from IN's header.")
final class DecompressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
        CompressCommand.checkNotSameFile(in, out, force);
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        long started = System.nanoTime();
        Container.Header h;
        try (InputFile input = new InputFile(in)) {
            h = Container.read(input.data);
            if (h.codec() != CodecId.RANS0 && h.codec() != CodecId.RANS1) {
                throw new IllegalArgumentException(in + " holds codec " + h.codec().cliName() + ", which this build cannot decode yet");
            }
            try (AtomicOutput output = AtomicOutput.open(out, force);
                 Progress progress = new Progress("decompress", h.originalBytes(), "B", !quiet)) {
                ChunkedBytes.decompress(input.data, h, t, progress, ChunkedBytes.sink(output.channel()));
                output.commit();
            }
        }
        if (!quiet) {
            double secs = (System.nanoTime() - started) / 1e9;
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d bytes restored (%s, checksums verified) in %.3f s (%.1f MB/s)%n",
                    out, h.originalBytes(), h.codec().cliName(), secs, h.originalBytes() / 1e6 / secs);
        }
        return 0;
    }
}
