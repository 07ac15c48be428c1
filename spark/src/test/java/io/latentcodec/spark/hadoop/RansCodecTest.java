package io.latentcodec.spark.hadoop;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bytes.ChunkedBytes;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** The Hadoop codec's streams without Spark: seeded round trips in random write and read sizes, and every cut and flip of a small stream. */
class RansCodecTest {
    static LongStream seeds() {
        return LongStream.range(0, 80);
    }

    static RansCodec codec(int order, int chunk) {
        RansCodec c = order == 1 ? new Rans1Codec() : new RansCodec();
        Configuration conf = new Configuration(false);
        conf.setInt(RansCodec.CHUNK, chunk);
        c.setConf(conf);
        return c;
    }

    static byte[] write(CompressionCodec codec, byte[] data, SplittableRandom rnd) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (CompressionOutputStream out = codec.createOutputStream(sink)) {
            for (int at = 0; at < data.length; ) {
                if (rnd.nextInt(8) == 0) {
                    out.write(data[at++]);
                } else {
                    int n = Math.min(data.length - at, rnd.nextInt(3000));
                    out.write(data, at, n);
                    at += n;
                }
            }
        }
        return sink.toByteArray();
    }

    static byte[] read(CompressionCodec codec, byte[] file, SplittableRandom rnd) throws IOException {
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (CompressionInputStream in = codec.createInputStream(new ByteArrayInputStream(file))) {
            byte[] buf = new byte[4096];
            while (true) {
                if (rnd.nextInt(10) == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    back.write(b);
                } else {
                    int n = in.read(buf, 0, 1 + rnd.nextInt(buf.length));
                    if (n < 0) {
                        break;
                    }
                    back.write(buf, 0, n);
                }
            }
        }
        return back.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void roundTripsAndTheCliReadsIt(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] data = new byte[rnd.nextInt(5) == 0 ? rnd.nextInt(3) : rnd.nextInt(60_000)];
        int alphabet = 1 + rnd.nextInt(256);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) rnd.nextInt(alphabet);
        }
        int order = rnd.nextInt(2);
        int chunk = 1 + rnd.nextInt(rnd.nextBoolean() ? 100 : 20_000);
        RansCodec codec = codec(order, chunk);
        byte[] file = write(codec, data, rnd);
        String what = "seed " + seed + ", order " + order + ", chunk " + chunk + ", " + data.length + " bytes";
        assertArrayEquals(data, read(codec, file, rnd), what);
        assertArrayEquals(data, ChunkedBytes.decompress(file), what + ": the CLI's reader");
        assertEquals(Math.max(1, (data.length + chunk - 1) / chunk), ChunkedBytes.members(java.lang.foreign.MemorySegment.ofArray(file)).size(), what);
    }

    @Test
    void aFileTheCliWroteIsReadChainByChain() throws IOException {
        byte[] data = "a file of several chains, as ./latentcodec compress writes it. ".repeat(400).getBytes();
        java.nio.file.Path f = java.nio.file.Files.createTempFile("cli", ".rans");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ChunkedBytes.compress(java.lang.foreign.MemorySegment.ofArray(data), 1, 1000, 2, null, ChunkedBytes.sink(ch));
        }
        byte[] file = java.nio.file.Files.readAllBytes(f);
        java.nio.file.Files.delete(f);
        assertEquals(26, io.latentcodec.engine.container.Container.read(java.lang.foreign.MemorySegment.ofArray(file)).chains().size());
        assertArrayEquals(data, read(new RansCodec(), file, new SplittableRandom(1)));
    }

    @Test
    void everyCutAndFlipOfASmallStreamIsCaught() throws IOException {
        byte[] data = "to be or not to be, that is the question; ".repeat(6).getBytes();
        RansCodec codec = codec(0, 100);
        byte[] file = write(codec, data, new SplittableRandom(7));
        for (int len = 0; len < file.length; len++) {
            byte[] cut = Arrays.copyOf(file, len);
            assertThrows(CorruptInputException.class, () -> read(codec, cut, new SplittableRandom(3)), "cut to " + len);
        }
        for (int bit = 0; bit < file.length * 8; bit++) {
            byte[] bad = file.clone();
            bad[bit >>> 3] ^= (byte) (1 << (bit & 7));
            try {
                assertArrayEquals(data, read(codec, bad, new SplittableRandom(3)), "bit " + bit + " decoded to other data");
            } catch (CorruptInputException expected) {
                // the one error for damaged input
            } catch (RuntimeException other) {
                fail("flip of bit " + bit + " threw " + other, other);
            }
        }
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertThrows(CorruptInputException.class, () -> read(codec, longer, new SplittableRandom(3)), "a trailing byte");
    }
}
