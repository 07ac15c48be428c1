package io.latentcodec.engine.demo;

import io.latentcodec.engine.Home;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.peers.GeneralPeer;
import io.latentcodec.kernels.Simd;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The static codec on real text, against general-purpose compressors in the same run: size in
 * bits per byte, and rough single-run speeds (JMH in bench/ gives the real ones).
 */
public final class TextDemo {
    private TextDemo() {
    }

    public static void run(PrintWriter out) throws IOException {
        out.printf(Locale.ROOT, "Static rANS on real text (%d cores, %s); every output is decoded and compared byte for byte.%n",
                Runtime.getRuntime().availableProcessors(), Simd.describe());
        for (String name : new String[] {"moby-dick.txt", "sotu.txt"}) {
            Path f = Home.require("text/" + name, "scripts/fetch-text");
            byte[] data = Files.readAllBytes(f);
            out.printf(Locale.ROOT, "%n%s: %,d bytes%n", name, data.length);
            out.printf(Locale.ROOT, "  %-18s %12s %10s %12s %12s%n", "codec", "bytes", "bits/byte", "enc MB/s", "dec MB/s");
            row(out, "latentcodec rans0", data, () -> ChunkedBytes.compress(data, 0), ChunkedBytes::decompress);
            row(out, "latentcodec rans1", data, () -> ChunkedBytes.compress(data, 1), ChunkedBytes::decompress);
            for (GeneralPeer p : GeneralPeer.values()) {
                row(out, p.label(), data, () -> p.compress(data), c -> p.decompress(c, data.length));
            }
        }
        out.println("\nMB/s: best of 3 runs after one warm-up run, in this JVM; see bench/README.md for JMH figures.");
    }

    private static void row(PrintWriter out, String label, byte[] data, Supplier<byte[]> enc, java.util.function.Function<byte[], byte[]> dec) {
        byte[] c = enc.get();
        if (!Arrays.equals(data, dec.apply(c))) {
            throw new IllegalStateException(label + " did not restore its input");
        }
        double bestEnc = Double.MAX_VALUE;
        double bestDec = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            enc.get();
            long t1 = System.nanoTime();
            dec.apply(c);
            long t2 = System.nanoTime();
            bestEnc = Math.min(bestEnc, (t1 - t0) / 1e9);
            bestDec = Math.min(bestDec, (t2 - t1) / 1e9);
        }
        out.printf(Locale.ROOT, "  %-18s %,12d %10.4f %12.1f %12.1f%n", label, c.length, c.length * 8.0 / data.length,
                data.length / 1e6 / bestEnc, data.length / 1e6 / bestDec);
        out.flush();
    }
}
