package io.latentcodec.fuzz;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CI fuzzing run ({@code scripts/fuzz}) reaches every fuzz target: {@link FuzzMain} lists every {@code *FuzzTest} class compiled here. */
class FuzzMainTest {
    @Test
    void everyFuzzTestClassIsATarget() throws Exception {
        Path classes = testClasses();
        List<String> found;
        try (Stream<Path> s = Files.walk(classes)) {
            found = s.map(p -> classes.relativize(p).toString())
                    .filter(n -> n.endsWith("FuzzTest.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
        assertEquals(found, FuzzMain.TARGET_CLASSES.stream().sorted().toList(), "FuzzMain.TARGET_CLASSES is out of date");
        assertTrue(FuzzMain.targets().size() >= 16, "targets: " + FuzzMain.targets());
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(FuzzMainTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
