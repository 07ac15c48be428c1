package io.latentcodec.fuzz;

import io.latentcodec.engine.bitsback.FakeVae;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.BitsBackParams;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.models.Likelihood;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The bits-back decoder under Jazzer, with {@link FakeVae} as the model: fuzzer-made images are
 * compressed, the container is damaged (anywhere, and with the header checksum recomputed so
 * that damaged header fields reach the checks behind it), and decoding must give back the
 * images or fail with the corrupt-input error, within an allocation budget linear in the file.
 */
class BitsBackFuzzTest {

    /** The tiny models the targets use: every likelihood, small shapes; fixed so a corpus stays meaningful. */
    static FakeVae model(FuzzedDataProvider in) {
        Likelihood lik = Likelihood.values()[in.consumeInt(0, 2)];
        return new FakeVae(lik, in.consumeInt(1, 24), in.consumeInt(1, 4), in.consumeInt(1, 5), 7);
    }

    static byte[][] images(FuzzedDataProvider in, int n, int d, int max) {
        byte[][] im = new byte[n][d];
        for (byte[] img : im) {
            for (int i = 0; i < d; i++) {
                img[i] = (byte) in.consumeInt(0, max);
            }
        }
        return im;
    }

    /**
     * Decodes {@code file} with {@code model} on this thread. The header, where every size a
     * decoder allocates by is declared, is read within an allocation budget linear in the file;
     * the decoding itself allocates per image it decodes (at most {@link BitsBack#MAX_IMAGES_PER_BYTE}
     * per stream byte) and per model call (the vector kernels box when Jazzer's instrumentation
     * keeps C2 from scalarising them), which a byte budget cannot tell from a bug; the JVM's heap
     * limit catches real exhaustion there.
     */
    static byte[][] decode(byte[] file, FakeVae model) {
        MemorySegment in = MemorySegment.ofArray(file);
        Allocation.bounded(file.length, 64, 1 << 20, "BitsBack.parse", () -> BitsBack.parse(in));
        return BitsBack.decompress(in, model, 1, null);
    }

    /** A valid container from fuzzer images, then fuzzer damage: the images, or the corrupt-input error. */
    @FuzzTest(maxDuration = "30s")
    void damagedContainers(FuzzedDataProvider in) {
        FakeVae model = model(in);
        int n = in.consumeInt(0, 12);
        byte[][] im = images(in, n, model.dataDim(), model.likelihood().maxValue());
        int prior = in.consumeInt(1, 14);
        BitsBack.Options o = BitsBack.Options.defaults().withThreads(1).withChains(in.consumeInt(1, 3))
                .withLanes(in.consumeInt(1, 9)).withPrecisions(prior, in.consumeInt(prior, 24), in.consumeInt(9, 24));
        byte[] file = BitsBack.compress(im, new long[] {n, model.dataDim()}, model, o, null).container();
        int edits = in.consumeInt(0, 4);
        for (int e = 0; e < edits; e++) {
            int at = in.consumeInt(0, file.length - 1);
            file[at] = in.consumeBoolean() ? (byte) in.consumeInt(0, 255) : (byte) (file[at] ^ 1 << in.consumeInt(0, 7));
        }
        if (in.consumeBoolean()) {
            file = Arrays.copyOf(file, in.consumeInt(0, file.length + 8));
        }
        if (in.consumeBoolean()) {
            Headers.reseal(file);
        }
        try {
            byte[][] back = decode(file, model);
            assertEquals(n, back.length, "a damaged file decoded to another number of images");
            for (int i = 0; i < n; i++) {
                assertArrayEquals(im[i], back[i], "a damaged file decoded to other pixels in image " + i);
            }
        } catch (CorruptInputException | WrongModelException expected) {
            // caught by a check (a resealed header with another fingerprint names another model)
        } catch (IllegalArgumentException notBitsBack) {
            // a resealed header naming another codec: calling the bits-back decoder on it is the caller's mistake
            assertNotEquals(CodecId.BITSBACK, Container.read(MemorySegment.ofArray(file)).codec(), notBitsBack.getMessage());
        }
    }

    /**
     * A container built by the fuzzer field by field, header checksum valid, streams arbitrary:
     * decoding with the model whose parameters it names must refuse it with the corrupt-input error
     * (or, with odds of a CRC32C collision, give images whose checksum matches), within the budget.
     */
    @FuzzTest(maxDuration = "30s")
    void forgedContainers(FuzzedDataProvider in) {
        FakeVae model = model(in);
        int prior = in.consumeInt(1, 14);
        BitsBackParams p = new BitsBackParams(in.consumeInt(1, 16), prior, in.consumeInt(prior, 24), in.consumeInt(9, 24),
                model.likelihood().ordinal(), in.consumeLong(), model.batchSize(), model.dataDim(), model.latentDim(),
                in.consumeInt(1, model.batchSize()), model.name());
        int chains = in.consumeInt(0, 3);
        java.util.List<Container.Chain> entries = new java.util.ArrayList<>();
        byte[][] streams = new byte[chains][];
        long images = 0;
        for (int c = 0; c < chains; c++) {
            streams[c] = in.consumeBytes(in.consumeInt(0, 200));
            long k = in.consumeBoolean() ? in.consumeLong(0, 4096) : in.consumeLong(0, Long.MAX_VALUE / model.dataDim());
            images += k;
            entries.add(new Container.Chain(streams[c].length, k * model.dataDim(), in.consumeInt()));
        }
        long[] shape = in.consumeBoolean() ? new long[] {images, model.dataDim()}
                : new long[] {images, in.consumeLong(0, 1L << 40), in.consumeLong(0, 1L << 40)};
        byte[] fingerprint = in.consumeBoolean() ? model.fingerprint() : in.consumeBytes(32);
        if (fingerprint.length != 32) {
            fingerprint = model.fingerprint();
        }
        byte[] params = in.consumeBoolean() ? p.toBytes() : in.consumeBytes(80);
        byte[] head = new Container.Header(CodecId.BITSBACK, in.consumeInt(0, 3), fingerprint, shape, params, entries).toBytes();
        ByteBuffer file = ByteBuffer.allocate(head.length + Arrays.stream(streams).mapToInt(s -> s.length).sum());
        file.put(head);
        for (byte[] s : streams) {
            file.put(s);
        }
        try {
            decode(file.array(), model);
        } catch (CorruptInputException | WrongModelException expected) {
            // the one error for damaged input, or another model named
        } catch (IllegalArgumentException notBitsBack) {
            assertNotEquals(CodecId.BITSBACK, Container.read(MemorySegment.ofArray(file.array())).codec(), notBitsBack.getMessage());
        }
    }

    /** The codec parameters alone: parameters that read write back to bytes that read as the same parameters. */
    @FuzzTest(maxDuration = "30s")
    void parameters(byte[] bytes) {
        BitsBackParams p;
        try {
            p = BitsBackParams.fromBytes(bytes);
        } catch (CorruptInputException expected) {
            return;
        }
        assertEquals(p, BitsBackParams.fromBytes(p.toBytes()));
    }
}
