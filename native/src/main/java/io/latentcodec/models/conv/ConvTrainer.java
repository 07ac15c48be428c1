package io.latentcodec.models.conv;

import io.latentcodec.models.Home;
import io.latentcodec.models.Tensors;
import io.latentcodec.models.Trainer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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

/**
 * Trains the conv VAE ({@link ConvArchitecture}) on random crops of the training photos
 * ({@link Photos#TRAIN}; never a test photo) and exports it as a model directory.
 *
 * <h2>Procedure</h2>
 * <ul>
 *   <li>Loss per crop, in nats per pixel: {@code [sum (x - mean(z))^2 / (2 sigmaX^2) + KL(q(z|x) || N(0, I))] / (H W)}
 *       with one {@code z = mu + sigma eps}; Adam ({@code ApplyAdam}, beta1 0.9, beta2 0.999, eps 1e-8).</li>
 *   <li>Step s draws its crops from {@code new SplittableRandom(seed * 1000003 + s)}: photo (by area), scale
 *       (the photos are held at downscales 2, 3 and 4, which also washes out their JPEG artefacts),
 *       position, horizontal flip, and the noise eps. A resumed run therefore sees the same crops as an
 *       uninterrupted one; TensorFlow's arithmetic is not bit-reproducible, the data order is.</li>
 *   <li>A checkpoint (weights, Adam moments, step) is written atomically every {@code --checkpoint-every}
 *       seconds and at the end (the one before is kept as checkpoint-previous.bin); a run with an existing
 *       checkpoint resumes from it, so training can span sessions: run the same command again.</li>
 *   <li>Divergence guard: a non-finite loss, or a loss ten times the running mean, restores the last
 *       checkpoint and halves the learning rate (GDN networks occasionally spike; one such spike
 *       destroyed an unguarded run here).</li>
 *   <li>Export: the inference graph at batch 1 with dynamic height and width (signatures {@code posterior}:
 *       x -> mu, sigma; {@code decoder}: z -> x_mean), as a SavedModel plus {@code manifest.json}.</li>
 * </ul>
 */
public final class ConvTrainer {
    private ConvTrainer() {
    }

    static final String USAGE = """
            usage: ConvTrainer [options]
              --name NAME            model name (default photo-vae); exported to <home>/models/NAME unless --out
              --out DIR              model directory to write
              --checkpoint DIR       checkpoint folder (default <data>/train/NAME); resumed when it holds one
              --channels N           hidden channels (default 64)
              --latents M            latent channels (default 64)
              --kernel K             kernel side (default 5)
              --sigma-x S            likelihood standard deviation in pixels (default 3)
              --crop C               training crop side, a multiple of 16 (default 128)
              --batch B              crops per step (default 8)
              --lr LR                Adam learning rate (default 1e-4)
              --steps N              total steps (default 200000)
              --time-limit SECONDS   stop (checkpoint and export) after this much wall time in this run
              --checkpoint-every S   seconds between checkpoints (default 600)
              --seed SEED            data seed (default 1)
              --export-only          export the checkpoint as it is, without training
              --force                replace an existing model directory
              --note TEXT            a line for the manifest's training record (e.g. the schedule of earlier runs)
              --init-from DIR        start a new run (no checkpoint yet) from the weights of a model directory, fresh Adam moments;
                                     a model with the same channels and kernel but fewer latents is widened to --latents
            """;

    /** Options. */
    record Config(String name, Path out, Path checkpoint, ConvArchitecture arch, int crop, int batch, double lr, long steps,
                  double timeLimit, double checkpointEvery, long seed, boolean exportOnly, boolean force, String note, Path initFrom,
                  List<String> args) {
    }

    static Config parse(String[] args) {
        String name = "photo-vae";
        Path out = null;
        Path ckpt = null;
        int channels = 64;
        int latents = 64;
        int kernel = 5;
        double sigmaX = 3;
        int crop = 128;
        int batch = 8;
        double lr = 1e-4;
        long steps = 200_000;
        double timeLimit = 0;
        double every = 600;
        long seed = 1;
        boolean exportOnly = false;
        boolean force = false;
        String note = null;
        Path initFrom = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--export-only" -> exportOnly = true;
                case "--force" -> force = true;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--name" -> name = v;
                        case "--out" -> out = Path.of(v);
                        case "--checkpoint" -> ckpt = Path.of(v);
                        case "--channels" -> channels = Integer.parseInt(v);
                        case "--latents" -> latents = Integer.parseInt(v);
                        case "--kernel" -> kernel = Integer.parseInt(v);
                        case "--sigma-x" -> sigmaX = Double.parseDouble(v);
                        case "--crop" -> crop = Integer.parseInt(v);
                        case "--batch" -> batch = Integer.parseInt(v);
                        case "--lr" -> lr = Double.parseDouble(v);
                        case "--steps" -> steps = Long.parseLong(v);
                        case "--time-limit" -> timeLimit = Double.parseDouble(v);
                        case "--checkpoint-every" -> every = Double.parseDouble(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--note" -> note = v;
                        case "--init-from" -> initFrom = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (crop < 16 || crop % 16 != 0 || batch < 1 || !(lr > 0) || steps < 0) {
            throw new IllegalArgumentException("bad crop " + crop + ", batch " + batch + ", lr " + lr + " or steps " + steps);
        }
        if (out == null) {
            out = Home.modelsDir().resolve(name);
        }
        if (ckpt == null) {
            ckpt = Home.dataDir().resolve("train").resolve(name);
        }
        return new Config(name, out, ckpt, new ConvArchitecture(channels, latents, kernel, sigmaX), crop, batch, lr, steps, timeLimit,
                every, seed, exportOnly, force, note, initFrom, List.of(args));
    }

    /** The training graph: variables, their Adam slots, assign ops for resuming, and the step. */
    private static final class Training implements AutoCloseable {
        final Graph g = new Graph();
        final Session s;
        final List<ConvArchitecture.Var> vars;
        final List<String> slotNames = new ArrayList<>(); // every variable the checkpoint holds: weights, then m, then v
        final List<long[]> slotShapes = new ArrayList<>();
        final List<Placeholder<TFloat32>> assignValue = new ArrayList<>();
        final List<Op> assignOp = new ArrayList<>();
        final Placeholder<TFloat32> x;
        final Placeholder<TFloat32> eps;
        final Placeholder<TFloat32> lr;
        final Placeholder<TFloat32> b1p;
        final Placeholder<TFloat32> b2p;
        final Operand<TFloat32> loss;
        final Operand<TFloat32> klBits;
        final Operand<TFloat32> mse;
        final List<Op> apply = new ArrayList<>();

        Training(ConvArchitecture a, int crop, List<float[]> init) {
            Ops tf = Ops.create(g);
            vars = a.variables();
            Map<String, Operand<TFloat32>> w = new LinkedHashMap<>();
            List<Variable<TFloat32>> vs = new ArrayList<>();
            for (int i = 0; i < vars.size(); i++) {
                ConvArchitecture.Var v = vars.get(i);
                Variable<TFloat32> var = tf.withName(v.name()).variable(tf.reshape(tf.constant(init.get(i)), tf.constant(v.shape())));
                vs.add(var);
                w.put(v.name(), var);
                slotNames.add(v.name());
                slotShapes.add(v.shape());
            }
            x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, crop, crop, 3)));
            eps = tf.withName("eps").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, crop / 16, crop / 16, a.latents())));
            ConvGraph.Posterior q = ConvGraph.encode(tf, a, w, x);
            Operand<TFloat32> z = tf.math.add(q.mu(), tf.math.mul(q.sigma(), eps));
            Operand<TFloat32> xh = ConvGraph.decode(tf, a, w, z);
            Operand<TFloat32> sse = ConvGraph.sumPerImage(tf, tf.math.square(tf.math.sub(x, xh)));
            Operand<TFloat32> kl = ConvGraph.kl(tf, q);
            float pixels = crop * crop;
            Operand<TFloat32> perImage = tf.math.add(tf.math.mul(sse, tf.constant((float) (1 / (2 * a.sigmaX() * a.sigmaX())))), kl);
            loss = tf.withName("loss").math.div(tf.math.mean(perImage, tf.constant(0)), tf.constant(pixels));
            klBits = tf.math.div(tf.math.mean(kl, tf.constant(0)), tf.constant((float) (pixels * Math.log(2))));
            mse = tf.math.div(tf.math.mean(sse, tf.constant(0)), tf.constant(3 * pixels));
            lr = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            b1p = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            b2p = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Gradients grads = tf.gradients(loss, vs);
            List<Variable<TFloat32>> ms = new ArrayList<>();
            List<Variable<TFloat32>> vv = new ArrayList<>();
            for (int i = 0; i < vars.size(); i++) {
                ConvArchitecture.Var v = vars.get(i);
                ms.add(tf.withName(v.name() + "_adam_m").variable(tf.zeros(tf.constant(v.shape()), TFloat32.class)));
                vv.add(tf.withName(v.name() + "_adam_v").variable(tf.zeros(tf.constant(v.shape()), TFloat32.class)));
            }
            for (int i = 0; i < vars.size(); i++) {
                slotNames.add(vars.get(i).name() + "_adam_m");
                slotShapes.add(vars.get(i).shape());
            }
            for (int i = 0; i < vars.size(); i++) {
                slotNames.add(vars.get(i).name() + "_adam_v");
                slotShapes.add(vars.get(i).shape());
            }
            for (int i = 0; i < vars.size(); i++) {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> gi = (Operand<TFloat32>) (Operand<?>) grads.dy(i);
                apply.add(tf.train.applyAdam(vs.get(i), ms.get(i), vv.get(i), b1p, b2p, lr, tf.constant(0.9f), tf.constant(0.999f),
                        tf.constant(1e-8f), gi));
            }
            List<Variable<TFloat32>> all = new ArrayList<>(vs);
            all.addAll(ms);
            all.addAll(vv);
            for (int i = 0; i < all.size(); i++) {
                Placeholder<TFloat32> p = tf.withName("restore_" + i).placeholder(TFloat32.class, Placeholder.shape(Shape.of(slotShapes.get(i))));
                assignValue.add(p);
                assignOp.add(tf.assign(all.get(i), p));
            }
            s = new Session(g, sessionConfig());
            s.initialize();
        }

        List<float[]> fetch(int from, int to) {
            List<float[]> out = new ArrayList<>();
            for (int i = from; i < to; i++) {
                try (Result r = s.runner().fetch(slotNames.get(i)).run()) {
                    out.add(Tensors.toFloats(r.get(0)));
                }
            }
            return out;
        }

        void restore(List<float[]> values) {
            Session.Runner r = s.runner();
            List<TFloat32> fed = new ArrayList<>();
            try {
                for (int i = 0; i < values.size(); i++) {
                    TFloat32 t = Tensors.floats(Shape.of(slotShapes.get(i)), values.get(i));
                    fed.add(t);
                    r.feed(assignValue.get(i), t).addTarget(assignOp.get(i));
                }
                r.run();
            } finally {
                fed.forEach(TFloat32::close);
            }
        }

        @Override
        public void close() {
            s.close();
            g.close();
        }
    }

    static ConfigProto sessionConfig() {
        ConfigProto.Builder b = ConfigProto.newBuilder().putDeviceCount("GPU", 0);
        int threads = Integer.getInteger("latentcodec.tf.threads", 0);
        if (threads > 0) {
            b.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
        }
        return b.build();
    }

    /** Glorot-uniform convolutions, zero biases, GDN beta 1 and gamma 0.1 I (+0.001 off the diagonal); sigma's bias starts at softplus^-1(0.5). */
    public static List<float[]> initialWeights(ConvArchitecture a, long seed) {
        Random r = new Random(seed);
        List<float[]> w = new ArrayList<>();
        for (ConvArchitecture.Var v : a.variables()) {
            float[] f = new float[v.size()];
            String n = v.name();
            long[] s = v.shape();
            if (n.endsWith("_w")) {
                double fanIn = s[0] * s[1] * s[2];
                double fanOut = s[0] * s[1] * s[3];
                double lim = Math.sqrt(6 / (fanIn + fanOut));
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) ((2 * r.nextDouble() - 1) * lim);
                }
            } else if (n.endsWith("_beta")) {
                java.util.Arrays.fill(f, 1f);
            } else if (n.endsWith("_gamma")) {
                int c = (int) s[0];
                for (int i = 0; i < c; i++) {
                    for (int j = 0; j < c; j++) {
                        f[i * c + j] = i == j ? 0.1f : 0.001f;
                    }
                }
            } else if (n.equals("enc3_b")) {
                for (int i = a.latents(); i < 2 * a.latents(); i++) {
                    f[i] = (float) Math.log(Math.expm1(0.5));
                }
            }
            w.add(f);
        }
        return w;
    }

    // ---------------------------------------------------------------- checkpoints

    private static final int CKPT_MAGIC = 0x324B434C; // "LCK2"

    /** @param adamStart the step at which the Adam moments started (bias correction counts from there) */
    record Checkpoint(long step, double seconds, long adamStart, List<String> names, List<float[]> values) {
    }

    static void writeCheckpoint(Path dir, Checkpoint c) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("checkpoint.bin.part");
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
            out.writeInt(CKPT_MAGIC);
            out.writeLong(c.step());
            out.writeDouble(c.seconds());
            out.writeLong(c.adamStart());
            out.writeInt(c.names().size());
            for (int i = 0; i < c.names().size(); i++) {
                out.writeUTF(c.names().get(i));
                float[] v = c.values().get(i);
                out.writeInt(v.length);
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        }
        if (Files.exists(dir.resolve("checkpoint.bin"))) { // keep the one before, in case the latest is already bad
            Files.move(dir.resolve("checkpoint.bin"), dir.resolve("checkpoint-previous.bin"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, dir.resolve("checkpoint.bin"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Checkpoint readCheckpoint(Path dir) throws IOException {
        Path f = dir.resolve("checkpoint.bin");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 20))) {
            if (in.readInt() != CKPT_MAGIC) {
                throw new IOException(f + " is not a checkpoint");
            }
            long step = in.readLong();
            double seconds = in.readDouble();
            long adamStart = in.readLong();
            int n = in.readInt();
            List<String> names = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
                int len = in.readInt();
                if (len < 0 || len > 1 << 28) {
                    throw new IOException(f + ": bad length " + len);
                }
                float[] v = new float[len];
                for (int j = 0; j < len; j++) {
                    v[j] = in.readFloat();
                }
                values.add(v);
            }
            return new Checkpoint(step, seconds, adamStart, names, values);
        }
    }

    // ---------------------------------------------------------------- data

    /** Crops of the training photos for one step. */
    static final class CropSampler {
        final List<Photos.Rgb> images;
        final long[] cumArea;

        CropSampler(List<Photos.Rgb> images) {
            this.images = images;
            cumArea = new long[images.size() + 1];
            for (int i = 0; i < images.size(); i++) {
                cumArea[i + 1] = cumArea[i] + (long) images.get(i).width() * images.get(i).height();
            }
        }

        void fill(SplittableRandom r, int crop, float[] out, int batch) {
            int per = crop * crop * 3;
            for (int b = 0; b < batch; b++) {
                long t = r.nextLong(cumArea[cumArea.length - 1]);
                int k = 0;
                while (cumArea[k + 1] <= t) {
                    k++;
                }
                Photos.Rgb img = images.get(k);
                int x0 = r.nextInt(img.width() - crop + 1);
                int y0 = r.nextInt(img.height() - crop + 1);
                boolean flip = r.nextBoolean();
                byte[] src = img.rgb();
                int o = b * per;
                for (int y = 0; y < crop; y++) {
                    for (int x = 0; x < crop; x++) {
                        int sx = flip ? x0 + crop - 1 - x : x0 + x;
                        int si = 3 * ((y0 + y) * img.width() + sx);
                        out[o++] = src[si] & 0xFF;
                        out[o++] = src[si + 1] & 0xFF;
                        out[o++] = src[si + 2] & 0xFF;
                    }
                }
            }
        }
    }

    static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    // ---------------------------------------------------------------- the run

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.err));
    }

    public static int run(String[] args, PrintStream err) throws Exception {
        if (List.of(args).contains("--help")) {
            err.print(USAGE);
            return 0;
        }
        Config c;
        try {
            c = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("train-conv: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (Files.exists(c.out()) && !c.force()) {
            err.println("train-conv: " + c.out() + " exists; pass --force to replace it");
            return 2;
        }
        train(c, err);
        return 0;
    }

    static void train(Config c, PrintStream log) throws IOException {
        ConvArchitecture a = c.arch();
        int crop = c.crop();
        Checkpoint ck = readCheckpoint(c.checkpoint());
        List<float[]> init = initialWeights(a, c.seed());
        if (ck == null && c.initFrom() != null) {
            try (ConvVae from = ConvVae.load(c.initFrom())) {
                ConvArchitecture fa = from.architecture();
                if (fa.id().equals(a.id())) {
                    init = from.weights();
                    log.println("starting from the weights of " + c.initFrom() + " (fresh Adam moments)");
                } else {
                    init = LatentWidening.widen(fa, from.weights(), a, c.seed()); // refuses anything but more latents
                    log.println("starting from the weights of " + c.initFrom() + ", widened from " + fa.latents() + " to " + a.latents()
                            + " latents (the new ones unused by the decoder so far; fresh Adam moments)");
                }
            }
        }
        try (Training t = new Training(a, crop, init)) {
            long step = 0;
            double before = 0;
            long adamStart = 0;
            double lr = c.lr();
            if (ck != null) {
                if (!ck.names().equals(t.slotNames)) {
                    throw new IllegalStateException("checkpoint " + c.checkpoint() + " holds other variables than " + a.id()
                            + " (delete it or pass another --checkpoint)");
                }
                t.restore(ck.values());
                step = ck.step();
                before = ck.seconds();
                adamStart = ck.adamStart();
                log.printf(Locale.ROOT, "resumed %s at step %d (%.0f s trained before)%n", c.checkpoint(), step, before);
            }
            if (!c.exportOnly() && step < c.steps()) {
                log.printf(Locale.ROOT, "training %s (%s, %,d weights), crops %dx%d, batch %d, lr %g, sigmaX %g, steps %d; loading photos...%n",
                        c.name(), a.id(), a.parameterCount(), crop, crop, c.batch(), c.lr(), a.sigmaX(), c.steps());
                CropSampler sampler = new CropSampler(Photos.trainingImages(new int[] {2, 3, 4}, Math.max(crop, 256)));
                log.printf(Locale.ROOT, "%d training images (photos x scales)%n", sampler.images.size());
                float[] xb = new float[c.batch() * crop * crop * 3];
                int latentsPer = (crop / 16) * (crop / 16) * a.latents();
                float[] eb = new float[c.batch() * latentsPer];
                long t0 = System.nanoTime();
                long lastCkpt = t0;
                double sumLoss = 0;
                double sumKl = 0;
                double sumMse = 0;
                int n = 0;
                double ema = Double.NaN; // running loss, for the divergence guard
                long since = 0;
                while (step < c.steps()) {
                    SplittableRandom r = new SplittableRandom(c.seed() * 1000003L + step);
                    sampler.fill(r, crop, xb, c.batch());
                    for (int i = 0; i < eb.length; i++) {
                        eb[i] = (float) gaussian(r);
                    }
                    step++;
                    since++;
                    float b1p = (float) Math.pow(0.9, step - adamStart);
                    float b2p = (float) Math.pow(0.999, step - adamStart);
                    boolean diverged = false;
                    float lv = Float.NaN;
                    try (TFloat32 xt = Tensors.floats(Shape.of(c.batch(), crop, crop, 3), xb);
                         TFloat32 et = Tensors.floats(Shape.of(c.batch(), crop / 16, crop / 16, a.latents()), eb);
                         TFloat32 lrT = TFloat32.scalarOf((float) lr); TFloat32 b1 = TFloat32.scalarOf(b1p); TFloat32 b2 = TFloat32.scalarOf(b2p)) {
                        Session.Runner run = t.s.runner().feed(t.x, xt).feed(t.eps, et).feed(t.lr, lrT).feed(t.b1p, b1).feed(t.b2p, b2);
                        for (Op op : t.apply) {
                            run.addTarget(op);
                        }
                        try (Result res = run.fetch(t.loss).fetch(t.klBits).fetch(t.mse).run()) {
                            lv = ((TFloat32) res.get(0)).getFloat();
                            // divergence guard: a non-finite loss, or one 10x the running mean after 200 steps
                            diverged = !Float.isFinite(lv) || since > 200 && lv > 10 * ema;
                            if (!diverged) {
                                ema = Double.isNaN(ema) ? lv : 0.99 * ema + 0.01 * lv;
                            }
                            sumLoss += lv;
                            sumKl += ((TFloat32) res.get(1)).getFloat();
                            sumMse += ((TFloat32) res.get(2)).getFloat();
                            n++;
                        }
                    }
                    if (diverged) {
                        Checkpoint back = readCheckpoint(c.checkpoint());
                        if (back == null) {
                            throw new IllegalStateException("training diverged at step " + step + " (loss " + lv + ", running mean " + ema
                                    + ") before the first checkpoint; try a lower --lr");
                        }
                        t.restore(back.values());
                        lr /= 2;
                        log.printf(Locale.ROOT, "step %d: the loss jumped to %g (running mean %.4f); restored the checkpoint of step %d, learning rate now %g%n",
                                step, lv, ema, back.step(), lr);
                        step = back.step();
                        adamStart = back.adamStart();
                        ema = Double.NaN;
                        since = 0;
                        sumLoss = sumKl = sumMse = 0;
                        n = 0;
                        continue;
                    }
                    long now = System.nanoTime();
                    double elapsed = (now - t0) / 1e9;
                    if (step % 100 == 0 && n > 0) {
                        log.printf(Locale.ROOT, "step %d  loss %.4f nats/px  KL %.3f bpp  MSE %.2f (PSNR %.2f dB, noisy z)  %.2f steps/s  trained %s%n",
                                step, sumLoss / n, sumKl / n, sumMse / n, 10 * Math.log10(255.0 * 255 / (sumMse / n)), n / Math.max(1e-9, elapsed),
                                hours(before + elapsed));
                        sumLoss = sumKl = sumMse = 0;
                        n = 0;
                        t0 = now;
                        before += elapsed;
                    }
                    boolean out = c.timeLimit() > 0 && (before + (System.nanoTime() - t0) / 1e9) - (ck == null ? 0 : ck.seconds()) >= c.timeLimit();
                    if ((now - lastCkpt) / 1e9 >= c.checkpointEvery() || step == c.steps() || out || ck == null && step == 1) { // a fresh run checkpoints at once, so the divergence guard always has a state to go back to
                        double secs = before + (System.nanoTime() - t0) / 1e9;
                        writeCheckpoint(c.checkpoint(), new Checkpoint(step, secs, adamStart, t.slotNames, t.fetch(0, t.slotNames.size())));
                        lastCkpt = System.nanoTime();
                        log.printf(Locale.ROOT, "checkpoint at step %d written to %s%n", step, c.checkpoint());
                    }
                    if (out) {
                        log.println("time limit reached at step " + step);
                        break;
                    }
                }
                before += (System.nanoTime() - t0) / 1e9;
            }
            List<float[]> weights = t.fetch(0, a.variables().size());
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("data", "random crops of the training photos (io.latentcodec.models.conv.Photos.TRAIN) at downscales 2, 3, 4, "
                    + "horizontal flips; never a test photo");
            training.put("crop", crop);
            training.put("batch", c.batch());
            training.put("learningRate", lr);
            training.put("optimizer", "adam");
            training.put("steps", step);
            training.put("seed", c.seed());
            training.put("loss", "[sum (x - mean)^2 / (2 sigmaX^2) + KL(q || N(0, I))] / pixels, one z sample per crop");
            training.put("command", "scripts/vbq train " + String.join(" ", c.args()));
            training.put("seconds", Math.round(before));
            if (c.note() != null) {
                training.put("note", c.note());
            }
            training.put("tensorflow", TensorFlow.version());
            training.put("machine", Trainer.machine());
            export(c.out(), c.name(), a, weights, training, Map.of());
            log.println("exported " + a.id() + " after " + step + " steps to " + c.out());
        }
    }

    private static String hours(double s) {
        return String.format(Locale.ROOT, "%dh%02dm", (long) s / 3600, (long) s / 60 % 60);
    }

    /** Writes the model directory (SavedModel at batch 1, dynamic size, weights.lcw, manifest.json) atomically. */
    public static void export(Path out, String name, ConvArchitecture a, List<float[]> weights, Map<String, Object> training,
                              Map<String, Object> metrics) throws IOException {
        out = out.toAbsolutePath();
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Trainer.deleteTree(tmp);
        Files.createDirectories(tmp.getParent());
        try (ConvInference g = ConvInference.create(a, weights)) {
            g.export(tmp);
        }
        // the TF-free weights the deterministic decoder reads, and their fingerprint in the manifest
        io.latentcodec.models.WeightsFile lcw = ConvWeights.file(a, weights);
        lcw.write(tmp);
        new ConvManifest(name, a, ConvFingerprint.text(ConvFingerprint.of(a, weights)), ConvWeights.fingerprintText(a, lcw), training, metrics)
                .write(tmp.resolve(ConvManifest.FILE));
        // keep side files (e.g. the VBQ tables) of an existing directory only if the caller put them there; a new export starts clean
        Trainer.deleteTree(out);
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }
}
