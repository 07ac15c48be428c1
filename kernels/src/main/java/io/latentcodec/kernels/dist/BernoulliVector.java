package io.latentcodec.kernels.dist;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static io.latentcodec.kernels.dist.CdfMathVector.D;
import static io.latentcodec.kernels.dist.CdfMathVector.F;
import static io.latentcodec.kernels.dist.CdfMathVector.I;
import static io.latentcodec.kernels.dist.CdfMathVector.V;

/**
 * {@link Bernoulli}'s kernels, V bits at a time, in stages ({@code e^logit} for the batch, then
 * the split {@code c = floor(R / (1 + e^logit)) + 1} of {@link Bernoulli#split}, lane by lane).
 */
final class BernoulliVector {
    private BernoulliVector() {
    }

    /** {@code e[i] = exp(logit[p + i])}: then {@code P(0) = logistic(-logit) = 1 / (1 + e)}. */
    private static void exps(float[] logit, int p, int n, double[] e) {
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            CdfMathVector.load(logit, p + i, in.cast(F)).intoArray(e, i);
        }
        CdfMathVector.exp(e, e, n);
    }

    private static IntVector split(double spread, double[] e, int i) {
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        return CdfMathVector.toInt(one.div(one.add(DoubleVector.fromArray(D, e, i))).mul(spread)).add(1);
    }

    static void intervals(Bernoulli b, double spread, float[] logit, int p, int[] symbols, int s, int n,
                          int[] start, int[] freq, double[] e) {
        exps(logit, p, n, e);
        int total = 1 << b.precision();
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector c = split(spread, e, i);
            VectorMask<Integer> one = IntVector.fromArray(I, symbols, s + i, in).compare(VectorOperators.NE, 0);
            IntVector.zero(I).blend(c, one).intoArray(start, i, in);
            c.blend(IntVector.broadcast(I, total).sub(c), one).intoArray(freq, i, in);
        }
    }

    static void invert(Bernoulli b, double spread, float[] logit, int p, int n, int[] cf, int[] out, int o,
                       int[] start, int[] freq, double[] e) {
        exps(logit, p, n, e);
        int total = 1 << b.precision();
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector c = split(spread, e, i);
            VectorMask<Integer> one = IntVector.fromArray(I, cf, i, in).compare(VectorOperators.GE, c);
            IntVector.zero(I).blend(1, one).intoArray(out, o + i, in);
            IntVector.zero(I).blend(c, one).intoArray(start, i, in);
            c.blend(IntVector.broadcast(I, total).sub(c), one).intoArray(freq, i, in);
        }
    }
}
