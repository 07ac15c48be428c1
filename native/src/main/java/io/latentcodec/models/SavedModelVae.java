package io.latentcodec.models;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.types.TFloat32;

/**
 * A {@link VaeModel} backed by a TensorFlow SavedModel directory (see {@link InferenceGraph} for
 * its signatures). Loading checks, in order, so that each failure names its cause: the directory,
 * {@code manifest.json} (present, valid JSON, valid fields), the SavedModel files, TensorFlow's
 * load, the three signatures' names, types and shapes against the manifest, the weights' shapes,
 * the weights' fingerprint against the manifest, and finally one call each for finite outputs.
 *
 * <p>Calls allocate their own input tensors, so one instance may serve several threads.
 */
final class SavedModelVae implements VaeModel {
    private final Path dir;
    private final Manifest manifest;
    private final Architecture arch;
    private final int batch;
    private final byte[] fingerprint;
    private final AutoCloseable owner;
    private final Session session;
    private final Shape xShape;
    private final Shape zShape;
    private final String xName;
    private final String[] posteriorOut;
    private final String zName;
    private final String[] paramOut;
    private final String elboXName;
    private final String epsName;
    private final String[] elboOut;
    /** Null for a model without context net. */
    private final ContextNet contextNet;
    /** The likelihood signature's x input (null without context net). */
    private final String likXName;
    /** The decoder signature's outputs: the raw maps (null without context net). */
    private final String[] rawOut;
    private Device device;
    /** The weights as loaded, in {@link Architecture#variableNames()} order (for {@link WeightsExport}). */
    private List<float[]> weights;
    private volatile boolean closed;

    private SavedModelVae(Path dir, Manifest manifest, int batch, byte[] fingerprint, AutoCloseable owner, Session session,
                          Signature post, Signature lik, Signature elbo, Signature decoder, ContextNet contextNet) {
        this.dir = dir;
        this.manifest = manifest;
        this.arch = manifest.architecture();
        this.batch = batch;
        this.fingerprint = fingerprint;
        this.owner = owner;
        this.session = session;
        this.xShape = Shape.of(batch, arch.dataDim());
        this.zShape = Shape.of(batch, arch.latentDim());
        this.xName = post.getInputs().get("x").name;
        this.posteriorOut = new String[] {post.getOutputs().get("mu").name, post.getOutputs().get("sigma").name};
        this.zName = lik.getInputs().get("z").name;
        List<String> pn = arch.likelihood().paramNames();
        this.paramOut = new String[pn.size()];
        for (int i = 0; i < pn.size(); i++) {
            paramOut[i] = lik.getOutputs().get(pn.get(i)).name;
        }
        this.elboXName = elbo.getInputs().get("x").name;
        this.epsName = elbo.getInputs().get("eps").name;
        this.elboOut = new String[InferenceGraph.ELBO_OUTPUTS.size()];
        for (int i = 0; i < elboOut.length; i++) {
            elboOut[i] = elbo.getOutputs().get(InferenceGraph.ELBO_OUTPUTS.get(i)).name;
        }
        this.contextNet = contextNet;
        if (contextNet != null) {
            this.likXName = lik.getInputs().get("x").name;
            this.rawOut = new String[arch.decoderMaps()];
            for (int i = 0; i < rawOut.length; i++) {
                rawOut[i] = decoder.getOutputs().get(InferenceGraph.RAW + i).name;
            }
        } else {
            this.likXName = null;
            this.rawOut = null;
        }
    }

    /** The session options for a device choice; threads from {@code -Dlatentcodec.tf.threads} and {@code -Dlatentcodec.tf.intra} when set. */
    static ConfigProto config(Device device) {
        ConfigProto.Builder b = ConfigProto.newBuilder();
        if (device == Device.CPU) {
            b.putDeviceCount("GPU", 0);
        } else {
            b.setAllowSoftPlacement(device == Device.AUTO);
            b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        }
        int threads = Integer.getInteger("latentcodec.tf.threads", 0);
        if (threads > 0) {
            b.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
        }
        // intra-op threads alone: 1 runs each call on one core while concurrent calls (one per chain)
        // still run side by side on the inter-op pool, which a single inter-op thread would serialize
        int intra = Integer.getInteger("latentcodec.tf.intra", 0);
        if (intra > 0) {
            b.setIntraOpParallelismThreads(intra);
        }
        return b.build();
    }

    static SavedModelVae load(Path dir, Device device, int batchSize) {
        if (device == null) {
            throw new IllegalArgumentException("device is null");
        }
        if (batchSize < 0 || batchSize > Manifest.MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be 0 (as shipped) or 1.." + Manifest.MAX_BATCH + ", got " + batchSize);
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelException(dir, Files.exists(dir) ? "not a directory" : "directory not found");
        }
        Path mf = dir.resolve(Manifest.FILE);
        if (!Files.isRegularFile(mf)) {
            throw new InvalidModelException(dir, "missing " + Manifest.FILE);
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(mf);
        } catch (java.io.IOException e) {
            throw new InvalidModelException(dir, "cannot read " + Manifest.FILE + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(dir, Manifest.FILE + ": " + e.getMessage(), e);
        }
        for (String f : List.of("saved_model.pb", "variables/variables.index")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new InvalidModelException(dir, "missing " + f + " (not a TensorFlow SavedModel directory)");
            }
        }
        Architecture arch = manifest.architecture();
        ConfigProto config = config(device);
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(dir.toString()).withTags(SavedModelBundle.DEFAULT_TAG).withConfigProto(config).load();
        } catch (RuntimeException e) {
            throw new InvalidModelException(dir, "TensorFlow cannot load the SavedModel: " + firstLine(e), e);
        }
        SavedModelVae model;
        AutoCloseable open = bundle; // what to free if loading fails: the bundle, or the rebuilt graph replacing it
        try {
            Map<String, Signature> sigs = new java.util.HashMap<>();
            for (Signature s : bundle.signatures()) {
                sigs.put(s.key(), s);
            }
            int b = manifest.batchSize();
            Signature post = signature(dir, sigs, InferenceGraph.POSTERIOR,
                    Map.of("x", spec(DataType.DT_FLOAT, b, arch.dataDim())),
                    Map.of("mu", spec(DataType.DT_FLOAT, b, arch.latentDim()), "sigma", spec(DataType.DT_FLOAT, b, arch.latentDim())));
            Map<String, long[]> likOut = new java.util.HashMap<>();
            for (String p : arch.likelihood().paramNames()) {
                likOut.put(p, spec(DataType.DT_FLOAT, b, arch.dataDim()));
            }
            Map<String, long[]> likIn = new java.util.HashMap<>(Map.of("z", spec(DataType.DT_FLOAT, b, arch.latentDim())));
            Signature decoder = null;
            if (arch.autoregressive()) {
                likIn.put("x", spec(DataType.DT_FLOAT, b, arch.dataDim()));
                Map<String, long[]> rawOut = new java.util.HashMap<>();
                for (int i = 0; i < arch.decoderMaps(); i++) {
                    rawOut.put(InferenceGraph.RAW + i, spec(DataType.DT_FLOAT, b, arch.dataDim()));
                }
                decoder = signature(dir, sigs, InferenceGraph.DECODER, Map.of("z", spec(DataType.DT_FLOAT, b, arch.latentDim())), rawOut);
            }
            Signature lik = signature(dir, sigs, InferenceGraph.LIKELIHOOD, likIn, likOut);
            Map<String, long[]> elboOut = new java.util.HashMap<>();
            for (String o : InferenceGraph.ELBO_OUTPUTS) {
                elboOut.put(o, spec(DataType.DT_DOUBLE, b));
            }
            Signature elbo = signature(dir, sigs, InferenceGraph.ELBO,
                    Map.of("x", spec(DataType.DT_FLOAT, b, arch.dataDim()), "eps", spec(DataType.DT_FLOAT, b, arch.latentDim())), elboOut);

            List<float[]> weights = readWeights(dir, bundle.session(), arch);
            byte[] fp = Fingerprint.of(arch, b, weights);
            String fpText = Fingerprint.text(fp);
            if (!fpText.equals(manifest.fingerprint())) {
                throw new InvalidModelException(dir, "fingerprint mismatch: the weights hash to " + fpText + ", " + Manifest.FILE
                        + " says " + manifest.fingerprint() + " (weights changed, or the manifest belongs to another model)");
            }
            ContextNet ctx;
            try {
                ctx = arch.autoregressive() ? ContextNet.of(arch, weights) : null;
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(dir, "context net: " + e.getMessage(), e);
            }
            if (batchSize == 0 || batchSize == b) {
                model = new SavedModelVae(dir, manifest, b, fp, bundle, bundle.session(), post, lik, elbo, decoder, ctx);
            } else {
                InferenceGraph g;
                try {
                    g = InferenceGraph.create(arch, batchSize, weights, config);
                } catch (RuntimeException e) {
                    throw new InvalidModelException(dir, "cannot rebuild the graph at batch size " + batchSize + ": " + firstLine(e), e);
                }
                open = g;
                bundle.close(); // the weights now live in the rebuilt graph's session
                byte[] rebatched = Fingerprint.of(arch, batchSize, weights);
                Manifest m = new Manifest(manifest.name(), arch, batchSize, Fingerprint.text(rebatched), manifest.training(), manifest.metrics());
                model = new SavedModelVae(dir, m, batchSize, rebatched, g, g.session, g.posterior, g.likelihood, g.elbo, g.decoder, ctx);
            }
            model.weights = weights;
            model.device = model.warmUp();
        } catch (RuntimeException e) {
            try {
                open.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof InvalidModelException) {
                throw e;
            }
            throw new InvalidModelException(dir, "TensorFlow failed on the model: " + firstLine(e), e);
        }
        if (device == Device.GPU && model.device != Device.GPU) {
            model.close();
            throw new IllegalStateException("device gpu requested, but TensorFlow ran the model on the CPU: no GPU is visible (the CPU-only "
                    + "TensorFlow build, or no CUDA device/driver; build with mvn -Pgpu on Linux x86-64 with an NVIDIA driver, or use "
                    + "--device cpu|auto)");
        }
        return model;
    }

    private static long[] spec(DataType type, long... dims) {
        long[] r = new long[dims.length + 1];
        r[0] = type.getNumber();
        System.arraycopy(dims, 0, r, 1, dims.length);
        return r;
    }

    /** The signature with this key, checked against the expected inputs and outputs (type code then dimensions). */
    private static Signature signature(Path dir, Map<String, Signature> sigs, String key, Map<String, long[]> inputs,
                                       Map<String, long[]> outputs) {
        Signature s = sigs.get(key);
        if (s == null) {
            throw new InvalidModelException(dir, "the SavedModel has no signature '" + key + "' (it has " + sigs.keySet() + ")");
        }
        check(dir, key, "input", s.getInputs(), inputs);
        check(dir, key, "output", s.getOutputs(), outputs);
        return s;
    }

    private static void check(Path dir, String key, String kind, Map<String, Signature.TensorDescription> have, Map<String, long[]> want) {
        if (!have.keySet().equals(want.keySet())) {
            throw new InvalidModelException(dir, "signature '" + key + "' has " + kind + "s " + new java.util.TreeSet<>(have.keySet())
                    + ", expected " + new java.util.TreeSet<>(want.keySet()));
        }
        for (Map.Entry<String, long[]> e : new java.util.TreeMap<>(want).entrySet()) { // by name: a stable first complaint
            Signature.TensorDescription d = have.get(e.getKey());
            long[] w = e.getValue();
            long[] dims = java.util.Arrays.copyOfRange(w, 1, w.length);
            if (d.dataType.getNumber() != w[0] || !java.util.Arrays.equals(d.shape.asArray(), dims)) {
                throw new InvalidModelException(dir, "signature '" + key + "' " + kind + " '" + e.getKey() + "' is " + d.dataType + " "
                        + d.shape + ", the manifest implies " + DataType.forNumber((int) w[0]) + " " + Shape.of(dims));
            }
        }
    }

    private static List<float[]> readWeights(Path dir, Session s, Architecture arch) {
        List<String> names = arch.variableNames();
        List<long[]> shapes = arch.variableShapes();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            Tensor t;
            try (Result r = s.runner().fetch(n).run()) {
                t = r.get(0);
                if (t.dataType() != DataType.DT_FLOAT || !java.util.Arrays.equals(t.shape().asArray(), shapes.get(i))) {
                    throw new InvalidModelException(dir, "weight '" + n + "' is " + t.dataType() + " " + t.shape() + ", the manifest implies DT_FLOAT "
                            + Shape.of(shapes.get(i)));
                }
                out.add(Tensors.toFloats(t));
            } catch (InvalidModelException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InvalidModelException(dir, "cannot read weight '" + n + "': " + firstLine(e), e);
            }
        }
        return out;
    }

    /**
     * One traced call of each signature on zeros: checks the outputs are finite (sigma and the
     * beta-binomial parameters positive) and returns the device TensorFlow placed the matrix
     * products on.
     */
    private Device warmUp() {
        float[] x = new float[batch * arch.dataDim()];
        float[] z = new float[batch * arch.latentDim()];
        Set<String> devices = new HashSet<>();
        RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build();
        try (TFloat32 xt = Tensors.floats(xShape, x);
             Result r = session.runner().feed(xName, xt).fetch(posteriorOut[0]).fetch(posteriorOut[1]).setOptions(trace).runAndFetchMetadata()) {
            float[] mu = Tensors.toFloats(r.get(0));
            float[] sigma = Tensors.toFloats(r.get(1));
            for (int i = 0; i < mu.length; i++) {
                if (!Float.isFinite(mu[i]) || !(sigma[i] > 0) || !Float.isFinite(sigma[i])) {
                    throw new InvalidModelException(dir, "the posterior gives mu " + mu[i] + ", sigma " + sigma[i] + " on a blank image (damaged weights?)");
                }
            }
            RunMetadata md = r.getMetadata().orElse(null);
            if (md != null) {
                StepStats st = md.getStepStats();
                st.getDevStatsList().forEach(ds -> ds.getNodeStatsList().forEach(ns -> {
                    if (ns.getNodeName().contains("MatMul")) {
                        devices.add(ds.getDevice());
                    }
                }));
            }
        }
        float[][] params = new float[arch.likelihood().paramCount()][batch * arch.dataDim()];
        if (contextNet != null) {
            float[][] raw = new float[arch.decoderMaps()][batch * arch.dataDim()];
            rawParams(z, raw);
            for (int p = 0; p < raw.length; p++) {
                for (float v : raw[p]) {
                    if (!Float.isFinite(v)) {
                        throw new InvalidModelException(dir, "the decoder gives " + InferenceGraph.RAW + p + " = " + v
                                + " at z = 0 (damaged weights?)");
                    }
                }
            }
            likelihoodParamsGiven(z, x, params);
        } else {
            likelihoodParams(z, params);
        }
        for (int p = 0; p < params.length; p++) {
            for (float v : params[p]) {
                boolean positive = switch (arch.likelihood()) {
                    case BERNOULLI -> false;
                    case BETA_BINOMIAL -> true;
                    case DISCRETIZED_LOGISTIC -> p == 1;
                    case LOGISTIC_MIXTURE -> p >= 2 * Likelihood.MIXTURE_COMPONENTS;
                };
                if (!Float.isFinite(v) || positive && !(v > 0)) {
                    throw new InvalidModelException(dir, "the likelihood gives " + arch.likelihood().paramNames().get(p) + " = " + v
                            + " at z = 0 (damaged weights?)");
                }
            }
        }
        boolean gpu = devices.stream().anyMatch(d -> d.toUpperCase(java.util.Locale.ROOT).contains("GPU"));
        return gpu ? Device.GPU : Device.CPU;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    // ---- calls ----

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + manifest.name() + " is closed");
        }
    }

    private static void checkLength(float[] a, int n, String what) {
        if (a == null || a.length != n) {
            throw new IllegalArgumentException(what + " must hold exactly " + n + " floats (the fixed batch shape), got "
                    + (a == null ? "null" : a.length));
        }
    }

    @Override
    public void posterior(float[] x, float[] muOut, float[] sigmaOut) {
        checkOpen();
        checkLength(x, batch * arch.dataDim(), "x");
        checkLength(muOut, batch * arch.latentDim(), "muOut");
        checkLength(sigmaOut, batch * arch.latentDim(), "sigmaOut");
        try (TFloat32 xt = Tensors.floats(xShape, x);
             Result r = session.runner().feed(xName, xt).fetch(posteriorOut[0]).fetch(posteriorOut[1]).run()) {
            Tensors.copy(r.get(0), muOut);
            Tensors.copy(r.get(1), sigmaOut);
        }
    }

    @Override
    public void likelihoodParams(float[] z, float[]... out) {
        checkOpen();
        requirePlain();
        checkLength(z, batch * arch.latentDim(), "z");
        checkParams(out, "");
        try (TFloat32 zt = Tensors.floats(zShape, z); Result r = likelihoodRunner(zt).run()) {
            for (int i = 0; i < out.length; i++) {
                Tensors.copy(r.get(i), out[i]);
            }
        }
    }

    private void requirePlain() {
        if (contextNet != null) {
            throw new UnsupportedOperationException("model " + manifest.name() + " has a locally autoregressive likelihood: its "
                    + "parameters depend on x; use rawParams and contextNet(), or likelihoodParamsGiven(z, x, out)");
        }
    }

    private void checkParams(float[][] out, String suffix) {
        if (out.length != paramOut.length) {
            throw new IllegalArgumentException(arch.likelihood() + " has " + paramOut.length + " parameter arrays "
                    + arch.likelihood().paramNames() + ", got " + out.length);
        }
        for (int i = 0; i < out.length; i++) {
            checkLength(out[i], batch * arch.dataDim(), arch.likelihood().paramNames().get(i) + suffix);
        }
    }

    @Override
    public java.util.Optional<ContextNet> contextNet() {
        return java.util.Optional.ofNullable(contextNet);
    }

    @Override
    public void rawParams(float[] z, float[]... out) {
        checkOpen();
        requireContext();
        checkLength(z, batch * arch.latentDim(), "z");
        if (out.length != rawOut.length) {
            throw new IllegalArgumentException("the decoder of " + manifest.name() + " has " + rawOut.length + " maps, got " + out.length + " arrays");
        }
        for (int i = 0; i < out.length; i++) {
            checkLength(out[i], batch * arch.dataDim(), InferenceGraph.RAW + i);
        }
        try (TFloat32 zt = Tensors.floats(zShape, z); Result r = rawRunner(zt).run()) {
            for (int i = 0; i < out.length; i++) {
                Tensors.copy(r.get(i), out[i]);
            }
        }
    }

    @Override
    public ModelOutputs rawParams(MemorySegment z) {
        checkOpen();
        requireContext();
        Result r;
        try (TFloat32 zt = Tensors.floats(zShape, z)) {
            r = rawRunner(zt).run();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rawOut.length; i++) {
            names.add(InferenceGraph.RAW + i);
        }
        return views(r, names);
    }

    private Session.Runner rawRunner(TFloat32 zt) {
        Session.Runner runner = session.runner().feed(zName, zt);
        for (String o : rawOut) {
            runner.fetch(o);
        }
        return runner;
    }

    private void requireContext() {
        if (contextNet == null) {
            throw new UnsupportedOperationException("model " + manifest.name() + " has no context net: its likelihood parameters "
                    + "come from likelihoodParams(z, out)");
        }
    }

    @Override
    public void likelihoodParamsGiven(float[] z, float[] x, float[]... out) {
        if (contextNet == null) {
            likelihoodParams(z, out);
            return;
        }
        checkOpen();
        checkLength(z, batch * arch.latentDim(), "z");
        checkLength(x, batch * arch.dataDim(), "x");
        checkParams(out, "");
        try (TFloat32 zt = Tensors.floats(zShape, z); TFloat32 xt = Tensors.floats(xShape, x);
             Result r = likelihoodRunner(zt).feed(likXName, xt).run()) {
            for (int i = 0; i < out.length; i++) {
                Tensors.copy(r.get(i), out[i]);
            }
        }
    }

    private Session.Runner likelihoodRunner(TFloat32 zt) {
        Session.Runner runner = session.runner().feed(zName, zt);
        for (String o : paramOut) {
            runner.fetch(o);
        }
        return runner;
    }

    @Override
    public ModelOutputs posterior(MemorySegment x) {
        checkOpen();
        Result r;
        try (TFloat32 xt = Tensors.floats(xShape, x)) {
            r = session.runner().feed(xName, xt).fetch(posteriorOut[0]).fetch(posteriorOut[1]).run();
        }
        return views(r, List.of("mu", "sigma"));
    }

    @Override
    public ModelOutputs likelihoodParams(MemorySegment z) {
        checkOpen();
        requirePlain();
        Result r;
        try (TFloat32 zt = Tensors.floats(zShape, z)) {
            r = likelihoodRunner(zt).run();
        }
        return views(r, arch.likelihood().paramNames());
    }

    private static ModelOutputs views(Result r, List<String> names) {
        Arena arena = Arena.ofConfined();
        try {
            MemorySegment[] segs = new MemorySegment[names.size()];
            for (int i = 0; i < segs.length; i++) {
                segs[i] = Tensors.view(r.get(i), arena);
            }
            return new ModelOutputs(names, segs, () -> {
                arena.close(); // views become inaccessible before the memory goes
                r.close();
            });
        } catch (RuntimeException e) {
            arena.close();
            r.close();
            throw e;
        }
    }

    @Override
    public void elbo(float[] x, float[] eps, double[] logPx, double[] logPz, double[] logQz, double[] kl) {
        checkOpen();
        checkLength(x, batch * arch.dataDim(), "x");
        checkLength(eps, batch * arch.latentDim(), "eps");
        double[][] outs = {logPx, logPz, logQz, kl};
        for (double[] o : outs) {
            if (o == null || o.length != batch) {
                throw new IllegalArgumentException("each ELBO output must hold exactly " + batch + " doubles");
            }
        }
        try (TFloat32 xt = Tensors.floats(xShape, x); TFloat32 et = Tensors.floats(zShape, eps)) {
            Session.Runner runner = session.runner().feed(elboXName, xt).feed(epsName, et);
            for (String o : elboOut) {
                runner.fetch(o);
            }
            try (Result r = runner.run()) {
                for (int i = 0; i < outs.length; i++) {
                    Tensors.copy(r.get(i), outs[i]);
                }
            }
        }
    }

    // ---- description ----

    @Override
    public String name() {
        return manifest.name();
    }

    @Override
    public Likelihood likelihood() {
        return arch.likelihood();
    }

    @Override
    public int dataDim() {
        return arch.dataDim();
    }

    @Override
    public int latentDim() {
        return arch.latentDim();
    }

    @Override
    public int batchSize() {
        return batch;
    }

    /** The weights as TensorFlow holds them, in {@link Architecture#variableNames()} order (copies). */
    List<float[]> weights() {
        List<float[]> c = new ArrayList<>();
        for (float[] w : weights) {
            c.add(w.clone());
        }
        return c;
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    @Override
    public Manifest manifest() {
        return manifest;
    }

    @Override
    public Device device() {
        return device;
    }

    /** The model directory. */
    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            owner.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "VaeModel " + manifest.name() + " (" + arch.id() + ", batch " + batch + ", " + device + ", " + dir + ")";
    }
}
