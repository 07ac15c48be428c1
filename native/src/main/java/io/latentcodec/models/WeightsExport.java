package io.latentcodec.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a model directory's {@code weights.lcw} from its weights and records the file's
 * fingerprint in {@code manifest.json}: what the trainer does at export, and what
 * {@code scripts/models export-weights --model DIR} does for a directory that has only a SavedModel.
 */
public final class WeightsExport {
    private WeightsExport() {
    }

    /** The weights file of an MLP VAE: the weights in {@link Architecture#variableNames()} order. */
    public static WeightsFile of(Architecture a, List<float[]> weights) {
        List<String> names = a.variableNames();
        List<long[]> shapes = a.variableShapes();
        if (weights.size() != names.size()) {
            throw new IllegalArgumentException(weights.size() + " weight arrays, " + a.id() + " has " + names.size());
        }
        List<WeightsFile.Tensor> t = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            long[] s = shapes.get(i);
            int[] shape = new int[s.length];
            for (int k = 0; k < s.length; k++) {
                shape[k] = Math.toIntExact(s[k]);
            }
            t.add(new WeightsFile.Tensor(names.get(i), shape, weights.get(i)));
        }
        return WeightsFile.of(t);
    }

    /** Writes {@code weights.lcw} into {@code dir} and returns {@code manifest} with its fingerprint. */
    static Manifest write(Path dir, Manifest manifest, List<float[]> weights) throws IOException {
        WeightsFile w = of(manifest.architecture(), weights);
        w.write(dir);
        return manifest.withWeightsFingerprint(Fingerprint.text(w.fingerprint(manifest.architecture().id())));
    }

    /**
     * Exports the SavedModel of {@code dir}: loads it in TensorFlow, writes {@code weights.lcw},
     * updates the manifest, then loads the directory back as a {@link DeterministicVae}.
     */
    public static Manifest export(Path dir) throws IOException {
        Manifest m;
        try (SavedModelVae tf = SavedModelVae.load(dir, Device.CPU, 0)) {
            m = write(dir, tf.manifest(), tf.weights());
        }
        m.write(dir.resolve(Manifest.FILE));
        try (VaeModel check = DeterministicVae.load(dir)) {
            return check.manifest();
        }
    }

    /** {@code scripts/models export-weights --model DIR [--model DIR ...]}. */
    public static void main(String[] args) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--model") && i + 1 < args.length) {
                dirs.add(VaeModel.resolve(args[++i]));
            } else {
                System.err.println("usage: scripts/models export-weights --model NAME|DIR [--model ...]");
                System.exit(2);
            }
        }
        if (dirs.isEmpty()) {
            System.err.println("usage: scripts/models export-weights --model NAME|DIR [--model ...]");
            System.exit(2);
        }
        for (Path d : dirs) {
            Manifest m = export(d);
            System.out.println(d + ": wrote " + WeightsFile.FILE + ", " + m.weightsFingerprint());
        }
    }
}
