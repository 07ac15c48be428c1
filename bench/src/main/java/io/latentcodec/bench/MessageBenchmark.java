package io.latentcodec.bench;

import io.latentcodec.kernels.Message;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The dynamic-distribution coder alone: push and pop of {@value #K} symbols, each with its own
 * (start, freq) at 24-bit precision (given, so no distribution is evaluated), scalar against
 * vector in the same run. Score: symbols/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MessageBenchmark {
    static final int K = 1 << 16;
    static final int PRECISION = 24;

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"32"})
    public int lanes;

    public int[] start;
    public int[] freq;
    public byte[] pushed;
    public Message message;

    @Setup(Level.Trial)
    public void data() {
        SplittableRandom rnd = new SplittableRandom(7);
        start = new int[K];
        freq = new int[K];
        for (int k = 0; k < K; k++) {
            // skewed: frequencies spread over 2^0 .. 2^23, i.e. 1 to 24 bits per symbol
            int f = 1 << rnd.nextInt(PRECISION);
            f += rnd.nextInt(f);
            freq[k] = Math.min(f, 1 << 23);
            start[k] = rnd.nextInt((1 << PRECISION) - freq[k] + 1);
        }
        try (Message m = create()) {
            m.push(PRECISION, start, freq, 0, K);
            pushed = m.toByteArray();
        }
    }

    Message create() {
        return impl.equals("vector") ? Message.createVector(lanes, 1) : Message.createScalar(lanes, 1);
    }

    /** A message holding the K symbols, read anew before each call so every call codes from the same state. */
    @Setup(Level.Invocation)
    public void fresh() {
        message = Message.readFrom(MemorySegment.ofArray(pushed), 0, impl.equals("vector"));
    }

    @TearDown(Level.Invocation)
    public void close() {
        message.close();
    }

    @Benchmark
    @OperationsPerInvocation(K)
    public long push() {
        message.push(PRECISION, start, freq, 0, K);
        return message.tailWords();
    }

    @Benchmark
    @OperationsPerInvocation(K)
    public long pop() {
        final int[] s = start;
        final int[] f = freq;
        message.pop(PRECISION, K, (k0, n, cf, st, fr) -> {
            System.arraycopy(s, k0, st, 0, n);
            System.arraycopy(f, k0, fr, 0, n);
        });
        return message.tailWords();
    }
}
