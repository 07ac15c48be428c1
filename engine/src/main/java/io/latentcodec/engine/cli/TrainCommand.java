package io.latentcodec.engine.cli;

import io.latentcodec.models.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code latentcodec train ...}: the models layer's trainer; {@code train --help} lists its options. */
@Command(name = "train", description = {"Train a VAE and write its model directory (SavedModel + manifest).",
        "Example: train --preset mnist --seed 1 --epochs 300 --shift 1 --time-limit 900 --force",
        "Run 'latentcodec train --help' for every option."})
final class TrainCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Trainer.run(args.toArray(String[]::new), System.err);
    }
}
