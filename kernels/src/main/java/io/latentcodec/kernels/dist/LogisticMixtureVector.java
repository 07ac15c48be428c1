package io.latentcodec.kernels.dist;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static io.latentcodec.kernels.dist.CdfMathVector.D;
import static io.latentcodec.kernels.dist.CdfMathVector.F;
import static io.latentcodec.kernels.dist.CdfMathVector.I;
import static io.latentcodec.kernels.dist.CdfMathVector.V;
import static io.latentcodec.kernels.dist.CdfMathVector.padded;

/**
 * {@link DiscretizedLogisticMixture}'s kernels, V symbols per vector: each lane computes the
 * scalar code's weights and G with the same operations in the same order, so C(v) is the same
 * integer. A pop walks all lanes in step down the bits of the offset {@code v - lo} (the symbol
 * with {@code C(v) <= cf < C(v + 1)} is unique, so any correct search finds the scalar one). The
 * logistic of all K components is one stage call over scratch arrays (see {@link CdfMathVector}).
 * Lanes past the batch compute on stand-ins (weight 0, mean 0, scale 1) and are never stored.
 */
final class LogisticMixtureVector {
    private LogisticMixtureVector() {
    }

    /** Weights, means and inverse scales of symbols {@code p .. p + n - 1} into {@code sc.w}: [3K][pad], component-major. */
    private static void prepare(DiscretizedLogisticMixture d, float[][] params, int p, int n, DiscretizedLogisticMixture.Scratch sc) {
        int k = d.components;
        int pad = padded(n);
        double[] w = sc.w;
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            VectorMask<Float> inF = in.cast(F);
            DoubleVector m = CdfMathVector.load(params[0], p + i, inF);
            for (int c = 1; c < k; c++) {
                m = m.max(CdfMathVector.load(params[c], p + i, inF));
            }
            for (int c = 0; c < k; c++) {
                CdfMathVector.load(params[c], p + i, inF).sub(m).intoArray(sc.z, c * V);
            }
            CdfMathVector.exp(sc.z, sc.f, k * V);
            DoubleVector sum = DoubleVector.zero(D);
            for (int c = 0; c < k; c++) {
                sum = sum.add(DoubleVector.fromArray(D, sc.f, c * V));
            }
            for (int c = 0; c < k; c++) {
                DoubleVector.fromArray(D, sc.f, c * V).div(sum).intoArray(w, c * pad + i);
                CdfMathVector.load(params[k + c], p + i, inF).intoArray(w, (k + c) * pad + i);
                one.div(one.blend(CdfMathVector.load(params[2 * k + c], p + i, inF), in.cast(D))).intoArray(w, (2 * k + c) * pad + i);
            }
        }
    }

    /** C(v) of the V lanes of the block at {@code i} for the symbols {@code v} (each in [lo, hi + 1]). */
    private static IntVector cdf(DiscretizedLogisticMixture d, IntVector v, int i, int pad, DiscretizedLogisticMixture.Scratch sc) {
        int k = d.components;
        double[] w = sc.w;
        DoubleVector t = CdfMathVector.toDouble(v).sub(0.5);
        for (int c = 0; c < k; c++) {
            t.sub(DoubleVector.fromArray(D, w, (k + c) * pad + i)).mul(DoubleVector.fromArray(D, w, (2 * k + c) * pad + i))
                    .intoArray(sc.z, c * V);
        }
        CdfMathVector.logistic(sc.z, sc.f, sc.tmp, k * V);
        DoubleVector g = DoubleVector.zero(D);
        for (int c = 0; c < k; c++) {
            g = g.add(DoubleVector.fromArray(D, w, c * pad + i).mul(DoubleVector.fromArray(D, sc.f, c * V)));
        }
        g = g.min(1.0);
        IntVector rel = v.sub(d.lo);
        return CdfMathVector.toInt(g.mul(d.spread)).add(rel)
                .blend(0, rel.compare(VectorOperators.EQ, 0))
                .blend(d.total, v.compare(VectorOperators.GT, d.hi));
    }

    static void intervals(DiscretizedLogisticMixture d, float[][] params, int p, int[] symbols, int s, int n,
                          int[] start, int[] freq, DiscretizedLogisticMixture.Scratch sc) {
        prepare(d, params, p, n, sc);
        int pad = padded(n);
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector x = IntVector.fromArray(I, symbols, s + i, in).blend(d.lo, in.not());
            IntVector c0 = cdf(d, x, i, pad, sc);
            IntVector c1 = cdf(d, x.add(1), i, pad, sc);
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }

    static void invert(DiscretizedLogisticMixture d, float[][] params, int p, int n, int[] cf, int[] out, int o,
                       int[] start, int[] freq, DiscretizedLogisticMixture.Scratch sc) {
        prepare(d, params, p, n, sc);
        int pad = padded(n);
        int top = d.hi - d.lo;
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector c = IntVector.fromArray(I, cf, i, in);
            IntVector k = IntVector.broadcast(I, d.lo); // C(k) <= cf in every lane
            if (top > 0) {
                // most pixels are at the bottom of the range (a background of zeros): when every lane's cf
                // lies in lo's interval, one evaluation decides the block
                IntVector first = cdf(d, k.add(1), i, pad, sc);
                if (c.compare(VectorOperators.LT, first).or(in.not()).allTrue()) {
                    k.intoArray(out, o + i, in);
                    IntVector.zero(I).intoArray(start, i, in);
                    first.intoArray(freq, i, in);
                    continue;
                }
            }
            // binary lifting over the bits of v - lo; C(k) is the last accepted C(mid), and C(k + 1) the last
            // rejected one (k + 1 is the mid tried at the lowest zero bit of k - lo, after which every step accepts)
            IntVector c0 = IntVector.zero(I);
            IntVector c1 = IntVector.broadcast(I, d.total);
            for (int step = Integer.highestOneBit(Math.max(1, top)); step > 0 && top > 0; step >>= 1) {
                IntVector mid = k.add(step).min(d.hi + 1); // > lo, so C(mid) is never the pinned C(lo); C(hi + 1) = M
                IntVector cm = cdf(d, mid, i, pad, sc);
                VectorMask<Integer> take = cm.compare(VectorOperators.LE, c).and(mid.compare(VectorOperators.LE, d.hi));
                k = k.blend(mid, take);
                c0 = c0.blend(cm, take);
                c1 = cm.blend(c1, take);
            }
            k.intoArray(out, o + i, in);
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }
}
