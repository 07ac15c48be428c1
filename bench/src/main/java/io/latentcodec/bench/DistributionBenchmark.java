package io.latentcodec.bench;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.dist.BetaBinomial;
import io.latentcodec.kernels.dist.Bernoulli;
import io.latentcodec.kernels.dist.CategoricalTable;
import io.latentcodec.kernels.dist.DiscretizedGaussian;
import io.latentcodec.kernels.dist.DiscretizedLogistic;
import io.latentcodec.kernels.dist.GaussianBuckets;
import io.latentcodec.kernels.dist.GaussianPosterior;
import io.latentcodec.kernels.dist.Uniform;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Symbols per second for push and pop of every distribution of {@code io.latentcodec.kernels.dist},
 * scalar and vector in the same run ({@code implementation}: the scalar message with the scalar
 * distribution kernels, or the vector message with the vector kernels). One invocation codes
 * {@link #SYMBOLS} symbols, each with its own parameters, on {@link #LANES} lanes; the score is
 * symbols/s.
 *
 * <p>Parameters are drawn from realistic ranges (pixel means anywhere in 0..255 and scales 0.3..30,
 * beta-binomial shapes 0.2..50 as an MNIST model emits, posteriors N(mu ~ N(0,1), sigma 0.02..1)
 * over 2^8 buckets), and the symbols are samples of those distributions: popped from a fresh
 * message, as bits-back does. A push starts from a fresh message and a pop from a copy of a
 * message holding exactly the pushed symbols; making them ({@code Level.Invocation}) is not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class DistributionBenchmark {
    /** Symbols per invocation: 16 Ki, so an invocation lasts 0.1 to 10 ms and the per-invocation setup stays negligible. */
    public static final int SYMBOLS = 1 << 14;
    /** Lanes of the message: 64, a few 512-bit vectors' worth of 8 lanes. */
    public static final int LANES = 64;
    /** Every distribution's name; benchmark methods are {@code push<Name>} and {@code pop<Name>}. */
    static final String[] DISTRIBUTIONS = {"Uniform", "Bernoulli", "Categorical", "Logistic", "Gaussian", "BetaBinomial", "Posterior"};

    @Param({"scalar", "vector"})
    public String implementation;

    int symbols = SYMBOLS;
    float[] mean;
    float[] scale;
    float[] logit;
    float[] alpha;
    float[] beta;
    float[] zMean;
    float[] zScale;
    /** The symbols of each distribution (samples of it), by name. */
    Map<String, int[]> data;
    int[] out;

    Uniform uniform;
    Bernoulli bernoulli;
    CategoricalTable table;
    DiscretizedLogistic logistic;
    DiscretizedGaussian gaussian;
    BetaBinomial betaBinomial;
    GaussianPosterior posterior;

    /** Messages holding each distribution's symbols, by name; a pop works on a copy. */
    Map<String, Message> loaded;
    /** The message of the current invocation. */
    Message work;

    Message fresh() {
        return implementation.equals("vector") ? Message.create(LANES, 7) : Message.createScalar(LANES, 7);
    }

    @Setup(Level.Trial)
    public void prepare() {
        boolean vector = implementation.equals("vector");
        if (!vector && !implementation.equals("scalar")) {
            throw new IllegalArgumentException("implementation must be scalar or vector, got " + implementation);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        int n = symbols;
        mean = new float[n];
        scale = new float[n];
        logit = new float[n];
        alpha = new float[n];
        beta = new float[n];
        zMean = new float[n];
        zScale = new float[n];
        for (int i = 0; i < n; i++) {
            mean[i] = (float) rnd.nextDouble(0, 255);
            scale[i] = (float) Math.exp(rnd.nextDouble(Math.log(0.3), Math.log(30)));
            logit[i] = (float) (rnd.nextGaussian() * 4);
            alpha[i] = (float) Math.exp(rnd.nextDouble(Math.log(0.2), Math.log(50)));
            beta[i] = (float) Math.exp(rnd.nextDouble(Math.log(0.2), Math.log(50)));
            zMean[i] = (float) rnd.nextGaussian();
            zScale[i] = (float) Math.exp(rnd.nextDouble(Math.log(0.02), 0));
        }
        long[] counts = new long[256];
        for (int s = 0; s < 256; s++) {
            counts[s] = 1 + (long) (1e6 / Math.pow(s + 1, 1.1));
        }
        uniform = Uniform.of(8);
        CategoricalTable t = CategoricalTable.fromCounts(12, counts);
        table = vector ? t : t.scalar();
        bernoulli = vector ? Bernoulli.create(12) : Bernoulli.createScalar(12);
        logistic = vector ? DiscretizedLogistic.create(0, 255, 16) : DiscretizedLogistic.createScalar(0, 255, 16);
        gaussian = vector ? DiscretizedGaussian.create(0, 255, 16) : DiscretizedGaussian.createScalar(0, 255, 16);
        betaBinomial = vector ? BetaBinomial.create(255, 16) : BetaBinomial.createScalar(255, 16);
        GaussianBuckets grid = GaussianBuckets.of(8);
        posterior = vector ? GaussianPosterior.create(grid, 16) : GaussianPosterior.createScalar(grid, 16);
        out = new int[n];
        data = new HashMap<>();
        loaded = new HashMap<>();
        for (String d : DISTRIBUTIONS) {
            int[] x = new int[n];
            try (Message m = fresh()) { // samples: what a pop from fresh (random) bits returns
                pop(d, m, x);
            }
            data.put(d, x);
            Message m = fresh();
            push(d, m, x);
            loaded.put(d, m);
        }
    }

    void push(String d, Message m, int[] x) {
        int n = symbols;
        switch (d) {
            case "Uniform" -> uniform.push(m, x, 0, n);
            case "Bernoulli" -> bernoulli.push(m, logit, 0, x, 0, n);
            case "Categorical" -> table.push(m, x, 0, n);
            case "Logistic" -> logistic.push(m, mean, scale, 0, x, 0, n);
            case "Gaussian" -> gaussian.push(m, mean, scale, 0, x, 0, n);
            case "BetaBinomial" -> betaBinomial.push(m, alpha, beta, 0, x, 0, n);
            case "Posterior" -> posterior.push(m, zMean, zScale, 0, x, 0, n);
            default -> throw new IllegalArgumentException(d);
        }
    }

    void pop(String d, Message m, int[] x) {
        int n = symbols;
        switch (d) {
            case "Uniform" -> uniform.pop(m, x, 0, n);
            case "Bernoulli" -> bernoulli.pop(m, logit, 0, x, 0, n);
            case "Categorical" -> table.pop(m, x, 0, n);
            case "Logistic" -> logistic.pop(m, mean, scale, 0, x, 0, n);
            case "Gaussian" -> gaussian.pop(m, mean, scale, 0, x, 0, n);
            case "BetaBinomial" -> betaBinomial.pop(m, alpha, beta, 0, x, 0, n);
            case "Posterior" -> posterior.pop(m, zMean, zScale, 0, x, 0, n);
            default -> throw new IllegalArgumentException(d);
        }
    }

    @Setup(Level.Invocation)
    public void load(BenchmarkParams params) {
        load(params.getBenchmark());
    }

    /** Readies {@link #work} for the benchmark method named (last part) {@code pushX}: a fresh message, or {@code popX}: a copy of X's loaded message. */
    void load(String benchmark) {
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        work = method.startsWith("push") ? fresh() : loaded.get(method.substring(3)).copy();
    }

    @TearDown(Level.Invocation)
    public void unload() {
        work.close();
    }

    @TearDown(Level.Trial)
    public void release() {
        loaded.values().forEach(Message::close);
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public Message pushUniform() {
        uniform.push(work, data.get("Uniform"), 0, symbols);
        return work;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public int[] popUniform() {
        uniform.pop(work, out, 0, symbols);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public Message pushBernoulli() {
        bernoulli.push(work, logit, 0, data.get("Bernoulli"), 0, symbols);
        return work;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public int[] popBernoulli() {
        bernoulli.pop(work, logit, 0, out, 0, symbols);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public Message pushCategorical() {
        table.push(work, data.get("Categorical"), 0, symbols);
        return work;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public int[] popCategorical() {
        table.pop(work, out, 0, symbols);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public Message pushLogistic() {
        logistic.push(work, mean, scale, 0, data.get("Logistic"), 0, symbols);
        return work;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public int[] popLogistic() {
        logistic.pop(work, mean, scale, 0, out, 0, symbols);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public Message pushGaussian() {
        gaussian.push(work, mean, scale, 0, data.get("Gaussian"), 0, symbols);
        return work;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public int[] popGaussian() {
        gaussian.pop(work, mean, scale, 0, out, 0, symbols);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public Message pushBetaBinomial() {
        betaBinomial.push(work, alpha, beta, 0, data.get("BetaBinomial"), 0, symbols);
        return work;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public int[] popBetaBinomial() {
        betaBinomial.pop(work, alpha, beta, 0, out, 0, symbols);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public Message pushPosterior() {
        posterior.push(work, zMean, zScale, 0, data.get("Posterior"), 0, symbols);
        return work;
    }

    @Benchmark
    @OperationsPerInvocation(SYMBOLS)
    public int[] popPosterior() {
        posterior.pop(work, zMean, zScale, 0, out, 0, symbols);
        return out;
    }
}
