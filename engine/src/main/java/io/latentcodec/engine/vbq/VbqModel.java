package io.latentcodec.engine.vbq;

import io.latentcodec.models.InvalidModelException;
import io.latentcodec.models.conv.ConvVae;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A trained conv VAE with its VBQ tables: everything the lossy codec needs. The fingerprint that
 * containers carry covers both: SHA-256 of {@code "latentcodec-vbq/1" 0x00}, the network's weight
 * fingerprint and the SHA-256 of {@code vbq-tables.bin}.
 */
public final class VbqModel implements AutoCloseable {
    static final String TAG = "latentcodec-vbq/1";
    private final ConvVae vae;
    private final VbqTables tables;
    private final byte[] fingerprint;

    public VbqModel(ConvVae vae, VbqTables tables) {
        if (vae.latents() != tables.channels()) {
            throw new IllegalArgumentException("the VBQ tables have " + tables.channels() + " channels, the network " + vae.latents());
        }
        this.vae = vae;
        this.tables = tables;
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(TAG.getBytes(StandardCharsets.US_ASCII));
            d.update((byte) 0);
            d.update(vae.fingerprint());
            d.update(tables.sha256());
            this.fingerprint = d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A shipped model by name ({@code <home>/models/<name>}) or a model directory. */
    public static VbqModel named(String nameOrDir) {
        return load(ConvVae.resolve(nameOrDir));
    }

    /** Loads the network and {@code vbq-tables.bin} from a model directory. */
    public static VbqModel load(Path dir) {
        ConvVae vae = ConvVae.load(dir);
        try {
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
            return new VbqModel(vae, t);
        } catch (RuntimeException e) {
            vae.close();
            throw e;
        }
    }

    public ConvVae vae() {
        return vae;
    }

    public VbqTables tables() {
        return tables;
    }

    public String name() {
        return vae.name();
    }

    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    @Override
    public void close() {
        vae.close();
    }

    @Override
    public String toString() {
        return "VbqModel " + name() + " (" + vae.architecture().id() + ", R = " + tables.depth() + ", " + tables.lambdaBuckets() + " lambda buckets)";
    }
}
