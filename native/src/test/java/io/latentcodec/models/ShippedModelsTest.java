package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentcodec.models.data.DataSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every model shipped in {@code models/} loads, is small, and scores on its test split exactly
 * what its manifest says (same seed, same fixed batch shape: the computation is deterministic, so
 * the tolerance only allows for another CPU's rounding).
 */
class ShippedModelsTest {
    static final double TOLERANCE = 1e-5; // bits/dim

    @Test
    void theDefaultModelsAreShipped() {
        List<String> names = VaeModel.shippedNames();
        assertTrue(names.containsAll(List.of("mnist-binarized", "mnist", "fashion-mnist", "mnist-ar", "fashion-mnist-ar")), "shipped: " + names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist-binarized", "mnist", "mnist-logistic", "fashion-mnist", "mnist-ar", "fashion-mnist-ar"})
    void testElboMatchesTheManifest(String name) throws Exception {
        Path dir = Home.modelsDir().resolve(name);
        long bytes;
        try (var s = Files.walk(dir)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        // the SavedModel (for training and evaluation) and weights.lcw (for coding) each hold the weights once
        assertTrue(bytes < 7_000_000, name + " is " + bytes + " bytes");
        try (VaeModel m = VaeModel.loadTensorFlow(dir)) {
            Manifest.Metrics mm = m.manifest().metrics();
            assertEquals(m.manifest().training().dataset(), mm.dataset());
            assertTrue(m.manifest().training().command().startsWith("./latentcodec train --preset " + name), m.manifest().training().command());
            TestData.require(mm.dataset().startsWith("fashion") ? "fashion-mnist" : "mnist");
            Evaluator.Evaluation e = Evaluator.evaluate(m, DataSets.load(mm.dataset()).test(), mm.evalSeed());
            assertEquals(mm.testImages(), e.images());
            assertEquals(mm.testBitsPerDim(), e.bitsPerDim(), TOLERANCE, name);
            assertEquals(mm.testBitsPerDimAnalyticKl(), e.bitsPerDimAnalyticKl(), TOLERANCE, name);
        }
    }
}
