package io.latentcodec.engine.vbq;

import io.latentcodec.models.Home;
import io.latentcodec.models.InvalidModelException;
import io.latentcodec.models.WeightsFile;
import io.latentcodec.models.conv.ConvArchitecture;
import io.latentcodec.models.conv.ConvFingerprint;
import io.latentcodec.models.conv.ConvManifest;
import io.latentcodec.models.conv.ConvVae;
import io.latentcodec.models.conv.ConvWeights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A trained conv VAE with its VBQ tables: everything the lossy codec needs.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Decoding needs no TensorFlow.</b> {@link #load} reads {@code manifest.json},
 * {@code weights.lcw} ({@link WeightsFile}) and {@code vbq-tables.bin} with plain Java and builds the
 * deterministic decoder ({@link VbqDecoder}); a version-2 file decodes with nothing else. The
 * TensorFlow network ({@link #vae()}: the encoder's posterior, refinement, tuning, and the decoder of
 * version-1 files) is loaded on first use only.
 * <li><b>Fingerprints.</b> Version-2 containers carry SHA-256 of {@code "latentcodec-vbq/2" 0x00},
 * the weights file's fingerprint ({@link WeightsFile#fingerprint(String)} with the architecture id,
 * recorded in the manifest as {@code weightsFingerprint}) and the SHA-256 of {@code vbq-tables.bin}.
 * Version-1 containers carry SHA-256 of {@code "latentcodec-vbq/1" 0x00}, the network's weight
 * fingerprint ({@link ConvFingerprint}, the manifest's {@code fingerprint}) and the tables' SHA-256;
 * {@link #fingerprintV1()} computes it from the same weights, so old files are recognised without
 * TensorFlow. Another network <em>or</em> other tables are another model.
 * </ul>
 */
public final class VbqModel implements AutoCloseable {
    static final String TAG = "latentcodec-vbq/2";
    static final String TAG_V1 = "latentcodec-vbq/1";

    private final Path dir;
    private final ConvManifest manifest;
    private final VbqDecoder decoder;
    private final VbqTables tables;
    private final byte[] fingerprint;
    private final byte[] fingerprintV1;
    private final byte[] weightsFingerprint;
    private final byte[] convFingerprint;
    /** The TensorFlow network, loaded on first use; shared by {@link #withTables} copies. */
    private final Network network;

    private VbqModel(Path dir, ConvManifest manifest, VbqDecoder decoder, byte[] weightsFingerprint, byte[] convFingerprint,
                     VbqTables tables, Network network) {
        if (manifest.architecture().latents() != tables.channels()) {
            throw new IllegalArgumentException("the VBQ tables have " + tables.channels() + " channels, the network "
                    + manifest.architecture().latents());
        }
        this.dir = dir;
        this.manifest = manifest;
        this.decoder = decoder;
        this.tables = tables;
        this.network = network;
        this.weightsFingerprint = weightsFingerprint;
        this.convFingerprint = convFingerprint;
        this.fingerprint = digest(TAG, weightsFingerprint, tables.sha256());
        this.fingerprintV1 = digest(TAG_V1, convFingerprint, tables.sha256());
    }

    private static byte[] digest(String tag, byte[] network, byte[] tables) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(tag.getBytes(StandardCharsets.US_ASCII));
            d.update((byte) 0);
            d.update(network);
            d.update(tables);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code <home>/models/<name>}, or the directory itself when {@code nameOrDir} is a path to one. */
    public static Path resolve(String nameOrDir) {
        Path p = Path.of(nameOrDir);
        if (nameOrDir.contains("/") || Files.isDirectory(p) && Files.isRegularFile(p.resolve(ConvManifest.FILE))) {
            return p;
        }
        return Home.modelsDir().resolve(nameOrDir);
    }

    /** A shipped model by name ({@code <home>/models/<name>}) or a model directory. */
    public static VbqModel named(String nameOrDir) {
        return load(resolve(nameOrDir));
    }

    /**
     * Loads a model directory without TensorFlow: the manifest, {@code weights.lcw} (checked against
     * the manifest's {@code weightsFingerprint}, and its values against the manifest's
     * {@code fingerprint}, which the SavedModel's weights must also have), and {@code vbq-tables.bin}.
     */
    public static VbqModel load(Path dir) {
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
        if (manifest.weightsFingerprint() == null) {
            throw new InvalidModelException(dir, ConvManifest.FILE + " has no weightsFingerprint (exported before weights.lcw existed; "
                    + "scripts/vbq export-weights --model " + dir + " writes both)");
        }
        ConvArchitecture a = manifest.architecture();
        WeightsFile wf = WeightsFile.read(dir);
        byte[] weightsFp = wf.fingerprint(a.id());
        if (!ConvFingerprint.text(weightsFp).equals(manifest.weightsFingerprint())) {
            throw new InvalidModelException(dir, WeightsFile.FILE + " hashes to " + ConvFingerprint.text(weightsFp) + ", "
                    + ConvManifest.FILE + " says weightsFingerprint " + manifest.weightsFingerprint());
        }
        List<float[]> weights = ConvWeights.read(dir, a, wf);
        byte[] convFp = ConvFingerprint.of(a, weights);
        if (!ConvFingerprint.text(convFp).equals(manifest.fingerprint())) {
            throw new InvalidModelException(dir, "the weights of " + WeightsFile.FILE + " hash to " + ConvFingerprint.text(convFp)
                    + " (the SavedModel's fingerprint), " + ConvManifest.FILE + " says " + manifest.fingerprint());
        }
        Path f = dir.resolve(VbqTables.FILE);
        if (!Files.isRegularFile(f)) {
            throw new InvalidModelException(dir, "missing " + VbqTables.FILE + " (fit it with scripts/vbq fit --model " + dir + ")");
        }
        VbqTables t;
        try {
            t = VbqTables.read(f);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidModelException(dir, VbqTables.FILE + ": " + e.getMessage(), e);
        }
        try {
            return new VbqModel(dir, manifest, new VbqDecoder(a, weights), weightsFp, convFp, t, new Network(dir));
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(dir, e.getMessage(), e);
        }
    }

    /** The same network with other tables (another model: its own fingerprints); shares the TensorFlow network, which only this model closes. */
    public VbqModel withTables(VbqTables other) {
        return new VbqModel(dir, manifest, decoder, weightsFingerprint, convFingerprint, other, network.shared());
    }

    /**
     * The TensorFlow network (loaded on first call): the encoder's posterior, refinement and tuning,
     * and the decoder of version-1 files. Needs TensorFlow on the class path.
     */
    public ConvVae vae() {
        return network.get();
    }

    /** The deterministic decoder: the reconstruction of every version-2 file. */
    public VbqDecoder decoder() {
        return decoder;
    }

    public VbqTables tables() {
        return tables;
    }

    public String name() {
        return manifest.name();
    }

    public ConvManifest manifest() {
        return manifest;
    }

    public Path dir() {
        return dir;
    }

    /** What version-2 containers carry. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** What version-1 containers (TensorFlow's reconstruction) carry. */
    public byte[] fingerprintV1() {
        return fingerprintV1.clone();
    }

    @Override
    public void close() {
        network.close();
    }

    @Override
    public String toString() {
        return "VbqModel " + name() + " (" + manifest.architecture().id() + ", R = " + tables.depth() + ", " + tables.lambdaBuckets()
                + " lambda buckets)";
    }

    /** The lazily loaded TensorFlow network of a model directory. */
    private static final class Network {
        private final Path dir;
        private final boolean owner;
        private final Network parent;
        private ConvVae vae;
        private boolean closed;

        Network(Path dir) {
            this(dir, true, null);
        }

        private Network(Path dir, boolean owner, Network parent) {
            this.dir = dir;
            this.owner = owner;
            this.parent = parent;
        }

        Network shared() {
            return new Network(dir, false, this);
        }

        synchronized ConvVae get() {
            if (parent != null) {
                return parent.get();
            }
            if (closed) {
                throw new IllegalStateException("model " + dir + " is closed");
            }
            if (vae == null) {
                vae = ConvVae.load(dir);
            }
            return vae;
        }

        synchronized void close() {
            if (owner && !closed) {
                closed = true;
                if (vae != null) {
                    vae.close();
                }
            }
        }
    }
}
