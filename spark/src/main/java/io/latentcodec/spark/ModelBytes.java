package io.latentcodec.spark;

import io.latentcodec.models.DeterministicVae;
import io.latentcodec.models.Manifest;
import io.latentcodec.models.VaeModel;
import io.latentcodec.models.WeightsFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A VAE's coding files, {@code manifest.json} and {@code weights.lcw}, as bytes: what the driver
 * broadcasts, so that executors need no model directory, no latentcodec home and no TensorFlow.
 * Every executor builds the same deterministic model from them (the project's own kernels), so
 * a part written on one machine decodes on any other.
 *
 * @param source   where the files were read (messages only)
 * @param manifest {@code manifest.json}, UTF-8
 * @param weights  {@code weights.lcw}
 * @param key      SHA-256 of weights and manifest, hex: computed once on the driver, so a task finds
 *                 its executor's model without hashing megabytes again
 */
public record ModelBytes(String source, String manifest, byte[] weights, String key) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Models already built in this JVM, by the SHA-256 of their weights and manifest: one per executor, shared by its tasks (models are immutable). */
    private static final Map<String, VaeModel> OPEN = new ConcurrentHashMap<>();

    /**
     * Reads {@code --model NAME|DIR}: a shipped model's name (from the latentcodec home on the
     * driver), or a model directory on any Hadoop file system ({@code file:}, {@code hdfs:}, ...).
     */
    public static ModelBytes read(String nameOrDir, Configuration conf) throws IOException {
        boolean path = nameOrDir.contains("/") || nameOrDir.contains(":");
        if (!path && VaeModel.isPlainName(nameOrDir)) {
            java.nio.file.Path dir = VaeModel.resolve(nameOrDir);
            return of(dir.toString(), Files.readString(dir.resolve(Manifest.FILE), StandardCharsets.UTF_8),
                    Files.readAllBytes(dir.resolve(WeightsFile.FILE)));
        }
        Path dir = new Path(nameOrDir);
        FileSystem fs = HadoopFs.of(dir, conf);
        return of(nameOrDir, new String(readAll(fs, new Path(dir, Manifest.FILE), 1 << 20), StandardCharsets.UTF_8),
                readAll(fs, new Path(dir, WeightsFile.FILE), 1 << 30));
    }

    private static byte[] readAll(FileSystem fs, Path file, long max) throws IOException {
        if (!fs.exists(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist (a model directory holds "
                    + Manifest.FILE + " and " + WeightsFile.FILE + ")");
        }
        long size = fs.getFileStatus(file).getLen();
        if (size > max) {
            throw new IllegalArgumentException("model file " + file + " is " + size + " bytes, more than any model holds");
        }
        try (InputStream in = fs.open(file)) {
            return in.readNBytes((int) size);
        }
    }

    /** The deterministic model of these files, built once per JVM; an {@code InvalidModelException} names what is wrong. */
    public VaeModel open() {
        return OPEN.computeIfAbsent(key, k -> {
            java.nio.file.Path shown = java.nio.file.Path.of(source.replace(':', '_')); // names the model in messages only
            return DeterministicVae.of(shown, Manifest.parse(manifest), WeightsFile.parse(shown, weights));
        });
    }

    /** The files with their key. */
    public static ModelBytes of(String source, String manifest, byte[] weights) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(weights);
            d.update(manifest.getBytes(StandardCharsets.UTF_8));
            return new ModelBytes(source, manifest, weights, java.util.HexFormat.of().formatHex(d.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
