package io.latentcodec.models;

import io.latentcodec.kernels.nn.Dense;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A VAE evaluated by the project's own deterministic kernels ({@link Dense}, {@link Bounding},
 * {@link ContextNet}) from {@code weights.lcw}, without TensorFlow: the model the codecs code with.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Portable floats.</b> Every output is a function of the weights file and the input row
 * alone: the same bits on any CPU, vector width (scalar, 256, 512), JIT or interpreter, with or
 * without FMA hardware, and with any TensorFlow version or none (the rules of
 * {@code io.latentcodec.kernels.nn}). A row's floats do not depend on the batch it is in either
 * ({@link Dense} gives each row the bits it would have alone).
 * <li><b>The same function as the graph.</b> {@link Architecture}'s encoder and decoder, layer by
 * layer: {@code x/255} (unless Bernoulli), dense + ReLU, dense to mu and to {@code softplus(.) + 1e-4};
 * dense + ReLU, dense to the E raw maps, bounded as {@code VaeGraph.bound} does. TensorFlow sums in
 * other orders and has its own softplus, so the floats differ from the SavedModel's by a few ulps,
 * which moves the coded rate by far less than can be measured ({@code DeterministicVaeTest}).
 * <li><b>Fingerprint</b>: {@link WeightsFile#fingerprint} over the architecture id and the
 * weights, the container's version-2 fingerprint. The batch size is not in it.
 * </ul>
 * Thread-safe: calls bring their own scratch.
 */
public final class DeterministicVae implements VaeModel {
    private final Path dir;
    private final Manifest manifest;
    private final Architecture arch;
    private final byte[] fingerprint;
    private final Dense encHidden;
    private final Dense encMu;
    private final Dense encSigma;
    private final Dense decHidden;
    private final Dense decOut;
    private final ContextNet context;
    private volatile boolean closed;

    private DeterministicVae(Path dir, Manifest manifest, WeightsFile weights) {
        this.dir = dir;
        this.manifest = manifest;
        this.arch = manifest.architecture();
        List<String> names = arch.variableNames();
        List<long[]> shapes = arch.variableShapes();
        if (weights.tensors().size() != names.size()) {
            throw new InvalidModelException(dir, WeightsFile.FILE + " has " + weights.tensors().size() + " tensors, "
                    + arch.id() + " needs " + names.size() + " (" + names + ")");
        }
        float[][] w = new float[names.size()][];
        for (int i = 0; i < w.length; i++) {
            if (!weights.tensors().get(i).name().equals(names.get(i))) {
                throw new InvalidModelException(dir, WeightsFile.FILE + " holds tensor " + weights.tensors().get(i).name() + " at position "
                        + i + ", the architecture needs " + names.get(i) + " there");
            }
            w[i] = weights.get(dir, names.get(i), shapes.get(i));
        }
        int d = arch.dataDim();
        int h = arch.hiddenDim();
        int l = arch.latentDim();
        this.encHidden = Dense.of(d, h, w[0], w[1]);
        this.encMu = Dense.of(h, l, w[2], w[3]);
        this.encSigma = Dense.of(h, l, w[4], w[5]);
        this.decHidden = Dense.of(l, h, w[6], w[7]);
        this.decOut = Dense.of(h, arch.decoderMaps() * d, w[8], w[9]);
        try {
            this.context = arch.autoregressive() ? ContextNet.of(arch, w[10], w[11], w[12], w[13]) : null;
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(dir, "context net: " + e.getMessage(), e);
        }
        this.fingerprint = weights.fingerprint(arch.id());
        String expected = manifest.weightsFingerprint();
        if (expected != null && !expected.equals(Fingerprint.text(fingerprint))) {
            throw new InvalidModelException(dir, "fingerprint mismatch: " + WeightsFile.FILE + " hashes to " + Fingerprint.text(fingerprint)
                    + ", " + Manifest.FILE + " says " + expected + " (weights changed, or the manifest belongs to another model)");
        }
    }

    /** Loads {@code dir/manifest.json} and {@code dir/weights.lcw}; anything wrong is an {@link InvalidModelException}. */
    public static DeterministicVae load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelException(dir, "directory not found");
        }
        return new DeterministicVae(dir, Manifest.load(dir), WeightsFile.read(dir));
    }

    /** A model from a manifest and weights in memory (tests, and the trainer's check of what it exports). */
    public static DeterministicVae of(Path dir, Manifest manifest, WeightsFile weights) {
        return new DeterministicVae(dir, manifest, weights);
    }

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
        return manifest.batchSize();
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
        return Device.CPU;
    }

    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public Optional<ContextNet> contextNet() {
        return Optional.ofNullable(context);
    }

    /** The model directory. */
    public Path dir() {
        return dir;
    }

    @Override
    public void posterior(float[] x, float[] muOut, float[] sigmaOut) {
        posterior(x, muOut, sigmaOut, batchSize());
    }

    @Override
    public void posterior(float[] x, float[] muOut, float[] sigmaOut, int rows) {
        open();
        int b = batchSize();
        checkRows(rows);
        int d = arch.dataDim();
        int l = arch.latentDim();
        int hd = arch.hiddenDim();
        need(x, b * d, "x");
        need(muOut, b * l, "mu");
        need(sigmaOut, b * l, "sigma");
        float[] in = new float[rows * d];
        float[] h = new float[rows * hd];
        int[] scratch = new int[Math.max(d, hd)];
        boolean scale = arch.likelihood().maxValue() != 1;
        for (int j = 0; j < rows * d; j++) {
            float v = x[j];
            in[j] = scale ? v * (1f / 255f) : v; // x / 255 as the graph computes it: one rounded product
        }
        // all rows per layer (Dense shares weight loads between rows; each row's bits are its own)
        encHidden.forward(in, 0, d, h, 0, hd, rows, true, scratch);
        encMu.forward(h, 0, hd, muOut, 0, l, rows, false, scratch);
        encSigma.forward(h, 0, hd, sigmaOut, 0, l, rows, false, scratch);
        Bounding.sigma(sigmaOut, 0, rows * l);
    }

    @Override
    public void likelihoodParams(float[] z, float[]... out) {
        likelihoodParams(batchSize(), z, out);
    }

    @Override
    public void likelihoodParams(int rows, float[] z, float[]... out) {
        if (context != null) {
            throw new UnsupportedOperationException("model " + name() + " has a context net: its parameters need x (rawParams + ContextNet)");
        }
        decode(rows, z, out, arch.likelihood().paramCount(), true);
    }

    @Override
    public void rawParams(float[] z, float[]... out) {
        rawParams(batchSize(), z, out);
    }

    @Override
    public void rawParams(int rows, float[] z, float[]... out) {
        if (context == null) {
            throw new UnsupportedOperationException("model " + name() + " has no context net");
        }
        decode(rows, z, out, context.maps(), false);
    }

    /** The decoder's E maps of rows {@code 0..rows-1} into {@code out[e][r D + j]}, bounded when {@code bound}. */
    private void decode(int rows, float[] z, float[][] out, int maps, boolean bound) {
        open();
        checkRows(rows);
        int b = batchSize();
        int d = arch.dataDim();
        int l = arch.latentDim();
        int hd = arch.hiddenDim();
        need(z, b * l, "z");
        if (out.length != maps) {
            throw new IllegalArgumentException("model " + name() + " gives " + maps + " maps, got " + out.length + " arrays");
        }
        for (int e = 0; e < maps; e++) {
            need(out[e], b * d, "map " + e);
        }
        float[] h = new float[rows * hd];
        float[] all = new float[rows * maps * d];
        int[] scratch = new int[Math.max(l, hd)];
        decHidden.forward(z, 0, l, h, 0, hd, rows, true, scratch);
        decOut.forward(h, 0, hd, all, 0, maps * d, rows, false, scratch);
        for (int r = 0; r < rows; r++) {
            for (int e = 0; e < maps; e++) {
                System.arraycopy(all, (r * maps + e) * d, out[e], r * d, d); // the graph splits the output along its columns: map e is columns e D ..
            }
        }
        if (bound) {
            for (int e = 0; e < maps; e++) {
                Bounding.bound(arch.likelihood(), e, out[e], 0, rows * d);
            }
        }
    }

    private void checkRows(int rows) {
        if (rows < 0 || rows > batchSize()) {
            throw new IllegalArgumentException("rows must be 0.." + batchSize() + ", got " + rows);
        }
    }

    private static void need(float[] a, int n, String what) {
        if (a == null || a.length != n) {
            throw new IllegalArgumentException(what + " must have " + n + " values, got " + (a == null ? "null" : a.length));
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("model " + name() + " is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "DeterministicVae[" + name() + ", " + arch.id() + "]";
    }
}
