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
 * {@link Discretized}'s kernels over a batch, V symbols per vector (8 at 512 bits): the same C(v)
 * as the scalar code, lane by lane, so pushes and pops agree bit for bit across implementations.
 *
 * <p>Work is split into stages over scratch arrays (edge arguments z for v and v + 1, then F of
 * all of them, then the integers), each a flat loop (see {@link CdfMathVector}). Lanes past the
 * batch compute on stand-ins (symbol lo, scale 1) and are never stored. A pop guesses all lanes,
 * checks every guess in the vector, and leaves the few lanes whose guess missed to the scalar
 * {@link Discretized#correct} (same integers, so the same answer).
 */
final class DiscretizedVector {
    private DiscretizedVector() {
    }

    /** Per-call scratch for batches of up to {@code max} symbols. */
    static final class Scratch {
        /** Edge arguments: {@code z[i]} at v's lower edge, {@code z[pad + i]} at its upper edge. */
        final double[] z;
        /** F of {@link #z}. */
        final double[] f;
        final double[] a;
        final double[] b;
        /** The symbols (push) or guesses (pop), lanes past the batch hold lo. */
        final int[] v;
        final int[] index = new int[V];

        Scratch(int max) {
            int pad = padded(Math.max(1, max));
            z = new double[2 * pad];
            f = new double[2 * pad];
            a = new double[2 * pad];
            b = new double[2 * pad];
            v = new int[pad];
        }
    }

    /** F at both edges of every {@code sc.v[i]}, i < n, into {@code sc.f[i]} (lower) and {@code sc.f[pad + i]} (upper). */
    private static void edgeCdfs(Discretized d, float[] mean, float[] scale, int p, int n, Scratch sc) {
        int pad = padded(n);
        double[] z = sc.z;
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            DoubleVector mu = CdfMathVector.load(mean, p + i, in.cast(F));
            DoubleVector inv = one.div(one.blend(CdfMathVector.load(scale, p + i, in.cast(F)), in.cast(D)));
            IntVector v = IntVector.fromArray(I, sc.v, i);
            DoubleVector t0;
            DoubleVector t1;
            if (d.edges == null) { // t = v - 1/2 and (v + 1) - 1/2
                t0 = CdfMathVector.toDouble(v).sub(0.5);
                t1 = CdfMathVector.toDouble(v.add(1)).sub(0.5);
            } else { // t = edges[v - lo] and edges[v - lo + 1]
                IntVector rel = v.sub(d.lo);
                rel.intoArray(sc.index, 0);
                t0 = DoubleVector.fromArray(D, d.edges, 0, sc.index, 0);
                rel.add(1).intoArray(sc.index, 0);
                t1 = DoubleVector.fromArray(D, d.edges, 0, sc.index, 0);
            }
            t0.sub(mu).mul(inv).intoArray(z, i); // z = (t - mu) (1 / s)
            t1.sub(mu).mul(inv).intoArray(z, pad + i);
        }
        if (d.gaussian) {
            CdfMathVector.normalCdf(z, sc.f, sc.a, sc.b, 2 * pad);
        } else {
            CdfMathVector.logistic(z, sc.f, sc.a, 2 * pad);
        }
    }

    static void intervals(Discretized d, float[] mean, float[] scale, int p, int[] symbols, int s, int n,
                          int[] start, int[] freq, Scratch sc) {
        IntVector lo = IntVector.broadcast(I, d.lo);
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            lo.blend(IntVector.fromArray(I, symbols, s + i, in), in).intoArray(sc.v, i);
        }
        edgeCdfs(d, mean, scale, p, n, sc);
        int pad = padded(n);
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector v = IntVector.fromArray(I, sc.v, i);
            IntVector rel = v.sub(d.lo);
            // C(v) = floor(F R) + (v - lo) (or floor(F M) unfloored: own units masked to 0), C(lo) = 0; C(v + 1) likewise, C(hi + 1) = M
            IntVector c0 = CdfMathVector.toInt(DoubleVector.fromArray(D, sc.f, i).mul(d.spread)).add(rel.and(d.ownMask))
                    .blend(0, rel.compare(VectorOperators.EQ, 0));
            IntVector c1 = CdfMathVector.toInt(DoubleVector.fromArray(D, sc.f, pad + i).mul(d.spread)).add(rel.add(1).and(d.ownMask))
                    .blend(d.total, v.compare(VectorOperators.GE, d.hi));
            c0.intoArray(start, i, in);
            c1.sub(c0).intoArray(freq, i, in);
        }
    }

    static void invert(Discretized d, float[] mean, float[] scale, int p, int n, int[] cf, int[] out, int o,
                       int[] start, int[] freq, Scratch sc) {
        int pad = padded(n);
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        // guess: the symbol holding mu + s Q(u), u = (cf + 1/2) 2^-p
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            DoubleVector u = CdfMathVector.toDouble(IntVector.fromArray(I, cf, i, in)).add(0.5).mul(d.invTotal);
            (d.gaussian ? u : u.div(one.sub(u))).intoArray(sc.a, i);
        }
        if (d.gaussian) {
            CdfMathVector.probitApprox(sc.a, sc.b, sc.z, pad);
        } else {
            CdfMathVector.logApprox(sc.a, sc.b, pad);
        }
        double top = d.hi - d.lo;
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            DoubleVector mu = CdfMathVector.load(mean, p + i, in.cast(F));
            DoubleVector s = one.blend(CdfMathVector.load(scale, p + i, in.cast(F)), in.cast(D));
            DoubleVector x = mu.add(s.mul(DoubleVector.fromArray(D, sc.b, i)));
            if (d.edges == null) {
                IntVector g = CdfMathVector.toInt(x.add(0.5).sub(d.lo).max(0.0).min(top)).add(d.lo); // clamped, so truncation is floor
                g.intoArray(sc.v, i);
            } else {
                x.intoArray(sc.a, i);
            }
        }
        if (d.edges != null) { // edges are prior quantiles: the bucket of x is floor(Phi(x) B)
            CdfMathVector.normalCdf(sc.a, sc.b, sc.z, sc.f, pad);
            double buckets = d.edges.length - 1;
            for (int i = 0; i < n; i += V) {
                DoubleVector rel = DoubleVector.fromArray(D, sc.b, i).mul(buckets).max(0.0).min(top);
                CdfMathVector.toInt(rel).add(d.lo).intoArray(sc.v, i);
            }
        }
        edgeCdfs(d, mean, scale, p, n, sc);
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector g = IntVector.fromArray(I, sc.v, i);
            IntVector rel = g.sub(d.lo);
            IntVector cg = CdfMathVector.toInt(DoubleVector.fromArray(D, sc.f, i).mul(d.spread)).add(rel.and(d.ownMask))
                    .blend(0, rel.compare(VectorOperators.EQ, 0));
            IntVector cg1 = CdfMathVector.toInt(DoubleVector.fromArray(D, sc.f, pad + i).mul(d.spread)).add(rel.add(1).and(d.ownMask))
                    .blend(d.total, g.compare(VectorOperators.GE, d.hi));
            IntVector c = IntVector.fromArray(I, cf, i, in);
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
