package io.latentcodec.engine.vbq;

import io.latentcodec.kernels.nn.ConvTranspose2d;
import io.latentcodec.kernels.nn.Gdn;
import io.latentcodec.models.conv.ConvArchitecture;

import java.util.List;

/**
 * The conv VAE's decoder on the project's deterministic kernels ({@code kernels.nn}), from weights
 * read without TensorFlow: what defines a version-2 VBQ file's reconstruction, on every machine.
 * <pre>
 *   z [h, w, M] -> ConvTranspose2d 5x5/2 -> IGDN -> ConvTranspose2d -> IGDN -> ConvTranspose2d -> IGDN
 *               -> ConvTranspose2d 5x5/2, 3 -> times 255      [16h, 16w, 3], pixel units, unclipped
 * </pre>
 * The same function as {@code ConvGraph.decode} (TensorFlow's Conv2DBackpropInput with SAME padding,
 * bias, IGDN with {@code beta = |beta'| + 1e-6f} and {@code gamma = |gamma'|}, the last map times
 * 255f), with one fixed float operation order: its floats differ from TensorFlow's by rounding only
 * (a few 1e-4 pixel units), and are the same on every CPU, at every vector width, with any thread count.
 * Immutable and thread-safe.
 */
public final class VbqDecoder {
    /** {@code ConvGraph.GDN_BETA_MIN}: the floor added to |beta'|. */
    static final float GDN_BETA_MIN = 1e-6f;
    /** Below this many output pixels a layer runs on the calling thread only (a fork costs more than it saves). */
    static final long PARALLEL_PIXELS = 4096;

    private final ConvArchitecture arch;
    private final ConvTranspose2d[] conv = new ConvTranspose2d[4];
    private final Gdn[] igdn = new Gdn[3];

    /** Weights in {@link ConvArchitecture#variables()} order (the decoder's are taken by name). */
    public VbqDecoder(ConvArchitecture a, List<float[]> weights) {
        List<ConvArchitecture.Var> vars = a.variables();
        if (weights.size() != vars.size()) {
            throw new IllegalArgumentException(weights.size() + " weight arrays, " + a.id() + " has " + vars.size());
        }
        this.arch = a;
        int n = a.channels();
        int[] in = {a.latents(), n, n, n};
        int[] out = {n, n, n, 3};
        for (int i = 0; i < 4; i++) {
            conv[i] = ConvTranspose2d.of(a.kernel(), in[i], out[i], get(a, weights, "dec" + i + "_w"), get(a, weights, "dec" + i + "_b"));
            if (i < 3) {
                float[] beta = get(a, weights, "dec" + i + "_igdn_beta");
                float[] gamma = get(a, weights, "dec" + i + "_igdn_gamma");
                for (int j = 0; j < beta.length; j++) {
                    beta[j] = Math.abs(beta[j]) + GDN_BETA_MIN; // beta = |beta'| + 1e-6, in float as the graph computes it
                }
                for (int j = 0; j < gamma.length; j++) {
                    gamma[j] = Math.abs(gamma[j]);
                }
                igdn[i] = Gdn.inverse(beta, gamma);
            }
        }
    }

    private static float[] get(ConvArchitecture a, List<float[]> weights, String name) {
        List<ConvArchitecture.Var> vars = a.variables();
        for (int i = 0; i < vars.size(); i++) {
            if (vars.get(i).name().equals(name)) {
                if (weights.get(i).length != vars.get(i).size()) {
                    throw new IllegalArgumentException(name + " has " + weights.get(i).length + " values, needs " + vars.get(i).size());
                }
                return weights.get(i).clone();
            }
        }
        throw new IllegalArgumentException(a.id() + " has no variable " + name);
    }

    public ConvArchitecture architecture() {
        return arch;
    }

    /**
     * The decoder's mean image for latents {@code z} ({@code h * w * M} floats, NHWC): {@code 16h * 16w * 3}
     * floats in pixel units, unclipped. {@code parallel}: rows on the common fork-join pool (same bits).
     */
    public float[] decode(float[] z, int h, int w, boolean parallel) {
        if (h < 1 || w < 1 || (long) h * w * arch.latents() != z.length) {
            throw new IllegalArgumentException("z must hold " + h + " x " + w + " x " + arch.latents() + " floats, got " + z.length);
        }
        float[] x = z;
        int hh = h;
        int ww = w;
        for (int i = 0; i < 4; i++) {
            float[] y = new float[4 * hh * ww * conv[i].outChannels()];
            boolean par = parallel && 4L * hh * ww >= PARALLEL_PIXELS;
            conv[i].apply(x, hh, ww, y, par);
            hh *= 2;
            ww *= 2;
            if (i < 3) {
                igdn[i].apply(y, hh * ww, ww, par);
            }
            x = y;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] *= 255f;
        }
        return x;
    }
}
