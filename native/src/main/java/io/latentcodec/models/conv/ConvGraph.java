package io.latentcodec.models.conv;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The conv VAE's TensorFlow graph pieces (see {@link ConvArchitecture}), shared by training and by the
 * exported inference graph so the two compute the same function. NHWC, float32.
 */
final class ConvGraph {
    static final float SIGMA_MIN = 1e-4f;
    static final float GDN_BETA_MIN = 1e-6f;
    private static final List<Long> STRIDE2 = List.of(1L, 2L, 2L, 1L);
    private static final List<Long> STRIDE1 = List.of(1L, 1L, 1L, 1L);

    private ConvGraph() {
    }

    record Posterior(Operand<TFloat32> mu, Operand<TFloat32> sigma) {
    }

    /** GDN (or its inverse): x / sqrt(beta + conv1x1(x^2, gamma)), or x * sqrt(...). */
    private static Operand<TFloat32> gdn(Ops tf, Operand<TFloat32> x, Operand<TFloat32> betaRaw, Operand<TFloat32> gammaRaw, int n,
                                         boolean inverse) {
        Operand<TFloat32> beta = tf.math.add(tf.math.abs(betaRaw), tf.constant(GDN_BETA_MIN));
        Operand<TFloat32> gamma = tf.reshape(tf.math.abs(gammaRaw), tf.constant(new long[] {1, 1, n, n}));
        Operand<TFloat32> norm = tf.nn.biasAdd(tf.nn.conv2d(tf.math.square(x), gamma, STRIDE1, "SAME"), beta);
        return inverse ? tf.math.mul(x, tf.math.sqrt(norm)) : tf.math.mul(x, tf.math.rsqrt(norm));
    }

    static Posterior encode(Ops tf, ConvArchitecture a, Map<String, Operand<TFloat32>> w, Operand<TFloat32> x) {
        Ops e = tf.withSubScope("encoder");
        Operand<TFloat32> h = e.math.mul(x, e.constant(1f / 255f));
        for (int i = 0; i < 4; i++) {
            h = e.nn.biasAdd(e.nn.conv2d(h, w.get("enc" + i + "_w"), STRIDE2, "SAME"), w.get("enc" + i + "_b"));
            if (i < 3) {
                h = gdn(e, h, w.get("enc" + i + "_gdn_beta"), w.get("enc" + i + "_gdn_gamma"), a.channels(), false);
            }
        }
        Split<TFloat32> s = e.split(e.constant(3), h, 2L);
        Operand<TFloat32> mu = s.output().get(0);
        Operand<TFloat32> sigma = e.math.add(e.math.softplus(s.output().get(1)), e.constant(SIGMA_MIN));
        return new Posterior(mu, sigma);
    }

    /** The reconstruction's mean in pixel units (0..255 scale, unclipped). */
    static Operand<TFloat32> decode(Ops tf, ConvArchitecture a, Map<String, Operand<TFloat32>> w, Operand<TFloat32> z) {
        Ops d = tf.withSubScope("decoder");
        Operand<TFloat32> h = z;
        int[] outCh = {a.channels(), a.channels(), a.channels(), 3};
        for (int i = 0; i < 4; i++) {
            // output shape [B, 2h, 2w, C] = shape(h) * [1, 2, 2, 0] + [0, 0, 0, C]
            Operand<TInt32> outShape = d.math.add(d.math.mul(d.shape(h), d.constant(new int[] {1, 2, 2, 0})),
                    d.constant(new int[] {0, 0, 0, outCh[i]}));
            h = d.nn.biasAdd(d.nn.conv2dBackpropInput(outShape, w.get("dec" + i + "_w"), h, STRIDE2, "SAME"), w.get("dec" + i + "_b"));
            if (i < 3) {
                h = gdn(d, h, w.get("dec" + i + "_igdn_beta"), w.get("dec" + i + "_igdn_gamma"), a.channels(), true);
            }
        }
        return d.math.mul(h, d.constant(255f));
    }

    /** Sum over all axes but the batch: [B, ...] -> [B]. */
    static Operand<TFloat32> sumPerImage(Ops tf, Operand<TFloat32> t) {
        return tf.reduceSum(t, tf.constant(new int[] {1, 2, 3}));
    }

    /** KL(N(mu, sigma^2) || N(0, 1)) per image, nats: sum (mu^2 + sigma^2 - 1)/2 - log sigma. */
    static Operand<TFloat32> kl(Ops tf, Posterior q) {
        Operand<TFloat32> t = tf.math.sub(tf.math.mul(tf.constant(0.5f),
                tf.math.sub(tf.math.add(tf.math.square(q.mu()), tf.math.square(q.sigma())), tf.constant(1f))), tf.math.log(q.sigma()));
        return sumPerImage(tf, t);
    }
}
