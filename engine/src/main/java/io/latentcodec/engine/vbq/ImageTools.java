package io.latentcodec.engine.vbq;

import io.latentcodec.models.Home;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Debian command-line image tools (cjxl, cwebp, opj_compress, avifenc, pnmpsnr, ...) that
 * {@code scripts/fetch-image-tools} unpacks into {@code <data>/tools}: found there first (run with
 * {@code LD_LIBRARY_PATH} pointing at the libraries unpacked beside them), else on the PATH. A missing
 * tool is reported by name with the command that fetches it, never as a crash.
 */
public final class ImageTools {
    private ImageTools() {
    }

    public static Path toolsDir() {
        return Home.dataDir().resolve("tools");
    }

    /** The tool's executable, if present. */
    public static Optional<Path> find(String name) {
        Path local = toolsDir().resolve("usr/bin").resolve(name);
        if (Files.isExecutable(local)) {
            return Optional.of(local);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                Path p = Path.of(d).resolve(name);
                if (!d.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    public static boolean available(String... names) {
        for (String n : names) {
            if (find(n).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    public static String missing(String name) {
        return name + " not found in " + toolsDir().resolve("usr/bin") + " or on the PATH (run scripts/fetch-image-tools)";
    }

    /** What a tool printed, and its exit status. */
    public record Output(int status, String stdout, String stderr) {
    }

    /**
     * Runs {@code name args...} in {@code dir} with the unpacked libraries on LD_LIBRARY_PATH.
     *
     * @throws IOException if the tool is missing, cannot start, times out or exits non-zero
     */
    public static Output run(Path dir, String name, String... args) throws IOException {
        Path exe = find(name).orElseThrow(() -> new IOException(missing(name)));
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Path libs = toolsDir().resolve("usr/lib/x86_64-linux-gnu");
        if (Files.isDirectory(libs)) {
            String old = System.getenv("LD_LIBRARY_PATH");
            pb.environment().put("LD_LIBRARY_PATH", libs + (old == null || old.isEmpty() ? "" : ":" + old));
        }
        Path out = Files.createTempFile(dir, name, ".out");
        Path err = Files.createTempFile(dir, name, ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(name + " timed out after 300 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(name + " interrupted", e);
        }
        Output o = new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (o.status() != 0) {
            throw new IOException(name + " " + String.join(" ", args) + " exited with " + o.status() + ": " + o.stderr().strip());
        }
        return o;
    }
}
