package io.latentcodec.bench;

import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.engine.vbq.Vbq;
import io.latentcodec.engine.vbq.VbqModel;
import io.latentcodec.models.conv.Photos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The photo codec end to end on the first held-out photo (768x512, {@code scripts/fetch-photos}) with
 * the shipped {@code photo-vae}: encoding as published ({@link Vbq.Effort#FAST}) against the CLI's
 * default ({@link Vbq.Effort#THOROUGH}: 50 refinement steps, 12 tuning rounds) in the same run, and
 * decoding (the same for both: rANS, the deterministic Java decoder, the checksum). The decoder network
 * alone on the photo's posterior means, in the same run: {@code decoderJava} (the kernels, what
 * decoding runs) against {@code decoderTensorFlow} (what version-1 files were decoded with).
 * Score: seconds per photo.
 *
 * <pre>
 *   scripts/fetch-photos
 *   ./scripts/bench VbqPhotoBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow"})
public class VbqPhotoBenchmark {
    @Param({"16"})
    public double lambda;

    VbqModel model;
    RgbImage photo;
    byte[] file;
    float[] z;
    int zh;
    int zw;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (!Photos.available()) {
            throw new IllegalStateException("the test photos are missing under " + Photos.sourceDir() + ": run scripts/fetch-photos");
        }
        List<Path> test = Photos.testSet();
        use(RgbImage.read(test.getFirst()), VbqModel.named("photo-vae"));
    }

    /** Benchmarks this photo with this model (what the setup does with the first test photo). */
    void use(RgbImage image, VbqModel vbq) {
        photo = image;
        model = vbq;
        file = Vbq.compress(photo, model, lambda).container();
        var q = Vbq.analyze(photo, model).posterior();
        z = q.mu();
        zh = q.height();
        zw = q.width();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public byte[] encodeFast() {
        return Vbq.analyze(photo, model, Vbq.Effort.FAST).compress(lambda).container();
    }

    @Benchmark
    public byte[] encodeThorough() {
        return Vbq.analyze(photo, model, Vbq.Effort.THOROUGH).compress(lambda).container();
    }

    @Benchmark
    public RgbImage decode() {
        return Vbq.decompress(file, model);
    }

    @Benchmark
    public float[] decoderJava() {
        return model.decoder().decode(z, zh, zw, true);
    }

    @Benchmark
    public float[] decoderTensorFlow() {
        return model.vae().decode(z, zh, zw);
    }
}
