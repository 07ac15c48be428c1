package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    @Test
    void presetsAndOptionsParse() {
        TrainingConfig c = TrainingConfig.parse(new String[] {"--preset", "mnist-binarized", "--seed", "9", "--out", "/x/y"});
        assertEquals("mnist-binarized", c.name());
        assertEquals("mnist-binarized", c.dataset());
        assertEquals(Architecture.binarizedMnist(), c.architecture());
        assertEquals(9, c.seed());
        assertEquals(1000, c.validation());
        assertEquals(Path.of("/x/y"), c.outputDir());
        assertEquals("./latentcodec train --preset mnist-binarized --seed 9 --out /x/y", c.command());
        TrainingConfig f = TrainingConfig.parse(new String[] {"--preset", "fashion-mnist", "--epochs", "3", "--lr", "5e-4"});
        assertEquals(Architecture.fullMnist(Likelihood.BETA_BINOMIAL), f.architecture());
        assertEquals(0, f.validation());
        assertEquals(3, f.epochs());
        assertEquals(5e-4, f.learningRate());
        TrainingConfig l = TrainingConfig.parse(new String[] {"--preset", "mnist-logistic", "--name", "it's"});
        assertEquals(Likelihood.DISCRETIZED_LOGISTIC, l.architecture().likelihood());
        assertTrue(l.command().endsWith("--name 'it'\\''s'"), l.command());
    }

    @Test
    void badOptionsAreReported() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(new String[] {"--preset", "cifar"}))
                .getMessage().contains("unknown preset 'cifar'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(new String[] {"--data", "mnist", "--likelihood", "bernoulli"}))
                .getMessage().contains("bernoulli needs a binarized data set"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(new String[] {"--epochs"}))
                .getMessage().contains("--epochs needs a value"));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.parse(new String[] {"--preset", "mnist", "--epochs", "0"}));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = assertDoesNotThrowStatus(() -> Trainer.run(new String[] {"--bogus"}, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("train: unknown option --bogus"));
    }

    interface Status {
        int get() throws Exception;
    }

    static int assertDoesNotThrowStatus(Status s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shiftMovesPixelsAndFillsWithZeros() {
        byte[] img = new byte[9];
        for (int i = 0; i < 9; i++) {
            img[i] = (byte) (i + 1);
        }
        assertArrayEquals(new byte[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, Trainer.shift(img, 9, 1, 1, new byte[9]));
        assertArrayEquals(new byte[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, Trainer.shift(img, 9, -1, -1, new byte[9]));
        assertArrayEquals(img, Trainer.shift(img, 9, 0, 0, new byte[9]));
    }

    @Test
    void trainingWritesALoadableModelAndReportsProgress() throws Exception {
        Path out = tmp.resolve("m");
        List<String> events = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void started(TrainingConfig c, int trainImages, int batchesPerEpoch) {
                events.add("start " + trainImages + " " + batchesPerEpoch);
            }

            @Override
            public void epoch(Epoch e) {
                events.add("epoch " + e.epoch() + " " + (e.trainBitsPerDim() > 0) + " " + !Double.isNaN(e.validationBitsPerDim()));
            }
        };
        Manifest m = Trainer.train(TinyModels.config(Likelihood.DISCRETIZED_LOGISTIC, out, 2), TinyModels.data(Likelihood.DISCRETIZED_LOGISTIC),
                listener);
        assertEquals(List.of("start 500 10", "epoch 1 true true", "epoch 2 true true"), events);
        assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
        assertEquals(m.fingerprint(), Manifest.read(out.resolve("manifest.json")).fingerprint());
        assertEquals(500, m.training().trainImages());
        assertEquals(100, m.training().validationImages());
        assertTrue(m.training().bestEpoch() >= 1);
        assertEquals(40, m.metrics().testImages());
        try (var files = Files.list(out.getParent())) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary folder left");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(
                TinyModels.config(Likelihood.DISCRETIZED_LOGISTIC, out, 1), TinyModels.data(Likelihood.DISCRETIZED_LOGISTIC), TrainingListener.SILENT));
        assertTrue(e.getMessage().contains("exists; pass --force"));
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(TinyModels.config(Likelihood.BERNOULLI, tmp.resolve("b"), 1),
                TinyModels.data(Likelihood.DISCRETIZED_LOGISTIC), TrainingListener.SILENT), "8-bit data for a Bernoulli model");
    }
}
