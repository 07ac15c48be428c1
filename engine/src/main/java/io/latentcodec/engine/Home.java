package io.latentcodec.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the checkout and its data live: system property {@code latentcodec.home} (the launcher
 * sets it), else the nearest folder above the working directory holding {@code scripts/jdk.sh}.
 * Data: env {@code LATENTCODEC_DATA}, else {@code data/} of the checkout.
 */
public final class Home {
    private Home() {
    }

    public static Path dir() {
        String p = System.getProperty("latentcodec.home");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/jdk.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the latentcodec checkout: run through ./latentcodec or set -Dlatentcodec.home");
    }

    public static Path data() {
        String p = System.getenv("LATENTCODEC_DATA");
        return p != null && !p.isBlank() ? Path.of(p) : dir().resolve("data");
    }

    /**
     * The data file at {@code relative}, running the checkout's {@code script} (which fetches it
     * from the package registries) if it is missing.
     */
    public static Path require(String relative, String script) throws IOException {
        Path f = data().resolve(relative);
        if (Files.isRegularFile(f)) {
            return f;
        }
        Path s = dir().resolve(script);
        System.err.println("latentcodec: " + f + " is missing; running " + s);
        try {
            Process proc = new ProcessBuilder(List.of("bash", s.toString())).inheritIO().start();
            int rc = proc.waitFor();
            if (rc != 0 || !Files.isRegularFile(f)) {
                throw new IOException(script + " failed (exit " + rc + "); " + f + " is still missing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + script, e);
        }
        return f;
    }
}
