package io.latentcodec.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The graph's log-likelihoods: each distribution sums to 1 over its support, the beta-binomial
 * matches a Java reference (Lanczos lgamma) value by value, and the logistic mixture is the
 * softmax-weighted sum of its components.
 */
class LikelihoodGraphTest {

    /** log p(k | params) for rows k (x of width 1) and per-row parameters, by the graph. */
    static double[] graphLogProbs(Likelihood lik, float[] x, float[]... params) {
        int n = x.length;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, 1)));
            List<Operand<TFloat32>> ps = new java.util.ArrayList<>();
            for (float[] p : params) {
                ps.add(tf.reshape(tf.constant(p), tf.constant(new long[] {n, 1})));
            }
            Operand<TFloat64> lp = VaeGraph.logLikelihood(tf, lik, ps, xp);
            try (Session s = new Session(g); TFloat32 xt = Tensors.floats(Shape.of(n, 1), x); Result r = s.runner().feed(xp, xt).fetch(lp).run()) {
                double[] out = new double[n];
                Tensors.copy(r.get(0), out);
                return out;
            }
        }
    }

    /** Rows k = 0..max for each parameter setting, then sum exp(log p) per setting. */
    static void assertNormalised(Likelihood lik, float[][] settings, double tol) {
        int k = lik.maxValue() + 1;
        float[] x = new float[settings.length * k];
        float[][] p = new float[settings[0].length][x.length];
        for (int s = 0; s < settings.length; s++) {
            for (int v = 0; v < k; v++) {
                x[s * k + v] = v;
                for (int j = 0; j < p.length; j++) {
                    p[j][s * k + v] = settings[s][j];
                }
            }
        }
        double[] lp = graphLogProbs(lik, x, p);
        for (int s = 0; s < settings.length; s++) {
            double sum = 0;
            for (int v = 0; v < k; v++) {
                sum += Math.exp(lp[s * k + v]);
            }
            assertEquals(1.0, sum, tol, lik + " with " + java.util.Arrays.toString(settings[s]));
        }
    }

    @Test
    void bernoulliSumsToOne() {
        assertNormalised(Likelihood.BERNOULLI, new float[][] {{0f}, {3.5f}, {-40f}, {88f}}, 1e-12);
    }

    @Test
    void betaBinomialSumsToOneAcrossItsParameterRange() {
        Random r = new Random(1);
        float[][] s = new float[40][];
        for (int i = 0; i < s.length; i++) {
            s[i] = new float[] {(float) Math.exp(r.nextDouble() * 18 - 9), (float) Math.exp(r.nextDouble() * 18 - 9)};
        }
        s[0] = new float[] {VaeGraph.BETA_PARAM_MIN, VaeGraph.BETA_PARAM_MAX};
        s[1] = new float[] {VaeGraph.BETA_PARAM_MAX, VaeGraph.BETA_PARAM_MAX};
        assertNormalised(Likelihood.BETA_BINOMIAL, s, 1e-9);
    }

    @Test
    void discretizedLogisticSumsToOneIncludingExtremeScales() {
        Random r = new Random(2);
        float[][] s = new float[40][];
        for (int i = 0; i < s.length; i++) {
            s[i] = new float[] {(float) (r.nextDouble() * 400 - 70), (float) Math.exp(r.nextDouble() * 12 - 4.6)};
        }
        s[0] = new float[] {127.3f, VaeGraph.LOGISTIC_SCALE_MIN};
        s[1] = new float[] {-5000f, 1f};
        s[2] = new float[] {10.5f, 0.01f}; // the mass splits between two bins
        assertNormalised(Likelihood.DISCRETIZED_LOGISTIC, s, 1e-9);
    }

    @Test
    void logisticMixtureSumsToOneAndIsTheWeightedSumOfItsComponents() {
        Random r = new Random(4);
        float[][] s = new float[40][];
        for (int i = 0; i < s.length; i++) {
            s[i] = new float[9];
            for (int c = 0; c < 3; c++) {
                s[i][c] = (float) (r.nextGaussian() * 4);
                s[i][3 + c] = (float) (r.nextDouble() * 400 - 70);
                s[i][6 + c] = (float) Math.exp(r.nextDouble() * 12 - 4.6);
            }
        }
        s[0] = new float[] {30f, -30f, 0f, 0.2f, 253.5f, 127f, 0.01f, 0.5f, 300f};
        assertNormalised(Likelihood.LOGISTIC_MIXTURE, s, 1e-9);
        // p(k) = sum_c softmax(w)_c p_c(k), each p_c by the single logistic's graph
        for (float[] set : s) {
            float[] x = new float[256];
            for (int v = 0; v < 256; v++) {
                x[v] = v;
            }
            double[] mix = graphLogProbs(Likelihood.LOGISTIC_MIXTURE, x, fill(set, 256));
            double[] want = new double[256];
            double norm = 0;
            for (int c = 0; c < 3; c++) {
                norm += Math.exp(set[c]);
            }
            for (int c = 0; c < 3; c++) {
                double[] one = graphLogProbs(Likelihood.DISCRETIZED_LOGISTIC, x, fill(new float[] {set[3 + c], set[6 + c]}, 256));
                for (int v = 0; v < 256; v++) {
                    want[v] += Math.exp(set[c]) / norm * Math.exp(one[v]);
                }
            }
            for (int v = 0; v < 256; v++) {
                if (want[v] > 1e-200) {
                    assertEquals(Math.log(want[v]), mix[v], 1e-9 * Math.max(1, Math.abs(mix[v])), java.util.Arrays.toString(set) + " at " + v);
                }
            }
        }
    }

    /** {@code n} rows of each parameter of {@code set}. */
    static float[][] fill(float[] set, int n) {
        float[][] p = new float[set.length][n];
        for (int j = 0; j < set.length; j++) {
            java.util.Arrays.fill(p[j], set[j]);
        }
        return p;
    }

    @Test
    void betaBinomialMatchesAJavaReference() {
        Random r = new Random(3);
        int n = 500;
        float[] x = new float[n];
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(256);
            a[i] = (float) Math.exp(r.nextDouble() * 18 - 9);
            b[i] = (float) Math.exp(r.nextDouble() * 18 - 9);
        }
        double[] lp = graphLogProbs(Likelihood.BETA_BINOMIAL, x, a, b);
        for (int i = 0; i < n; i++) {
            double k = x[i];
            double al = a[i];
            double be = b[i];
            double want = lgamma(256) - lgamma(k + 1) - lgamma(256 - k) + lgamma(k + al) + lgamma(255 - k + be) - lgamma(255 + al + be)
                    + lgamma(al + be) - lgamma(al) - lgamma(be);
            assertEquals(want, lp[i], 1e-12 * (1 + Math.abs(lgamma(255 + al + be))), "k " + k + " a " + al + " b " + be);
        }
    }

    @Test
    void discretizedLogisticMatchesItsDefinitionWhereThatIsAccurate() {
        float[] x = {0, 1, 128, 254, 255, 30};
        float[] m = {3f, 0.7f, 120.5f, 250f, 240f, 31.2f};
        float[] s = {2f, 0.5f, 10f, 3f, 7f, 0.3f};
        double[] lp = graphLogProbs(Likelihood.DISCRETIZED_LOGISTIC, x, m, s);
        for (int i = 0; i < x.length; i++) {
            double hi = x[i] == 255 ? 1 : sigmoid((x[i] + 0.5 - m[i]) / s[i]);
            double lo = x[i] == 0 ? 0 : sigmoid((x[i] - 0.5 - m[i]) / s[i]);
            assertEquals(Math.log(hi - lo), lp[i], 1e-12, "k " + x[i]);
        }
    }

    private static double sigmoid(double t) {
        return 1 / (1 + Math.exp(-t));
    }

    /** log Gamma(x) for x > 0, Lanczos (g = 7, 9 terms), relative error about 1e-15. */
    static double lgamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
