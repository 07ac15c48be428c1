package io.latentcodec.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path tmp;

    private static byte[][] images(int n, int px, long seed) {
        Random r = new Random(seed);
        byte[][] out = new byte[n][px];
        for (byte[] img : out) {
            r.nextBytes(img);
        }
        return out;
    }

    private static byte[] header(int type, int... dims) {
        byte[] h = new byte[4 + 4 * dims.length];
        h[2] = (byte) type;
        h[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            h[4 + 4 * i] = (byte) (dims[i] >>> 24);
            h[5 + 4 * i] = (byte) (dims[i] >>> 16);
            h[6 + 4 * i] = (byte) (dims[i] >>> 8);
            h[7 + 4 * i] = (byte) dims[i];
        }
        return h;
    }

    @Test
    void imagesRoundTripThroughBytesAndGzipFiles() throws IOException {
        byte[][] imgs = images(37, 28 * 28, 1);
        Idx idx = Idx.ofImages(imgs, 28, 28);
        byte[] bytes = idx.toBytes();
        assertEquals(16 + 37 * 784, bytes.length);
        assertArrayEquals(header(0x08, 37, 28, 28), Arrays.copyOf(bytes, 16));
        Idx back = Idx.parse(bytes);
        assertEquals(idx, back);
        assertArrayEquals(imgs, back.images());
        for (String name : new String[] {"a-idx3-ubyte", "a-idx3-ubyte.gz"}) {
            Path f = tmp.resolve(name);
            idx.write(f);
            assertEquals(idx, Idx.read(f));
        }
        assertTrue(Files.size(tmp.resolve("a-idx3-ubyte.gz")) != bytes.length, "the .gz file is gzipped");
    }

    @Test
    void labelsAndOtherTypesRoundTrip() {
        int[] labels = {0, 9, 255, 3};
        assertArrayEquals(labels, Idx.parse(Idx.ofLabels(labels).toBytes()).labels());
        for (Idx.Type t : Idx.Type.values()) {
            byte[] data = new byte[2 * 3 * t.size()];
            new Random(t.ordinal()).nextBytes(data);
            Idx idx = Idx.of(t, new int[] {2, 3}, data);
            Idx back = Idx.parse(idx.toBytes());
            assertEquals(t, back.type());
            assertArrayEquals(data, back.data());
            assertEquals(6, back.count());
        }
        Idx empty = Idx.parse(header(0x08, 0, 28, 28));
        assertEquals(0, empty.images().length);
    }

    private static MalformedDataException bad(byte[] bytes) {
        return assertThrows(MalformedDataException.class, () -> Idx.parse(bytes));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void truncatedHeadersAndDataNameTheOffset() {
        assertEquals(0, bad(new byte[0]).offset());
        MalformedDataException e = bad(new byte[] {0, 0, 8});
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
        e = bad(Arrays.copyOf(header(0x08, 10, 28, 28), 9));
        assertTrue(e.getMessage().contains("3 dimensions declared"), e.getMessage());
        byte[] good = Idx.ofImages(images(10, 784, 2), 28, 28).toBytes();
        e = bad(Arrays.copyOf(good, good.length - 100));
        assertEquals(good.length - 100, e.offset());
        assertTrue(e.getMessage().contains("truncated IDX data") && e.getMessage().contains("7840 bytes"), e.getMessage());
    }

    @Test
    void badMagicUnknownTypeRankZeroAndTrailingBytesAreRefused() {
        byte[] good = Idx.ofLabels(new int[] {1, 2, 3}).toBytes();
        byte[] magic = good.clone();
        magic[0] = 1;
        assertTrue(bad(magic).getMessage().contains("bad IDX magic 01 00"));
        byte[] gz = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0};
        assertEquals(0, bad(gz).offset());
        byte[] type = good.clone();
        type[2] = 0x07;
        MalformedDataException e = bad(type);
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("unknown IDX type code 0x07"));
        byte[] rank = good.clone();
        rank[3] = 0;
        assertEquals(3, bad(rank).offset());
        e = bad(concat(good, new byte[] {42}));
        assertEquals(good.length, e.offset());
        assertTrue(e.getMessage().contains("trailing bytes"));
    }

    @Test
    void hugeDeclaredDimensionsAreRefusedBeforeAllocating() throws IOException {
        // 2^31-1 cubed: would overflow any size computation
        MalformedDataException e = bad(header(0x08, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
        // a dimension above 2^31 - 1
        byte[] h = header(0x08, 1, 1);
        h[4] = (byte) 0xFF;
        assertTrue(bad(h).getMessage().contains("more than 2^31 - 1"));
        // 4 GiB of doubles declared by a 12-byte stream
        e = assertThrows(MalformedDataException.class,
                () -> Idx.read(new ByteArrayInputStream(header(0x0E, 1 << 29)), Idx.DEFAULT_MAX_DATA_BYTES));
        assertTrue(e.getMessage().contains("over the limit of 1073741824"), e.getMessage());
        // under the cap but far more than present: a truncation error, not an allocation of 512 MB
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        e = assertThrows(MalformedDataException.class,
                () -> Idx.read(new ByteArrayInputStream(concat(header(0x08, 1 << 29), new byte[10])), Idx.DEFAULT_MAX_DATA_BYTES));
        assertTrue(e.getMessage().contains("only 10 present"), e.getMessage());
        assertTrue(rt.totalMemory() - rt.freeMemory() - before < 256L << 20, "no 512 MB buffer for a 10-byte payload");
        // a caller's own cap
        e = assertThrows(MalformedDataException.class, () -> Idx.read(new ByteArrayInputStream(header(0x08, 1000)), 999));
        assertTrue(e.getMessage().contains("over the limit of 999"));
    }

    /** Fuzz finding: 16 bytes declaring 2^31 - 1 images of 0 pixels made images() allocate one array per image (OutOfMemoryError). */
    @Test
    void imagesOfZeroPixelsAreRefusedBeforeAllocatingOnePerImage() {
        Idx idx = Idx.parse(header(0x08, Integer.MAX_VALUE, 0, 28)); // no elements: a valid IDX file
        MalformedDataException e = assertThrows(MalformedDataException.class, idx::images);
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("2147483647 images of 0 pixels"), e.getMessage());
        assertEquals(0, Idx.parse(header(0x08, 0, 28, 28)).images().length, "no images at all is fine");
    }

    @Test
    void damagedGzipIsAMalformedDataError() throws IOException {
        Path f = tmp.resolve("x.gz");
        Idx.ofImages(images(50, 784, 3), 28, 28).write(f);
        byte[] gz = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void wrongKindsAreIllegalArguments() {
        Idx labels = Idx.ofLabels(new int[] {1});
        assertThrows(IllegalArgumentException.class, labels::images);
        assertThrows(IllegalArgumentException.class, () -> Idx.ofImages(images(1, 783, 4), 28, 28).labels());
        assertThrows(IllegalArgumentException.class, () -> Idx.ofLabels(new int[] {256}));
        assertThrows(IllegalArgumentException.class, () -> Idx.of(Idx.Type.INT, new int[] {2}, new byte[7]));
    }
}
