package io.latentcodec.engine.bitsback;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.container.Container;
import io.latentcodec.models.Likelihood;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Bits-back round trips with a tiny deterministic Java model: seeded, every likelihood, chains, lanes, precisions. */
class BitsBackTest {

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    static byte[][] images(SplittableRandom r, int n, int d, int max) {
        byte[][] im = new byte[n][d];
        for (byte[] img : im) {
            int base = r.nextInt(max + 1);
            for (int i = 0; i < d; i++) {
                img[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(max + 1) : base);
            }
        }
        return im;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void roundTrip(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Likelihood lik = Likelihood.values()[r.nextInt(Likelihood.values().length)];
        int d = 4 + r.nextInt(40);
        int l = 1 + r.nextInt(8);
        int batch = 1 + r.nextInt(12);
        FakeVae model = new FakeVae(lik, d, l, batch, seed);
        int n = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(120);
        byte[][] im = images(r, n, d, lik.maxValue());
        int prior = 1 + r.nextInt(14);
        BitsBack.Options o = BitsBack.Options.defaults()
                .withChains(1 + r.nextInt(4)).withThreads(1 + r.nextInt(3)).withLanes(1 + r.nextInt(20))
                .withPrecisions(prior, prior + r.nextInt(25 - prior), 9 + r.nextInt(16));
        BitsBack.Result res = BitsBack.compress(im, new long[] {n, d}, model, o, null);
        byte[][] back = BitsBack.decompress(MemorySegment.ofArray(res.container()), model, 2, null);
        assertEquals(n, back.length, "seed " + seed);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(im[i], back[i], "seed " + seed + " (" + lik + ", chains " + res.stats().chains() + "): image " + i);
        }
    }

    /**
     * Locally autoregressive models (a random Java context net): the decoder recomputes every
     * pixel's parameters from the pixels it has decoded, round by round, and must get the encoder's
     * floats; batches smaller than the lanes (the ramp) and larger ones, every likelihood.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void autoregressiveRoundTrip(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 7_000);
        Likelihood lik = Likelihood.values()[r.nextInt(Likelihood.values().length)];
        int d = 4 + r.nextInt(40);
        int l = 1 + r.nextInt(8);
        int batch = 1 + r.nextInt(12);
        FakeVae model = FakeVae.autoregressive(lik, d, l, batch, seed);
        int n = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(120);
        byte[][] im = images(r, n, d, lik.maxValue());
        BitsBack.Options o = BitsBack.Options.defaults()
                .withChains(1 + r.nextInt(4)).withThreads(1 + r.nextInt(3)).withLanes(1 + r.nextInt(20))
                .withPrecisions(1 + r.nextInt(12), 16 + r.nextInt(9), 12 + r.nextInt(13));
        String where = "seed " + seed + " (" + lik + ", " + model.contextNet().orElseThrow().spec().id() + ", batch " + batch + ", lanes "
                + o.lanes() + ")";
        BitsBack.Result res = BitsBack.compress(im, new long[] {n, d}, model, o, null);
        assertTrue(BitsBack.parse(MemorySegment.ofArray(res.container())).params().autoregressive(), where + ": version 2 parameters");
        byte[][] back = BitsBack.decompress(MemorySegment.ofArray(res.container()), model, 2, null);
        assertEquals(n, back.length, where);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(im[i], back[i], where + ": image " + i);
        }
    }

    @Test
    void aPlainModelCannotDecodeAnAutoregressiveFile() {
        FakeVae ar = FakeVae.autoregressive(Likelihood.BETA_BINOMIAL, 16, 3, 4, 1);
        byte[][] im = images(new SplittableRandom(1), 10, 16, 255);
        byte[] c = BitsBack.compress(im, new long[] {10, 16}, ar, BitsBack.Options.defaults(), null).container();
        BitsBackParams p = BitsBack.parse(MemorySegment.ofArray(c)).params();
        assertTrue(p.autoregressive());
        assertEquals(p, BitsBackParams.fromBytes(p.toBytes()));
        FakeVae plain = new FakeVae(Likelihood.BETA_BINOMIAL, 16, 3, 4, 1);
        // another model (its own fingerprint): the wrong model
        FakeVae other = new FakeVae(Likelihood.BETA_BINOMIAL, 16, 3, 4, 2);
        assertThrows(WrongModelException.class, () -> BitsBack.decompress(MemorySegment.ofArray(c), other, 1, null));
        // the fingerprint the file records, but no context net: the parameters contradict it, so the header is damaged
        CorruptInputException bad = assertThrows(CorruptInputException.class, () -> BitsBack.decompress(MemorySegment.ofArray(c), plain, 1, null));
        assertTrue(bad.getMessage().contains("context net"), bad.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BitsBackCodec(plain, p));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void plainParametersStayVersion1() {
        BitsBackParams p = new BitsBackParams(8, 12, 24, 24, 1, 5, 100, 784, 50, 1, "mnist");
        byte[] b = p.toBytes();
        assertEquals(1, b[0]);
        assertEquals(p, BitsBackParams.fromBytes(b));
        BitsBackParams ar = new BitsBackParams(8, 12, 24, 24, 3, 5, 100, 784, 50, 1, "mnist-ar", true);
        byte[] a = ar.toBytes();
        assertEquals(2, a[0]);
        assertEquals(1, a[1]);
        assertEquals(b.length + 1 + 3, a.length); // the flags byte, and a name three bytes longer
        assertEquals(ar, BitsBackParams.fromBytes(a));
        a[1] = 3;
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> BitsBackParams.fromBytes(a));
        assertTrue(e.getMessage().contains("flags 0x3"), e.getMessage());
    }

    @Test
    void scheduleRampsByAQuarterThenHoldsTheBatch() {
        // floor(1.25^i) in 1/1024ths: 1, 1, 1, 1, 2, 3, 3, 4, 5, 7, 9, 11, 14, 18, 22, then what is left
        assertArrayEquals(new int[] {1, 1, 1, 1, 2, 3, 3, 4, 5, 7, 9, 11, 14, 18, 22, 8}, BitsBackCodec.schedule(110, 100, 1));
        assertArrayEquals(new int[] {}, BitsBackCodec.schedule(0, 100, 1));
        int[] s = BitsBackCodec.schedule(1000, 100, 1);
        assertEquals(1000, Arrays.stream(s).sum());
        assertTrue(Arrays.stream(s).allMatch(b -> b >= 1 && b <= 100));
        assertEquals(100, s[s.length - 2]);
    }

    @Test
    void anotherModelIsRefused() {
        FakeVae a = new FakeVae(Likelihood.BERNOULLI, 16, 3, 4, 1);
        FakeVae b = new FakeVae(Likelihood.BERNOULLI, 16, 3, 4, 2);
        byte[][] im = images(new SplittableRandom(1), 10, 16, 1);
        byte[] c = BitsBack.compress(im, new long[] {10, 16}, a, BitsBack.Options.defaults(), null).container();
        WrongModelException e = assertThrows(WrongModelException.class, () -> BitsBack.decompress(MemorySegment.ofArray(c), b, 1, null));
        assertTrue(e.getMessage().contains("fake-bernoulli"), e.getMessage());
    }

    @Test
    void pixelsOutsideTheModelsRangeAreRefused() {
        FakeVae a = new FakeVae(Likelihood.BERNOULLI, 16, 3, 4, 1);
        byte[][] im = images(new SplittableRandom(1), 3, 16, 1);
        im[2][5] = 7;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BitsBack.compress(im, new long[] {3, 16}, a, BitsBack.Options.defaults(), null));
        assertTrue(e.getMessage().contains("image 2 pixel 5 is 7"), e.getMessage());
    }

    /** Every single-bit flip and every truncation of a small file: the original images, or the corrupt-input error. */
    @Test
    void everyBitFlipAndTruncationIsCaught() {
        FakeVae model = new FakeVae(Likelihood.BETA_BINOMIAL, 12, 2, 3, 7);
        byte[][] im = images(new SplittableRandom(5), 9, 12, 255);
        byte[] c = BitsBack.compress(im, new long[] {9, 12}, model, BitsBack.Options.defaults().withChains(2).withThreads(1), null).container();
        for (int bit = 0; bit < c.length * 8; bit++) {
            byte[] bad = c.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                byte[][] back = BitsBack.decompress(MemorySegment.ofArray(bad), model, 1, null);
                for (int i = 0; i < im.length; i++) {
                    assertArrayEquals(im[i], back[i], "flip of bit " + bit + " decoded to other images");
                }
            } catch (CorruptInputException | WrongModelException expected) {
                // caught: the flip hit data (checksums, final state) or the fingerprint
            } catch (RuntimeException other) {
                fail("flip of bit " + bit + " threw " + other, other);
            }
        }
        for (int len = 0; len < c.length; len++) {
            byte[] cut = Arrays.copyOf(c, len);
            assertThrows(CorruptInputException.class, () -> BitsBack.decompress(MemorySegment.ofArray(cut), model, 1, null), "truncation to " + len);
        }
    }

    /**
     * A file of no images whose shape gives each image 2^40 x 2^40 pixels (valid checksum): the
     * product over all dimensions is 0 either way, so only the dimensions after the first tell;
     * the CLI once cast them to ints for the IDX it writes. The encoder refuses such shapes too.
     */
    @Test
    void theShapeOfNoImagesMustStillDescribeTheModelsImages() {
        FakeVae model = new FakeVae(Likelihood.BERNOULLI, 16, 3, 4, 1);
        byte[] c = BitsBack.compress(new byte[0][], new long[] {0, 4, 4}, model, BitsBack.Options.defaults(), null).container();
        assertEquals(0, BitsBack.decompress(MemorySegment.ofArray(c), model, 1, null).length);
        Container.Header h = Container.read(MemorySegment.ofArray(c));
        byte[] forged = new Container.Header(h.codec(), h.flags(), h.fingerprint(), new long[] {0, 1L << 40, 1L << 40}, h.params(), h.chains())
                .toBytes();
        byte[] file = Arrays.copyOf(forged, forged.length + (int) h.chains().get(0).streamBytes());
        System.arraycopy(c, (int) h.streamsAt(), file, forged.length, (int) h.chains().get(0).streamBytes());
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> BitsBack.parse(MemorySegment.ofArray(file)));
        assertTrue(e.getMessage().contains("does not match 0 images of 16 pixels"), e.getMessage());
        IllegalArgumentException misuse = assertThrows(IllegalArgumentException.class,
                () -> BitsBack.compress(new byte[0][], new long[] {0, 1L << 40, 1L << 40}, model, BitsBack.Options.defaults(), null));
        assertTrue(misuse.getMessage().contains("does not describe 0 images of 16 pixels"), misuse.getMessage());
    }

    /**
     * Chains of no images are trivially valid (a fresh message, the CRC of nothing), and each cost
     * the decoder a codec: at 20 prior bits a 60 KB file of 2,000 such chains took 14 s to decode
     * to nothing. The encoder writes none (an empty file has one), so the header is refused; and
     * the 8 MB scramble tables of 20 bits are now built once, not per chain.
     */
    @Test
    void emptyChainsAreRefusedAndScrambleTablesAreBuiltOnce() {
        FakeVae model = new FakeVae(Likelihood.BERNOULLI, 16, 3, 4, 1);
        BitsBackParams p = BitsBack.params(model, BitsBack.Options.defaults().withLanes(1).withPrecisions(20, 24, 24));
        java.util.List<Container.Chain> chains = new java.util.ArrayList<>();
        java.io.ByteArrayOutputStream streams = new java.io.ByteArrayOutputStream();
        for (int c = 0; c < 50; c++) {
            try (io.latentcodec.kernels.Message m = io.latentcodec.kernels.Message.create(1, p.seed() + c)) {
                byte[] s = m.toCompactByteArray();
                streams.writeBytes(s);
                chains.add(new Container.Chain(s.length, 0, 0));
            }
        }
        byte[] head = new Container.Header(io.latentcodec.engine.container.CodecId.BITSBACK, 0, model.fingerprint(), new long[] {0, 16},
                p.toBytes(), chains).toBytes();
        byte[] file = Arrays.copyOf(head, head.length + streams.size());
        System.arraycopy(streams.toByteArray(), 0, file, head.length, streams.size());
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> BitsBack.decompress(MemorySegment.ofArray(file), model, 1, null));
        assertTrue(e.getMessage().contains("chain 0 of 50 declares no images"), e.getMessage());
        assertSame(BitsBackCodec.scrambleTables(20), BitsBackCodec.scrambleTables(20));
    }

    /** A header (with a valid checksum) declaring 2^31 images over a tiny stream is refused before anything is decoded or allocated. */
    @Test
    void aTinyFileCannotDeclareBillionsOfImages() {
        FakeVae model = new FakeVae(Likelihood.BERNOULLI, 16, 3, 4, 1);
        byte[][] im = images(new SplittableRandom(1), 2, 16, 1);
        byte[] c = BitsBack.compress(im, new long[] {2, 16}, model, BitsBack.Options.defaults(), null).container();
        Container.Header h = Container.read(MemorySegment.ofArray(c));
        Container.Chain ch = h.chains().get(0);
        Container.Header forged = new Container.Header(h.codec(), h.flags(), h.fingerprint(), new long[] {1L << 31, 16}, h.params(),
                java.util.List.of(new Container.Chain(ch.streamBytes(), (1L << 31) * 16, ch.crc32c())));
        byte[] head = forged.toBytes();
        byte[] file = Arrays.copyOf(head, head.length + (int) ch.streamBytes());
        System.arraycopy(c, (int) h.streamsAt(), file, head.length, (int) ch.streamBytes());
        assertTrue(file.length < 400, "the forged file is small: " + file.length);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> BitsBack.decompress(MemorySegment.ofArray(file), model, 1, null));
        assertTrue(e.getMessage().contains("impossible"), e.getMessage());
    }
}
