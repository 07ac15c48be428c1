package io.latentcodec.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkout and its data, as {@link io.latentcodec.models.Home} finds them (system property
 * {@code latentcodec.home}, which the launcher sets, else {@code LATENTCODEC_HOME}, else the
 * nearest folder above the working directory with the launcher), plus running the checkout's
 * fetch scripts when data is missing.
 */
public final class Home {
    private Home() {
    }

    public static Path dir() {
        return io.latentcodec.models.Home.root();
    }

    public static Path data() {
        return io.latentcodec.models.Home.dataDir();
    }

    /** The data file at {@code relative}, running the checkout's {@code script} (which fetches it) if it is missing. */
    public static Path require(String relative, String script) throws IOException {
        Path f = data().resolve(relative);
        if (Files.isRegularFile(f)) {
            return f;
        }
        runScript(script);
        if (!Files.isRegularFile(f)) {
            throw new IOException(script + " ran but " + f + " is still missing");
        }
        return f;
    }

    /** Runs {@code script} (a path relative to the checkout) with bash, its output on this process's stderr. */
    public static void runScript(String script) throws IOException {
        Path s = dir().resolve(script);
        System.err.println("latentcodec: data missing; running " + s);
        try {
            Process proc = new ProcessBuilder(List.of("bash", s.toString())).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int rc = proc.waitFor();
            if (rc != 0) {
                throw new IOException(script + " failed (exit " + rc + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + script, e);
        }
    }
}
