package io.latentcodec.bench;

import io.latentcodec.models.Device;
import io.latentcodec.models.ModelOutputs;
import io.latentcodec.models.VaeModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one model call at a fixed batch shape: q(z|x) for B images and p(x|z)'s parameters for
 * B latents, through the float[] API (input and outputs copied) and the MemorySegment API (input
 * copied, outputs viewed in place). The primary score is calls per second; the {@code images}
 * counter is images per second. Batch 1 shows the fixed per-call overhead; {@code batch = 0} is the
 * shipped batch size (100), others rebuild the graph at that size around the shipped weights.
 * {@code backend}: {@code tensorflow} (the SavedModel) or {@code java} (the deterministic kernels,
 * shipped batch size only: their cost per row does not depend on the batch).
 *
 * <pre>
 *   mvn -B -q -pl bench -am package -DskipTests
 *   java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main ModelBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow"})
public class ModelBenchmark {

    @State(Scope.Benchmark)
    public static class Model {
        @Param({"mnist-binarized", "mnist"})
        public String model;

        /** 0: the shipped batch size. */
        @Param({"0", "1", "10", "1000"})
        public int batch;

        @Param({"tensorflow", "java"})
        public String backend;

        VaeModel vae;
        float[] x;
        float[] z;
        float[] mu;
        float[] sigma;
        float[][] params;
        Arena arena;
        MemorySegment xSeg;
        MemorySegment zSeg;

        @Setup(Level.Trial)
        public void setUp() {
            if (backend.equals("java")) {
                if (batch != 0) {
                    throw new IllegalArgumentException("backend java runs the shipped batch size only (batch=0)");
                }
                vae = VaeModel.named(model);
            } else {
                vae = VaeModel.openTensorFlow(model, Device.CPU, batch);
            }
            int b = vae.batchSize();
            Random r = new Random(1);
            x = new float[b * vae.dataDim()];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(vae.likelihood().maxValue() + 1);
            }
            z = new float[b * vae.latentDim()];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) r.nextGaussian();
            }
            mu = new float[z.length];
            sigma = new float[z.length];
            params = new float[vae.likelihood().paramCount()][x.length];
            arena = Arena.ofShared();
            xSeg = arena.allocate(4L * x.length, 64);
            MemorySegment.copy(x, 0, xSeg, ValueLayout.JAVA_FLOAT, 0, x.length);
            zSeg = arena.allocate(4L * z.length, 64);
            MemorySegment.copy(z, 0, zSeg, ValueLayout.JAVA_FLOAT, 0, z.length);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            vae.close();
            arena.close();
        }
    }

    /** Images per second, beside the calls per second of the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Images {
        public long images;
    }

    @Benchmark
    public float[] posteriorArrays(Model m, Images n) {
        m.vae.posterior(m.x, m.mu, m.sigma);
        n.images += m.vae.batchSize();
        return m.sigma;
    }

    @Benchmark
    public float[][] likelihoodArrays(Model m, Images n) {
        m.vae.likelihoodParams(m.z, m.params);
        n.images += m.vae.batchSize();
        return m.params;
    }

    /** The views are read once (the last sigma) so the call cannot be dropped. */
    @Benchmark
    public float posteriorSegments(Model m, Images n) {
        try (ModelOutputs out = m.vae.posterior(m.xSeg)) {
            n.images += m.vae.batchSize();
            MemorySegment s = out.get(1);
            return s.getAtIndex(ValueLayout.JAVA_FLOAT, s.byteSize() / 4 - 1);
        }
    }

    @Benchmark
    public float likelihoodSegments(Model m, Images n) {
        try (ModelOutputs out = m.vae.likelihoodParams(m.zSeg)) {
            n.images += m.vae.batchSize();
            MemorySegment s = out.get(out.size() - 1);
            return s.getAtIndex(ValueLayout.JAVA_FLOAT, s.byteSize() / 4 - 1);
        }
    }
}
