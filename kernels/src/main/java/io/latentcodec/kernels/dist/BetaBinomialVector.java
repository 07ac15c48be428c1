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
 * the rescale branch is taken only by extreme parameters. The recurrence's one division per step
 * bounds the speed (about 4.5 cycles a step for 8 lanes here).
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

    /** The rows {@code k V + lane} of S for the lanes' k (at most n + 1), as gather indices into {@code index}. */
    private static void rows(IntVector k, int n, int[] index) {
        k.min(n + 1).mul(V).add(IntVector.zero(I).addIndex(1)).intoArray(index, 0);
    }

    // C(k) = floor(S_k f) + k, with C(0) = 0 and C(n + 1) = M, is written out at each use below:
    // a helper called per bisection step was not inlined by C2 (NodeCountInliningCutoff) and boxed its vectors.

    static void intervals(BetaBinomial bb, float[] alpha, float[] beta, int p, int[] symbols, int sOff, int cnt,
                          int[] start, int[] freq, double[] s, int[] index) {
        int n = bb.n;
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < cnt; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, cnt);
            DoubleVector a = one.blend(CdfMathVector.load(alpha, p + i, in.cast(F)), in.cast(D)); // 1 in unused lanes
            DoubleVector b = one.blend(CdfMathVector.load(beta, p + i, in.cast(F)), in.cast(D));
            DoubleVector f = sums(bb, a, b, s);
            IntVector x = IntVector.fromArray(I, symbols, sOff + i, in);
            IntVector x1 = x.add(1);
            rows(x, n, index);
            IntVector c0 = CdfMathVector.toInt(DoubleVector.fromArray(D, s, 0, index, 0).mul(f)).add(x)
                    .blend(0, x.compare(VectorOperators.EQ, 0));
            rows(x1, n, index);
            IntVector c1 = CdfMathVector.toInt(DoubleVector.fromArray(D, s, 0, index, 0).mul(f)).add(x1)
                    .blend(bb.total, x1.compare(VectorOperators.GT, n));
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }

    static void invert(BetaBinomial bb, float[] alpha, float[] beta, int p, int cnt, int[] cf, int[] out, int o,
                       int[] start, int[] freq, double[] s, int[] index) {
        int n = bb.n;
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < cnt; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, cnt);
            DoubleVector a = one.blend(CdfMathVector.load(alpha, p + i, in.cast(F)), in.cast(D));
            DoubleVector b = one.blend(CdfMathVector.load(beta, p + i, in.cast(F)), in.cast(D));
            DoubleVector f = sums(bb, a, b, s);
            IntVector c = IntVector.fromArray(I, cf, i, in);
            IntVector k = IntVector.zero(I); // C(k) <= cf in every lane
            for (int step = Integer.highestOneBit(n); step > 0; step >>= 1) {
                IntVector mid = k.add(step); // >= 1, so C(mid) is never the pinned C(0)
                rows(mid, n, index);
                IntVector cm = CdfMathVector.toInt(DoubleVector.fromArray(D, s, 0, index, 0).mul(f)).add(mid);
                k = k.blend(mid, cm.compare(VectorOperators.LE, c).and(mid.compare(VectorOperators.LE, n)));
            }
            IntVector k1 = k.add(1);
            rows(k, n, index);
            IntVector c0 = CdfMathVector.toInt(DoubleVector.fromArray(D, s, 0, index, 0).mul(f)).add(k)
                    .blend(0, k.compare(VectorOperators.EQ, 0));
            rows(k1, n, index);
            IntVector c1 = CdfMathVector.toInt(DoubleVector.fromArray(D, s, 0, index, 0).mul(f)).add(k1)
                    .blend(bb.total, k1.compare(VectorOperators.GT, n));
            k.intoArray(out, o + i, in);
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }
}
