package io.latentcodec.models.conv;

import io.latentcodec.models.Tensors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Encoder-side refinement of a posterior's means (iterative inference): the encoder network's
 * {@code mu} is a fast guess at the latents that explain an image; a few gradient steps on
 * <pre>
 *   L(z) = sum (x - decoder(z))^2 / (2 sigmaX^2) + sum z^2 / 2        (the ELBO's terms in the means)
 * </pre>
 * from {@code z = mu} find latents the decoder turns into a closer image. Only what the encoder
 * chooses changes: the decoder network, the tables and the file format are untouched, so a refined
 * file decodes like any other, and its reconstruction is still the one the encoder computed with the
 * model's own decoder session. The refinement's floats need not be reproducible (they never reach
 * the decoder as such, only through the coded points).
 *
 * <p>Adam on z with step {@link #LEARNING_RATE}, the iterate with the lowest L is kept (so refining
 * never makes L worse than the encoder's guess). Each step runs the decoder forward and backward
 * once at the image's size, about three decoder passes.
 */
final class LatentRefinement implements AutoCloseable {
    /** Adam's step size on z (latents are about unit scale; the means spread over about +-0.3 to +-3). */
    static final double LEARNING_RATE = 0.05;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> x;
    private final Placeholder<TFloat32> z;
    /** D(z) = sum (x - decoder(z))^2 / (2 sigmaX^2), shape [1]. */
    private final Operand<TFloat32> distortion;
    /** dD/dz, shape of z. */
    private final Operand<?> gradient;
    private final int latents;

    private LatentRefinement(Graph graph, Session session, Placeholder<TFloat32> x, Placeholder<TFloat32> z, Operand<TFloat32> distortion,
                             Operand<?> gradient, int latents) {
        this.graph = graph;
        this.session = session;
        this.x = x;
        this.z = z;
        this.distortion = distortion;
        this.gradient = gradient;
        this.latents = latents;
    }

    /** The graph of D and dD/dz for this architecture (L adds the prior in Java), the weights baked in as constants. */
    static LatentRefinement create(ConvArchitecture a, List<float[]> weights) {
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            Map<String, Operand<TFloat32>> w = new LinkedHashMap<>();
            List<ConvArchitecture.Var> vars = a.variables();
            for (int i = 0; i < vars.size(); i++) {
                try (TFloat32 t = Tensors.floats(Shape.of(vars.get(i).shape()), weights.get(i))) {
                    w.put(vars.get(i).name(), tf.constantOf(t));
                }
            }
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
            Placeholder<TFloat32> z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, a.latents())));
            Operand<TFloat32> mean = ConvGraph.decode(tf, a, w, z);
            Operand<TFloat32> sse = ConvGraph.sumPerImage(tf, tf.math.squaredDifference(x, mean));
            // D = sse / (2 sigmaX^2)   (batch 1: a [1] tensor); the prior's sum z^2 / 2 and its gradient z are added in Java
            Operand<TFloat32> d = tf.math.mul(sse, tf.constant((float) (1 / (2 * a.sigmaX() * a.sigmaX()))));
            Gradients grads = tf.gradients(d, List.of(z));
            Session s = new Session(g, ConvTrainer.sessionConfig());
            return new LatentRefinement(g, s, x, z, d, grads.dy(0), a.latents());
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * Refined means for image {@code x} ({@code 16h * 16w * 3} floats 0..255) starting from {@code mu}
     * ({@code h * w * M} floats): the best of {@code iterations} Adam steps by L, or {@code mu} itself
     * when no step improved on it.
     */
    float[] refine(float[] xs, int h, int w, float[] mu, int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        int n = mu.length;
        float[] cur = mu.clone();
        float[] best = mu.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        double[] m = new double[n];
        double[] v = new double[n];
        float[] g = new float[n];
        try (TFloat32 xt = image(xs, h, w)) {
            for (int it = 0; it <= iterations; it++) {
                double l = distortion(xt, h, w, cur, g);
                for (int i = 0; i < n; i++) {
                    l += 0.5 * cur[i] * (double) cur[i]; // L = D + sum z^2 / 2
                    g[i] += cur[i];                      // dL/dz = dD/dz + z
                }
                if (l < bestLoss) { // L at the current iterate, before its step
                    bestLoss = l;
                    System.arraycopy(cur, 0, best, 0, n);
                }
                if (it == iterations) {
                    break;
                }
                int t = it + 1;
                double c1 = 1 - Math.pow(BETA1, t);
                double c2 = 1 - Math.pow(BETA2, t);
                for (int i = 0; i < n; i++) {
                    m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                    v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * (double) g[i];
                    // z -= lr * mhat / (sqrt(vhat) + eps)
                    cur[i] = (float) (cur[i] - LEARNING_RATE * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON));
                }
            }
        }
        return best;
    }

    /** {@code xs} ({@code 16h * 16w * 3} floats 0..255) as the graph's input tensor; the caller closes it. */
    static TFloat32 image(float[] xs, int h, int w) {
        return Tensors.floats(Shape.of(1, 16L * h, 16L * w, 3), xs);
    }

    /** D(z) = sum (x - decoder(z))^2 / (2 sigmaX^2) for the image tensor {@code xt}; dD/dz into {@code grad}. */
    double distortion(TFloat32 xt, int h, int w, float[] zs, float[] grad) {
        try (TFloat32 zt = Tensors.floats(Shape.of(1, h, w, latents), zs);
             Result r = session.runner().feed(x, xt).feed(z, zt).fetch(distortion).fetch(gradient).run()) {
            Tensors.copy(r.get(1), grad);
            return ((TFloat32) r.get(0)).getFloat(0);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
