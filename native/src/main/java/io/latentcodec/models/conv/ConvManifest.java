package io.latentcodec.models.conv;

import io.latentcodec.models.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A conv VAE directory's {@code manifest.json}:
 * <pre>
 * {
 *   "format": "latentcodec-conv-vae/1",
 *   "name": "photo-vae",
 *   "architecture": {"type": "conv-vae", "channels": 64, "latents": 64, "kernel": 5, "sigmaX": 3.0, ...},
 *   "fingerprint": "sha256:...",         SHA-256 of the weights (ConvFingerprint)
 *   "weightsFingerprint": "sha256:...",  WeightsFile.fingerprint(id) of weights.lcw, the TF-free weights (absent
 *                                        in a directory exported before weights.lcw existed)
 *   "training": {...},                   free-form: data, steps, command, time, machine
 *   "metrics": {...}                     free-form: validation figures
 * }
 * </pre>
 */
public record ConvManifest(String name, ConvArchitecture architecture, String fingerprint, String weightsFingerprint,
                           Map<String, Object> training, Map<String, Object> metrics) {
    public static final String FORMAT = "latentcodec-conv-vae/1";
    public static final String FILE = "manifest.json";
    private static final Pattern FINGERPRINT = Pattern.compile("sha256:[0-9a-f]{64}");

    public ConvManifest {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is empty");
        }
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("fingerprint must be 'sha256:' and 64 lower-case hex digits, got " + fingerprint);
        }
        if (weightsFingerprint != null && !FINGERPRINT.matcher(weightsFingerprint).matches()) {
            throw new IllegalArgumentException("weightsFingerprint must be 'sha256:' and 64 lower-case hex digits, got " + weightsFingerprint);
        }
        training = training == null ? Map.of() : training;
        metrics = metrics == null ? Map.of() : metrics;
    }

    /** This manifest with {@code weightsFingerprint} set. */
    public ConvManifest withWeightsFingerprint(String wf) {
        return new ConvManifest(name, architecture, fingerprint, wf, training, metrics);
    }

    public static ConvManifest read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    public static ConvManifest parse(String json) {
        if (!(Json.parse(json) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("the manifest is not a JSON object");
        }
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("format is '" + m.get("format") + "', this library reads '" + FORMAT + "'");
        }
        if (!(m.get("architecture") instanceof Map<?, ?> a) || !"conv-vae".equals(a.get("type"))) {
            throw new IllegalArgumentException("architecture missing or not of type conv-vae");
        }
        ConvArchitecture arch;
        try {
            arch = new ConvArchitecture(integer(a, "channels"), integer(a, "latents"), integer(a, "kernel"), number(a, "sigmaX"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("architecture: " + e.getMessage(), e);
        }
        if (!(m.get("name") instanceof String name) || !(m.get("fingerprint") instanceof String fp)) {
            throw new IllegalArgumentException("field name or fingerprint is missing");
        }
        Object wf = m.get("weightsFingerprint");
        if (wf != null && !(wf instanceof String)) {
            throw new IllegalArgumentException("field weightsFingerprint is not a string");
        }
        Map<String, Object> t = m.get("training") instanceof Map<?, ?> tm ? (Map<String, Object>) tm : Map.of();
        Map<String, Object> mm = m.get("metrics") instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
        return new ConvManifest(name, arch, fp, (String) wf, t, mm);
    }

    private static int integer(Map<?, ?> m, String k) {
        if (!(m.get(k) instanceof Long l) || l < 1 || l > 1 << 20) {
            throw new IllegalArgumentException("field architecture." + k + " is missing or not a positive integer");
        }
        return l.intValue();
    }

    private static double number(Map<?, ?> m, String k) {
        if (!(m.get(k) instanceof Number n)) {
            throw new IllegalArgumentException("field architecture." + k + " is missing or not a number");
        }
        return n.doubleValue();
    }

    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("name", name);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", "conv-vae");
        a.put("channels", architecture.channels());
        a.put("latents", architecture.latents());
        a.put("kernel", architecture.kernel());
        a.put("sigmaX", architecture.sigmaX());
        a.put("downsampling", ConvArchitecture.STRIDE);
        a.put("nonlinearity", "gdn");
        a.put("posterior", "diagonal-gaussian");
        a.put("prior", "standard-normal");
        a.put("likelihood", "gaussian, fixed sigmaX (pixels)");
        a.put("input", "RGB 0..255, [1, H, W, 3], H and W multiples of 16");
        a.put("parameters", architecture.parameterCount());
        a.put("id", architecture.id());
        root.put("architecture", a);
        root.put("fingerprint", fingerprint);
        if (weightsFingerprint != null) {
            root.put("weightsFingerprint", weightsFingerprint);
        }
        root.put("training", training);
        root.put("metrics", metrics);
        return Json.write(root);
    }
}
