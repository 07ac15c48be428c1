package io.latentcodec.engine.cli;

import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.engine.vbq.TinyVbq;
import io.latentcodec.engine.vbq.Vbq;
import io.latentcodec.engine.vbq.VbqModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code compress --codec vbq} and {@code decompress} to PNG through the CLI, with a tiny model directory. */
class VbqCliTest {
    @TempDir
    static Path shared;
    static Path modelDir;
    static Path png;
    static RgbImage image;

    @TempDir
    Path dir;

    @BeforeAll
    static void model() throws Exception {
        modelDir = shared.resolve("tiny-vbq");
        TinyVbq.create(modelDir, 5).close();
        image = TinyVbq.image(new SplittableRandom(9), 160, 96);
        png = shared.resolve("in.png");
        image.writePng(png);
    }

    @Test
    void compressThenDecompressGivesTheEncodersReconstructionAsPng() throws Exception {
        Path c = dir.resolve("a.lc");
        Path back = dir.resolve("a.png");
        CliTest.Result r = CliTest.run("compress", "--codec", "vbq", "--model", modelDir.toString(), "--lambda", "1", png.toString(), c.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bits/pixel") && r.out().contains("PSNR"), r.out());
        r = CliTest.run("decompress", "--model", modelDir.toString(), c.toString(), back.toString());
        assertEquals(0, r.code(), r.err());
        RgbImage decoded = RgbImage.read(back);
        try (VbqModel m = VbqModel.load(modelDir)) {
            Vbq.Result expected = Vbq.analyze(image, m, Vbq.Effort.THOROUGH).compress(1);
            assertArrayEquals(expected.container(), Files.readAllBytes(c), "the CLI writes the library's container (refined by default)");
            assertArrayEquals(expected.reconstruction().rgb(), decoded.rgb(), "the PNG holds the encoder's reconstruction");
            Path raw = dir.resolve("raw.lc");
            r = CliTest.run("compress", "-q", "--codec", "vbq", "--model", modelDir.toString(), "--lambda", "1", "--refine", "0", "--tune", "0", png.toString(), raw.toString());
            assertEquals(0, r.code(), r.err());
            assertArrayEquals(Vbq.compress(image, m, 1).container(), Files.readAllBytes(raw), "--refine 0 --tune 0: VBQ as published on the encoder network's latents");
            assertEquals(new Vbq.Effort(CompressCommand.DEFAULT_REFINE, CompressCommand.DEFAULT_TUNE), Vbq.Effort.THOROUGH, "the CLI's default effort");
        }
        r = CliTest.run("info", c.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("codec:       vbq") && r.out().contains("tiny-5"), r.out());
    }

    @Test
    void aTargetBitrateIsMetAndLargerLambdasGiveSmallerFiles() throws Exception {
        Path lo = dir.resolve("lo.lc");
        Path hi = dir.resolve("hi.lc");
        assertEquals(0, CliTest.run("compress", "-q", "--codec", "vbq", "--model", modelDir.toString(), "--lambda", "0.001", png.toString(), hi.toString()).code());
        assertEquals(0, CliTest.run("compress", "-q", "--codec", "vbq", "--model", modelDir.toString(), "--lambda", "1000", png.toString(), lo.toString()).code());
        assertTrue(Files.size(lo) < Files.size(hi), Files.size(lo) + " vs " + Files.size(hi));
        double target = (Files.size(lo) + Files.size(hi)) * 4.0 / (image.width() * image.height()); // bits per pixel half way
        Path mid = dir.resolve("mid.lc");
        assertEquals(0, CliTest.run("compress", "-q", "--codec", "vbq", "--model", modelDir.toString(), "--bpp", Double.toString(target), png.toString(), mid.toString()).code());
        assertTrue(Files.size(mid) * 8.0 / (image.width() * image.height()) <= target, "file over the target");
    }

    @Test
    void badOptionsAndAnotherModelAreClearErrorsAndLeaveNoOutput() throws Exception {
        Path c = dir.resolve("x.lc");
        CliTest.Result r = CliTest.run("compress", "--codec", "vbq", "--model", modelDir.toString(), "--lambda", "1", "--bpp", "1", png.toString(), c.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("not both"), r.err());
        r = CliTest.run("compress", "--codec", "vbq", "--model", modelDir.toString(), "--lambda", "-1", png.toString(), c.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertFalse(Files.exists(c));
        r = CliTest.run("compress", "--codec", "vbq", "--model", modelDir.toString(), "--refine", "-1", png.toString(), c.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--refine"), r.err());
        r = CliTest.run("compress", "--codec", "vbq", "--model", modelDir.toString(), "--tune", "-2", png.toString(), c.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--tune"), r.err());
        assertFalse(Files.exists(c));
        assertEquals(0, CliTest.run("compress", "-q", "--codec", "vbq", "--model", modelDir.toString(), png.toString(), c.toString()).code());
        Path other = dir.resolve("other");
        TinyVbq.create(other, 6).close();
        Path back = dir.resolve("x.png");
        r = CliTest.run("decompress", "--model", other.toString(), c.toString(), back.toString());
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("tiny-5"), "names the file's model: " + r.err());
        assertFalse(Files.exists(back), "no output for the wrong model");
        byte[] bytes = Files.readAllBytes(c);
        bytes[bytes.length - 3] ^= 0x10;
        Path bad = dir.resolve("bad.lc");
        Files.write(bad, bytes);
        r = CliTest.run("decompress", "--model", modelDir.toString(), bad.toString(), back.toString());
        assertEquals(Main.EXIT_CORRUPT, r.code(), r.err());
        assertFalse(Files.exists(back), "no output for a damaged file");
    }
}
