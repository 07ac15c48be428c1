package io.latentcodec.engine.cli;

import io.latentcodec.engine.demo.TextDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compress real data with the shipped codecs and print rates against the peers, measured in this run.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TextDemo.run(spec.commandLine().getOut());
        return 0;
    }
}
