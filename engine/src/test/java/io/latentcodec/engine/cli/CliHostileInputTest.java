package io.latentcodec.engine.cli;

import io.latentcodec.engine.bitsback.BitsBackParams;
import io.latentcodec.engine.container.Container;
import io.latentcodec.models.data.GrayImage;
import io.latentcodec.models.data.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged and hostile files through the command line, as a user meets them: every outcome is
 * either the original data or exit status 1 with one line on stderr naming the corrupt input,
 * no output under the target name and no temporary file left; never status 4 (a bug), a stack
 * trace, or other data.
 */
class CliHostileInputTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        /** A refusal of corrupt input as the CLI must print it. */
        void assertCorrupt(String what) {
            assertEquals(Main.EXIT_CORRUPT, code, what + ": " + err);
            assertTrue(err.startsWith("latentcodec: corrupt input") || err.startsWith("latentcodec: malformed data"), what + ": " + err);
            assertEquals(1, err.strip().lines().count(), what + ": not one line: " + err);
        }
    }

    /**
     * {@code decompress -q --threads 1 IN OUT} without picocli's parsing (a few milliseconds per
     * call, thousands of calls here): the command itself, its errors mapped to a line and an
     * exit status exactly as {@link Main#run}'s handler maps them. Every path is also run
     * through {@link Main#run} in the other tests.
     */
    static Result decompress(Path in, Path out) {
        DecompressCommand cmd = new DecompressCommand();
        cmd.device = "cpu";
        cmd.opts.threads = 1;
        cmd.opts.quiet = true;
        cmd.in = in;
        cmd.out = out;
        try {
            return new Result(cmd.call(), "", "");
        } catch (Exception ex) {
            return new Result(Main.exitCode(ex), "", "latentcodec: " + Main.describe(ex) + System.lineSeparator());
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    void assertNoOutputLeft(Path out, String what) throws Exception {
        assertFalse(Files.exists(out), what + ": output left under the target name");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".part")), what + ": temporary file left behind");
        }
    }

    /**
     * Every single-bit flip and every truncation of a small static-codec file, decompressed by the
     * CLI: the original bytes (exit 0), or exit 1 and nothing written. {@code info} on every
     * eighth truncation and every 64th flip must end in 0 or 1. (One chain of 24 bytes keeps this to
     * about 2,500 flips per codec; ChunkedBytesTest flips files of several chains.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"rans0", "rans1"})
    void everyBitFlipAndTruncationOfASmallFile(String codec) throws Exception {
        byte[] data = new byte[24];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + Math.min(25, (int) Math.abs(r.nextGaussian() * 3)));
        }
        Path in = dir.resolve("in.txt");
        Files.write(in, data);
        Path file = dir.resolve("c.lc");
        Result c = run("compress", "--codec", codec, "--chunk-size", "100", "--threads", "1", "-q", in.toString(), file.toString());
        assertEquals(0, c.code, c.err);
        byte[] good = Files.readAllBytes(file);
        assertEquals(1, Container.read(MemorySegment.ofArray(good)).chains().size());
        Path bad = dir.resolve("bad.lc");
        Path out = dir.resolve("out.bin");
        int decodedAnyway = 0;
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] b = good.clone();
            b[bit >>> 3] ^= (byte) (1 << (bit & 7));
            Files.write(bad, b);
            String what = codec + " flip of bit " + bit;
            Result d = bit % 64 == 0 ? run("decompress", "--threads", "1", "-q", bad.toString(), out.toString()) : decompress(bad, out);
            if (d.code == 0) {
                assertArrayEquals(data, Files.readAllBytes(out), what + " decoded to other data");
                Files.delete(out);
                decodedAnyway++;
            } else {
                d.assertCorrupt(what);
                assertNoOutputLeft(out, what);
            }
            if (bit % 64 == 0) {
                Result i = run("info", bad.toString());
                assertTrue(i.code == 0 || i.code == Main.EXIT_CORRUPT, what + ": info exited " + i.code + ": " + i.err);
            }
        }
        for (int len = 0; len < good.length; len++) {
            Files.write(bad, Arrays.copyOf(good, len));
            decompress(bad, out).assertCorrupt(codec + " truncated to " + len);
            assertNoOutputLeft(out, codec + " truncated to " + len);
            if (len % 8 == 0) {
                run("info", bad.toString()).assertCorrupt("info of " + codec + " truncated to " + len);
            }
        }
        // flips that still decode can only be in bits no check reads (none in this format): say how many there were
        assertEquals(0, decodedAnyway, "flips that decoded to the original despite the damage");
    }

    // ---- bits-back, with a shipped model (TensorFlow) ----

    /** Seeded binary 28x28 images as an IDX file; the Bernoulli model codes them (badly: they are noise). */
    Path binaryImages(int n) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        byte[][] im = new byte[n][784];
        for (byte[] img : im) {
            for (int i = 0; i < img.length; i++) {
                img[i] = (byte) (r.nextInt(6) == 0 ? 1 : 0);
            }
        }
        Path p = dir.resolve("images.idx");
        Files.write(p, Idx.ofImages(im, 28, 28).toBytes());
        return p;
    }

    /**
     * A small bits-back file through the CLI: seeded flips anywhere (each decoded by the model the
     * file names), every truncation, another model, a header naming a model by path, and a forged
     * header declaring no images of 2^40 x 2^40 pixels, all with valid header checksums where the
     * header was edited.
     */
    @Test
    void damagedAndForgedBitsBackFiles() throws Exception {
        Path idx = binaryImages(3);
        byte[] images = Files.readAllBytes(idx);
        Path file = dir.resolve("bb.lc");
        Result c = run("compress", "--codec", "bitsback", "--model", "mnist-binarized", "--threads", "1", "-q", idx.toString(), file.toString());
        assertEquals(0, c.code, c.err);
        byte[] good = Files.readAllBytes(file);
        Path out = dir.resolve("back.idx");
        Result ok = run("decompress", "--threads", "1", "-q", file.toString(), out.toString());
        assertEquals(0, ok.code, ok.err);
        assertArrayEquals(images, Files.readAllBytes(out));
        Files.delete(out);

        Container.Header h = Container.read(MemorySegment.ofArray(good));
        SplittableRandom r = new SplittableRandom(2024);
        Path bad = dir.resolve("bad.lc");
        for (int k = 0; k < 14; k++) {
            // half in the header (caught by its checksum), half in the chain streams (caught by the decoder's checks)
            int bit = k % 2 == 0 ? r.nextInt((int) h.streamsAt() * 8) : (int) h.streamsAt() * 8 + r.nextInt((int) (good.length - h.streamsAt()) * 8);
            byte[] b = good.clone();
            b[bit >>> 3] ^= (byte) (1 << (bit & 7));
            Files.write(bad, b);
            Result d = run("decompress", "--threads", "1", "-q", bad.toString(), out.toString());
            if (d.code == 0) {
                assertArrayEquals(images, Files.readAllBytes(out), "flip of bit " + bit + " decoded to other images");
                Files.delete(out);
            } else {
                d.assertCorrupt("flip of bit " + bit);
                assertNoOutputLeft(out, "flip of bit " + bit);
            }
        }
        for (int len = 0; len < good.length; len++) {
            Files.write(bad, Arrays.copyOf(good, len));
            run("decompress", "-q", bad.toString(), out.toString()).assertCorrupt("truncated to " + len);
        }
        assertNoOutputLeft(out, "truncations");

        // another model: refused before decoding, one line naming both
        Result wrong = run("decompress", "--model", "mnist", "-q", file.toString(), out.toString());
        assertEquals(Main.EXIT_USAGE, wrong.code, wrong.err);
        assertTrue(wrong.err.contains("compressed with model 'mnist-binarized'") && wrong.err.contains("'mnist'"), wrong.err);
        assertEquals(1, wrong.err.strip().lines().count(), wrong.err);
        assertNoOutputLeft(out, "wrong model");

        // a file naming its model by a path is never loaded from there
        BitsBackParams p = BitsBackParams.fromBytes(h.params());
        for (String name : new String[] {"../../models/mnist-binarized", "/tmp/x", ".hidden"}) {
            BitsBackParams forged = new BitsBackParams(p.lanes(), p.priorBits(), p.posteriorPrecision(), p.likelihoodPrecision(),
                    p.likelihoodId(), p.seed(), p.modelBatch(), p.dataDim(), p.latentDim(), p.rampStart(), name);
            Files.write(bad, withHeader(good, new Container.Header(h.codec(), h.flags(), h.fingerprint(), h.shape(), forged.toBytes(), h.chains())));
            Result d = run("decompress", "-q", bad.toString(), out.toString());
            assertEquals(Main.EXIT_USAGE, d.code, d.err);
            assertTrue(d.err.contains("not a shipped model's name"), d.err);
            assertNoOutputLeft(out, "model named " + name);
        }

        // no images, but dimensions of 2^40 x 2^40 pixels each: refused (they once reached the IDX writer as garbage ints)
        Container.Header empty = new Container.Header(h.codec(), h.flags(), h.fingerprint(), new long[] {0, 1L << 40, 1L << 40}, h.params(),
                java.util.List.of(new Container.Chain(0, 0, 0)));
        Files.write(bad, empty.toBytes());
        run("decompress", "-q", bad.toString(), out.toString()).assertCorrupt("no images of 2^80 pixels");
        assertNoOutputLeft(out, "no images of 2^80 pixels");
    }

    /** The file with its header replaced (checksum recomputed by {@link Container.Header#toBytes}); streams kept. */
    static byte[] withHeader(byte[] file, Container.Header h) {
        Container.Header old = Container.read(MemorySegment.ofArray(file));
        byte[] head = h.toBytes();
        byte[] streams = Arrays.copyOfRange(file, (int) old.streamsAt(), file.length);
        return ByteBuffer.allocate(head.length + streams.length).put(head).put(streams).array();
    }

    /** Inputs to compress that declare far more than they hold: exit 1 at once, nothing written. */
    @Test
    void hostileImageInputsToCompress() throws Exception {
        Path out = dir.resolve("x.lc");
        // 16 bytes of IDX header declaring 2^31 - 1 images of 28x28
        Path huge = dir.resolve("huge.idx");
        Files.write(huge, ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(Integer.MAX_VALUE).putInt(28).putInt(28).array());
        run("compress", "--codec", "bitsback", "-q", huge.toString(), out.toString()).assertCorrupt("2^31 images declared");
        // 16 bytes declaring 2^24 images of 0 pixels (a valid, empty IDX file): once 335 MB of empty arrays
        Path empty = dir.resolve("empty.idx");
        Files.write(empty, ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(1 << 24).putInt(0).putInt(28).array());
        run("compress", "--codec", "bitsback", "-q", empty.toString(), out.toString()).assertCorrupt("images of 0 pixels");
        // a directory with a 28x28 PNG and a PNG whose header declares 8195x16386 pixels in its few bytes
        Path pngs = dir.resolve("pngs");
        Files.createDirectories(pngs);
        byte[] png = GrayImage.of(28, 28, new byte[784]).toPng();
        Files.write(pngs.resolve("a.png"), png);
        byte[] bomb = png.clone();
        ByteBuffer.wrap(bomb).putInt(16, 8195).putInt(20, 16386);
        Files.write(pngs.resolve("b.png"), bomb);
        run("compress", "--codec", "bitsback", "-q", pngs.toString(), out.toString()).assertCorrupt("PNG declaring 134M pixels");
        assertNoOutputLeft(out, "hostile image inputs");
    }

    /** Arbitrary junk under every command that reads a file: exit 1, never 4. */
    @Test
    void junkFilesAreCorruptInputEverywhere() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        Path junk = dir.resolve("junk");
        Path out = dir.resolve("out");
        for (int n : new int[] {0, 1, 15, 16, 64, 1000}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            if (n >= 4) {
                ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, Container.MAGIC); // get past the magic
            }
            Files.write(junk, b);
            run("decompress", "-q", junk.toString(), out.toString()).assertCorrupt(n + " bytes of junk");
            run("info", junk.toString()).assertCorrupt("info of " + n + " bytes of junk");
        }
        assertNoOutputLeft(out, "junk");
    }
}
