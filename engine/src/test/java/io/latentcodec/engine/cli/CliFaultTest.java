package io.latentcodec.engine.cli;

import io.latentcodec.engine.Home;
import io.latentcodec.engine.bitsback.ImageSet;
import io.latentcodec.engine.io.AtomicOutput;
import io.latentcodec.engine.vbq.TinyVbq;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults injected into the real CLI in child JVMs (this JVM's class path): a file-size limit
 * ({@code ulimit -f}) for each codec's compress and decompress, SIGTERM at many moments, a
 * directory replace stopped dead between its steps, and an input changed under a running command.
 * What must hold: an output is complete or absent, the exit status says which (3 and one line
 * naming OUT for a write failure), and nothing is left behind (after SIGTERM nothing at all; after
 * a dead stop, which runs no code, at most a {@code .OUT.*.part} temporary).
 */
class CliFaultTest {
    static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    static Path shared;
    static Path text;
    static Path idx20;
    static Path bitsback;
    static Path vbqModel;
    static Path png;
    static Path vbq;

    @TempDir
    Path dir;

    @BeforeAll
    static void inputs() throws Exception {
        text = shared.resolve("in.txt");
        byte[] data = new byte[3 << 20];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + Math.min(25, (int) Math.abs(r.nextGaussian() * 6)));
        }
        Files.write(text, data);
        vbqModel = shared.resolve("tiny-vbq");
        TinyVbq.create(vbqModel, 5).close();
        png = shared.resolve("in.png");
        TinyVbq.image(new SplittableRandom(9), 64, 48).writePng(png);
        vbq = shared.resolve("in-vbq.lc");
        ok(CliTest.run("compress", "-q", "--codec", "vbq", "--model", vbqModel.toString(), "--lambda", "0.01", "--refine", "0",
                "--tune", "0", png.toString(), vbq.toString()));
        if (Files.isRegularFile(Home.data().resolve("mnist/t10k-images-idx3-ubyte.gz"))
                || Files.isDirectory(Home.data().resolve("mnist"))) {
            ImageSet test = ImageSet.load("mnist:test");
            idx20 = shared.resolve("twenty.idx");
            new ImageSet(Arrays.copyOf(test.images(), 20), test.rows(), test.cols(), "twenty").writeIdx(idx20);
            bitsback = shared.resolve("twenty.lc");
            ok(CliTest.run("compress", "-q", "--codec", "bitsback", "--model", "mnist", idx20.toString(), bitsback.toString()));
        }
    }

    static void ok(CliTest.Result r) {
        assertEquals(0, r.code(), r.err());
    }

    record Child(int code, String out, String err) {
        /** stderr without the lines the launcher filters (the JVM's incubator line, TensorFlow's absl INFO; scripts/launcher-faults checks the launcher). */
        List<String> errLines() {
            return err.lines().filter(l -> !l.equals(WARNING) && !l.startsWith("WARNING: All log messages before absl::InitializeLog()")
                    && !l.matches("I[0-9]{4} [0-9:.]+ +[0-9]+ [^ ]+:[0-9]+\\] .*")).toList();
        }
    }

    static List<String> java(List<String> props) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xmx512m", "-Dlatentcodec.home=" + Home.dir()));
        cmd.addAll(props);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.latentcodec.engine.cli.Main"));
        return cmd;
    }

    /** Starts the CLI in {@code cwd}; {@code fsizeBlocks >= 0} runs it under {@code ulimit -f fsizeBlocks} (1024-byte blocks). */
    static Process start(Path cwd, long fsizeBlocks, List<String> props, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (fsizeBlocks >= 0) {
            cmd.addAll(List.of("bash", "-c", "ulimit -f \"$0\" && exec \"$@\"", String.valueOf(fsizeBlocks)));
        }
        cmd.addAll(java(props));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(shared, "child", ".err");
        lastErr = log;
        return new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(log.toFile())
                .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile()).start();
    }

    /** The stderr file of the child {@link #start} started last. */
    static Path lastErr;

    /** Waits until the child started last has printed {@code line} to stderr (a test seam's pause) or died. */
    static void awaitLine(Process p, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(lastErr).contains(line)) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the child ended before printing '" + line + "': " + Files.readString(lastErr));
    }

    static Child finish(Process p) throws Exception {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child hung");
        return new Child(p.exitValue(), "", "");
    }

    Child run(long fsizeBlocks, List<String> props, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (fsizeBlocks >= 0) {
            cmd.addAll(List.of("bash", "-c", "ulimit -f \"$0\" && exec \"$@\"", String.valueOf(fsizeBlocks)));
        }
        cmd.addAll(java(props));
        cmd.addAll(List.of(args));
        // stderr through a pipe: a file would itself be under the file-size limit
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child hung");
        return new Child(p.exitValue(), "", err);
    }

    /** The size of {@code p}, or of the largest file under it when it is a directory. */
    static long largestFile(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return Files.size(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).max().orElseThrow();
        }
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Compress and decompress of every codec, each under a file-size limit one block below its output's size. */
    @Test
    void aFileSizeLimitIsAWriteErrorForEveryCodecAndLeavesNothing() throws Exception {
        List<String[]> cases = new ArrayList<>();
        for (String codec : new String[] {"rans0", "rans1"}) {
            Path c = shared.resolve("text-" + codec + ".lc");
            ok(CliTest.run("compress", "-q", "--codec", codec, text.toString(), c.toString()));
            cases.add(new String[] {"compress", "--codec", codec, text.toString(), c.toString()});
            cases.add(new String[] {"decompress", c.toString(), text.toString()});
        }
        cases.add(new String[] {"compress", "--codec", "vbq", "--model", vbqModel.toString(), "--lambda", "0.01", "--refine", "0",
                "--tune", "0", png.toString(), vbq.toString()});
        cases.add(new String[] {"decompress", "--model", vbqModel.toString(), vbq.toString(), png.toString()});
        if (bitsback != null) {
            cases.add(new String[] {"compress", "--codec", "bitsback", "--model", "mnist", idx20.toString(), bitsback.toString()});
            cases.add(new String[] {"decompress", bitsback.toString(), idx20.toString()});
            cases.add(new String[] {"decompress", "--images", bitsback.toString(), "digits"});
        } else {
            Assumptions.abort("no MNIST under " + Home.data() + ": run scripts/fetch-data for the bits-back cases");
        }
        for (String[] c : cases) {
            String[] args = c.clone();
            String out = "out";
            args[args.length - 1] = out;
            List<String> all = new ArrayList<>(List.of(args[0], "-q"));
            all.addAll(List.of(args).subList(1, args.length));
            // the size of what the command makes, learnt by running it unlimited (a lossy decode is not the file it came from)
            Child free = run(-1, List.of(), all.toArray(String[]::new));
            assertEquals(0, free.code(), String.join(" ", all) + " without a limit: " + free.err());
            long size = largestFile(dir.resolve(out));
            deleteTree(dir.resolve(out));
            long blocks = (size - 1) / 1024; // one block below the largest file it writes (PNGs of 28x28: limit 0)
            Child r = run(blocks, List.of(), all.toArray(String[]::new));
            String what = String.join(" ", all) + " under ulimit -f " + blocks + " (output " + size + " bytes)";
            assertEquals(Main.EXIT_IO, r.code(), what + ": " + r.err());
            assertEquals(List.of("latentcodec: cannot write out: File too large"), r.errLines(), what);
            assertEquals(List.of(), names(), what + ": something was left");
        }
    }

    /** SIGTERM before, while and after the temporary file is created, while it is written, and as it is renamed. */
    @Test
    void sigtermAtAnyMomentLeavesTheOldOutputOrTheNewOneAndNothingElse() throws Exception {
        Path c = shared.resolve("term.lc");
        ok(CliTest.run("compress", "-q", "--codec", "rans1", "--threads", "1", text.toString(), c.toString()));
        byte[] expected = Files.readAllBytes(c);
        long t0 = System.nanoTime();
        Process whole = start(dir, -1, List.of(), "compress", "-q", "--codec", "rans1", "--threads", "1", text.toString(), "out.lc");
        finish(whole);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, whole.exitValue());
        Files.delete(dir.resolve("out.lc"));
        int runs = 12;
        int terminated = 0;
        int completed = 0;
        for (int i = 0; i < runs; i++) {
            boolean replace = i % 2 == 1;
            Path out = dir.resolve("out.lc");
            if (replace) {
                Files.writeString(out, "precious");
            }
            List<String> props = i == 0 ? List.of("-Dlatentcodec.test.pauseAt=created") : i == 1 ? List.of("-Dlatentcodec.test.pauseAt=written")
                    : List.of();
            Process p = start(dir, -1, props, "compress", "-q", "--codec", "rans1", "--threads", "1", "--force", text.toString(), "out.lc");
            if (props.isEmpty()) {
                Thread.sleep(millis * 5 / 4 * (i - 2) / (runs - 3)); // spread over start-up, reading, coding, writing, renaming, exit
            } else {
                awaitLine(p, "paused at " + props.get(0).substring(props.get(0).indexOf('=') + 1));
            }
            p.destroy(); // SIGTERM
            finish(p);
            int code = p.exitValue();
            String what = "run " + i + " (exit " + code + ")";
            // a signal that lands while the JVM is still initializing (before main) makes HotSpot fail its own start:
            // "Error occurred during initialization of VM ... Bad level", exit 1; none of our code ran (the launcher exits 143 then)
            boolean vmStart = code == 1 && Files.readString(lastErr).contains("Error occurred during initialization of VM");
            assertTrue(code == 0 || code == 143 || vmStart, what + ": " + Files.readString(lastErr));
            List<String> left = names();
            if (Files.exists(out) && Arrays.equals(expected, Files.readAllBytes(out))) {
                completed++;
            } else if (replace) {
                assertEquals("precious", Files.readString(out), what + ": the old output was damaged");
                terminated++;
            } else {
                assertFalse(Files.exists(out), what + ": a partial output");
                terminated++;
            }
            assertEquals(Files.exists(out) ? List.of("out.lc") : List.of(), left, what + ": something was left");
            if (Files.exists(out)) {
                Files.delete(out);
            }
        }
        assertTrue(terminated >= 2 && completed >= 1, "the moments did not cover both outcomes: " + terminated + " terminated, "
                + completed + " completed");
    }

    List<String> tree(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** decompress --images --force over an old directory, stopped dead (as by SIGKILL) or terminated between its steps. */
    @Test
    void aDirectoryReplaceStoppedBetweenStepsKeepsTheOldDirectoryOrTheNewOne() throws Exception {
        Assumptions.assumeTrue(bitsback != null, "no MNIST data: run scripts/fetch-data");
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fresh.add(String.format("%06d.png", i));
        }
        Path digits = dir.resolve("digits");
        String[][] runs = {
                {"haltAt", "written", "true"}, {"haltAt", "aside", "false"}, {"haltAt", "swapped", "false"},
                {"pauseAt", "created", "true"}, {"pauseAt", "swapped", "false"},
        };
        for (String[] run : runs) {
            String what = run[0] + "=" + run[1] + ", renameat2=" + run[2];
            Files.createDirectories(digits);
            Files.writeString(digits.resolve("old.txt"), "old");
            Process p = start(dir, -1, List.of("-Dlatentcodec.test." + run[0] + "=" + run[1], "-Dlatentcodec.io.renameat2=" + run[2]),
                    "decompress", "-q", "--images", "--force", bitsback.toString(), "digits");
            if (run[0].equals("pauseAt")) {
                awaitLine(p, "paused at " + run[1]);
                p.destroy();
                finish(p);
                assertEquals(143, p.exitValue(), what);
                List<String> now = tree(digits);
                assertTrue(now.equals(List.of("old.txt")) || now.equals(fresh), what + ": " + now);
                assertEquals(List.of("digits"), names(), what + ": SIGTERM must leave nothing else");
            } else {
                finish(p);
                assertEquals(AtomicOutput.HALT_STATUS, p.exitValue(), what);
                if (!run[1].equals("aside")) {
                    List<String> now = tree(digits);
                    assertTrue(now.equals(List.of("old.txt")) || now.equals(fresh), what + ": " + now);
                }
                for (String n : names()) {
                    assertTrue(n.equals("digits") || n.matches("\\.digits\\.[0-9a-z]+\\.(part|old)"), what + ": " + n);
                }
                // the next run repairs a half-done fallback replace, then replaces as asked
                ok(CliTest.run("decompress", "-q", "--images", "--force", bitsback.toString(), digits.toString()));
                assertEquals(fresh, tree(digits), what);
                for (String n : names()) {
                    assertTrue(n.equals("digits") || n.matches("\\.digits\\.[0-9a-z]+\\.part"), what + ": after the repair " + n);
                }
            }
            for (String n : names()) {
                Path q = dir.resolve(n);
                try (Stream<Path> s = Files.walk(q)) {
                    for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(x);
                    }
                }
            }
        }
    }

    /** An input truncated or rewritten in place while a command runs: the command works on what it read, or says so in one line. */
    @Test
    void anInputChangedUnderARunningCommandNeverCrashesTheJvm() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.copy(text, in);
        byte[] original = Files.readAllBytes(in);
        Path c = shared.resolve("changed.lc");
        ok(CliTest.run("compress", "-q", "--codec", "rans1", "--threads", "1", text.toString(), c.toString()));
        // compress: truncated once the output is being written (it was memory-mapped: SIGBUS, exit 134, hs_err, a .part). The
        // static codecs read a chunk at a time, so the truncation is seen, unless every chunk had been read already
        Process p = start(dir, -1, List.of(), "compress", "-q", "--codec", "rans1", "--threads", "1", "in.txt", "out.lc");
        while (p.isAlive() && names().stream().noneMatch(n -> n.endsWith(".part"))) {
            Thread.sleep(1);
        }
        try (FileChannel ch = FileChannel.open(in, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        finish(p);
        if (p.exitValue() == 0) {
            assertArrayEquals(Files.readAllBytes(c), Files.readAllBytes(dir.resolve("out.lc")), "the output codes what was read");
            assertEquals(List.of("in.txt", "out.lc"), names(), "no hs_err file, no .part");
        } else {
            String err = Files.readString(lastErr);
            assertEquals(3, p.exitValue(), err);
            assertTrue(err.contains("in.txt changed while it was read"), err);
            assertEquals(List.of("in.txt"), names(), "no output, no hs_err file, no .part");
        }
        // decompress: the container rewritten in place with other bytes of the same size
        Files.delete(in);
        Files.deleteIfExists(dir.resolve("out.lc"));
        Path lc = dir.resolve("in.lc");
        Files.copy(c, lc);
        p = start(dir, -1, List.of(), "decompress", "-q", "--threads", "1", "in.lc", "back.txt");
        while (p.isAlive() && names().stream().noneMatch(n -> n.endsWith(".part"))) {
            Thread.sleep(1);
        }
        try (FileChannel ch = FileChannel.open(lc, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[(int) ch.size()]), 0);
        }
        finish(p);
        // chains are read as they are decoded: the zeros are seen (a damaged chain, or the file's changed time), unless
        // every chain had been read already
        if (p.exitValue() == 0) {
            assertArrayEquals(original, Files.readAllBytes(dir.resolve("back.txt")));
            assertEquals(List.of("back.txt", "in.lc"), names());
        } else {
            String err = Files.readString(lastErr);
            assertTrue(p.exitValue() == 1 && err.contains("corrupt input") || p.exitValue() == 3 && err.contains("in.lc changed while it was read"),
                    "exit " + p.exitValue() + ": " + err);
            assertEquals(List.of("in.lc"), names(), "no output, no hs_err file, no .part");
        }
    }
}
