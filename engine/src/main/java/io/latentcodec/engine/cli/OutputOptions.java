package io.latentcodec.engine.cli;

import picocli.CommandLine.Option;

/** Options every command that writes a file shares: threads, overwriting, quiet. */
final class OutputOptions {
    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = {"-f", "--force"}, description = "replace OUT if it exists")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar or summary")
    boolean quiet;

    int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}
