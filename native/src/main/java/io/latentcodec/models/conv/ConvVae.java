package io.latentcodec.models.conv;

import io.latentcodec.models.Home;
import io.latentcodec.models.InvalidModelException;
import io.latentcodec.models.Tensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * A trained conv VAE loaded from a model directory (see {@link ConvInference} for the signatures and
 * {@link ConvArchitecture} for the network). Runs at batch 1 at the image's own size: H and W must be
 * multiples of 16; the same input shape gives bit-identical outputs call after call on one machine
 * type (TensorFlow's floats depend on the shape, so encoder and decoder must use the same shapes).
 *
 * <p>Loading checks, stopping at the first problem with an {@link InvalidModelException}: the
 * directory, {@code manifest.json}, the SavedModel files, TensorFlow's load, both signatures, each
 * weight's shape, and the weights' fingerprint against the manifest. Calls are thread-safe.
 */
public final class ConvVae implements AutoCloseable {
    private final Path dir;
    private final ConvManifest manifest;
    private final ConvArchitecture arch;
    private final byte[] fingerprint;
    private final SavedModelBundle bundle;
    private final List<float[]> weights;
    private final Session session;
    private final String xName;
    private final String muName;
    private final String sigmaName;
    private final String zName;
    private final String meanName;
    private volatile boolean closed;
    /** Built on first use by {@link #refine}; guarded by {@code this}. */
    private LatentRefinement refinement;

    private ConvVae(Path dir, ConvManifest manifest, byte[] fingerprint, SavedModelBundle bundle, Signature post, Signature dec,
                    List<float[]> weights) {
        this.weights = weights;
        this.dir = dir;
        this.manifest = manifest;
        this.arch = manifest.architecture();
        this.fingerprint = fingerprint;
        this.bundle = bundle;
        this.session = bundle.session();
        this.xName = post.getInputs().get("x").name;
        this.muName = post.getOutputs().get("mu").name;
        this.sigmaName = post.getOutputs().get("sigma").name;
        this.zName = dec.getInputs().get("z").name;
        this.meanName = dec.getOutputs().get("x_mean").name;
    }

    /** {@code <home>/models/<name>}, or the directory itself when {@code nameOrDir} is a path to one. */
    public static Path resolve(String nameOrDir) {
        Path p = Path.of(nameOrDir);
        if (nameOrDir.contains("/") || Files.isDirectory(p) && Files.isRegularFile(p.resolve(ConvManifest.FILE))) {
            return p;
        }
        return Home.modelsDir().resolve(nameOrDir);
    }

    public static ConvVae named(String nameOrDir) {
        return load(resolve(nameOrDir));
    }

    public static ConvVae load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidModelException(dir, Files.exists(dir) ? "not a directory" : "directory not found");
        }
        ConvManifest manifest;
        try {
            manifest = ConvManifest.read(dir.resolve(ConvManifest.FILE));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InvalidModelException(dir, "missing " + ConvManifest.FILE);
        } catch (IOException e) {
            throw new InvalidModelException(dir, "cannot read " + ConvManifest.FILE + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(dir, ConvManifest.FILE + ": " + e.getMessage(), e);
        }
        for (String f : List.of("saved_model.pb", "variables/variables.index")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new InvalidModelException(dir, "missing " + f + " (not a TensorFlow SavedModel directory)");
            }
        }
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(dir.toString()).withTags(SavedModelBundle.DEFAULT_TAG)
                    .withConfigProto(ConvTrainer.sessionConfig()).load();
        } catch (RuntimeException e) {
            throw new InvalidModelException(dir, "TensorFlow cannot load the SavedModel: " + e.getMessage(), e);
        }
        try {
            Map<String, Signature> sigs = new HashMap<>();
            for (Signature s : bundle.signatures()) {
                sigs.put(s.key(), s);
            }
            Signature post = sigs.get(ConvInference.POSTERIOR);
            Signature dec = sigs.get(ConvInference.DECODER);
            if (post == null || dec == null || !post.getInputs().containsKey("x") || !post.getOutputs().containsKey("mu")
                    || !post.getOutputs().containsKey("sigma") || !dec.getInputs().containsKey("z") || !dec.getOutputs().containsKey("x_mean")) {
                throw new InvalidModelException(dir, "the SavedModel lacks the signatures posterior(x -> mu, sigma) and decoder(z -> x_mean)");
            }
            ConvArchitecture a = manifest.architecture();
            List<float[]> weights = new ArrayList<>();
            for (ConvArchitecture.Var v : a.variables()) {
                try (Result r = bundle.session().runner().fetch(v.name()).run()) {
                    Tensor t = r.get(0);
                    if (t.dataType() != DataType.DT_FLOAT || !java.util.Arrays.equals(t.shape().asArray(), v.shape())) {
                        throw new InvalidModelException(dir, "weight '" + v.name() + "' is " + t.dataType() + " " + t.shape()
                                + ", the manifest implies DT_FLOAT " + Shape.of(v.shape()));
                    }
                    weights.add(Tensors.toFloats(t));
                } catch (InvalidModelException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new InvalidModelException(dir, "cannot read weight '" + v.name() + "': " + e.getMessage(), e);
                }
            }
            byte[] fp = ConvFingerprint.of(a, weights);
            if (!ConvFingerprint.text(fp).equals(manifest.fingerprint())) {
                throw new InvalidModelException(dir, "fingerprint mismatch: the weights hash to " + ConvFingerprint.text(fp) + ", "
                        + ConvManifest.FILE + " says " + manifest.fingerprint());
            }
            return new ConvVae(dir, manifest, fp, bundle, post, dec, weights);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** q(z|x) of one image: {@code mu} and {@code sigma}, each {@code (H/16) (W/16) M} floats in NHWC order. */
    public record Posterior(float[] mu, float[] sigma, int height, int width) {
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + manifest.name() + " is closed");
        }
    }

    private static void checkSize(int h, int w) {
        if (h < 16 || w < 16 || h % 16 != 0 || w % 16 != 0) {
            throw new IllegalArgumentException("image size must be a multiple of 16 on each side, got " + w + "x" + h);
        }
    }

    /** The posterior of an image: {@code x} holds {@code height * width * 3} floats 0..255 (RGB interleaved, row-major). */
    public Posterior posterior(float[] x, int height, int width) {
        checkOpen();
        checkSize(height, width);
        if (x.length != height * width * 3) {
            throw new IllegalArgumentException("x must hold " + height * width * 3 + " floats, got " + x.length);
        }
        int n = (height / 16) * (width / 16) * arch.latents();
        float[] mu = new float[n];
        float[] sigma = new float[n];
        try (TFloat32 xt = Tensors.floats(Shape.of(1, height, width, 3), x);
             Result r = session.runner().feed(xName, xt).fetch(muName).fetch(sigmaName).run()) {
            Tensors.copy(r.get(0), mu);
            Tensors.copy(r.get(1), sigma);
        }
        return new Posterior(mu, sigma, height / 16, width / 16);
    }

    /** The decoder's mean image for latents {@code z} ({@code h * w * M} floats, NHWC): {@code 16h * 16w * 3} floats in pixel units. */
    public float[] decode(float[] z, int h, int w) {
        checkOpen();
        if (h < 1 || w < 1 || z.length != h * w * arch.latents()) {
            throw new IllegalArgumentException("z must hold " + h + " x " + w + " x " + arch.latents() + " floats, got " + z.length);
        }
        float[] out = new float[256 * h * w * 3];
        try (TFloat32 zt = Tensors.floats(Shape.of(1, h, w, arch.latents()), z);
             Result r = session.runner().feed(zName, zt).fetch(meanName).run()) {
            Tensors.copy(r.get(0), out);
        }
        return out;
    }

    /**
     * The posterior {@code q} of image {@code x} (as given to {@link #posterior}) with its means refined
     * by {@code iterations} gradient steps on the ELBO's terms in the means (see {@link LatentRefinement});
     * the standard deviations are {@code q}'s. Zero iterations return {@code q}. Slow: each step costs
     * about three decoder passes.
     */
    public Posterior refine(float[] x, int height, int width, Posterior q, int iterations) {
        checkOpen();
        checkSize(height, width);
        if (x.length != height * width * 3 || q.height() != height / 16 || q.width() != width / 16
                || q.mu().length != q.height() * q.width() * arch.latents()) {
            throw new IllegalArgumentException("posterior of " + q.width() + "x" + q.height() + " latents does not fit a "
                    + width + "x" + height + " image of " + x.length + " floats");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("refinement steps must be >= 0, got " + iterations);
        }
        if (iterations == 0) {
            return q;
        }
        return new Posterior(refinement().refine(x, q.height(), q.width(), q.mu(), iterations), q.sigma(), q.height(), q.width());
    }

    /**
     * How badly latents {@code z} ({@code h * w * M} floats, NHWC, {@code h = height / 16}) explain image
     * {@code x}: {@code D(z) = sum (x - decoder(z))^2 / (2 sigmaX^2)} in nats (the negative
     * log-likelihood up to a constant), with {@code dD/dz} written into {@code gradient}. Encoder-side
     * only: floats of a gradient graph, not of the decoder signature the files are checked against.
     */
    public double distortion(float[] x, int height, int width, float[] z, float[] gradient) {
        checkOpen();
        checkSize(height, width);
        int n = (height / 16) * (width / 16) * arch.latents();
        if (x.length != height * width * 3 || z.length != n || gradient.length != n) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image needs " + height * width * 3 + " floats and " + n
                    + " latents, got " + x.length + ", " + z.length + " and a gradient of " + gradient.length);
        }
        try (var xt = LatentRefinement.image(x, height / 16, width / 16)) {
            return refinement().distortion(xt, height / 16, width / 16, z, gradient);
        }
    }

    private synchronized LatentRefinement refinement() {
        if (refinement == null) {
            refinement = LatentRefinement.create(arch, weights);
        }
        return refinement;
    }

    public String name() {
        return manifest.name();
    }

    /** Copies of the weights, in {@link ConvArchitecture#variables()} order. */
    public List<float[]> weights() {
        List<float[]> out = new ArrayList<>();
        for (float[] w : weights) {
            out.add(w.clone());
        }
        return out;
    }

    public ConvArchitecture architecture() {
        return arch;
    }

    public int latents() {
        return arch.latents();
    }

    /** SHA-256 of the weights (32 bytes). */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    public ConvManifest manifest() {
        return manifest;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bundle.close();
            synchronized (this) {
                if (refinement != null) {
                    refinement.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ConvVae " + manifest.name() + " (" + arch.id() + ", " + dir + ")";
    }
}
