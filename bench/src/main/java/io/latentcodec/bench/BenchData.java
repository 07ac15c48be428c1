package io.latentcodec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Inputs of the benchmarks: real files fetched by the project's scripts, and seeded synthetic data. */
public final class BenchData {
    private BenchData() {
    }

    /** The data folder, as the engine finds it ({@code latentcodec.home}, {@code LATENTCODEC_DATA}, or {@code data/} of the checkout). */
    public static Path dataDir() {
        return io.latentcodec.engine.Home.data();
    }

    /** A file under the data folder, with a clear message naming the script that fetches it. */
    public static byte[] file(String relative, String fetchScript) {
        Path f = dataDir().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException(f + " is missing: run " + fetchScript + " first");
        }
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moby Dick as plain text, 1.19 MB (scripts/fetch-text). */
    public static byte[] mobyDick() {
        return file("text/moby-dick.txt", "scripts/fetch-text");
    }

    /**
     * i.i.d. bytes with P(s) proportional to 0.75^s: entropy about 3.25 bits per byte; every value
     * up to about 60 occurs in 16 MiB, so the tables hold rare symbols of frequency 1.
     */
    public static byte[] skewed(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] b = new byte[n];
        double lq = Math.log(0.75);
        for (int i = 0; i < n; i++) {
            // inverse CDF of the geometric distribution
            b[i] = (byte) Math.min(255, (int) (Math.log(1 - rnd.nextDouble()) / lq));
        }
        return b;
    }

    /** Order-0 entropy of {@code b} in bits per byte. */
    public static double entropy(byte[] b) {
        long[] c = new long[256];
        for (byte x : b) {
            c[x & 0xFF]++;
        }
        double h = 0;
        for (long k : c) {
            if (k > 0) {
                double p = (double) k / b.length;
                h -= p * Math.log(p) / Math.log(2);
            }
        }
        return h;
    }

    public static byte[] input(String name) {
        return switch (name) {
            case "moby-dick" -> mobyDick();
            case "skewed-16MiB" -> skewed(16 << 20, 42);
            default -> throw new IllegalArgumentException("unknown input " + name);
        };
    }
}
