package io.latentcodec.models;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's shipped models and fetched data live.
 *
 * <ul>
 *   <li>The <b>home</b> (repository root) is the system property {@code latentcodec.home}, else the
 *       environment variable {@code LATENTCODEC_HOME}, else the first folder at or above the working
 *       directory that holds both a {@code models/} folder and the {@code latentcodec} launcher.</li>
 *   <li>Shipped models: {@code <home>/models/<name>/}.</li>
 *   <li>Data: the system property {@code latentcodec.data}, else the environment variable
 *       {@code LATENTCODEC_DATA}, else {@code <home>/data} (where {@code scripts/fetch-data} puts it).</li>
 * </ul>
 */
public final class Home {
    private Home() {
    }

    /** The repository root; an IllegalStateException saying how to set it when none is found. */
    public static Path root() {
        String prop = System.getProperty("latentcodec.home");
        if (prop != null && !prop.isBlank()) {
            return checked(Path.of(prop), "system property latentcodec.home");
        }
        String env = System.getenv("LATENTCODEC_HOME");
        if (env != null && !env.isBlank()) {
            return checked(Path.of(env), "environment variable LATENTCODEC_HOME");
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models")) && Files.isRegularFile(p.resolve("latentcodec"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the latentcodec home (a folder with models/ and the latentcodec launcher) at or above "
                + start + "; set -Dlatentcodec.home=DIR or LATENTCODEC_HOME, or pass a model directory instead of a name");
    }

    private static Path checked(Path p, String source) {
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException(source + " points to " + p + ", which is not a directory");
        }
        return p.toAbsolutePath();
    }

    /** {@code <home>/models}. */
    public static Path modelsDir() {
        return root().resolve("models");
    }

    /** The data folder (see the class comment); it need not exist yet. */
    public static Path dataDir() {
        String prop = System.getProperty("latentcodec.data");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        String env = System.getenv("LATENTCODEC_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return root().resolve("data");
    }
}
