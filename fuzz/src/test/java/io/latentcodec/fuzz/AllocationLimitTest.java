package io.latentcodec.fuzz;

import io.latentcodec.engine.bitsback.FakeVae;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.container.Container;
import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.StaticRans;
import io.latentcodec.models.Likelihood;
import io.latentcodec.models.data.GrayImage;
import io.latentcodec.models.data.Idx;
import io.latentcodec.models.data.MalformedDataException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allocation audit as tests: for each decoder, a small file whose header (checksum valid
 * where the format has one) declares an enormous size, shape, lane or chain count is refused with
 * the corrupt-input error (the data readers': {@link MalformedDataException}) while the thread
 * allocates no more than a fixed 256 KiB: nothing of the declared size is ever allocated.
 */
class AllocationLimitTest {
    static final long BUDGET = 256 << 10;

    /** Runs {@code decode}, which must throw {@code type}, within the budget; returns the exception. */
    static <T extends RuntimeException> T refusedWithin(Class<T> type, byte[] file, Runnable decode) {
        RuntimeException[] thrown = new RuntimeException[1];
        Allocation.bounded(file.length, 0, BUDGET, "decoding " + file.length + " forged bytes", () -> {
            try {
                decode.run();
            } catch (RuntimeException e) {
                thrown[0] = e;
            }
        });
        assertTrue(type.isInstance(thrown[0]), "expected " + type.getSimpleName() + ", got " + thrown[0]);
        return type.cast(thrown[0]);
    }

    /** 64 bytes of IDX: a header declaring 2^31 - 1 images of 28x28 pixels, and 48 bytes of pixels. */
    @Test
    void idxDeclaring2e31ImagesIn64Bytes() {
        byte[] file = ByteBuffer.allocate(64).put(new byte[] {0, 0, 8, 3}).putInt(Integer.MAX_VALUE).putInt(28).putInt(28).array();
        assertEquals(64, file.length);
        MalformedDataException e = refusedWithin(MalformedDataException.class, file, () -> Idx.parse(file));
        assertTrue(e.getMessage().contains("more than 2^31"), e.getMessage());
        // and 2^31 - 1 images of 0 pixels, which parse (no data), cannot make images() allocate a slot for each
        byte[] empty = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(Integer.MAX_VALUE).putInt(0).putInt(28).array();
        Idx idx = Idx.parse(empty);
        refusedWithin(MalformedDataException.class, empty, idx::images);
    }

    /** A bits-back container (valid header checksum) declaring 2^31 images over a stream of a few dozen bytes. */
    @Test
    void bitsBackContainerDeclaring2e31Images() {
        FakeVae model = new FakeVae(Likelihood.BERNOULLI, 16, 3, 4, 1);
        byte[][] im = {new byte[16], new byte[16]};
        byte[] c = BitsBack.compress(im, new long[] {2, 16}, model, BitsBack.Options.defaults().withThreads(1).withLanes(1), null).container();
        Container.Header h = Container.read(MemorySegment.ofArray(c));
        Container.Chain ch = h.chains().get(0);
        Container.Header forged = new Container.Header(h.codec(), h.flags(), h.fingerprint(), new long[] {1L << 31, 16}, h.params(),
                List.of(new Container.Chain(ch.streamBytes(), (1L << 31) * 16, ch.crc32c())));
        byte[] head = forged.toBytes();
        byte[] file = Arrays.copyOf(head, head.length + (int) ch.streamBytes());
        System.arraycopy(c, (int) h.streamsAt(), file, head.length, (int) ch.streamBytes());
        assertTrue(file.length <= 200, "the forged file is small: " + file.length);
        CorruptInputException e = refusedWithin(CorruptInputException.class, file,
                () -> BitsBack.decompress(MemorySegment.ofArray(file), model, 1, null));
        assertTrue(e.getMessage().contains("impossible"), e.getMessage());
        // 2^20 chains of 2^11 images each, all in the header's chain table with no streams: the table itself is the limit
        Container.Header many = new Container.Header(h.codec(), h.flags(), h.fingerprint(), new long[] {1L << 31, 16}, h.params(),
                java.util.Collections.nCopies(1024, new Container.Chain(0, (1L << 21) * 16, 0)));
        byte[] manyFile = many.toBytes();
        refusedWithin(CorruptInputException.class, manyFile, () -> BitsBack.decompress(MemorySegment.ofArray(manyFile), model, 1, null));
    }

    /** 65 bytes of container: 2^31 chains declared (checksum valid). */
    @Test
    void containerDeclaring2e31Chains() {
        byte[] file = SeedCorpus.forgedChainCount();
        CorruptInputException e = refusedWithin(CorruptInputException.class, file, () -> Container.read(MemorySegment.ofArray(file)));
        assertTrue(e.getMessage().contains("chain count"), e.getMessage());
    }

    /** A static rANS stream whose header declares 2^40 bytes over a two-symbol table and no words. */
    @Test
    void staticStreamDeclaring2e40Bytes() {
        byte[] s = StaticRans.compress("abababababab".getBytes(StandardCharsets.US_ASCII), 0);
        ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1L << 40);
        CorruptInputException e = refusedWithin(CorruptInputException.class, s, () -> StaticRans.decompress(s));
        assertTrue(e.getMessage().contains("cannot fit"), e.getMessage());
        // a single-symbol table makes any length possible (one byte repeated): the caller's cap refuses it before allocating
        byte[] run = StaticRans.compress(new byte[100], 0);
        ByteBuffer.wrap(run).order(ByteOrder.LITTLE_ENDIAN).putLong(8, (1L << 31) - 17);
        e = refusedWithin(CorruptInputException.class, run, () -> StaticRans.decompress(run, 64 << 20));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }

    /** A 32-byte message frame declaring 4096 lanes and 2^60 words; a 12-byte compact frame declaring 2^60 words. */
    @Test
    void messageFramesDeclaringHugeCounts() {
        byte[] full = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putInt(0x314D434C).putInt(Message.MAX_LANES).putLong(0)
                .putLong(0).putLong(1L << 60).array();
        refusedWithin(CorruptInputException.class, full, () -> Message.readFrom(full));
        byte[] compact = new byte[12];
        compact[0] = 0; // depth 0
        MemorySegment seg = MemorySegment.ofArray(compact);
        long v = 1L << 60; // varint of the word count
        int p = 1;
        while ((v & ~0x7FL) != 0) {
            compact[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        compact[p] = (byte) v;
        refusedWithin(CorruptInputException.class, compact, () -> Message.readCompact(seg, 0, compact.length, 8, 0, false));
    }

    /** Image files: a 52-byte PNG declaring 8195x16386 pixels, an 18-byte PGM declaring 32768x8192. */
    @Test
    void imagesDeclaringHugeRasters() {
        byte[] png = GrayImage.of(1, 1, new byte[1]).toPng();
        ByteBuffer.wrap(png).putInt(16, 8195).putInt(20, 16386);
        refusedWithin(MalformedDataException.class, png, () -> GrayImage.parse(png));
        byte[] pgm = "P5\n32768 8192\n255\n0123".getBytes(StandardCharsets.US_ASCII);
        refusedWithin(MalformedDataException.class, pgm, () -> GrayImage.parse(pgm));
        byte[] plain = "P2\n32768 8192\n255\n0 1 2".getBytes(StandardCharsets.US_ASCII);
        refusedWithin(MalformedDataException.class, plain, () -> GrayImage.parse(plain));
    }
}
