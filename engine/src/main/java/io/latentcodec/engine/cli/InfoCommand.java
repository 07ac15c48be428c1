package io.latentcodec.engine.cli;

import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.Container;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Print the header of a container file and check its structure.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        try (InputFile input = new InputFile(file)) {
            PrintWriter out = spec.commandLine().getOut();
            if ((Container.readMember(input.data).flags() & Container.FLAG_MORE) != 0) {
                printMembers(out, ChunkedBytes.members(input.data), input.data.byteSize());
                return 0;
            }
            Container.Header h = Container.read(input.data);
            out.printf("file:        %s (%d bytes)%n", file, input.data.byteSize());
            out.printf("codec:       %s%n", h.codec().cliName());
            out.printf("shape:       %s%n", Arrays.toString(h.shape()));
            out.printf("original:    %d bytes%n", h.originalBytes());
            out.printf("model:       %s%n", h.hasFingerprint() ? HexFormat.of().formatHex(h.fingerprint()) : "(none)");
            out.printf("chains:      %d%n", h.chains().size());
            out.printf("header:      %d bytes%n", h.streamsAt());
            if (h.codec() == io.latentcodec.engine.container.CodecId.VBQ) {
                out.printf("vbq:         model '%s'%n", io.latentcodec.engine.vbq.Vbq.modelName(input.data));
            }
            if (h.codec() == io.latentcodec.engine.container.CodecId.BITSBACK) {
                io.latentcodec.engine.bitsback.BitsBackParams p = io.latentcodec.engine.bitsback.BitsBackParams.fromBytes(h.params());
                out.printf("bits-back:   model '%s' (%d pixels, %d latents, batch %d%s), %d lanes, prior %d bits, posterior %d bits, likelihood %d bits%n",
                        p.modelName(), p.dataDim(), p.latentDim(), p.modelBatch(),
                        p.autoregressive() ? "; autoregressive: pixel-major, context net" : "", p.lanes(), p.priorBits(),
                        p.posteriorPrecision(), p.likelihoodPrecision());
                for (int c = 0; c < h.chains().size(); c++) {
                    out.printf("  chain %d:   %d images in %d bytes%n", c, h.chains().get(c).originalBytes() / p.dataDim(), h.chains().get(c).streamBytes());
                }
            }
        }
        return 0;
    }

    /** A static rANS file of several containers, as the Hadoop codec writes (every header checked by {@link ChunkedBytes#members}). */
    private void printMembers(PrintWriter out, List<ChunkedBytes.Member> members, long size) {
        Set<String> codecs = new TreeSet<>();
        long chains = 0;
        for (ChunkedBytes.Member m : members) {
            codecs.add(m.header().codec().cliName());
            chains += m.header().chains().size();
        }
        out.printf("file:        %s (%d bytes)%n", file, size);
        out.printf("codec:       %s%n", String.join(", ", codecs));
        out.printf("containers:  %d, one after another (a stream the Hadoop codec wrote: a container per chunk)%n", members.size());
        out.printf("original:    %d bytes%n", ChunkedBytes.originalBytes(members));
        out.printf("chains:      %d%n", chains);
        ChunkedBytes.Member last = members.getLast();
        out.printf("largest:     %d bytes decoded per container%n", members.stream().mapToLong(m -> m.header().originalBytes()).max().orElse(0));
        out.printf("last:        container %d at byte %d%n", members.size() - 1, last.offset());
    }
}
