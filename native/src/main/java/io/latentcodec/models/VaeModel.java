package io.latentcodec.models;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A trained VAE as the codecs see it: the posterior q(z|x) for a batch of images, and the
 * likelihood p(x|z)'s parameters for a batch of latents. TensorFlow stays behind this interface,
 * so codecs can be tested with a small deterministic Java implementation.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Fixed batch shape.</b> Every call runs exactly {@link #batchSize()} rows, B. Arrays are
 *       row-major: {@code x} is B x {@link #dataDim()} (D) floats, latents and posterior outputs are
 *       B x {@link #latentDim()} (L), each likelihood parameter B x D. Callers pad a short last batch
 *       (with zeros, say) and ignore the padded rows. TensorFlow's floats for a row change with the
 *       batch <em>shape</em>, which is why B never varies.</li>
 *   <li><b>Inputs.</b> {@code x} holds pixel values as the likelihood expects them: 0 or 1 for
 *       {@link Likelihood#BERNOULLI}, 0..255 otherwise (the model scales internally). {@code z}
 *       holds latents; for decoding, the bucket centres of z the coder chose.</li>
 *   <li><b>Outputs.</b> Posterior: {@code mu} and {@code sigma} (standard deviation, > 0) of
 *       q(z|x) = N(mu, diag(sigma^2)); the prior is N(0, I). Likelihood: the parameter arrays named by
 *       {@link Likelihood#paramNames()}, in that order (see {@link Likelihood} for their meaning).</li>
 *   <li><b>Determinism.</b> The same inputs at the same batch shape give bit-identical outputs, call
 *       after call and across separately loaded instances of the same model directory, on the same
 *       machine type and device. Encoder and decoder therefore see identical floats.
 *       {@link #fingerprint()} identifies the weights, architecture and batch size; a container
 *       records it so that decoding with another model is a clear error.</li>
 *   <li><b>Threads.</b> TensorFlow models may be called from several threads at once.</li>
 *   <li><b>Locally autoregressive likelihoods.</b> A model with a {@link #contextNet()} has
 *       p(x|z) = prod_j p(x_j | z, causal neighbours of x_j): its parameters depend on x, so
 *       {@link #likelihoodParams(float[], float[]...)} refuses, and a codec computes them with
 *       {@link #rawParams} (the decoder's maps, from z alone, by TensorFlow) and the context net's
 *       Java forward pass (pixel by pixel, from decoded pixels; deterministic).
 *       {@link #likelihoodParamsGiven} gives TensorFlow's parameters for a
 *       known x, for evaluation.</li>
 * </ul>
 */
public interface VaeModel extends AutoCloseable {

    /** The model's name, e.g. {@code mnist-binarized}. */
    String name();

    Likelihood likelihood();

    /** D: pixels per image (784). */
    int dataDim();

    /** L: latent dimensions. */
    int latentDim();

    /** B: rows per call, fixed. */
    int batchSize();

    /**
     * SHA-256 (32 bytes) over, in order: the ASCII tag {@code latentcodec-vae-weights/1}, the
     * architecture id, the batch size, then for each weight variable of
     * {@link Architecture#variableNames()} its name, its shape and its float32 values little-endian
     * (the exact layout is {@code Fingerprint}'s comment).
     */
    byte[] fingerprint();

    /** The manifest the model was loaded with; its batch size is this model's. */
    Manifest manifest();

    /** The device the model runs on: {@link Device#CPU} or {@link Device#GPU}. */
    Device device();

    /**
     * q(z|x) for one batch: {@code x} has B*D values; {@code muOut} and {@code sigmaOut} receive
     * B*L values each.
     */
    void posterior(float[] x, float[] muOut, float[] sigmaOut);

    /**
     * p(x|z)'s parameters for one batch: {@code z} has B*L values; {@code out} holds one array of
     * B*D values per parameter of {@link Likelihood#paramNames()}, in that order.
     *
     * @throws UnsupportedOperationException if the model has a {@link #contextNet()}
     */
    void likelihoodParams(float[] z, float[]... out);

    /**
     * {@link #posterior(float[], float[], float[])} where only the first {@code rows} rows matter: a
     * model may leave the outputs of rows {@code rows..B-1} unspecified (a TensorFlow model computes
     * them all, on the padding; the deterministic one skips them). Rows below {@code rows} are the
     * same bits as in the full call.
     */
    default void posterior(float[] x, float[] muOut, float[] sigmaOut, int rows) {
        posterior(x, muOut, sigmaOut);
    }

    /** {@link #likelihoodParams(float[], float[]...)} where only the first {@code rows} rows matter (see {@link #posterior(float[], float[], float[], int)}). */
    default void likelihoodParams(int rows, float[] z, float[]... out) {
        likelihoodParams(z, out);
    }

    /** {@link #rawParams(float[], float[]...)} where only the first {@code rows} rows matter (see {@link #posterior(float[], float[], float[], int)}). */
    default void rawParams(int rows, float[] z, float[]... out) {
        rawParams(z, out);
    }

    /**
     * The context net of a locally autoregressive likelihood (see {@link ContextSpec}); empty when
     * pixels are independent given z.
     */
    default Optional<ContextNet> contextNet() {
        return Optional.empty();
    }

    /**
     * The decoder's raw maps for one batch, before the context net and the bounding: {@code z} has
     * B*L values; {@code out} one array of B*D values per map, {@link ContextNet#maps()} of them (see
     * {@code VaeGraph.decodeRaw} for what each holds). {@link ContextNet#forward} turns them into parameters.
     *
     * @throws UnsupportedOperationException if the model has no {@link #contextNet()}
     */
    default void rawParams(float[] z, float[]... out) {
        throw new UnsupportedOperationException("model " + name() + " has no context net");
    }

    /** {@link #rawParams(float[], float[]...)} as views of the result tensors (close to free them). */
    default ModelOutputs rawParams(MemorySegment z) {
        int e = contextNet().orElseThrow(() -> new UnsupportedOperationException("model " + name() + " has no context net")).maps();
        float[][] out = new float[e][batchSize() * dataDim()];
        rawParams(z.toArray(ValueLayout.JAVA_FLOAT), out);
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < e; i++) {
            names.add("raw" + i);
        }
        return ModelOutputs.ofArrays(names, out);
    }

    /**
     * p(x|z)'s parameters for one batch whose pixels {@code x} (B*D values) are known: for a model
     * without context net the same as {@link #likelihoodParams(float[], float[]...)} (x unused); with
     * one, the parameters of each pixel given its neighbours in x (TensorFlow's, for a TensorFlow
     * model; the default runs {@link ContextNet#forwardImages} on {@link #rawParams}).
     */
    default void likelihoodParamsGiven(float[] z, float[] x, float[]... out) {
        Optional<ContextNet> c = contextNet();
        if (c.isEmpty()) {
            likelihoodParams(z, out);
            return;
        }
        float[][] raw = new float[c.get().maps()][batchSize() * dataDim()];
        rawParams(z, raw);
        c.get().forwardImages(raw, x, batchSize(), out);
    }

    /**
     * q(z|x) for one batch, outputs {@code mu} and {@code sigma} as views of the result tensors
     * (no copy; close the result to free them). {@code x}: B*D floats in native byte order.
     */
    default ModelOutputs posterior(MemorySegment x) {
        float[] mu = new float[batchSize() * latentDim()];
        float[] sigma = new float[mu.length];
        posterior(x.toArray(ValueLayout.JAVA_FLOAT), mu, sigma);
        return ModelOutputs.ofArrays(List.of("mu", "sigma"), mu, sigma);
    }

    /**
     * p(x|z)'s parameters for one batch as views of the result tensors (no copy; close the result to
     * free them), named by {@link Likelihood#paramNames()}. {@code z}: B*L floats in native byte order.
     */
    default ModelOutputs likelihoodParams(MemorySegment z) {
        float[][] out = new float[likelihood().paramCount()][batchSize() * dataDim()];
        likelihoodParams(z.toArray(ValueLayout.JAVA_FLOAT), out);
        return ModelOutputs.ofArrays(likelihood().paramNames(), out);
    }

    /**
     * The single-sample ELBO terms of one batch, in nats per image, at z = mu + sigma * eps:
     * {@code logPx} = log p(x|z), {@code logPz} = log p(z), {@code logQz} = log q(z|x) and
     * {@code kl} = KL(q(z|x) || p(z)) in closed form; {@code x} has B*D values, {@code eps} B*L,
     * each output B. Computed in float64 inside the graph.
     *
     * @throws UnsupportedOperationException when the model does not compute them
     */
    default void elbo(float[] x, float[] eps, double[] logPx, double[] logPz, double[] logQz, double[] kl) {
        throw new UnsupportedOperationException("model " + name() + " does not compute ELBO terms");
    }

    /** Frees the TensorFlow session; later calls throw IllegalStateException. */
    @Override
    void close();

    /**
     * Whether every output is computed by the project's deterministic Java kernels from the weights
     * file ({@link DeterministicVae}): the same bits on every machine, so its containers are version
     * 2 and decode anywhere. A TensorFlow model's floats depend on its kernels, and a container made
     * with one is version 1.
     */
    default boolean deterministic() {
        return false;
    }

    // ---- loading ----

    /**
     * Loads a model directory for coding: {@link DeterministicVae}, from {@code manifest.json} and
     * {@code weights.lcw}, no TensorFlow. A missing or damaged directory is an
     * {@link InvalidModelException} saying what is wrong.
     */
    static VaeModel load(Path dir) {
        return DeterministicVae.load(dir);
    }

    /** Loads a shipped model, {@code <home>/models/<name>} (see {@link Home}), for coding. */
    static VaeModel named(String name) {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("model name '" + name + "' is not a plain name; pass a directory to load(Path)");
        }
        return load(shipped(name));
    }

    /** {@code --model NAME|DIR} for coding: {@link #load} of {@link #resolve}'s directory. */
    static VaeModel open(String nameOrDir) {
        return load(resolve(nameOrDir));
    }

    /**
     * Loads a model directory's SavedModel into TensorFlow (training checks, evaluation of the ELBO,
     * version-1 containers, benchmarks). {@code batchSize} 0 keeps the manifest's batch size and
     * runs the shipped graph; another value rebuilds the same graph at that batch size around the
     * loaded weights (its fingerprint then differs, since its floats do).
     *
     * @throws IllegalStateException when TensorFlow is not on the class path
     */
    static VaeModel loadTensorFlow(Path dir, Device device, int batchSize) {
        try {
            return SavedModelVae.load(dir, device, batchSize);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("TensorFlow is not on the class path (needed for " + dir + "'s SavedModel; coding needs only "
                    + "weights.lcw): add org.tensorflow:tensorflow-core-api and tensorflow-core-native", e);
        }
    }

    /** {@link #loadTensorFlow(Path, Device, int)} on the CPU at the shipped batch size. */
    static VaeModel loadTensorFlow(Path dir) {
        return loadTensorFlow(dir, Device.CPU, 0);
    }

    /** {@code --model NAME|DIR} in TensorFlow, at a batch size (0: as shipped). */
    static VaeModel openTensorFlow(String nameOrDir, Device device, int batchSize) {
        return loadTensorFlow(resolve(nameOrDir), device, batchSize);
    }

    /** Whether {@code name} can name a shipped model: letters, digits, '.', '_', '-', not starting with a dot (no path). */
    static boolean isPlainName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]*");
    }

    /**
     * The directory of {@code --model NAME|DIR}: an existing directory, or anything with a path
     * separator, is taken as a path; a plain name is a shipped model, {@code <home>/models/<name>}.
     * An unknown name is an {@link InvalidModelException} listing the shipped ones.
     */
    static Path resolve(String nameOrDir) {
        Path p = Path.of(nameOrDir);
        if (Files.isDirectory(p) || nameOrDir.contains("/") || nameOrDir.contains(java.io.File.separator)) {
            return p;
        }
        return shipped(nameOrDir);
    }

    /** The directory of shipped model {@code name}, {@code <home>/models/<name>}, whatever the working directory holds. */
    private static Path shipped(String name) {
        Path dir = Home.modelsDir().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelException(dir, "no shipped model named '" + name + "' (shipped: " + shippedNames() + ")");
        }
        return dir;
    }

    /** Names of the shipped models under {@code <home>/models}, sorted. */
    static List<String> shippedNames() {
        try (var s = Files.list(Home.modelsDir())) {
            return s.filter(p -> Files.isRegularFile(p.resolve(Manifest.FILE))).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException | IllegalStateException e) {
            return List.of();
        }
    }
}
