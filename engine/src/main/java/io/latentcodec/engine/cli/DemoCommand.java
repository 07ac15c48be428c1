package io.latentcodec.engine.cli;

import io.latentcodec.engine.demo.BitsBackDemo;
import io.latentcodec.engine.demo.TextDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: compress the MNIST, binarized MNIST and Fashion-MNIST test sets with the shipped VAEs",
                "by bits-back ANS, decompress and verify them, and print bits per pixel against gzip, bzip2, xz, zstd,",
                "PNG, WebP and JPEG XL (lossless), all measured in this run. Fetches data and tools on first use."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--text", description = "also run the static byte codec on real text (Moby Dick, State of the Union)")
    boolean text;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        BitsBackDemo.run(spec.commandLine().getOut(), t);
        if (text) {
            spec.commandLine().getOut().println();
            TextDemo.run(spec.commandLine().getOut());
        }
        return 0;
    }
}
