package io.latentcodec.models;

import io.latentcodec.models.data.DataSet;
import io.latentcodec.models.data.DataSets;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Test-set -ELBO in bits per dimension, computed deterministically at the model's fixed batch
 * shape.
 *
 * <h2>Estimator</h2>
 * For each image x (in order) one eps is drawn, L values of {@code new Random(seed).nextGaussian()}
 * (one generator for the whole run; java.util.Random's Gaussian is fully specified), and
 * z = mu + sigma * eps. Then, in nats, the single-sample ELBO is
 * log p(x|z) + log p(z) - log q(z|x), the estimator the bits-back paper's code uses in training and
 * the rate bits-back coding achieves on average; the analytic-KL variant is log p(x|z) - KL(q||p).
 * Bits per dimension = -(mean over images) / (D ln 2). The terms come from the graph in float64
 * and are summed here in image order in double; padded rows of the last batch are fed zeros and
 * skipped.
 *
 * <p>(The paper's reference code evaluates its test loss in eval mode at z = mu, which is not an
 * ELBO estimate; the figures here are the proper single-sample estimate.)
 */
public final class Evaluator {
    /** Seed of the evaluation noise recorded in shipped manifests. */
    public static final long EVAL_SEED = 4;

    private Evaluator() {
    }

    /**
     * A test-set score.
     *
     * @param bitsPerDim           single-sample -ELBO in bits per dimension
     * @param bitsPerDimAnalyticKl -ELBO with the KL in closed form, bits per dimension
     * @param nats                 single-sample -ELBO in nats per image
     */
    public record Evaluation(int images, double bitsPerDim, double bitsPerDimAnalyticKl, double nats, double seconds) {
    }

    /** Scores {@code images} (pixels as the model expects: 0/1 or 0..255). */
    public static Evaluation evaluate(VaeModel model, byte[][] images, long seed) {
        long t0 = System.nanoTime();
        int b = model.batchSize();
        int d = model.dataDim();
        int l = model.latentDim();
        Random random = new Random(seed);
        float[] x = new float[b * d];
        float[] eps = new float[b * l];
        double[] logPx = new double[b];
        double[] logPz = new double[b];
        double[] logQz = new double[b];
        double[] kl = new double[b];
        double sum = 0;
        double sumAnalytic = 0;
        for (int start = 0; start < images.length; start += b) {
            int rows = Math.min(b, images.length - start);
            Arrays.fill(x, 0f);
            Arrays.fill(eps, 0f);
            for (int r = 0; r < rows; r++) {
                byte[] img = images[start + r];
                if (img.length != d) {
                    throw new IllegalArgumentException("image " + (start + r) + " has " + img.length + " pixels, the model needs " + d);
                }
                for (int j = 0; j < d; j++) {
                    x[r * d + j] = img[j] & 0xFF;
                }
                for (int j = 0; j < l; j++) {
                    eps[r * l + j] = (float) random.nextGaussian();
                }
            }
            model.elbo(x, eps, logPx, logPz, logQz, kl);
            for (int r = 0; r < rows; r++) {
                sum += -(logPx[r] + logPz[r] - logQz[r]);
                sumAnalytic += -(logPx[r] - kl[r]);
            }
        }
        double perDim = images.length * (double) d * Math.log(2);
        return new Evaluation(images.length, sum / perDim, sumAnalytic / perDim, sum / images.length, (System.nanoTime() - t0) / 1e9);
    }

    /** Scores a model on the test split of the data set its manifest names (or {@code dataset} when given). */
    public static Evaluation evaluate(VaeModel model, String dataset, long seed) throws java.io.IOException {
        DataSet data = DataSets.load(dataset);
        return evaluate(model, data.test(), seed);
    }

    /** The data set a model was trained on, from its manifest. */
    public static String datasetOf(VaeModel model) {
        Manifest m = model.manifest();
        if (m.metrics() != null) {
            return m.metrics().dataset();
        }
        if (m.training() != null) {
            return m.training().dataset();
        }
        throw new IllegalArgumentException("model " + m.name() + " names no data set; pass --data NAME");
    }

    static final String USAGE = """
            usage: Evaluator --model NAME|DIR [--data NAME] [--device cpu|gpu|auto] [--seed N] [--batch N]
              Prints the test-set -ELBO in bits/dim of a model on its data set's test split.
              --model   a shipped model name (models/NAME) or a model directory
              --data    data set (mnist, mnist-binarized, fashion-mnist); default: the one in the manifest
              --device  where TensorFlow runs (default cpu)
              --seed    seed of the evaluation noise (default %d, as in shipped manifests)
              --batch   run at another batch size (default: the model's)
            """.formatted(EVAL_SEED);

    /** Command-line entry point; see {@link #USAGE}. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit status (0 ok, 2 usage error, 1 failure). */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String model = null;
        String data = null;
        Device device = Device.CPU;
        long seed = EVAL_SEED;
        int batch = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--model" -> model = value(args, ++i);
                    case "--data" -> data = value(args, ++i);
                    case "--device" -> device = Device.parse(value(args, ++i));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i));
                    case "--batch" -> batch = Integer.parseInt(value(args, ++i));
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (model == null) {
                throw new IllegalArgumentException("--model is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("evaluate: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        try (VaeModel m = VaeModel.openTensorFlow(model, device, batch)) {
            String ds = data != null ? data : datasetOf(m);
            Evaluation e = evaluate(m, ds, seed);
            out.printf("model %s (%s, batch %d, %s)%n", m.name(), m.manifest().architecture().id(), m.batchSize(), m.device());
            out.printf("data %s: %d test images%n", ds, e.images());
            out.printf("test -ELBO %.4f bits/dim (single sample, seed %d); %.4f bits/dim with analytic KL; %.2f nats/image; %.1f s%n",
                    e.bitsPerDim(), seed, e.bitsPerDimAnalyticKl(), e.nats(), e.seconds());
            Manifest.Metrics mm = m.manifest().metrics();
            if (mm != null && mm.dataset().equals(ds) && mm.evalSeed() == seed && mm.evalBatchSize() == m.batchSize()) {
                out.printf("manifest says %.4f bits/dim (difference %.2e)%n", mm.testBitsPerDim(), e.bitsPerDim() - mm.testBitsPerDim());
            }
            return 0;
        } catch (InvalidModelException | IllegalStateException | java.nio.file.NoSuchFileException e) {
            err.println("evaluate: " + e.getMessage());
            return 1;
        }
    }

    static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
