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
 * {@link Discretized}'s kernels over V symbols at a time (8 at 512 bits): the same C(v) as the
 * scalar code, lane by lane, so pushes and pops agree bit for bit across implementations.
 * Each kernel is one loop over blocks with {@code indexInRange} masks for the last block;
 * lanes outside the batch compute on harmless stand-ins (scale 1, symbol lo) and are never stored.
 * A pop checks every lane's guess in the vector; the few lanes whose guess missed are finished
 * one by one by the scalar {@link Discretized#correct} (same integers, so the same answer).
 */
final class DiscretizedVector {
    private DiscretizedVector() {
    }

    /** C(v) of {@link Discretized#cdf}, lane by lane; {@code scratch} holds gather indices (V ints). */
    static IntVector cdf(Discretized d, DoubleVector mu, DoubleVector inv, IntVector v, int[] scratch) {
        IntVector rel = v.sub(d.lo);
        DoubleVector t;
        if (d.edges == null) {
            t = CdfMathVector.toDouble(v).sub(0.5);
        } else {
            rel.intoArray(scratch, 0);
            t = DoubleVector.fromArray(D, d.edges, 0, scratch, 0);
        }
        DoubleVector z = t.sub(mu).mul(inv);
        DoubleVector f = d.gaussian ? CdfMathVector.normalCdf(z) : CdfMathVector.logistic(z);
        IntVector c = CdfMathVector.toInt(f.mul(d.spread)).add(rel);
        c = c.blend(0, rel.compare(VectorOperators.EQ, 0));
        return c.blend(d.total, v.compare(VectorOperators.GT, d.hi));
    }

    static void intervals(Discretized d, float[] mean, float[] scale, int p, int[] symbols, int s, int n,
                          int[] start, int[] freq) {
        int[] scratch = d.edges == null ? null : new int[V];
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            VectorMask<Double> inD = in.cast(D);
            DoubleVector mu = CdfMathVector.load(mean, p + i, in.cast(F));
            DoubleVector inv = one.div(one.blend(CdfMathVector.load(scale, p + i, in.cast(F)), inD));
            IntVector v = IntVector.broadcast(I, d.lo).blend(IntVector.fromArray(I, symbols, s + i, in), in);
            IntVector c0 = cdf(d, mu, inv, v, scratch);
            IntVector c1 = cdf(d, mu, inv, v.add(1), scratch);
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }

    static void invert(Discretized d, float[] mean, float[] scale, int p, int n, int[] cf, int[] out, int o,
                       int[] start, int[] freq, int[] scratch) {
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        double top = d.hi - d.lo;
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            VectorMask<Double> inD = in.cast(D);
            DoubleVector mu = CdfMathVector.load(mean, p + i, in.cast(F));
            DoubleVector s = one.blend(CdfMathVector.load(scale, p + i, in.cast(F)), inD);
            DoubleVector inv = one.div(s);
            IntVector c = IntVector.fromArray(I, cf, i, in);
            // guess: the symbol holding mu + s Q(u), u = (cf + 1/2) 2^-p
            DoubleVector u = CdfMathVector.toDouble(c).add(0.5).mul(d.invTotal);
            DoubleVector q = d.gaussian ? CdfMathVector.probitApprox(u) : CdfMathVector.logApprox(u.div(one.sub(u)));
            DoubleVector x = mu.add(s.mul(q));
            DoubleVector rel = d.edges == null
                    ? x.add(0.5).sub(d.lo)
                    : CdfMathVector.normalCdf(x).mul(d.edges.length - 1);
            IntVector g = CdfMathVector.toInt(rel.max(0.0).min(top)).add(d.lo); // clamped, then truncation is floor
            IntVector cg = cdf(d, mu, inv, g, scratch);
            IntVector cg1 = cdf(d, mu, inv, g.add(1), scratch);
            g.intoArray(out, o + i, in);
            cg.intoArray(start, i, in);
            cg1.sub(cg).intoArray(freq, i, in);
            VectorMask<Integer> miss = cg.compare(VectorOperators.GT, c).or(c.compare(VectorOperators.GE, cg1)).and(in);
            if (miss.anyTrue()) {
                fix(d, mean, scale, p, cf, out, o, start, freq, i, miss.toLong());
            }
        }
    }

    /** Scalar correction of the lanes in {@code lanes} of the block at {@code i}. */
    private static void fix(Discretized d, float[] mean, float[] scale, int p, int[] cf, int[] out, int o,
                            int[] start, int[] freq, int i, long lanes) {
        for (long bits = lanes; bits != 0; bits &= bits - 1) {
            int k = i + Long.numberOfTrailingZeros(bits);
            double mu = mean[p + k];
            double inv = 1.0 / scale[p + k];
            int v = d.correct(mu, inv, cf[k], out[o + k], start[k], start[k] + freq[k]);
            int c0 = d.cdf(mu, inv, v);
            out[o + k] = v;
            start[k] = c0;
            freq[k] = d.cdf(mu, inv, v + 1) - c0;
        }
    }
}
