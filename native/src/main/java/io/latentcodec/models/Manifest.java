package io.latentcodec.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A model directory's {@code manifest.json}: what the model is, how it was trained and how well it
 * does. The loader checks the SavedModel and its weights against it.
 *
 * <pre>
 * {
 *   "format": "latentcodec-vae/1",
 *   "name": "mnist-binarized",
 *   "architecture": {"type": "mlp-vae", "dataDim": 784, "hiddenDim": 100, "latentDim": 40,
 *                    "activation": "relu", "posterior": "diagonal-gaussian", "prior": "standard-normal",
 *                    "likelihood": "bernoulli", "input": "0/1"},
 *   "batchSize": 100,                       inference batch: every graph call has exactly this many rows
 *   "fingerprint": "sha256:...",            the SavedModel's weights and batch size (Fingerprint; container version 1)
 *   "weightsFingerprint": "sha256:...",     optional: weights.lcw (WeightsFile.fingerprint; container version 2)
 *   "training": {...},                      optional: data, split, seed, epochs, command line, time
 *   "metrics": {...}                        optional: test -ELBO in bits/dim and how it was computed
 * }
 * </pre>
 *
 * A locally autoregressive model (with a {@link ContextSpec}) has format {@code latentcodec-vae/2}
 * and one more architecture field, so that a reader that does not know context nets refuses it
 * by its format instead of coding with half the model:
 *
 * <pre>
 *   "context": {"type": "causal-mlp", "width": 28, "hidden": 32, "activation": "relu",
 *               "maps": 4,                                           optional: decoder maps E (default: one per parameter)
 *               "inputs": "raw parameters, then neighbours x/255, then raw parameters at rawOffsets (0 outside the image)",
 *               "neighbours": [[0, -1], [0, -2], [-1, -2], ...],      [dy, dx] each, causal
 *               "rawOffsets": [[-1, -1], [-1, 0], ...]}               optional, any direction
 * </pre>
 *
 * @param training null when the manifest has none
 * @param metrics  null when the manifest has none
 */
public record Manifest(String name, Architecture architecture, int batchSize, String fingerprint, Training training, Metrics metrics,
                       String weightsFingerprint) {
    public static final String FORMAT = "latentcodec-vae/1";
    /** The format of a manifest whose architecture has a context net. */
    public static final String FORMAT_AR = "latentcodec-vae/2";
    public static final String FILE = "manifest.json";
    public static final int MAX_BATCH = 1 << 16;
    private static final Pattern FINGERPRINT = Pattern.compile("sha256:[0-9a-f]{64}");

    public Manifest {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is empty");
        }
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is missing");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("batchSize must be 1.." + MAX_BATCH + ", got " + batchSize);
        }
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("fingerprint must be 'sha256:' and 64 lower-case hex digits, got " + fingerprint);
        }
        if (weightsFingerprint != null && !FINGERPRINT.matcher(weightsFingerprint).matches()) {
            throw new IllegalArgumentException("weightsFingerprint must be 'sha256:' and 64 lower-case hex digits, got " + weightsFingerprint);
        }
    }

    /** A manifest without a weights-file fingerprint (the deterministic model then trusts the file's own CRC alone). */
    public Manifest(String name, Architecture architecture, int batchSize, String fingerprint, Training training, Metrics metrics) {
        this(name, architecture, batchSize, fingerprint, training, metrics, null);
    }

    /** The same manifest recording the fingerprint of {@code weights.lcw} ({@link WeightsFile#fingerprint}). */
    public Manifest withWeightsFingerprint(String fp) {
        return new Manifest(name, architecture, batchSize, fingerprint, training, metrics, fp);
    }

    /** Reads {@code dir/manifest.json}; a missing or bad one is an {@link InvalidModelException} naming the field. */
    public static Manifest load(Path dir) {
        Path mf = dir.resolve(FILE);
        if (!Files.isRegularFile(mf)) {
            throw new InvalidModelException(dir, "missing " + FILE);
        }
        try {
            return read(mf);
        } catch (IOException e) {
            throw new InvalidModelException(dir, "cannot read " + FILE + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(dir, FILE + ": " + e.getMessage(), e);
        }
    }

    /**
     * How the model was trained.
     *
     * @param dataset          data set name ({@code io.latentcodec.models.data.DataSets})
     * @param data             the data set's source, split and binarization in words
     * @param trainImages      images trained on
     * @param validationImages images held out of the training split to pick the best epoch (0: none, last epoch kept)
     * @param shift            augmentation: training images moved by up to this many pixels each way
     * @param command          the command line that reproduces the training
     * @param args             the trainer's arguments, one per element
     * @param seconds          wall time of the training
     */
    public record Training(String dataset, String data, int trainImages, int validationImages, long seed, int epochs, int bestEpoch,
                           int batchSize, double learningRate, int shift, String command, List<String> args, double seconds,
                           String tensorflow, String device, String machine) {
        public Training {
            args = List.copyOf(args);
        }
    }

    /**
     * The model's test-set score, computed by {@link Evaluator} at the manifest's batch size.
     *
     * @param testBitsPerDim           -ELBO in bits per dimension, single-sample estimate: one
     *                                 z = mu + sigma * eps per image with eps from java.util.Random(evalSeed),
     *                                 -[log p(x|z) + log p(z) - log q(z|x)] / (D ln 2), averaged over images
     * @param testBitsPerDimAnalyticKl the same with the KL term in closed form: -[log p(x|z) - KL(q||p)] / (D ln 2)
     * @param validationBitsPerDim     single-sample -ELBO on the validation images at the chosen epoch, NaN when none
     */
    public record Metrics(String dataset, int testImages, int evalBatchSize, long evalSeed, double testBitsPerDim,
                          double testBitsPerDimAnalyticKl, double validationBitsPerDim) {
    }

    /** The same manifest with other metrics. */
    public Manifest withMetrics(Metrics m) {
        return new Manifest(name, architecture, batchSize, fingerprint, training, m, weightsFingerprint);
    }

    // ---- JSON ----

    /** Reads and checks a manifest file; errors are IllegalArgumentExceptions naming the field. */
    public static Manifest read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /** Parses and checks a manifest; errors are IllegalArgumentExceptions naming the field or the JSON offset. */
    public static Manifest parse(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("the manifest is not a JSON object");
        }
        String format = str(m, "format");
        if (!FORMAT.equals(format) && !FORMAT_AR.equals(format)) {
            throw new IllegalArgumentException("format is '" + format + "', this library reads '" + FORMAT + "' and '" + FORMAT_AR + "'");
        }
        Map<?, ?> a = obj(m, "architecture");
        String type = str(a, "architecture.type");
        if (!"mlp-vae".equals(type)) {
            throw new IllegalArgumentException("architecture.type is '" + type + "', this library knows 'mlp-vae'");
        }
        Architecture arch;
        try {
            ContextSpec context = null;
            if (a.get("context") != null) {
                context = context(obj(a, "architecture.context"));
            }
            if ((context != null) != FORMAT_AR.equals(format)) {
                throw new IllegalArgumentException(context != null ? "a context net needs format '" + FORMAT_AR + "'"
                        : "format '" + FORMAT_AR + "' needs architecture.context");
            }
            arch = new Architecture(integer(a, "architecture.dataDim"), integer(a, "architecture.hiddenDim"),
                    integer(a, "architecture.latentDim"), Likelihood.parse(str(a, "architecture.likelihood")), context);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("architecture: " + e.getMessage(), e);
        }
        Training t = null;
        if (m.get("training") != null) {
            Map<?, ?> tm = obj(m, "training");
            List<String> args = new ArrayList<>();
            if (!(tm.get("args") instanceof List<?> l)) {
                throw new IllegalArgumentException("field training.args is missing or not a list");
            }
            for (Object o : l) {
                args.add(String.valueOf(o));
            }
            t = new Training(str(tm, "training.dataset"), str(tm, "training.data"), integer(tm, "training.trainImages"),
                    integer(tm, "training.validationImages"), longNum(tm, "training.seed"), integer(tm, "training.epochs"),
                    integer(tm, "training.bestEpoch"), integer(tm, "training.batchSize"), num(tm, "training.learningRate"),
                    integer(tm, "training.shift"), str(tm, "training.command"), args, num(tm, "training.seconds"), str(tm, "training.tensorflow"),
                    str(tm, "training.device"), str(tm, "training.machine"));
        }
        Metrics metrics = null;
        if (m.get("metrics") != null) {
            Map<?, ?> mm = obj(m, "metrics");
            Object v = mm.get("validationBitsPerDim");
            metrics = new Metrics(str(mm, "metrics.dataset"), integer(mm, "metrics.testImages"), integer(mm, "metrics.evalBatchSize"),
                    longNum(mm, "metrics.evalSeed"), num(mm, "metrics.testBitsPerDim"), num(mm, "metrics.testBitsPerDimAnalyticKl"),
                    v == null ? Double.NaN : num(mm, "metrics.validationBitsPerDim"));
        }
        String wfp = m.get("weightsFingerprint") == null ? null : str(m, "weightsFingerprint");
        return new Manifest(str(m, "name"), arch, integer(m, "batchSize"), str(m, "fingerprint"), t, metrics, wfp);
    }

    private static ContextSpec context(Map<?, ?> c) {
        String type = str(c, "architecture.context.type");
        if (!"causal-mlp".equals(type)) {
            throw new IllegalArgumentException("context.type is '" + type + "', this library knows 'causal-mlp'");
        }
        List<ContextSpec.Offset> n = offsets(c, "neighbours");
        List<ContextSpec.Offset> r = c.get("rawOffsets") == null ? List.of() : offsets(c, "rawOffsets");
        int maps = c.get("maps") == null ? 0 : integer(c, "architecture.context.maps");
        return new ContextSpec(integer(c, "architecture.context.width"), integer(c, "architecture.context.hidden"), n, r, maps);
    }

    private static List<ContextSpec.Offset> offsets(Map<?, ?> c, String key) {
        if (!(c.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException("field architecture.context." + key + " is missing or not a list");
        }
        List<ContextSpec.Offset> n = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof Long dy) || !(pair.get(1) instanceof Long dx)
                    || Math.abs(dy) > 1 << 16 || Math.abs(dx) > 1 << 16) {
                throw new IllegalArgumentException("architecture.context." + key + ": each must be [dy, dx], got " + o);
            }
            n.add(new ContextSpec.Offset((int) (long) dy, (int) (long) dx));
        }
        return n;
    }

    /** The manifest as pretty-printed JSON. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", architecture.autoregressive() ? FORMAT_AR : FORMAT);
        root.put("name", name);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", "mlp-vae");
        a.put("dataDim", architecture.dataDim());
        a.put("hiddenDim", architecture.hiddenDim());
        a.put("latentDim", architecture.latentDim());
        a.put("activation", "relu");
        a.put("posterior", "diagonal-gaussian");
        a.put("prior", "standard-normal");
        a.put("likelihood", architecture.likelihood().id());
        a.put("input", architecture.likelihood().maxValue() == 1 ? "0/1" : "0..255");
        ContextSpec cs = architecture.context();
        if (cs != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", "causal-mlp");
            c.put("width", cs.width());
            c.put("hidden", cs.hidden());
            if (cs.maps() != 0) {
                c.put("maps", cs.maps());
            }
            c.put("activation", "relu");
            c.put("inputs", (cs.residual(architecture.likelihood().paramCount()) ? "raw parameters" : "decoder maps") + ", then neighbours " + (architecture.likelihood().maxValue() == 1 ? "x" : "x/255")
                    + (cs.rawOffsets().isEmpty() ? "" : ", then decoder maps at rawOffsets") + " (0 outside the image)");
            c.put("neighbours", offsetsJson(cs.neighbours()));
            if (!cs.rawOffsets().isEmpty()) {
                c.put("rawOffsets", offsetsJson(cs.rawOffsets()));
            }
            a.put("context", c);
        }
        a.put("parameters", architecture.parameterCount());
        root.put("architecture", a);
        root.put("batchSize", batchSize);
        root.put("fingerprint", fingerprint);
        if (weightsFingerprint != null) {
            root.put("weightsFingerprint", weightsFingerprint);
        }
        if (training != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dataset", training.dataset());
            t.put("data", training.data());
            t.put("trainImages", training.trainImages());
            t.put("validationImages", training.validationImages());
            t.put("seed", training.seed());
            t.put("epochs", training.epochs());
            t.put("bestEpoch", training.bestEpoch());
            t.put("batchSize", training.batchSize());
            t.put("learningRate", training.learningRate());
            t.put("optimizer", "adam");
            t.put("shift", training.shift());
            t.put("command", training.command());
            t.put("args", training.args());
            t.put("seconds", training.seconds());
            t.put("tensorflow", training.tensorflow());
            t.put("device", training.device());
            t.put("machine", training.machine());
            root.put("training", t);
        }
        if (metrics != null) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("dataset", metrics.dataset());
            mm.put("testImages", metrics.testImages());
            mm.put("evalBatchSize", metrics.evalBatchSize());
            mm.put("evalSeed", metrics.evalSeed());
            mm.put("estimator", "single-sample ELBO: z = mu + sigma * eps, eps ~ java.util.Random(evalSeed).nextGaussian() per image in order");
            mm.put("testBitsPerDim", metrics.testBitsPerDim());
            mm.put("testBitsPerDimAnalyticKl", metrics.testBitsPerDimAnalyticKl());
            if (!Double.isNaN(metrics.validationBitsPerDim())) {
                mm.put("validationBitsPerDim", metrics.validationBitsPerDim());
            }
            root.put("metrics", mm);
        }
        return Json.write(root);
    }

    private static List<Object> offsetsJson(List<ContextSpec.Offset> offsets) {
        List<Object> n = new ArrayList<>();
        for (ContextSpec.Offset o : offsets) {
            n.add(List.of((long) o.dy(), (long) o.dx()));
        }
        return n;
    }

    private static Object field(Map<?, ?> m, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("field " + path + " is missing");
        }
        return v;
    }

    private static String str(Map<?, ?> m, String path) {
        if (!(field(m, path) instanceof String s)) {
            throw new IllegalArgumentException("field " + path + " must be a string");
        }
        return s;
    }

    private static Map<?, ?> obj(Map<?, ?> m, String path) {
        if (!(field(m, path) instanceof Map<?, ?> o)) {
            throw new IllegalArgumentException("field " + path + " must be an object");
        }
        return o;
    }

    private static long longNum(Map<?, ?> m, String path) {
        if (!(field(m, path) instanceof Long l)) {
            throw new IllegalArgumentException("field " + path + " must be an integer");
        }
        return l;
    }

    private static int integer(Map<?, ?> m, String path) {
        long l = longNum(m, path);
        if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("field " + path + " is out of range: " + l);
        }
        return (int) l;
    }

    private static double num(Map<?, ?> m, String path) {
        if (!(field(m, path) instanceof Number n)) {
            throw new IllegalArgumentException("field " + path + " must be a number");
        }
        return n.doubleValue();
    }
}
