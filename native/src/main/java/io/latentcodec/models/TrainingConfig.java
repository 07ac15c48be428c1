package io.latentcodec.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Trainer} trains: a named architecture on a named data set, with seed, epochs, batch
 * size and learning rate. {@link #parse} reads the command line; a {@code --preset} fills in the
 * shipped models' settings, and later options override them.
 *
 * @param name             the model's name (manifest and default output folder)
 * @param dataset          data set name (mnist, mnist-binarized, fashion-mnist)
 * @param shift            data augmentation: each training visit moves the image by a random whole number of
 *                         pixels in [-shift, shift] along each axis (filling with 0); 0 turns it off
 * @param validation       training images held out (the last ones of the training split) to pick
 *                         the best epoch; 0 keeps the last epoch and trains on all
 * @param inferenceBatch   the fixed batch size of the exported model
 * @param out              the model directory to write
 * @param force            replace {@code out} when it exists
 * @param timeLimitSeconds stop after the epoch during which this much time has passed (0: none)
 * @param args             the command-line arguments, recorded in the manifest
 */
public record TrainingConfig(String name, String dataset, Architecture architecture, long seed, int epochs, int batchSize,
                             double learningRate, int shift, int validation, int inferenceBatch, Path out, boolean force,
                             double timeLimitSeconds, List<String> args) {

    public TrainingConfig {
        if (epochs < 1 || batchSize < 1 || inferenceBatch < 1 || inferenceBatch > Manifest.MAX_BATCH || validation < 0
                || !(learningRate > 0) || timeLimitSeconds < 0 || shift < 0 || shift > 4) {
            throw new IllegalArgumentException("bad training settings: epochs " + epochs + ", batch " + batchSize + ", inference batch "
                    + inferenceBatch + ", shift " + shift + ", validation " + validation + ", learning rate " + learningRate + ", time limit " + timeLimitSeconds);
        }
        args = List.copyOf(args);
    }

    /**
     * The shipped models' settings; names: mnist-binarized, mnist, mnist-logistic, fashion-mnist, and
     * the locally autoregressive ones: mnist-ar and fashion-mnist-ar (a mixture of three discretized
     * logistics from a context net of 64 units over a 24-pixel causal window and 4 decoder maps),
     * mnist-binarized-ar (Bernoulli, the same context net, residual on the decoder's logits).
     */
    public static final List<String> PRESETS = List.of("mnist-binarized", "mnist", "mnist-logistic", "fashion-mnist",
            "mnist-binarized-ar", "mnist-ar", "fashion-mnist-ar");
    /** Hidden units of the -ar presets' context net. */
    public static final int AR_HIDDEN = 64;
    /** The -ar presets' causal window: 3 left, 3 right, 3 rows up (24 neighbours). */
    static final int[] AR_WINDOW = {3, 3, 3};

    static final String USAGE = """
            usage: Trainer --preset NAME [options]   or   Trainer --data NAME --likelihood L [options]
              Trains a VAE (Adam, seeded) and writes a model directory (SavedModel + manifest.json).
              --preset NAME          mnist-binarized | mnist | mnist-logistic | fashion-mnist (the shipped models' settings),
                                     mnist-binarized-ar | mnist-ar | fashion-mnist-ar: locally autoregressive likelihoods
                                     (a context net; logistic-mixture for the 8-bit ones)
              --name NAME            model name (default: the preset's)
              --data NAME            mnist | mnist-binarized | fashion-mnist
              --likelihood L         bernoulli | beta-binomial | discretized-logistic | logistic-mixture
              --hidden N --latent N  layer sizes (default 784-200-50; 784-100-40 for bernoulli)
              --context-hidden N     hidden units of a context net over causal neighbours (0: none; -ar presets: 64)
              --context-window L,R,U the context's neighbours: L to the left in the row, and in each of the U rows
                                     above from L left to R right (default 2,2,2: 12 neighbours; -ar presets 3,3,3: 24)
              --context-raw N        also feed the decoder's raw parameters of the pixels around: 0 none, 1 the 3 x 3 square
              --context-maps E       decoder maps per pixel fed to the context net (default: one per parameter, added
                                     to its outputs; logistic-mixture: 4)
              --seed N               seed of initialisation, shuffling, binarization and noise (default 1)
              --epochs N             (preset default)
              --batch N              training batch size (default 100)
              --lr X                 Adam learning rate (default 0.001)
              --shift N              augmentation: move training images by up to N pixels each way (max 4; preset default)
              --validation N         training images held out to pick the best epoch (default 1000 for mnist, 0 otherwise)
              --inference-batch N    the exported model's fixed batch size (default 100)
              --out DIR              model directory (default <home>/models/NAME)
              --force                replace DIR when it exists
              --time-limit SECONDS   stop after the epoch in which this much time has passed
            """;

    /** Parses the trainer's command line (see {@link #USAGE}); IllegalArgumentException on errors. */
    public static TrainingConfig parse(String[] argv) {
        String preset = null;
        String name = null;
        String data = null;
        Likelihood lik = null;
        Integer hidden = null;
        Integer latent = null;
        long seed = 1;
        Integer epochs = null;
        int batch = 100;
        double lr = 1e-3;
        Integer shift = null;
        Integer validation = null;
        int inferenceBatch = 100;
        Path out = null;
        boolean force = false;
        double timeLimit = 0;
        Integer contextHidden = null;
        int[] window = null;
        int contextRaw = -1;
        Integer contextMaps = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--preset" -> preset = Evaluator.value(argv, ++i);
                case "--name" -> name = Evaluator.value(argv, ++i);
                case "--data" -> data = Evaluator.value(argv, ++i);
                case "--likelihood" -> lik = Likelihood.parse(Evaluator.value(argv, ++i));
                case "--hidden" -> hidden = intArg(argv, ++i);
                case "--latent" -> latent = intArg(argv, ++i);
                case "--seed" -> seed = Long.parseLong(Evaluator.value(argv, ++i));
                case "--epochs" -> epochs = intArg(argv, ++i);
                case "--batch" -> batch = intArg(argv, ++i);
                case "--lr" -> lr = Double.parseDouble(Evaluator.value(argv, ++i));
                case "--shift" -> shift = intArg(argv, ++i);
                case "--validation" -> validation = intArg(argv, ++i);
                case "--inference-batch" -> inferenceBatch = intArg(argv, ++i);
                case "--out" -> out = Path.of(Evaluator.value(argv, ++i));
                case "--force" -> force = true;
                case "--time-limit" -> timeLimit = Double.parseDouble(Evaluator.value(argv, ++i));
                case "--context-hidden" -> contextHidden = intArg(argv, ++i);
                case "--context-window" -> window = window(Evaluator.value(argv, ++i));
                case "--context-raw" -> contextRaw = intArg(argv, ++i);
                case "--context-maps" -> contextMaps = intArg(argv, ++i);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        int defaultEpochs = 100;
        int defaultShift = 0;
        int defaultContext = 0;
        if (preset != null) {
            String base = preset;
            if (preset.endsWith("-ar") && PRESETS.contains(preset)) {
                base = preset.substring(0, preset.length() - 3);
                defaultContext = AR_HIDDEN;
                window = window == null ? AR_WINDOW : window;
                if (!base.equals("mnist-binarized")) {
                    lik = lik == null ? Likelihood.LOGISTIC_MIXTURE : lik;
                }
            }
            switch (base) {
                case "mnist-binarized" -> {
                    data = data == null ? "mnist-binarized" : data;
                    lik = lik == null ? Likelihood.BERNOULLI : lik;
                    defaultEpochs = 1000; // fresh bits every epoch keep it from overfitting; about 3 minutes
                }
                case "mnist" -> {
                    data = data == null ? "mnist" : data;
                    lik = lik == null ? Likelihood.BETA_BINOMIAL : lik;
                    defaultEpochs = 300;
                    defaultShift = 1; // without it 7,000 images overfit after ~75 epochs at about 1.45 bits/dim
                }
                case "mnist-logistic" -> {
                    data = data == null ? "mnist" : data;
                    lik = lik == null ? Likelihood.DISCRETIZED_LOGISTIC : lik;
                    defaultEpochs = 300;
                    defaultShift = 1;
                }
                case "fashion-mnist" -> {
                    data = data == null ? "fashion-mnist" : data;
                    lik = lik == null ? Likelihood.BETA_BINOMIAL : lik;
                    defaultEpochs = 30;
                }
                default -> throw new IllegalArgumentException("unknown preset '" + preset + "'; presets: " + PRESETS);
            }
            name = name == null ? preset : name;
        }
        if (data == null || lik == null) {
            throw new IllegalArgumentException("give --preset, or --data and --likelihood");
        }
        if ((lik == Likelihood.BERNOULLI) != data.endsWith("-binarized")) {
            throw new IllegalArgumentException("likelihood " + lik + " does not fit data set " + data
                    + ": bernoulli needs a binarized data set, the others 8-bit data");
        }
        boolean small = lik == Likelihood.BERNOULLI;
        int ctx = contextHidden != null ? contextHidden : defaultContext;
        if (ctx < 0) {
            throw new IllegalArgumentException("--context-hidden must be >= 0, got " + ctx);
        }
        Architecture arch = new Architecture(784, hidden != null ? hidden : small ? 100 : 200, latent != null ? latent : small ? 40 : 50, lik,
                ctx == 0 ? null : new ContextSpec(28, ctx, window == null ? ContextSpec.window(2, 2, 2) : ContextSpec.window(window[0], window[1], window[2]),
                        contextRaw == 1 ? ContextSpec.square() : List.of(),
                        contextMaps != null ? contextMaps : lik == Likelihood.LOGISTIC_MIXTURE ? 4 : 0));
        if (contextRaw > 1 || contextRaw < -1) {
            throw new IllegalArgumentException("--context-raw must be 0 or 1, got " + contextRaw);
        }
        name = name == null ? data + "-" + lik.id() : name;
        return new TrainingConfig(name, data, arch, seed, epochs != null ? epochs : defaultEpochs, batch, lr, shift != null ? shift : defaultShift,
                validation != null ? validation : data.startsWith("mnist") ? 1000 : 0, inferenceBatch,
                out != null ? out : null, force, timeLimit, List.of(argv));
    }

    /** {@code L,R,U} of {@code --context-window}. */
    private static int[] window(String v) {
        String[] parts = v.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--context-window needs L,R,U (e.g. 2,2,2), got " + v);
        }
        int[] w = new int[3];
        for (int i = 0; i < 3; i++) {
            w[i] = Integer.parseInt(parts[i].trim());
            if (w[i] < 0 || w[i] > 8) {
                throw new IllegalArgumentException("--context-window values must be 0..8, got " + v);
            }
        }
        return w;
    }

    private static int intArg(String[] argv, int i) {
        return Integer.parseInt(Evaluator.value(argv, i));
    }

    /** The model directory to write: {@link #out()}, or {@code <home>/models/<name>} when none was given. */
    public Path outputDir() {
        return out != null ? out : Home.modelsDir().resolve(name);
    }

    /** The command line that reproduces this training, as the CLI runs it. */
    public String command() {
        List<String> quoted = new ArrayList<>();
        quoted.add("./latentcodec train");
        for (String a : args) {
            quoted.add(a.matches("[A-Za-z0-9._/=:+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
