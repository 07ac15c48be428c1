package io.latentcodec.engine.cli;

import io.latentcodec.CorruptInputException;
import io.latentcodec.ZeroProbabilityException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * The command line: {@code latentcodec compress|decompress|info ...}. Errors end in one line on
 * stderr and an exit status: 1 corrupt or unreadable input, 2 bad usage, 3 I/O trouble
 * (missing input, existing output without {@code --force}), 4 anything unexpected.
 */
@Command(name = "latentcodec", mixinStandardHelpOptions = true, version = "latentcodec 0.1.0",
        description = "Compression with latent-variable models: interleaved rANS, bits-back ANS, variable-bitrate lossy coding.",
        subcommands = {CompressCommand.class, DecompressCommand.class, InfoCommand.class, DemoCommand.class,
                TrainCommand.class, EvalCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_CORRUPT = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_IO = 3;
    public static final int EXIT_BUG = 4;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI without exiting the JVM; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println("latentcodec: " + describe(ex));
            if (Boolean.getBoolean("latentcodec.debug")) {
                ex.printStackTrace(err);
            }
            return exitCode(ex);
        });
        return cl.execute(args);
    }

    static String describe(Throwable ex) {
        if (ex instanceof FileAlreadyExistsException e) {
            return e.getFile() + " " + (e.getReason() != null ? e.getReason() : "exists");
        }
        if (ex instanceof NoSuchFileException e) {
            return e.getFile() + ": no such file";
        }
        String m = ex.getMessage();
        return m != null ? m : ex.getClass().getSimpleName();
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof CorruptInputException || ex instanceof io.latentcodec.models.data.MalformedDataException) {
            return EXIT_CORRUPT;
        }
        if (ex instanceof ZeroProbabilityException || ex instanceof IllegalArgumentException
                || ex instanceof io.latentcodec.models.InvalidModelException) {
            return EXIT_USAGE;
        }
        if (ex instanceof IOException) {
            return EXIT_IO;
        }
        return EXIT_BUG;
    }
}
