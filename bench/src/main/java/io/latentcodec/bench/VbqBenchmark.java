package io.latentcodec.bench;

import io.latentcodec.engine.vbq.VbqCoder;
import io.latentcodec.engine.vbq.VbqQuantizer;
import io.latentcodec.engine.vbq.VbqQuantizerVector;
import io.latentcodec.engine.vbq.VbqTables;
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
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * VBQ without the network, on the latents of one 768x512 image (48 x 32 positions x 64 channels =
 * {@value #N} latents, R = 11): the quantizer (scalar reference against the Vector API kernel, in the
 * same run) and the rANS coding of the chosen points (push = encode, pop = decode). Score: latents/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VbqBenchmark {
    static final int CHANNELS = 64;
    static final int DEPTH = 11;
    static final int N = 48 * 32 * CHANNELS;

    @Param({"1", "16", "256"})
    public double lambda;

    public VbqTables tables;
    public float[] mu;
    public float[] sigma;
    public float[] costs;
    public int[] chosen;
    public byte[] frame;

    /** Tables and latents like a trained model's: logistic-quantile grids, posteriors a tenth to a whole prior scale wide. */
    public static VbqTables tables(SplittableRandom r) {
        int g = 1 << (DEPTH + 1);
        float[][] values = new float[CHANNELS][g - 1];
        for (int c = 0; c < CHANNELS; c++) {
            double scale = 0.3 + r.nextDouble();
            for (int j = 1; j < g; j++) {
                double u = (double) j / g;
                values[c][j - 1] = (float) (scale * Math.log(u / (1 - u)) / 1.7);
            }
        }
        double[] lambdas = {1, 16, 256};
        long[][][] counts = new long[3][CHANNELS][DEPTH + 1];
        for (int b = 0; b < 3; b++) {
            for (long[] ch : counts[b]) {
                for (int d = 0; d <= DEPTH; d++) {
                    ch[d] = 1 + Math.round(1000 * Math.exp(-Math.abs(d - (8 - 3 * b))));
                }
            }
        }
        return new VbqTables(DEPTH, lambdas, values, counts, new double[0], new int[0], new long[0][][]);
    }

    @Setup(Level.Trial)
    public void data() {
        SplittableRandom r = new SplittableRandom(11);
        tables = tables(r);
        mu = new float[N];
        sigma = new float[N];
        for (int i = 0; i < N; i++) {
            mu[i] = (float) r.nextGaussian();
            sigma[i] = (float) Math.exp(-3 + 3 * r.nextDouble());
        }
        costs = VbqQuantizer.costs(tables, tables.lambdaBucket(lambda), lambda);
        chosen = new int[N];
        VbqQuantizer.quantizeScalar(tables, costs, mu, sigma, chosen, 0);
        try (Message m = Message.create(8, 1)) {
            VbqCoder.push(m, tables, tables.lambdaBucket(lambda), chosen);
            frame = m.toCompactByteArray();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int[] quantizeScalar() {
        int[] out = new int[N];
        VbqQuantizer.quantizeScalar(tables, costs, mu, sigma, out, 0);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int[] quantizeVector() {
        int[] out = new int[N];
        VbqQuantizerVector.quantize(tables, costs, mu, sigma, out);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public byte[] encodePoints() {
        try (Message m = Message.create(8, 1)) {
            VbqCoder.push(m, tables, tables.lambdaBucket(lambda), chosen);
            return m.toCompactByteArray();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int[] decodePoints() {
        try (Message m = Message.readCompact(MemorySegment.ofArray(frame), 0, frame.length, 8, 1, true)) {
            return VbqCoder.pop(m, tables, tables.lambdaBucket(lambda), N);
        }
    }
}
