package io.latentcodec.engine.embed;

import io.latentcodec.engine.peers.GeneralPeer;
import io.latentcodec.models.Home;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The word-embedding experiment: the Bayesian skip-gram vectors ({@code SkipGramTrainer}) compressed
 * with VBQ at several lambdas, with uniform quantization of the means plus the same entropy coding at
 * several steps, and losslessly with gzip, bzip2 and xz of the float32 means; quality of each by the
 * analogy task and the neighbour agreement of {@link WordTasks}. Writes {@code embed.md} and
 * {@code embed.csv}.
 *
 * <pre>
 *   scripts/vbq embed [--model DIR (default models/sotu-skipgram)] [--out docs/vbq]
 * </pre>
 */
public final class EmbeddingExperiment {
    private EmbeddingExperiment() {
    }

    public static final double[] LAMBDAS = {0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30};
    public static final double[] STEPS = {0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2};

    record Row(String method, String setting, long bytes, double bitsPerDim, double accuracy, double overlap) {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Home.modelsDir().resolve("sotu-skipgram");
        Path out = Path.of("docs/vbq");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: EmbeddingExperiment [--model DIR] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        List<String> vocab = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("vocab.txt"), StandardCharsets.UTF_8)) {
            vocab.add(line.substring(0, line.indexOf(' ')));
        }
        int rows = vocab.size();
        float[] mu = readFloats(dir.resolve("mu.f32"));
        float[] sigma = readFloats(dir.resolve("sigma.f32"));
        int cols = mu.length / rows;
        Map<String, Integer> id = new HashMap<>();
        for (int i = 0; i < rows; i++) {
            id.put(vocab.get(i), i);
        }
        List<WordTasks.Question> qs = WordTasks.questions(w -> id.getOrDefault(w, -1));
        int nbWords = Math.min(1000, rows);
        int[][] ref = WordTasks.neighbours(mu, rows, cols, nbWords, 10);
        double dims = (double) rows * cols;
        List<Row> table = new ArrayList<>();
        double acc0 = WordTasks.analogyAccuracy(mu, rows, cols, qs);
        table.add(new Row("float32 means (uncompressed)", "-", 4L * rows * cols, 32, acc0, 1));
        byte[] raw = toBytes(mu);
        for (GeneralPeer p : List.of(GeneralPeer.GZIP, GeneralPeer.BZIP2, GeneralPeer.XZ)) {
            byte[] c = p.compress(raw);
            if (!Arrays.equals(raw, p.decompress(c, raw.length))) {
                throw new IllegalStateException(p.label() + " did not round-trip");
            }
            table.add(new Row(p.label() + " of the float32 means", "lossless", c.length, c.length * 8 / dims, acc0, 1));
        }
        for (double step : STEPS) {
            EmbeddingCodec.Coded c = EmbeddingCodec.compressUniform(mu, rows, cols, step);
            check(c, "uniform " + step);
            table.add(row("Uniform + rANS", "step " + step, c, dims, rows, cols, qs, ref, nbWords));
        }
        for (double lambda : LAMBDAS) {
            EmbeddingCodec.Coded c = EmbeddingCodec.compressVbq(mu, sigma, rows, cols, lambda);
            check(c, "VBQ " + lambda);
            table.add(row("VBQ + rANS", "lambda " + lambda, c, dims, rows, cols, qs, ref, nbWords));
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Bayesian skip-gram, %,d words x %d dimensions (%s). Analogy task: %d questions (WordTasks); "
                + "neighbour agreement: top-10 cosine neighbours of the %d most frequent words vs the uncompressed means.%n%n", rows, cols, dir, qs.size(), nbWords));
        md.append("| method | setting | bytes | bits per dimension | analogy accuracy | neighbour agreement |\n|---|---|---|---|---|---|\n");
        StringBuilder csv = new StringBuilder("method,setting,bytes,bits_per_dim,analogy_accuracy,neighbour_agreement\n");
        for (Row r : table) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.3f | %.4f | %.3f |%n", r.method(), r.setting(), r.bytes(), r.bitsPerDim(), r.accuracy(),
                    r.overlap()));
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%.5f,%.5f,%.5f%n", r.method(), r.setting(), r.bytes(), r.bitsPerDim(), r.accuracy(), r.overlap()));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("embed.md"), md.toString());
        Files.writeString(out.resolve("embed.csv"), csv.toString());
        System.out.print(md);
    }

    private static void check(EmbeddingCodec.Coded c, String what) {
        float[] back = EmbeddingCodec.decompress(c.bytes());
        if (!Arrays.equals(back, c.reconstruction())) {
            throw new IllegalStateException(what + ": the decoder's matrix differs from the encoder's");
        }
    }

    private static Row row(String method, String setting, EmbeddingCodec.Coded c, double dims, int rows, int cols, List<WordTasks.Question> qs,
                           int[][] ref, int nbWords) {
        float[] v = c.reconstruction();
        return new Row(method, setting, c.bytes().length, c.bytes().length * 8 / dims, WordTasks.analogyAccuracy(v, rows, cols, qs),
                WordTasks.overlap(ref, WordTasks.neighbours(v, rows, cols, nbWords, 10)));
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static float[] readFloats(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
