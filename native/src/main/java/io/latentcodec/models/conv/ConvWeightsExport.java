package io.latentcodec.models.conv;

import io.latentcodec.models.WeightsFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a conv VAE directory's {@code weights.lcw} from its SavedModel (read with TensorFlow, whose
 * loader checks the weights against the manifest's fingerprint) and records the file's fingerprint
 * in {@code manifest.json} as {@code weightsFingerprint}: for a directory exported before the
 * deterministic decoder existed. The trainer's export writes both itself.
 * {@code scripts/vbq export-weights --model NAME|DIR [--model ...]}.
 */
public final class ConvWeightsExport {
    private ConvWeightsExport() {
    }

    /** Exports {@code dir}'s weights; returns the updated manifest. */
    public static ConvManifest export(Path dir) throws IOException {
        ConvManifest m;
        List<float[]> weights;
        try (ConvVae vae = ConvVae.load(dir)) {
            m = vae.manifest();
            weights = vae.weights();
        }
        WeightsFile f = ConvWeights.file(m.architecture(), weights);
        f.write(dir);
        ConvManifest out = m.withWeightsFingerprint(ConvWeights.fingerprintText(m.architecture(), f));
        out.write(dir.resolve(ConvManifest.FILE));
        // read back what was written, as a decoder will
        List<float[]> back = ConvWeights.read(dir, m.architecture(), WeightsFile.read(dir));
        if (!ConvFingerprint.text(ConvFingerprint.of(m.architecture(), back)).equals(m.fingerprint())) {
            throw new IOException(dir + ": " + WeightsFile.FILE + " does not read back to the SavedModel's weights");
        }
        return out;
    }

    public static void main(String[] args) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--model") && i + 1 < args.length) {
                dirs.add(ConvVae.resolve(args[++i]));
            } else {
                dirs.clear();
                break;
            }
        }
        if (dirs.isEmpty()) {
            System.err.println("usage: scripts/vbq export-weights --model NAME|DIR [--model ...]");
            System.exit(2);
        }
        for (Path d : dirs) {
            ConvManifest m = export(d);
            System.out.println(d + ": wrote " + WeightsFile.FILE + ", weightsFingerprint " + m.weightsFingerprint());
        }
    }
}
