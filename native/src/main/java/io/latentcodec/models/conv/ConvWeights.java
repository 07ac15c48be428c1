package io.latentcodec.models.conv;

import io.latentcodec.models.InvalidModelException;
import io.latentcodec.models.WeightsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A conv VAE's weights as a {@link WeightsFile} ({@code weights.lcw}): the tensors of
 * {@link ConvArchitecture#variables()} in that order, under those names and shapes. No TensorFlow:
 * the deterministic decoder reads its weights through this class.
 */
public final class ConvWeights {
    private ConvWeights() {
    }

    /** The weights file of {@code weights} ({@link ConvArchitecture#variables()} order). */
    public static WeightsFile file(ConvArchitecture a, List<float[]> weights) {
        List<ConvArchitecture.Var> vars = a.variables();
        if (weights.size() != vars.size()) {
            throw new IllegalArgumentException(weights.size() + " weight arrays, " + a.id() + " has " + vars.size());
        }
        List<WeightsFile.Tensor> t = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            long[] s = vars.get(i).shape();
            int[] shape = new int[s.length];
            for (int k = 0; k < s.length; k++) {
                shape[k] = Math.toIntExact(s[k]);
            }
            t.add(new WeightsFile.Tensor(vars.get(i).name(), shape, weights.get(i)));
        }
        return WeightsFile.of(t);
    }

    /**
     * The weights of {@code f} in {@link ConvArchitecture#variables()} order, each checked against its
     * shape; a file with other or more tensors than the architecture is refused ({@code dir} names
     * the model in errors).
     */
    public static List<float[]> read(Path dir, ConvArchitecture a, WeightsFile f) {
        List<ConvArchitecture.Var> vars = a.variables();
        if (f.tensors().size() != vars.size()) {
            throw new InvalidModelException(dir, WeightsFile.FILE + " holds " + f.tensors().size() + " tensors, " + a.id() + " has "
                    + vars.size());
        }
        List<float[]> w = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            ConvArchitecture.Var v = vars.get(i);
            if (!f.tensors().get(i).name().equals(v.name())) {
                throw new InvalidModelException(dir, WeightsFile.FILE + ": tensor " + i + " is " + f.tensors().get(i).name() + ", "
                        + a.id() + " needs " + v.name() + " there");
            }
            w.add(f.get(dir, v.name(), v.shape()));
        }
        return w;
    }

    /** {@code "sha256:" + hex} of {@link WeightsFile#fingerprint(String)} with the architecture's id. */
    public static String fingerprintText(ConvArchitecture a, WeightsFile f) {
        return ConvFingerprint.text(f.fingerprint(a.id()));
    }
}
