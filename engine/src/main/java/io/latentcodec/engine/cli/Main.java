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
 * stderr and an exit status: 1 corrupt or unreadable input, 2 bad usage (one line naming what is
 * wrong and pointing at {@code --help}), wrong or damaged model, 3 I/O trouble (missing input,
 * existing output without {@code --force}, an output that cannot be written, an input that changed
 * while it was read), 4 anything unexpected, 5 out of memory. Outputs are complete or absent
 * ({@link io.latentcodec.engine.io.AtomicOutput}).
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
    public static final int EXIT_MEMORY = 5;

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        // a worker or progress thread that dies of an error ends the command the same way: one line, the exit status,
        // and System.exit runs the shutdown hook that deletes partial outputs
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
            err.println("latentcodec: " + describe(ex));
            if (Boolean.getBoolean("latentcodec.debug")) {
                ex.printStackTrace(err);
            }
            System.exit(exitCode(ex));
        });
        System.exit(run(args, new PrintWriter(System.out, true), err));
    }

    /** Runs the CLI without exiting the JVM; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> fail(err, ex));
        cl.setParameterExceptionHandler((ex, given) -> {
            String what = ex.getMessage() == null ? "bad usage" : ex.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
            err.println("latentcodec: " + what + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError | RuntimeException e) { // what escapes picocli's handlers (errors are not Exceptions)
            return fail(err, e);
        }
    }

    private static int fail(PrintWriter err, Throwable ex) {
        err.println("latentcodec: " + describe(ex));
        if (Boolean.getBoolean("latentcodec.debug")) {
            ex.printStackTrace(err);
        }
        return exitCode(ex);
    }

    /** The out-of-memory error in {@code ex} or its causes (a worker's error arrives wrapped), or null. */
    static OutOfMemoryError outOfMemory(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError e) {
                return e;
            }
        }
        return null;
    }

    /**
     * A failure as the one line the user reads (without the "latentcodec: " prefix). Shared with
     * the Spark driver, so both commands word the same failure alike.
     */
    public static String describe(Throwable ex) {
        OutOfMemoryError oom = outOfMemory(ex);
        if (oom != null) {
            return "out of memory (" + (oom.getMessage() != null ? oom.getMessage() + ", " : "") + "maximum heap "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); nothing written; raise it with LATENTCODEC_JAVA_OPTS=-Xmx4g (or more)";
        }
        if (ex instanceof FileAlreadyExistsException e) {
            return e.getFile() + " " + (e.getReason() != null ? e.getReason() : "exists");
        }
        if (ex instanceof NoSuchFileException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "no such file");
        }
        if (ex instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        String m = ex.getMessage();
        return m != null ? m.strip().replaceAll("\\s*\\R\\s*", "; ") : ex.getClass().getSimpleName();
    }

    /**
     * The exit status of a failure: {@link #EXIT_CORRUPT}, {@link #EXIT_USAGE} (also a wrong or
     * invalid model), {@link #EXIT_IO}, {@link #EXIT_MEMORY}, else {@link #EXIT_BUG}. Shared with the Spark driver.
     */
    public static int exitCode(Throwable ex) {
        if (outOfMemory(ex) != null) {
            return EXIT_MEMORY;
        }
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
