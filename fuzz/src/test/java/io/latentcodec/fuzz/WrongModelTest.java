package io.latentcodec.fuzz;

import io.latentcodec.engine.bitsback.FakeVae;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.BitsBackParams;
import io.latentcodec.engine.container.Container;
import io.latentcodec.models.Likelihood;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A bits-back stream decoded with a model other than its own is refused, never decoded to other
 * images: by the fingerprint when the file is honest, and by the decoder's own checks (final
 * state, per-chain CRC32C) when a forged header claims the other model's fingerprint.
 */
class WrongModelTest {

    static LongStream seeds() {
        return LongStream.range(0, 12);
    }

    static byte[][] images(SplittableRandom r, int n, int d, int max) {
        byte[][] im = new byte[n][d];
        for (byte[] img : im) {
            for (int i = 0; i < d; i++) {
                img[i] = (byte) r.nextInt(max + 1);
            }
        }
        return im;
    }

    /** The file with its header replaced (checksum recomputed), streams kept. */
    static byte[] withHeader(byte[] file, Container.Header h) {
        Container.Header old = Container.read(MemorySegment.ofArray(file));
        byte[] head = h.toBytes();
        byte[] streams = Arrays.copyOfRange(file, (int) old.streamsAt(), file.length);
        return ByteBuffer.allocate(head.length + streams.length).put(head).put(streams).array();
    }

    /**
     * Two models of the same shapes (seeded weights differ): the honest file is refused by the
     * fingerprint with a message naming both; a forged header carrying the other model's
     * fingerprint gets past that and must fail the decoder's checks instead.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void anotherModelIsRefusedEvenWithAForgedFingerprint(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Likelihood lik = Likelihood.values()[(int) (seed % 3)];
        int d = 4 + r.nextInt(30);
        int l = 1 + r.nextInt(4);
        int batch = 1 + r.nextInt(5);
        FakeVae a = new FakeVae(lik, d, l, batch, 100 + seed);
        FakeVae b = new FakeVae(lik, d, l, batch, 200 + seed);
        int n = 1 + r.nextInt(20);
        byte[][] im = images(r, n, d, lik.maxValue());
        byte[] file = BitsBack.compress(im, new long[] {n, d}, a, BitsBack.Options.defaults().withThreads(1).withChains(1 + r.nextInt(2)), null)
                .container();
        WrongModelException e = assertThrows(WrongModelException.class, () -> BitsBack.decompress(MemorySegment.ofArray(file), b, 1, null),
                "seed " + seed);
        assertTrue(e.getMessage().contains("compressed with model 'fake-" + lik.id() + "'"), e.getMessage());

        Container.Header h = Container.read(MemorySegment.ofArray(file));
        byte[] forged = withHeader(file, new Container.Header(h.codec(), h.flags(), b.fingerprint(), h.shape(), h.params(), h.chains()));
        try {
            byte[][] back = BitsBack.decompress(MemorySegment.ofArray(forged), b, 1, null);
            fail("seed " + seed + " (" + lik + "): the other model decoded " + back.length + " images ("
                    + (Arrays.deepEquals(im, back) ? "the same ones: the models agree on every float?" : "other ones") + ")");
        } catch (CorruptInputException expected) {
            // the final state or a chain's checksum gave it away
        }
    }

    /**
     * Parameters that contradict the model whose fingerprint the file records (here a forged data
     * dimension, with shape and chain sizes to match) are corrupt input; they once reached the
     * codec's constructor and came out as an IllegalArgumentException about a mismatched model.
     */
    @Test
    void parametersContradictingTheFingerprintedModelAreCorrupt() {
        FakeVae a = new FakeVae(Likelihood.BETA_BINOMIAL, 12, 2, 3, 1);
        byte[][] im = images(new SplittableRandom(1), 4, 12, 255);
        byte[] file = BitsBack.compress(im, new long[] {4, 12}, a, BitsBack.Options.defaults().withThreads(1), null).container();
        Container.Header h = Container.read(MemorySegment.ofArray(file));
        BitsBackParams p = BitsBackParams.fromBytes(h.params());
        BitsBackParams wider = new BitsBackParams(p.lanes(), p.priorBits(), p.posteriorPrecision(), p.likelihoodPrecision(), p.likelihoodId(),
                p.seed(), p.modelBatch(), 16, p.latentDim(), p.rampStart(), p.modelName());
        Container.Chain c = h.chains().get(0);
        byte[] forged = withHeader(file, new Container.Header(h.codec(), h.flags(), h.fingerprint(), new long[] {4, 16}, wider.toBytes(),
                List.of(new Container.Chain(c.streamBytes(), 4 * 16, c.crc32c()))));
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> BitsBack.decompress(MemorySegment.ofArray(forged), a, 1, null));
        assertTrue(e.getMessage().contains("contradict model 'fake-beta-binomial'"), e.getMessage());
    }
}
