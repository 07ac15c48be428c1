package io.latentcodec.models;

import io.latentcodec.models.data.Binarization;
import io.latentcodec.models.data.DataSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small models trained once per test JVM on synthetic 28 x 28 images (a bright square at a seeded
 * place on a dark background, plus noise): hidden 16, latent 4, inference batch 8. They exercise the
 * trainer, exporter and loader in about a second each, without the data sets.
 */
final class TinyModels {
    static final int BATCH = 8;
    private static final Map<Likelihood, Path> DIRS = new EnumMap<>(Likelihood.class);
    private static final Map<Likelihood, Path> AR_DIRS = new EnumMap<>(Likelihood.class);
    private static Path root;

    private TinyModels() {
    }

    static synchronized Path dir(Likelihood lik) {
        return DIRS.computeIfAbsent(lik, l -> {
            try {
                if (root == null) {
                    root = Files.createTempDirectory("tiny-models");
                    root.toFile().deleteOnExit();
                }
                Path out = root.resolve("tiny-" + l.id());
                Trainer.train(config(l, out, 2), data(l), TrainingListener.SILENT);
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * A tiny locally autoregressive model: context net of 8 units over the 4 neighbours of a
     * window(1, 1, 1); the beta-binomial also reads the raw values of the 3 x 3 square, the mixture
     * 3 decoder maps (features, not residual).
     */
    static synchronized Path arDir(Likelihood lik) {
        return AR_DIRS.computeIfAbsent(lik, l -> {
            try {
                if (root == null) {
                    root = Files.createTempDirectory("tiny-models");
                    root.toFile().deleteOnExit();
                }
                Path out = root.resolve("tiny-ar-" + l.id());
                TrainingConfig plain = config(l, out, 2);
                Architecture a = plain.architecture().withContext(context(l));
                TrainingConfig c = new TrainingConfig("tiny-ar-" + l.id(), plain.dataset(), a, plain.seed(), plain.epochs(), plain.batchSize(),
                        plain.learningRate(), 0, plain.validation(), BATCH, out, false, 0, plain.args());
                Trainer.train(c, data(l), TrainingListener.SILENT);
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static ContextSpec context(Likelihood l) {
        return new ContextSpec(28, 8, ContextSpec.window(1, 1, 1), l == Likelihood.BETA_BINOMIAL ? ContextSpec.square() : List.of(),
                l == Likelihood.LOGISTIC_MIXTURE ? 3 : 0);
    }

    static TrainingConfig config(Likelihood l, Path out, int epochs) {
        List<String> args = List.of("--data", l == Likelihood.BERNOULLI ? "tiny-binarized" : "tiny", "--likelihood", l.id(),
                "--hidden", "16", "--latent", "4", "--epochs", String.valueOf(epochs), "--batch", "50", "--validation", "100",
                "--inference-batch", String.valueOf(BATCH), "--out", out.toString());
        return new TrainingConfig("tiny-" + l.id(), args.get(1), new Architecture(784, 16, 4, l), 7, epochs, 50, 3e-3, 0, 100, BATCH, out,
                false, 0, args);
    }

    static byte[][] images(int n, long seed) {
        Random r = new Random(seed);
        byte[][] out = new byte[n][784];
        for (byte[] img : out) {
            int x0 = r.nextInt(20);
            int y0 = r.nextInt(20);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean in = x >= x0 && x < x0 + 8 && y >= y0 && y < y0 + 8;
                    img[y * 28 + x] = (byte) (in ? 200 + r.nextInt(56) : r.nextInt(8) == 0 ? r.nextInt(40) : 0);
                }
            }
        }
        return out;
    }

    static DataSet data(Likelihood l) {
        boolean bin = l == Likelihood.BERNOULLI;
        byte[][] test = images(40, 2);
        return new DataSet(bin ? "tiny-binarized" : "tiny", "synthetic squares", 28, 28, bin, images(600, 1), null,
                bin ? Binarization.fixed(test, 3) : test, null);
    }
}
