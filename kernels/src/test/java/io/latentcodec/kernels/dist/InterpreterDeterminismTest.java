package io.latentcodec.kernels.dist;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same integer CDFs with the JIT and without it: {@link CdfChecksum} is computed here after
 * enough repetitions for C2 to have compiled the kernels (and must not change while it warms
 * up), then in forked JVMs: interpreter only ({@code -Xint}), C1 only, 256-bit vectors, and the
 * vector path switched off. All must print the same checksum.
 */
class InterpreterDeterminismTest {
    /** Repetitions in this JVM: each runs the kernels' loops a few thousand times, so C2 (OSR and full) compiles them. */
    static final int WARM_ROUNDS = 80;

    @Test
    void sameChecksumInterpretedCompiledAndAtEveryWidth() throws Exception {
        List<Process> forks = new ArrayList<>();
        String[][] modes = {{"-Xint"}, {"-XX:TieredStopAtLevel=1"}, {"-Dlatentcodec.simd=256"}, {"-Dlatentcodec.simd=scalar"}};
        for (String[] mode : modes) {
            forks.add(fork(mode)); // start them first: they run while this JVM warms up
        }
        long first = CdfChecksum.compute();
        long warm = first;
        for (int i = 1; i < WARM_ROUNDS; i++) {
            warm = CdfChecksum.compute();
            assertEquals(first, warm, "checksum changed while warming up, round " + i);
        }
        for (int i = 0; i < modes.length; i++) {
            Process p = forks.get(i);
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), String.join(" ", modes[i]) + ": forked JVM did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.exitValue(), String.join(" ", modes[i]) + ": forked JVM failed: " + out);
            String line = out.lines().filter(l -> l.startsWith("checksum ")).findFirst().orElse("none in: " + out);
            assertEquals("checksum " + Long.toHexString(warm), line, String.join(" ", modes[i]) + " computed other CDFs than C2 here");
        }
    }

    static Process fork(String... mode) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.addAll(List.of(mode));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CdfChecksum.class.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
