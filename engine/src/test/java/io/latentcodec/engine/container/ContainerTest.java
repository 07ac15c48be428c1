package io.latentcodec.engine.container;

import io.latentcodec.CorruptInputException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerTest {

    static Container.Header sample() {
        byte[] fp = new byte[32];
        fp[3] = 9;
        return new Container.Header(CodecId.BITSBACK, 0, fp, new long[] {10, 28, 28}, new byte[] {1, 2, 3},
                List.of(new Container.Chain(5, 3920, 77), new Container.Chain(2, 3920, -1)));
    }

    static byte[] file(Container.Header h) {
        byte[] head = h.toBytes();
        byte[] f = new byte[(int) h.totalBytes()];
        System.arraycopy(head, 0, f, 0, head.length);
        return f;
    }

    @Test
    void headerRoundTrips() {
        Container.Header h = sample();
        Container.Header r = Container.read(MemorySegment.ofArray(file(h)));
        assertEquals(h, r);
        assertEquals(h.streamsAt() + 5, r.streamAt(1));
        assertTrue(r.hasFingerprint());
    }

    @Test
    void trailingGarbageAndTruncationAreRefused() {
        byte[] f = file(sample());
        byte[] longer = java.util.Arrays.copyOf(f, f.length + 1);
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> Container.read(MemorySegment.ofArray(longer)));
        assertTrue(e.getMessage().contains("longer than its chains"), e.getMessage());
        byte[] shorter = java.util.Arrays.copyOf(f, f.length - 1);
        e = assertThrows(CorruptInputException.class, () -> Container.read(MemorySegment.ofArray(shorter)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /** A tiny file whose (valid-checksum) header declares 2^31 images in 2^31 chains is refused before any allocation. */
    @Test
    void hugeDeclarationsInATinyFileAreRefused() {
        int h = 32 + 1 + 8 + 4 + 4;
        ByteBuffer b = ByteBuffer.allocate(16 + h).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Container.MAGIC).put((byte) 1).put((byte) CodecId.BITSBACK.id()).putShort((short) 0).putInt(h).putInt(0);
        b.position(16 + 32);
        b.put((byte) 1).putLong(1L << 31); // 2^31 images
        b.putInt(0); // no params
        b.putInt(Integer.MIN_VALUE); // 2^31 chains
        b.putInt(12, Container.headerCrc(b.array()));
        CorruptInputException e = assertThrows(CorruptInputException.class, () -> Container.read(MemorySegment.ofArray(b.array())));
        assertTrue(e.getMessage().contains("chain count"), e.getMessage());
    }

    @Test
    void headerDamageIsCaughtByItsChecksum() {
        byte[] f = file(sample());
        for (int i = 16; i < sample().streamsAt(); i++) {
            byte[] bad = f.clone();
            bad[i] ^= 0x10;
            assertThrows(CorruptInputException.class, () -> Container.read(MemorySegment.ofArray(bad)), "byte " + i);
        }
    }
}
