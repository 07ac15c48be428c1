package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong or damaged model directory is an {@link InvalidModelException} that says what is wrong. */
class DamagedModelTest {
    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void copyAModel() throws IOException {
        Path src = TinyModels.dir(Likelihood.BERNOULLI);
        dir = tmp.resolve("copy");
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(p, dir.resolve(src.relativize(p).toString()));
            }
        }
    }

    private String reason() {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> VaeModel.loadTensorFlow(dir).close());
        assertEquals(dir, e.dir());
        assertTrue(e.getMessage().startsWith("invalid model " + dir + ": "), e.getMessage());
        return e.reason();
    }

    private void editManifest(String from, String to) throws IOException {
        Path m = dir.resolve("manifest.json");
        String s = Files.readString(m);
        assertTrue(s.contains(from), from);
        Files.writeString(m, s.replace(from, to));
    }

    /** A manifest that claims a context net over a SavedModel without one: refused by the missing signature, not coded with half a model. */
    @Test
    void aPlainModelClaimingAContextNetIsRefused() throws IOException {
        editManifest("\"format\": \"latentcodec-vae/1\"", "\"format\": \"latentcodec-vae/2\"");
        editManifest("\"input\": \"0/1\",", "\"input\": \"0/1\", \"context\": {\"type\": \"causal-mlp\", \"width\": 28, \"hidden\": 8, "
                + "\"neighbours\": [[0, -1]]},");
        String r = reason();
        assertTrue(r.contains("no signature 'decoder'"), r);
    }

    @Test
    void aCopyLoadsFromItsNewPlace() {
        try (VaeModel m = VaeModel.loadTensorFlow(dir)) {
            assertEquals("tiny-bernoulli", m.name());
        }
    }

    @Test
    void missingThings() throws IOException {
        Path real = dir;
        dir = tmp.resolve("nothing-here");
        assertEquals("directory not found", reason());
        dir = real.resolve("manifest.json");
        assertEquals("not a directory", reason());
        dir = real;
        Files.delete(dir.resolve("saved_model.pb"));
        assertTrue(reason().contains("missing saved_model.pb"));
        Files.delete(dir.resolve("manifest.json"));
        assertEquals("missing manifest.json", reason());
    }

    @Test
    void badManifests() throws IOException {
        Path m = dir.resolve("manifest.json");
        String good = Files.readString(m);
        Files.writeString(m, good.substring(0, 100));
        assertTrue(reason().startsWith("manifest.json: bad JSON at character "), reason());
        Files.writeString(m, good.replace("\"hiddenDim\": 16,", ""));
        assertTrue(reason().contains("field architecture.hiddenDim is missing"), reason());
        Files.writeString(m, good.replace("\"dataDim\": 784", "\"dataDim\": 999999999"));
        assertTrue(reason().contains("dataDim must be 1..65536"), reason());
    }

    @Test
    void shapesThatDifferFromTheManifest() throws IOException {
        editManifest("\"latentDim\": 4", "\"latentDim\": 5");
        assertTrue(reason().contains("signature 'posterior' output 'mu' is DT_FLOAT [8, 4], the manifest implies DT_FLOAT [8, 5]"), reason());
        editManifest("\"latentDim\": 5", "\"latentDim\": 4");
        editManifest("\"batchSize\": 8,\n  \"fingerprint\"", "\"batchSize\": 9,\n  \"fingerprint\"");
        assertTrue(reason().contains("input 'x' is DT_FLOAT [8, 784], the manifest implies DT_FLOAT [9, 784]"), reason());
        editManifest("\"batchSize\": 9,\n  \"fingerprint\"", "\"batchSize\": 8,\n  \"fingerprint\"");
        editManifest("\"likelihood\": \"bernoulli\"", "\"likelihood\": \"beta-binomial\"");
        assertTrue(reason().contains("signature 'likelihood' has outputs [logits], expected [alpha, beta]"), reason());
        editManifest("\"likelihood\": \"beta-binomial\"", "\"likelihood\": \"bernoulli\"");
        editManifest("\"hiddenDim\": 16", "\"hiddenDim\": 17");
        assertTrue(reason().contains("weight 'enc_h_w' is DT_FLOAT [784, 16], the manifest implies DT_FLOAT [784, 17]"), reason());
    }

    @Test
    void fingerprintMismatch() throws IOException {
        String fp = Manifest.read(dir.resolve("manifest.json")).fingerprint();
        editManifest(fp, "sha256:" + "0".repeat(64));
        String r = reason();
        assertTrue(r.startsWith("fingerprint mismatch: the weights hash to " + fp + ", manifest.json says sha256:000"), r);
    }

    @Test
    void damagedWeightsAndGraph() throws IOException {
        Path data;
        try (Stream<Path> s = Files.list(dir.resolve("variables"))) {
            data = s.filter(p -> p.getFileName().toString().startsWith("variables.data")).findFirst().orElseThrow();
        }
        byte[] w = Files.readAllBytes(data);
        // one flipped bit in the middle of a weight: TensorFlow's checksum or our fingerprint catches it
        w[w.length / 2] ^= 0x10;
        Files.write(data, w);
        String r = reason();
        assertTrue(r.contains("fingerprint mismatch") || r.startsWith("TensorFlow cannot load the SavedModel"), r);
        Files.write(data, java.util.Arrays.copyOf(w, w.length / 3));
        assertTrue(reason().startsWith("TensorFlow cannot load the SavedModel: "), reason());
        Files.writeString(dir.resolve("saved_model.pb"), "this is not a protocol buffer", StandardCharsets.US_ASCII);
        assertTrue(reason().startsWith("TensorFlow cannot load the SavedModel: "), reason());
    }

    @Test
    void unknownShippedNamesListTheShippedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VaeModel.named("../etc"));
        assertTrue(e.getMessage().contains("not a plain name"));
        InvalidModelException m = assertThrows(InvalidModelException.class, () -> VaeModel.named("no-such-model"));
        assertTrue(m.reason().contains("no shipped model named 'no-such-model' (shipped: ["), m.reason());
    }
}
