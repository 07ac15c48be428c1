package io.latentcodec.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interrupted compressions, for real: the CLI runs in a child JVM on a large input and is killed
 * while its output is being written (seen as a growing {@code .OUT.*.part} file beside OUT). What
 * must hold: nothing appears under OUT, an existing OUT keeps its old bytes, the input is never
 * touched (also when OUT is the input), and after SIGTERM (Ctrl-C alike) no temporary file is left.
 * SIGKILL runs no code at all, so there the temporary file may stay; it is never under OUT's name.
 */
class AtomicWriteTest {
    /** Large enough that an order-1 compression on one thread takes seconds here, small enough for CI's disk. */
    static final int INPUT_BYTES = 96 << 20;

    @TempDir
    Path dir;

    /** Seeded text-like bytes: compressible, so the codec works at its usual speed. */
    static void writeInput(Path p, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(p)) {
            for (int written = 0; written < INPUT_BYTES; written += block.length) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) ('a' + Math.min(25, (int) Math.abs(r.nextGaussian() * 5)));
                }
                o.write(block);
            }
        }
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The CLI in a child JVM with this JVM's class path. */
    static Process cli(Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "io.latentcodec.engine.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("child.log").toFile()).start();
    }

    static List<Path> partFiles(Path dir, String target) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("." + target + ".")
                    && p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    /**
     * Starts {@code compress} of {@code in} into {@code out}, waits until the temporary output has
     * grown past 1 MiB, then kills the child ({@code force}: SIGKILL, else SIGTERM); returns the
     * child's exit status.
     */
    int compressAndKill(Path in, Path out, boolean force, boolean sigkill) throws Exception {
        List<String> args = new ArrayList<>(List.of("compress", "--codec", "rans1", "--chunk-size", "1048576", "--threads", "1", "-q"));
        if (force) {
            args.add("--force");
        }
        args.add(in.toString());
        args.add(out.toString());
        Process p = cli(dir, args.toArray(String[]::new));
        String target = out.getFileName().toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean seen = false;
        while (!seen && p.isAlive() && System.nanoTime() < deadline) {
            for (Path part : partFiles(dir, target)) {
                try {
                    seen |= Files.size(part) > 1 << 20;
                } catch (java.nio.file.NoSuchFileException gone) {
                    // renamed or deleted between list and size
                }
            }
            Thread.sleep(2);
        }
        assertTrue(seen, "the child never showed a partly written output (exit " + (p.isAlive() ? "running" : p.exitValue())
                + "): " + Files.readString(dir.resolve("child.log")));
        if (sigkill) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        return p.exitValue();
    }

    @Test
    void sigkillMidWriteLeavesNoOutputAndTheInputUntouched() throws Exception {
        Path in = dir.resolve("in.txt");
        writeInput(in, 1);
        String before = sha256(in);
        long mtime = Files.getLastModifiedTime(in).toMillis();
        Path out = dir.resolve("out.lc");
        int code = compressAndKill(in, out, false, true);
        assertEquals(128 + 9, code, "killed by SIGKILL");
        assertFalse(Files.exists(out), "a killed compress left something under the target name");
        assertEquals(before, sha256(in), "the input changed");
        assertEquals(mtime, Files.getLastModifiedTime(in).toMillis(), "the input was written to");
        // what SIGKILL can leave: the temporary file, named .out.lc.<random>.part, never out.lc
        for (Path part : partFiles(dir, "out.lc")) {
            assertTrue(part.getFileName().toString().matches("\\.out\\.lc\\.[0-9a-z]+\\.part"), part.toString());
        }
    }

    @Test
    void sigtermMidWriteLeavesNoOutputAndNoTemporaryFile() throws Exception {
        Path in = dir.resolve("in.txt");
        writeInput(in, 2);
        String before = sha256(in);
        Path out = dir.resolve("out.lc");
        compressAndKill(in, out, false, false);
        assertFalse(Files.exists(out), "a terminated compress left something under the target name");
        assertEquals(List.of(), partFiles(dir, "out.lc"), "the shutdown hook must delete the temporary file");
        assertEquals(before, sha256(in), "the input changed");
    }

    @Test
    void anExistingTargetKeepsItsBytesWhenAForcedCompressIsKilled() throws Exception {
        Path in = dir.resolve("in.txt");
        writeInput(in, 3);
        Path out = dir.resolve("out.lc");
        byte[] precious = "precious bytes that must survive".getBytes();
        Files.write(out, precious);
        compressAndKill(in, out, true, true);
        assertArrayEquals(precious, Files.readAllBytes(out), "the old target was replaced by a partial file");
    }

    @Test
    void compressingAFileOntoItselfAndBeingKilledKeepsTheInput() throws Exception {
        Path in = dir.resolve("in.txt");
        writeInput(in, 4);
        String before = sha256(in);
        compressAndKill(in, in, true, true);
        assertEquals(before, sha256(in), "the input, which was also the target, changed");
    }
}
