package io.latentcodec.engine.vbq;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden VBQ files, decoded forever (test resources {@code golden/}, see its README): an 88x56 crop of
 * scikit-image's public-domain {@code astronaut.png} (NASA), coded with the shipped photo-vae.
 * <ul>
 * <li>Version 2 (made with {@link GoldenFiles}): decodes to the committed raw RGB, byte for byte, in
 * this JVM and in fresh JVMs whose class path has no TensorFlow, at the default species, at 256 bits
 * ({@code -XX:UseAVX=2}), scalar, and without the Vector API module.
 * <li>Version 1 (made by the code of commit 6245032, TensorFlow's decoder): decodes to the
 * reconstruction that code wrote, or fails with a message naming the cause; never to other bytes.
 * Without TensorFlow it fails saying it needs TensorFlow.
 * </ul>
 */
class VbqGoldenTest {
    static final String IMAGE = "astronaut-88x56.png";
    static final String V2 = "astronaut-88x56-v2.lc";
    static final String V2_RGB = "astronaut-88x56-v2.rgb";
    static final String V1 = "astronaut-88x56-v1.lc";
    static final String V1_PNG = "astronaut-88x56-v1-reconstruction.png";
    static VbqModel model;

    @BeforeAll
    static void load() {
        model = VbqModel.named("photo-vae");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Path golden(String name) {
        try {
            return Path.of(VbqGoldenTest.class.getResource("golden/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("missing golden file " + name, e);
        }
    }

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(golden(name));
    }

    @Test
    void version2DecodesToTheCommittedBytes() throws IOException {
        byte[] file = bytes(V2);
        assertEquals(2, Container.read(MemorySegment.ofArray(file)).version());
        RgbImage back = Vbq.decompress(file, model);
        assertEquals(88, back.width());
        assertEquals(56, back.height());
        assertArrayEquals(bytes(V2_RGB), back.rgb());
        // the golden is a real coding of the image, not noise: close to it
        double psnr = io.latentcodec.engine.image.Metrics.psnr(RgbImage.read(golden(IMAGE)), back);
        assertTrue(psnr > 24, "golden reconstruction PSNR " + psnr);
    }

    @Test
    void aDamagedVersion2FileIsRefusedWithItsOffset() throws IOException {
        byte[] file = bytes(V2);
        Container.Header h = Container.read(MemorySegment.ofArray(file));
        int n = 0;
        for (long at = h.streamsAt(); at < file.length; at += 37) {
            byte[] bad = file.clone();
            bad[(int) at] ^= 0x10;
            try {
                RgbImage back = Vbq.decompress(bad, model);
                fail("a flipped bit at " + at + " decoded to " + (Arrays.equals(back.rgb(), bytes(V2_RGB)) ? "the same" : "other") + " pixels");
            } catch (CorruptInputException e) {
                n++;
            }
        }
        assertTrue(n > 10, n + " damaged files");
    }

    @Test
    void version1DecodesToItsOriginalReconstructionOrNamesTheCause() throws IOException {
        byte[] file = bytes(V1);
        Container.Header h = Container.read(MemorySegment.ofArray(file));
        assertEquals(1, h.version());
        assertArrayEquals(model.fingerprintV1(), h.fingerprint(), "a version-1 file carries the version-1 model fingerprint");
        byte[] want = RgbImage.read(golden(V1_PNG)).rgb();
        try {
            RgbImage back = Vbq.decompress(file, model);
            assertArrayEquals(want, back.rgb(), "a version-1 file decoded, so to its original reconstruction");
        } catch (CorruptInputException e) {
            assertTrue(e.getMessage().contains("version-1") && e.getMessage().contains("TensorFlow") && e.getMessage().contains("re-encode"),
                    e.getMessage());
        }
    }

    @Test
    void versionsAreNotInterchangeable() throws IOException {
        // a version-2 header over a version-1 file's body: the fingerprint no longer matches the model
        byte[] v1 = bytes(V1);
        assertNotEquals(Arrays.toString(model.fingerprint()), Arrays.toString(model.fingerprintV1()));
        Container.Header h = Container.read(MemorySegment.ofArray(v1));
        Container.Header as2 = new Container.Header(h.codec(), h.flags(), h.fingerprint(), h.shape(), h.params(), h.chains());
        byte[] head = as2.toBytes();
        byte[] forged = Arrays.copyOf(head, head.length + (int) (v1.length - h.streamsAt()));
        System.arraycopy(v1, (int) h.streamsAt(), forged, head.length, v1.length - (int) h.streamsAt());
        assertThrows(io.latentcodec.engine.WrongModelException.class, () -> Vbq.decompress(forged, model));
    }

    // ---------------------------------------------------------------- fresh JVMs, no TensorFlow

    /** The test class path without TensorFlow's jars (and JavaCPP, its native loader). */
    static String classPathWithoutTensorFlow() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.contains("tensorflow") && !e.contains("bytedeco") && !e.contains("javacpp"))
                .collect(Collectors.toList());
        assertTrue(kept.size() < cp.split(File.pathSeparator).length, "the class path had no TensorFlow jars to remove: " + cp);
        return String.join(File.pathSeparator, kept);
    }

    record Run(int exit, String out) {
    }

    static Run run(Path in, Path out, String... jvm) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvm));
        cmd.add("-Dlatentcodec.home=" + io.latentcodec.models.Home.root());
        cmd.addAll(List.of("-cp", classPathWithoutTensorFlow(), GoldenDecode.class.getName(), in.toString(), out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), text);
    }

    @Test
    void version2DecodesWithoutTensorFlowToTheSameBytesAtEveryWidth(@TempDir Path tmp) throws Exception {
        String[][] configs = {
                {"--add-modules", "jdk.incubator.vector"},
                {"--add-modules", "jdk.incubator.vector", "-XX:UseAVX=2"},
                {"--add-modules", "jdk.incubator.vector", "-Dlatentcodec.simd=scalar"},
                {"--add-modules", "jdk.incubator.vector", "-Xint"},
                {}, // no Vector API module: the scalar kernels
        };
        byte[] want = bytes(V2_RGB);
        for (String[] c : configs) {
            Path out = tmp.resolve("out-" + String.join("_", c).replace('/', '_') + ".rgb");
            Run r = run(golden(V2), out, c);
            assertEquals(0, r.exit(), Arrays.toString(c) + ": " + r.out());
            assertTrue(r.out().contains("tensorflow on the class path: false"), r.out());
            assertArrayEquals(want, Files.readAllBytes(out), Arrays.toString(c) + ": " + r.out());
        }
    }

    @Test
    void version1WithoutTensorFlowSaysItNeedsTensorFlow(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("v1.rgb");
        Run r = run(golden(V1), out, "--add-modules", "jdk.incubator.vector");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("version-1") && r.out().contains("needs TensorFlow") && r.out().contains("re-encode"), r.out());
        assertTrue(!Files.exists(out), "no output for a file that did not decode");
    }
}
