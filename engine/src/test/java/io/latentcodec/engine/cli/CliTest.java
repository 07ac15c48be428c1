package io.latentcodec.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    byte[] sampleFile(Path p) throws Exception {
        byte[] data = new byte[300_000];
        Random r = new Random(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + Math.min(25, (int) Math.abs(r.nextGaussian() * 4)));
        }
        Files.write(p, data);
        return data;
    }

    @Test
    void compressDecompressBothOrders() throws Exception {
        Path in = dir.resolve("in.txt");
        byte[] data = sampleFile(in);
        for (String codec : new String[] {"rans0", "rans1"}) {
            Path c = dir.resolve(codec + ".lc");
            Path back = dir.resolve(codec + ".out");
            Result r = run("compress", "--codec", codec, "--chunk-size", "65536", "-q", in.toString(), c.toString());
            assertEquals(0, r.code, r.err);
            assertTrue(Files.size(c) < data.length);
            r = run("decompress", "-q", c.toString(), back.toString());
            assertEquals(0, r.code, r.err);
            assertArrayEquals(data, Files.readAllBytes(back));
            r = run("info", c.toString());
            assertEquals(0, r.code, r.err);
            assertTrue(r.out.contains("codec:       " + codec), r.out);
        }
    }

    @Test
    void infoAndDecompressReadAFileOfSeveralContainers() throws Exception {
        byte[] data = sampleFile(dir.resolve("sample.txt"));
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        int[] cuts = {0, 100_000, 100_001, data.length};
        for (int k = 0; k + 1 < cuts.length; k++) { // as the Hadoop codec writes: a container per chunk, each flagged when another follows
            file.writeBytes(io.latentcodec.engine.bytes.ChunkedBytes.compressMember(
                    java.lang.foreign.MemorySegment.ofArray(Arrays.copyOfRange(data, cuts[k], cuts[k + 1])), k % 2, k + 2 < cuts.length));
        }
        Path c = dir.resolve("several.rans");
        Files.write(c, file.toByteArray());
        Result r = run("info", c.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("codec:       rans0, rans1") && r.out.contains("containers:  3,") && r.out.contains("original:    " + data.length + " bytes"), r.out);
        Path back = dir.resolve("several.out");
        r = run("decompress", "-q", c.toString(), back.toString());
        assertEquals(0, r.code, r.err);
        assertArrayEquals(data, Files.readAllBytes(back));
        Path cut = dir.resolve("cut.rans");
        Files.write(cut, Arrays.copyOf(file.toByteArray(), file.size() - 1));
        r = run("info", cut.toString());
        assertEquals(1, r.code, r.out);
        assertTrue(r.err.contains("container 2"), r.err);
    }

    @Test
    void existingOutputIsNotOverwrittenWithoutForce() throws Exception {
        Path in = dir.resolve("in.txt");
        sampleFile(in);
        Path out = dir.resolve("out.lc");
        Files.writeString(out, "precious");
        Result r = run("compress", "-q", in.toString(), out.toString());
        assertEquals(Main.EXIT_IO, r.code);
        assertTrue(r.err.contains("--force"), r.err);
        assertEquals("precious", Files.readString(out));
        r = run("compress", "-q", "--force", in.toString(), out.toString());
        assertEquals(0, r.code, r.err);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(out), "precious".getBytes()));
    }

    @Test
    void corruptInputIsOneLineExitOneAndNoOutput() throws Exception {
        Path in = dir.resolve("in.txt");
        sampleFile(in);
        Path c = dir.resolve("c.lc");
        assertEquals(0, run("compress", "-q", in.toString(), c.toString()).code);
        byte[] bytes = Files.readAllBytes(c);
        bytes[bytes.length / 2] ^= 0x40;
        Path bad = dir.resolve("bad.lc");
        Files.write(bad, bytes);
        Path out = dir.resolve("bad.out");
        Result r = run("decompress", "-q", bad.toString(), out.toString());
        assertEquals(Main.EXIT_CORRUPT, r.code, r.err);
        assertTrue(r.err.startsWith("latentcodec: corrupt input"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertFalse(Files.exists(out), "no output under the target name after a failed decode");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "temporary file left behind");
        }
    }

    @Test
    void missingInputAndUnknownCodec() {
        Result r = run("compress", "-q", dir.resolve("nope").toString(), dir.resolve("x").toString());
        assertEquals(Main.EXIT_IO, r.code);
        assertTrue(r.err.contains("no such file"), r.err);
        r = run("compress", "--codec", "zip", "-q", dir.resolve("nope").toString(), dir.resolve("x").toString());
        assertEquals(Main.EXIT_USAGE, r.code, r.err);
    }
}
