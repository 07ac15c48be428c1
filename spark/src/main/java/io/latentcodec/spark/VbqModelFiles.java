package io.latentcodec.spark;

import io.latentcodec.engine.vbq.VbqModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A VBQ model directory as bytes, for a broadcast: every file of it (the manifest, {@code weights.lcw}
 * and {@code vbq-tables.bin}, which the deterministic decoder needs, and the SavedModel, which the
 * encoder's TensorFlow network needs), by path relative to the directory. An executor writes them
 * to a temporary directory once per JVM and loads the model from there ({@link #open}).
 *
 * @param source the model as the user named it (messages only)
 * @param files  relative path ('/'-separated) to contents, sorted
 * @param key    SHA-256 of the paths and contents: one opened model per key and JVM
 */
public record VbqModelFiles(String source, TreeMap<String, byte[]> files, String key) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Most bytes a model directory may hold (the shipped photo model is about 14 MB). */
    static final long MAX_BYTES = 1L << 30;
    private static final Map<String, VbqModel> OPEN = new ConcurrentHashMap<>();

    /** A shipped model by name ({@code <home>/models/<name>}), or a model directory on any Hadoop file system. */
    public static VbqModelFiles read(String nameOrDir, Configuration conf) throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        boolean path = nameOrDir.contains("/") || nameOrDir.contains(":");
        if (!path) {
            java.nio.file.Path dir = VbqModel.resolve(nameOrDir);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("no VBQ model '" + nameOrDir + "' (looked in " + dir + ")");
            }
            long[] total = {0};
            try (Stream<java.nio.file.Path> all = Files.walk(dir)) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) all.filter(Files::isRegularFile).sorted()::iterator) {
                    total[0] += Files.size(f);
                    checkSize(nameOrDir, total[0]);
                    files.put(dir.relativize(f).toString().replace(java.io.File.separatorChar, '/'), Files.readAllBytes(f));
                }
            }
        } else {
            Path dir = new Path(nameOrDir);
            FileSystem fs = HadoopFs.of(dir, conf);
            if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
                throw new IllegalArgumentException("model directory " + nameOrDir + " does not exist");
            }
            collect(fs, dir, "", files, new long[] {0}, nameOrDir);
        }
        return of(nameOrDir, files);
    }

    private static void collect(FileSystem fs, Path dir, String prefix, TreeMap<String, byte[]> files, long[] total, String what)
            throws IOException {
        for (FileStatus s : fs.listStatus(dir)) {
            String name = prefix + s.getPath().getName();
            if (s.isDirectory()) {
                collect(fs, s.getPath(), name + "/", files, total, what);
            } else if (s.isFile()) {
                total[0] += s.getLen();
                checkSize(what, total[0]);
                try (InputStream in = fs.open(s.getPath())) {
                    files.put(name, in.readNBytes((int) s.getLen()));
                }
            }
        }
    }

    private static void checkSize(String what, long total) {
        if (total > MAX_BYTES) {
            throw new IllegalArgumentException("model directory " + what + " holds more than " + MAX_BYTES + " bytes: not a VBQ model");
        }
    }

    static VbqModelFiles of(String source, TreeMap<String, byte[]> files) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                d.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(java.nio.ByteBuffer.allocate(8).putLong(e.getValue().length).array());
                d.update(e.getValue());
            }
            return new VbqModelFiles(source, files, java.util.HexFormat.of().formatHex(d.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /**
     * The model of these files, loaded once per JVM from a temporary copy (deleted when the JVM
     * exits); an {@code InvalidModelException} names what is wrong. The encoder's network is loaded
     * on first use, and needs TensorFlow on the executors' class path; decoding does not.
     */
    public VbqModel open() {
        return OPEN.computeIfAbsent(key, k -> {
            try {
                java.nio.file.Path dir = Files.createTempDirectory("latentcodec-vbq-model-");
                dir.toFile().deleteOnExit();
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    java.nio.file.Path f = dir.resolve(e.getKey()).normalize();
                    if (!f.startsWith(dir)) {
                        throw new IllegalArgumentException("model file " + e.getKey() + " leaves its directory");
                    }
                    Files.createDirectories(f.getParent());
                    deleteOnExit(dir, f.getParent());
                    Files.write(f, e.getValue());
                    f.toFile().deleteOnExit();
                }
                return VbqModel.load(dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write VBQ model " + source + " to a temporary directory", e);
            }
        });
    }

    /** Registers the directories from {@code root} down to {@code d} for deletion, parents first (deleteOnExit runs in reverse: children first). */
    private static void deleteOnExit(java.nio.file.Path root, java.nio.file.Path d) {
        java.nio.file.Path at = root;
        for (java.nio.file.Path part : root.relativize(d)) {
            if (part.toString().isEmpty()) {
                continue;
            }
            at = at.resolve(part);
            at.toFile().deleteOnExit();
        }
    }
}
