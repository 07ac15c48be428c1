package io.latentcodec.engine.cli;

import io.latentcodec.models.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code latentcodec eval --model NAME|DIR ...}: the test-set -ELBO in bits/dim, as the bits-back paper reports it. */
@Command(name = "eval", aliases = "evaluate", description = {"Print a model's test-set -ELBO in bits/dim and compare it with its manifest.",
        "Example: eval --model mnist-binarized   (options: --model --data --device --seed --batch)"})
final class EvalCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Evaluator.run(args.toArray(String[]::new), System.out, System.err);
    }
}
