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
 * {@link BetaBinomial}'s kernels: V symbols (lanes) walk the PMF recurrence together, k = 0..n,
 * with the scalar code's operations in the scalar code's order, storing row k of partial sums at
 * {@code s[k V .. k V + V)}. A push then gathers S at its symbol and the next; a pop bisects the
 * rows, all lanes in step, by gathers. The loop over k is kept flat (no helper calls inside), and
 * the rescale branch is taken only by extreme parameters.
 */
final class BetaBinomialVector {
    private BetaBinomialVector() {
    }

    /** Fills rows 0..n+1 of {@code s} with the partial sums of the lanes' (alpha, beta); returns {@code f = R / W} per lane. */
    static DoubleVector sums(BetaBinomial bb, DoubleVector a, DoubleVector b, double[] s) {
        int n = bb.n;
        double[] ratio = bb.ratio;
        double[] rest = bb.rest;
        DoubleVector w = DoubleVector.broadcast(D, 1.0);
        DoubleVector acc = DoubleVector.zero(D);
        acc.intoArray(s, 0);
        for (int k = 0; k < n; k++) {
            acc = acc.add(w); // S_(k+1) = S_k + w_k
            acc.intoArray(s, (k + 1) * V);
            w = w.mul(a.add(k).mul(ratio[k]).div(b.add(rest[k]))); // w_(k+1) = w_k (((k + alpha) c_k) / (r_k + beta))
            VectorMask<Double> big = w.compare(VectorOperators.GT, BetaBinomial.RESCALE_ABOVE);
            if (big.anyTrue()) {
                w = w.mul(BetaBinomial.RESCALE, big);
                acc = acc.mul(BetaBinomial.RESCALE, big);
                for (int j = 1; j <= k + 1; j++) {
                    DoubleVector.fromArray(D, s, j * V).mul(BetaBinomial.RESCALE, big).intoArray(s, j * V);
                }
            }
        }
        acc = acc.add(w); // S_(n+1) = W
        acc.intoArray(s, (n + 1) * V);
        return DoubleVector.broadcast(D, bb.spread).div(acc);
    }

    /** C(k) per lane from the rows of {@code s}; {@code index} is scratch for the gather. */
    static IntVector cdf(BetaBinomial bb, double[] s, DoubleVector f, IntVector k, int[] index) {
        IntVector row = k.min(bb.n + 1).mul(V).add(IntVector.zero(I).addIndex(1));
        row.intoArray(index, 0);
        DoubleVector sk = DoubleVector.fromArray(D, s, 0, index, 0);
        IntVector c = CdfMathVector.toInt(sk.mul(f)).add(k);
        c = c.blend(0, k.compare(VectorOperators.EQ, 0));
        return c.blend(bb.total, k.compare(VectorOperators.GT, bb.n));
    }

    private static DoubleVector param(float[] x, int off, VectorMask<Integer> in) {
        return DoubleVector.broadcast(D, 1.0).blend(CdfMathVector.load(x, off, in.cast(F)), in.cast(D)); // 1 in unused lanes
    }

    static void intervals(BetaBinomial bb, float[] alpha, float[] beta, int p, int[] symbols, int sOff, int cnt,
                          int[] start, int[] freq, double[] s, int[] index) {
        for (int i = 0; i < cnt; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, cnt);
            DoubleVector f = sums(bb, param(alpha, p + i, in), param(beta, p + i, in), s);
            IntVector x = IntVector.fromArray(I, symbols, sOff + i, in);
            IntVector c0 = cdf(bb, s, f, x, index);
            IntVector c1 = cdf(bb, s, f, x.add(1), index);
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }

    static void invert(BetaBinomial bb, float[] alpha, float[] beta, int p, int cnt, int[] cf, int[] out, int o,
                       int[] start, int[] freq, double[] s, int[] index) {
        int n = bb.n;
        for (int i = 0; i < cnt; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, cnt);
            DoubleVector f = sums(bb, param(alpha, p + i, in), param(beta, p + i, in), s);
            IntVector c = IntVector.fromArray(I, cf, i, in);
            IntVector a = IntVector.zero(I); // C(a) <= cf in every lane
            for (int step = Integer.highestOneBit(n); step > 0; step >>= 1) {
                IntVector mid = a.add(step);
                VectorMask<Integer> take = cdf(bb, s, f, mid, index).compare(VectorOperators.LE, c)
                        .and(mid.compare(VectorOperators.LE, n));
                a = a.blend(mid, take);
            }
            IntVector c0 = cdf(bb, s, f, a, index);
            IntVector c1 = cdf(bb, s, f, a.add(1), index);
            a.intoArray(out, o + i, in);
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }
}
