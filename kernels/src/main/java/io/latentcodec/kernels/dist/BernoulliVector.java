package io.latentcodec.kernels.dist;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static io.latentcodec.kernels.dist.CdfMathVector.F;
import static io.latentcodec.kernels.dist.CdfMathVector.I;
import static io.latentcodec.kernels.dist.CdfMathVector.V;

/** {@link Bernoulli}'s kernels, V bits at a time; the split {@code c} is the scalar one, lane by lane. */
final class BernoulliVector {
    private BernoulliVector() {
    }

    /** {@code c = floor(logistic(-logit) R) + 1} of {@link Bernoulli#split}. */
    private static IntVector split(double spread, float[] logit, int p, VectorMask<Integer> in) {
        DoubleVector l = CdfMathVector.load(logit, p, in.cast(F));
        return CdfMathVector.toInt(CdfMathVector.logistic(l.neg()).mul(spread)).add(1);
    }

    static void intervals(Bernoulli b, double spread, float[] logit, int p, int[] symbols, int s, int n,
                          int[] start, int[] freq) {
        int total = 1 << b.precision();
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector c = split(spread, logit, p + i, in);
            VectorMask<Integer> one = IntVector.fromArray(I, symbols, s + i, in).compare(VectorOperators.NE, 0);
            IntVector.zero(I).blend(c, one).intoArray(start, i, in);
            c.blend(IntVector.broadcast(I, total).sub(c), one).intoArray(freq, i, in);
        }
    }

    static void invert(Bernoulli b, double spread, float[] logit, int p, int n, int[] cf, int[] out, int o,
                       int[] start, int[] freq) {
        int total = 1 << b.precision();
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector c = split(spread, logit, p + i, in);
            VectorMask<Integer> one = IntVector.fromArray(I, cf, i, in).compare(VectorOperators.GE, c);
            IntVector.zero(I).blend(1, one).intoArray(out, o + i, in);
            IntVector.zero(I).blend(c, one).intoArray(start, i, in);
            c.blend(IntVector.broadcast(I, total).sub(c), one).intoArray(freq, i, in);
        }
    }
}
