package io.latentcodec.bench;

import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.ImageSet;
import io.latentcodec.models.Device;
import io.latentcodec.models.VaeModel;
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

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Bits-back ANS end to end (model calls, distributions, rANS, container): images/s to compress
 * and to decompress the first {@value #IMAGES} test images of each set with its shipped model,
 * with one chain (one thread) and with two chains (two threads), with the model evaluated by
 * {@code backend}: {@code java}, the deterministic kernels that coding uses (version-2 files), or
 * {@code tensorflow}, the SavedModel in TensorFlow as version 1 did, side by side in one run. The
 * share of chain time inside the model is printed at the end of each trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
public class BitsBackBenchmark {
    static final int IMAGES = 2000;

    @Param({"mnist-binarized", "mnist", "fashion-mnist"})
    public String model;

    @Param({"1", "2"})
    public int chains;

    @Param({"java", "tensorflow"})
    public String backend;

    public VaeModel vae;
    public byte[][] images;
    public long[] shape;
    public BitsBack.Options options;
    public byte[] container;
    public BitsBack.Stats last;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        ImageSet set = ImageSet.load(model + ":test");
        images = Arrays.copyOf(set.images(), IMAGES);
        shape = new long[] {IMAGES, set.rows(), set.cols()};
        vae = switch (backend) {
            case "java" -> VaeModel.open(model);
            case "tensorflow" -> VaeModel.openTensorFlow(model, Device.CPU, 0);
            default -> throw new IllegalArgumentException("backend must be java or tensorflow, got " + backend);
        };
        options = BitsBack.Options.defaults().withChains(chains).withThreads(chains);
        container = BitsBack.compress(images, shape, vae, options, null).container();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (last != null) {
            System.out.printf(Locale.ROOT, "%n[bits-back] %s, %s, %d chain(s): %.4f bits/dim, %.0f%% of chain time in the model%n",
                    model, backend, chains, last.bitsPerDim(vae.dataDim()), 100 * last.modelShare());
        }
        vae.close();
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public int compress() {
        BitsBack.Result r = BitsBack.compress(images, shape, vae, options, null);
        last = r.stats();
        return r.container().length;
    }

    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public byte[][] decompress() {
        return BitsBack.decompress(MemorySegment.ofArray(container), vae, chains, null);
    }
}
