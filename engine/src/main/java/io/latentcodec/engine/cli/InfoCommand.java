package io.latentcodec.engine.cli;

import io.latentcodec.engine.container.Container;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Print the header of a container file and check its structure.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        try (InputFile input = new InputFile(file)) {
            Container.Header h = Container.read(input.data);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("file:        %s (%d bytes)%n", file, input.data.byteSize());
            out.printf("codec:       %s%n", h.codec().cliName());
            out.printf("shape:       %s%n", Arrays.toString(h.shape()));
            out.printf("original:    %d bytes%n", h.originalBytes());
            out.printf("model:       %s%n", h.hasFingerprint() ? HexFormat.of().formatHex(h.fingerprint()) : "(none)");
            out.printf("chains:      %d%n", h.chains().size());
            out.printf("header:      %d bytes%n", h.streamsAt());
        }
        return 0;
    }
}
