package io.latentcodec.engine.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.ImageSet;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.Container;
import io.latentcodec.models.Device;
import io.latentcodec.models.VaeModel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed golden containers ({@code src/test/resources/golden}, made by {@code scripts/golden}
 * and, for version 1, by the CLI at commit 6245032) decode to their committed originals, forever:
 * a change that breaks old files fails here. Version 2 must decode bit for bit on every machine;
 * a version-1 bits-back file (TensorFlow floats) decodes where TensorFlow computes the floats of
 * the machine that wrote it, and elsewhere fails with the message that names the cause, never with
 * other bytes. {@code scripts/portability} runs the same files under other JVM and TensorFlow settings.
 */
class GoldenFilesTest {
    static final Path DIR = Path.of("src/test/resources/golden");

    /** Every golden container. */
    static Stream<String> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lc")).sorted().toList().stream();
        }
    }

    /** The original a golden container was made from, by its name: rans* from the text, bitsback-MODEL from MODEL's 16 test images. */
    static Path original(String file) {
        if (file.startsWith("rans")) {
            return DIR.resolve("text-6000.txt");
        }
        String model = file.substring("bitsback-".length(), file.indexOf('.'));
        String set = model.startsWith("fashion") ? "fashion-mnist" : model.startsWith("mnist-binarized") ? "mnist-binarized" : "mnist";
        return DIR.resolve(set + "-16.idx");
    }

    @Test
    void everyCodecModelAndVersionHasAGoldenFile() throws IOException {
        List<String> have = files().toList();
        for (String v : List.of("v1", "v2")) {
            for (String c : List.of("rans0", "rans1")) {
                assertTrue(have.contains(c + "." + v + ".lc"), c + " " + v + " missing: " + have);
            }
            for (String m : VaeModel.shippedNames()) {
                if (Files.isRegularFile(io.latentcodec.models.Home.modelsDir().resolve(m).resolve("saved_model.pb"))
                        && !m.equals("photo-vae") && !m.equals("sotu-skipgram")) {
                    assertTrue(have.contains("bitsback-" + m + "." + v + ".lc"), "bitsback " + m + " " + v + " missing: " + have);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void decodesToItsOriginal(String name) throws IOException {
        byte[] file = Files.readAllBytes(DIR.resolve(name));
        MemorySegment seg = MemorySegment.ofArray(file);
        Container.Header h = Container.read(seg);
        assertEquals(name.contains(".v1.") ? 1 : 2, h.version(), name + ": container version");
        if (name.startsWith("rans")) {
            assertArrayEquals(Files.readAllBytes(original(name)), ChunkedBytes.decompress(file), name);
            return;
        }
        ImageSet orig = ImageSet.load(original(name).toString());
        BitsBack.Parsed parsed = BitsBack.parse(seg);
        try (VaeModel model = BitsBack.openModel(parsed, null, Device.CPU)) {
            assertEquals(h.version() >= 2, model.deterministic(), name);
            byte[][] back;
            try {
                back = BitsBack.decompress(seg, model, 2, null);
            } catch (CorruptInputException e) {
                if (h.version() == 1) {
                    // allowed for version 1 only, and only with the message that names the cause
                    assertTrue(e.getMessage().contains("version-1 file whose model floats came from TensorFlow"), e.getMessage());
                    return;
                }
                throw e;
            }
            assertEquals(orig.images().length, back.length, name);
            for (int i = 0; i < back.length; i++) {
                assertArrayEquals(orig.images()[i], back[i], name + ": image " + i);
            }
        }
    }
}
