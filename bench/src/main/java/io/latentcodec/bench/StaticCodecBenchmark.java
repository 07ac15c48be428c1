package io.latentcodec.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Static byte coding, our rANS (order 0 and 1, vector and scalar) against its peers in the same
 * run: htscodecs' rANS 32x16 in C (order 0 and 1, through FFM; {@code scripts/fetch-htscodecs}
 * installs it, and its rows fail with that message where it is missing), htsjdk's pure-Java
 * rANS (CRAM 3.0 RANS4x8 and CRAM 3.1 RANSNx16, 4 and 32 states) and java.util.zip's Deflater.
 * Score: operations/s; the {@code bytes} counter gives input bytes/s (divide by 1e6 for MB/s).
 * Compressed sizes are printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StaticCodecBenchmark {
    @Param({"moby-dick", "skewed-16MiB"})
    public String input;

    @Param({"latentcodec-o0-vector", "latentcodec-o0-scalar", "latentcodec-o1-vector", "latentcodec-o1-scalar",
            "htscodecs-rans32x16-o0", "htscodecs-rans32x16-o1", "htsjdk-rans4x8-o0", "htsjdk-ransNx16-o0",
            "htsjdk-ransNx16-o0-x32", "deflate-1", "deflate-6"})
    public String codec;

    public byte[] data;
    public byte[] compressed;
    public ByteCodecs impl;

    /** Input bytes processed, reported by JMH as a rate next to the score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void setup() {
        data = BenchData.input(input);
        impl = ByteCodecs.of(codec);
        impl.init(data.length);
        impl.encode(data);
        compressed = impl.encoded();
        System.out.printf("%n[size] %s on %s: %d -> %d bytes, %.4f bits/byte (order-0 entropy %.4f)%n",
                codec, input, data.length, compressed.length, compressed.length * 8.0 / data.length, BenchData.entropy(data));
    }

    @Benchmark
    public int encode(Bytes b) {
        b.bytes += data.length;
        return impl.encode(data);
    }

    @Benchmark
    public int decode(Bytes b) {
        b.bytes += data.length;
        return impl.decode(compressed);
    }
}
