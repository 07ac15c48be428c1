package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.models.Manifest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The model manifest parser ({@code Manifest.parse} over the JSON reader) under Jazzer. The input
 * is the file's bytes as UTF-8, so seeds are plain manifest files. Anything that is not a valid
 * manifest is an {@link IllegalArgumentException} naming the field or the JSON offset (what
 * model loading turns into an {@code InvalidModelException}); a manifest that parses writes back
 * to JSON that parses to the same manifest.
 */
class ManifestFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\"format\"", "\"latentcodec-vae/1\"", "\"name\"", "\"architecture\"", "\"type\"", "\"mlp-vae\"",
            "\"dataDim\"", "\"hiddenDim\"", "\"latentDim\"", "\"likelihood\"", "\"bernoulli\"", "\"beta-binomial\"",
            "\"discretized-logistic\"", "\"batchSize\"", "\"fingerprint\"", "\"training\"", "\"metrics\"", "\"args\"",
            "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"", "\\u00e9", "1e999", "-0", "null"})
    void parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Manifest m;
        try {
            m = Manifest.parse(text);
        } catch (IllegalArgumentException expected) {
            return; // not a manifest: the message names the field or the JSON offset
        }
        assertEquals(m, Manifest.parse(m.toJson()), "a manifest that parses must write back to itself");
    }
}
