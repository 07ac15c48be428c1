package io.latentcodec.models;

import io.latentcodec.models.data.Binarization;
import io.latentcodec.models.data.DataSet;
import io.latentcodec.models.data.DataSets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Trains a VAE with Adam in a TensorFlow graph and writes a model directory.
 *
 * <h2>Procedure</h2>
 * <ol>
 *   <li>Weights: Glorot-uniform matrices from {@code new Random(seed)}, zero biases, except the
 *       output biases, which start at the training images' mean pixel (so the first epochs do not
 *       spend their time learning the background).</li>
 *   <li>The last {@code validation} images of the training split are held out. Each epoch visits
 *       the rest in a fresh order drawn from the seed, in batches of {@code batchSize} (a short
 *       final batch is dropped); binarized data sets draw fresh bits for every visit. Loss per image:
 *       -log p(x|z) + KL(q||p), one z = mu + sigma * eps per image, eps from the seed.</li>
 *   <li>After each epoch the validation images are scored with the single-sample -ELBO (fixed noise);
 *       the weights of the best epoch are kept (without validation: the last epoch's).</li>
 *   <li>Export: the inference graph at {@code inferenceBatch} with the kept weights, as a SavedModel
 *       plus {@code manifest.json}; the directory is then loaded back like any model (checking its
 *       fingerprint) and its test-set -ELBO ({@link Evaluator}, seed {@link Evaluator#EVAL_SEED})
 *       goes into the manifest.</li>
 * </ol>
 * TensorFlow's training arithmetic is not bit-reproducible from run to run; the seed fixes
 * everything drawn in Java, and the fingerprint identifies the weights that were shipped.
 */
public final class Trainer {
    private Trainer() {
    }

    /** Loads the configured data set and trains on it. */
    public static Manifest train(TrainingConfig c, TrainingListener listener) throws IOException {
        return train(c, DataSets.load(c.dataset()), listener);
    }

    /** Trains on {@code data} and writes {@link TrainingConfig#outputDir()}; returns the written manifest. */
    public static Manifest train(TrainingConfig c, DataSet data, TrainingListener listener) throws IOException {
        Architecture a = c.architecture();
        if (data.pixels() != a.dataDim()) {
            throw new IllegalArgumentException("data set " + data.name() + " has " + data.pixels() + " pixels per image, the model " + a.dataDim());
        }
        if (data.binarized() != (a.likelihood() == Likelihood.BERNOULLI)) {
            throw new IllegalArgumentException("likelihood " + a.likelihood() + " does not fit " + (data.binarized() ? "binarized" : "8-bit")
                    + " data set " + data.name());
        }
        Path out = c.outputDir().toAbsolutePath();
        if (Files.exists(out) && !c.force()) {
            throw new IllegalArgumentException(out + " exists; pass --force to replace it");
        }
        int nTrain = data.train().length - c.validation();
        if (nTrain < c.batchSize()) {
            throw new IllegalArgumentException(nTrain + " training images left after holding out " + c.validation()
                    + ", fewer than one batch of " + c.batchSize());
        }
        byte[][] all = data.train();
        byte[][] train = java.util.Arrays.copyOfRange(all, 0, nTrain);
        byte[][] val = java.util.Arrays.copyOfRange(all, nTrain, all.length);
        if (data.binarized() && val.length > 0) {
            val = Binarization.fixed(val, c.seed());
        }
        long t0 = System.nanoTime();
        Fit fit = fit(c, data.binarized(), train, val, listener, t0);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Path tmp = out.resolveSibling(out.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        Files.createDirectories(tmp.getParent());
        Manifest.Training training = new Manifest.Training(data.name(), data.description(), nTrain, c.validation(), c.seed(),
                fit.epochsRun, fit.bestEpoch, c.batchSize(), c.learningRate(), c.shift(), c.command(), c.args(), Math.round(seconds * 10) / 10.0,
                TensorFlow.version(), "cpu", machine());
        Manifest manifest = new Manifest(c.name(), a, c.inferenceBatch(), Fingerprint.text(Fingerprint.of(a, c.inferenceBatch(), fit.weights)),
                training, null);
        try (InferenceGraph g = InferenceGraph.create(a, c.inferenceBatch(), fit.weights, SavedModelVae.config(Device.CPU))) {
            g.export(tmp);
        }
        manifest = WeightsExport.write(tmp, manifest, fit.weights);
        manifest.write(tmp.resolve(Manifest.FILE));
        listener.message("exported " + a.id() + " (" + a.parameterCount() + " weights) to " + out + "; evaluating the test set...");
        try (VaeModel m = VaeModel.loadTensorFlow(tmp)) {
            Evaluator.Evaluation e = Evaluator.evaluate(m, data.test(), Evaluator.EVAL_SEED);
            manifest = manifest.withMetrics(new Manifest.Metrics(data.name(), e.images(), m.batchSize(), Evaluator.EVAL_SEED, e.bitsPerDim(),
                    e.bitsPerDimAnalyticKl(), fit.bestValidation));
        }
        manifest.write(tmp.resolve(Manifest.FILE));
        deleteTree(out);
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        listener.message(String.format(java.util.Locale.ROOT, "test -ELBO %.4f bits/dim (%d images; %.4f with analytic KL); trained %d epochs in %s; %s",
                manifest.metrics().testBitsPerDim(), manifest.metrics().testImages(), manifest.metrics().testBitsPerDimAnalyticKl(),
                fit.epochsRun, ConsoleProgress.time(seconds), manifest.fingerprint()));
        return manifest;
    }

    /** The outcome of the optimisation. */
    private record Fit(List<float[]> weights, int epochsRun, int bestEpoch, double bestValidation) {
    }

    private static Fit fit(TrainingConfig c, boolean binarized, byte[][] train, byte[][] val, TrainingListener listener, long t0) {
        Architecture a = c.architecture();
        int d = a.dataDim();
        int l = a.latentDim();
        int b = c.batchSize();
        Random init = new Random(c.seed());
        List<float[]> initial = initialWeights(a, train, init);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            List<String> names = a.variableNames();
            List<long[]> shapes = a.variableShapes();
            List<Operand<TFloat32>> vars = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                vars.add(tf.withName(names.get(i)).variable(tf.reshape(tf.constant(initial.get(i)), tf.constant(shapes.get(i)))));
            }
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
            Placeholder<TFloat32> eps = tf.withName("eps").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, l)));
            VaeGraph.Posterior q = VaeGraph.encode(tf, a, vars, x);
            VaeGraph.ElboTerms t = VaeGraph.elbo(tf, a, vars, q, x, eps);
            // loss = mean over the batch of -log p(x|z) + KL, in float64, handed to Adam as float32
            Operand<TFloat64> perImage = tf.math.sub(t.kl(), t.logPx());
            Operand<TFloat32> loss = tf.withName("loss").dtypes.cast(tf.math.mean(perImage, tf.constant(0)), TFloat32.class);
            Op step = new Adam(g, (float) c.learningRate()).minimize(loss);
            Operand<TFloat64> single = tf.math.add(t.logPx(), tf.math.sub(t.logPz(), t.logQz())); // log p(x|z) + log p(z) - log q(z|x)

            try (Session s = new Session(g, SavedModelVae.config(Device.CPU))) {
                s.initialize();
                SplittableRandom rnd = new SplittableRandom(c.seed());
                Random shuffle = new Random(c.seed() + 1);
                int[] order = new int[train.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                int batches = train.length / b;
                listener.started(c, train.length, batches);
                float[] xb = new float[b * d];
                float[] eb = new float[b * l];
                byte[] shifted = new byte[d];
                float[][] valEps = noise(val.length, l, new Random(c.seed() + 2));
                List<float[]> best = initial;
                int bestEpoch = 0;
                double bestVal = Double.POSITIVE_INFINITY;
                int epoch = 0;
                double dimLn2 = d * Math.log(2);
                while (epoch < c.epochs()) {
                    epoch++;
                    for (int i = order.length - 1; i > 0; i--) {
                        int j = shuffle.nextInt(i + 1);
                        int tmp = order[i];
                        order[i] = order[j];
                        order[j] = tmp;
                    }
                    double sum = 0;
                    for (int bi = 0; bi < batches; bi++) {
                        for (int r = 0; r < b; r++) {
                            byte[] img = train[order[bi * b + r]];
                            if (c.shift() > 0) {
                                img = shift(img, a.dataDim(), rnd.nextInt(2 * c.shift() + 1) - c.shift(), rnd.nextInt(2 * c.shift() + 1) - c.shift(),
                                        shifted);
                            }
                            if (binarized) {
                                Binarization.sample(img, xb, r * d, rnd);
                            } else {
                                for (int j = 0; j < d; j++) {
                                    xb[r * d + j] = img[j] & 0xFF;
                                }
                            }
                        }
                        for (int j = 0; j < eb.length; j++) {
                            eb[j] = (float) gaussian(rnd);
                        }
                        try (TFloat32 xt = Tensors.floats(Shape.of(b, d), xb); TFloat32 et = Tensors.floats(Shape.of(b, l), eb);
                             Result r = s.runner().feed(x, xt).feed(eps, et).addTarget(step).fetch(loss).run()) {
                            float lv = ((TFloat32) r.get(0)).getFloat();
                            if (!Float.isFinite(lv)) {
                                throw new IllegalStateException("training diverged: loss " + lv + " at epoch " + epoch + ", batch " + bi
                                        + " (try a lower --lr)");
                            }
                            sum += lv;
                        }
                        double elapsed = (System.nanoTime() - t0) / 1e9;
                        double done = (epoch - 1) + (bi + 1) / (double) batches;
                        listener.batch(epoch, c.epochs(), bi + 1, batches, sum / (bi + 1), elapsed, elapsed / done * (c.epochs() - done));
                    }
                    double trainNats = sum / batches;
                    double valBits = Double.NaN;
                    boolean isBest = false;
                    if (val.length > 0) {
                        valBits = -score(s, x, eps, single, val, valEps, d, l) / dimLn2;
                        if (valBits < bestVal) {
                            bestVal = valBits;
                            bestEpoch = epoch;
                            best = fetch(s, names);
                            isBest = true;
                        }
                    }
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    boolean outOfTime = c.timeLimitSeconds() > 0 && elapsed >= c.timeLimitSeconds();
                    listener.epoch(new TrainingListener.Epoch(epoch, c.epochs(), trainNats, trainNats / dimLn2, valBits, isBest, elapsed,
                            outOfTime ? 0 : elapsed / epoch * (c.epochs() - epoch)));
                    if (outOfTime && epoch < c.epochs()) {
                        listener.message("time limit of " + c.timeLimitSeconds() + " s reached after epoch " + epoch);
                        break;
                    }
                }
                if (val.length == 0) {
                    best = fetch(s, names);
                    bestEpoch = epoch;
                    bestVal = Double.NaN;
                }
                return new Fit(best, epoch, bestEpoch, bestVal);
            }
        }
    }

    /** Mean single-sample ELBO (nats/image) of {@code images} at fixed noise, in batches of 500. */
    private static double score(Session s, Operand<TFloat32> x, Operand<TFloat32> eps, Operand<TFloat64> elbo, byte[][] images,
                                float[][] noise, int d, int l) {
        double sum = 0;
        for (int start = 0; start < images.length; start += 500) {
            int n = Math.min(500, images.length - start);
            float[] xb = new float[n * d];
            float[] eb = new float[n * l];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < d; j++) {
                    xb[r * d + j] = images[start + r][j] & 0xFF;
                }
                System.arraycopy(noise[start + r], 0, eb, r * l, l);
            }
            try (TFloat32 xt = Tensors.floats(Shape.of(n, d), xb); TFloat32 et = Tensors.floats(Shape.of(n, l), eb);
                 Result r = s.runner().feed(x, xt).feed(eps, et).fetch(elbo).run()) {
                double[] v = new double[n];
                Tensors.copy(r.get(0), v);
                for (double e : v) {
                    sum += e;
                }
            }
        }
        return sum / images.length;
    }

    /** {@code img} (square, side sqrt(d)) moved by (dx, dy) pixels into {@code out}, zeros filling the gap. */
    static byte[] shift(byte[] img, int d, int dx, int dy, byte[] out) {
        int side = (int) Math.round(Math.sqrt(d));
        java.util.Arrays.fill(out, (byte) 0);
        for (int y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
            System.arraycopy(img, (y - dy) * side + Math.max(0, -dx), out, y * side + Math.max(0, dx), side - Math.abs(dx));
        }
        return out;
    }

    private static List<float[]> fetch(Session s, List<String> names) {
        List<float[]> w = new ArrayList<>();
        for (String n : names) {
            try (Result r = s.runner().fetch(n).run()) {
                w.add(Tensors.toFloats(r.get(0)));
            }
        }
        return w;
    }

    private static float[][] noise(int n, int l, Random r) {
        float[][] e = new float[n][l];
        for (float[] row : e) {
            for (int j = 0; j < l; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return e;
    }

    /** A standard normal by Box-Muller from a SplittableRandom (fast, for training noise only). */
    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble(); // (0, 1]
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /**
     * Glorot-uniform matrices (limit sqrt(6 / (fan_in + fan_out))), zero biases, and output biases
     * at the data's mean: Bernoulli logit(mean), beta-binomial alpha and beta near mean * 2 and
     * (1 - mean) * 2, logistic mean at the mean pixel with a scale of about 30 pixels. A context
     * net's output layer starts at zero (its hidden layer Glorot), so the model starts as the plain VAE.
     */
    static List<float[]> initialWeights(Architecture a, byte[][] train, Random r) {
        List<float[]> w = new ArrayList<>();
        for (long[] shape : a.variableShapes()) {
            int n = 1;
            for (long s : shape) {
                n *= (int) s;
            }
            float[] v = new float[n];
            if (shape.length == 2) {
                double limit = Math.sqrt(6.0 / (shape[0] + shape[1]));
                for (int i = 0; i < n; i++) {
                    v[i] = (float) ((2 * r.nextDouble() - 1) * limit);
                }
            }
            w.add(v);
        }
        if (a.autoregressive()) {
            // the context net's output layer starts at zero: training starts from the plain VAE
            java.util.Arrays.fill(w.get(Architecture.VAE_VARIABLES.size() + 2), 0f);
        }
        int d = a.dataDim();
        double[] mean = new double[d];
        for (byte[] img : train) {
            for (int j = 0; j < d; j++) {
                mean[j] += (img[j] & 0xFF) / 255.0;
            }
        }
        float[] outBias = w.get(9);
        if (a.likelihood() == Likelihood.LOGISTIC_MIXTURE) {
            // weights equal, means at 0, the middle and 255, scales about 20 pixels: on the context net's
            // output bias when the decoder's maps are only features, else on the decoder's
            int c = Likelihood.MIXTURE_COMPONENTS;
            boolean residual = a.decoderMaps() == a.likelihood().paramCount();
            float[] bias = residual ? outBias : w.get(Architecture.VAE_VARIABLES.size() + 3);
            int stride = residual ? d : 1;
            for (int j = 0; j < (residual ? d : 1); j++) {
                for (int i = 0; i < c; i++) {
                    bias[(c + i) * stride + j] = (float) (i / (c - 1.0));
                    bias[(2 * c + i) * stride + j] = (float) inverseSoftplus(20.0 / 255);
                }
            }
            return w;
        }
        if (a.decoderMaps() != a.likelihood().paramCount()) {
            return w; // the maps are features of the context net: nothing to centre
        }
        for (int j = 0; j < d; j++) {
            double m = Math.min(0.99, Math.max(0.01, mean[j] / train.length));
            switch (a.likelihood()) {
                case BERNOULLI -> outBias[j] = (float) Math.log(m / (1 - m));
                case BETA_BINOMIAL -> {
                    outBias[j] = (float) inverseSoftplus(2 * m);
                    outBias[d + j] = (float) inverseSoftplus(2 * (1 - m));
                }
                case DISCRETIZED_LOGISTIC -> {
                    outBias[j] = (float) m;
                    outBias[d + j] = (float) inverseSoftplus(30.0 / 255);
                }
                case LOGISTIC_MIXTURE -> throw new AssertionError("handled above");
            }
        }
        return w;
    }

    private static double inverseSoftplus(double y) {
        return Math.log(Math.expm1(y));
    }

    public static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(s -> s.startsWith("model name")).map(s -> s.substring(s.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the placeholder
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Command-line entry point; see {@link TrainingConfig#USAGE}. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.err));
    }

    /** Runs the command line with a progress bar on {@code err}; returns the exit status (0 ok, 2 usage error, 1 failure). */
    public static int run(String[] args, PrintStream err) throws Exception {
        if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            err.print(TrainingConfig.USAGE);
            return args.length == 0 ? 2 : 0;
        }
        TrainingConfig c;
        try {
            c = TrainingConfig.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("train: " + e.getMessage());
            err.print(TrainingConfig.USAGE);
            return 2;
        }
        try {
            train(c, new ConsoleProgress(err, System.console() != null, c.architecture().dataDim()));
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | java.nio.file.NoSuchFileException | InvalidModelException e) {
            err.println("train: " + e.getMessage());
            return 1;
        }
    }
}
