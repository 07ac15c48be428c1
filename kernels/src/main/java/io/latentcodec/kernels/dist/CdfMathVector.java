package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Simd;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CdfMath} lane by lane, as stages over arrays: the same operations in the same order,
 * so every lane gives the bits the scalar function gives (Vector API ADD, SUB, MUL, DIV, FMA, MIN, MAX and the
 * conversions are exact IEEE operations; no transcendental operator is used). Also fixes the
 * species of this package's vector kernels, once per JVM, in {@code static final} fields so C2
 * sees constants.
 *
 * <p>Loaded only when {@link Simd#vectorEnabled()}; the width follows the same system property
 * as the rANS kernels ({@code latentcodec.simd} = 256 or 512, else the preferred species).
 */
final class CdfMathVector {
    private CdfMathVector() {
    }

    /** Width in bits of {@link #D}: as {@code Simd} decides it for the message kernels. */
    static final int BITS = chooseBits();
    /** Doubles at the full width: the lanes of every CDF computation (8 at 512 bits). */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));
    /** Longs at the full width, for exponent-field arithmetic. */
    static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS));
    /** Ints with as many lanes as {@link #D} (half the width): symbols, starts, frequencies. */
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS / 2));
    /** Floats with as many lanes as {@link #D}: model parameters. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(BITS / 2));
    /** Lanes per vector. */
    static final int V = D.length();

    private static int chooseBits() {
        return Math.max(256, io.latentcodec.kernels.Simd.vectorBits());
    }

    /** Model parameters {@code a[off .. off + V)} as doubles; lanes outside {@code in} read 0. */
    static DoubleVector load(float[] a, int off, VectorMask<Float> in) {
        return (DoubleVector) FloatVector.fromArray(F, a, off, in).convertShape(VectorOperators.F2D, D, 0);
    }

    static DoubleVector toDouble(IntVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.I2D, D, 0);
    }

    /** Truncation toward zero, as Java's {@code (int)} cast (for the non-negative values used here it is floor). */
    static IntVector toInt(DoubleVector v) {
        return (IntVector) v.convertShape(VectorOperators.D2I, I, 0);
    }

    /** Length of the scratch arrays a stage may write for n values: whole vectors. */
    static int padded(int n) {
        return (n + V - 1) / V * V;
    }

    // ------------------------------------------------------------------------------------------
    // Stages: each runs one flat loop over whole vectors of arrays padded to padded(n), so C2
    // compiles a short loop body with nothing left to inline (vector helpers called per vector
    // were refused inlining, "hot method too big" or "already compiled into a big method", and
    // then boxed every vector). In-place use (out == in) is allowed; lanes past n compute on
    // whatever the padding holds and are never read.
    // ------------------------------------------------------------------------------------------

    /** {@link CdfMath#exp}'s Taylor coefficients, highest first: E13, E12, .., E0. */
    private static final double[] EXP2 = {
        CdfMath.E13, CdfMath.E12, CdfMath.E11, CdfMath.E10, CdfMath.E9, CdfMath.E8, CdfMath.E7,
        CdfMath.E6, CdfMath.E5, CdfMath.E4, CdfMath.E3, CdfMath.E2, CdfMath.E1, CdfMath.E0,
    };

    /** {@code out[i] = }{@link CdfMath#exp}{@code (x[i])}, the same operations lane by lane. */
    static void exp(double[] x, double[] out, int n) {
        double[] c = EXP2;
        for (int i = 0; i < n; i += V) {
            DoubleVector y = DoubleVector.fromArray(D, x, i).mul(CdfMath.LOG2E).max(CdfMath.Y_MIN).min(CdfMath.Y_MAX);
            // floor(y): truncate, then step down where truncation went up (negative non-integers)
            LongVector kl = (LongVector) y.convert(VectorOperators.D2L, 0);
            DoubleVector k = (DoubleVector) kl.convert(VectorOperators.L2D, 0);
            VectorMask<Double> up = k.compare(VectorOperators.GT, y);
            k = k.sub(1.0, up);
            kl = kl.sub(1L, up.cast(L));
            DoubleVector f = y.sub(k);
            DoubleVector p = DoubleVector.broadcast(D, c[0]);
            for (int j = 1; j < c.length; j++) {
                p = p.fma(f, DoubleVector.broadcast(D, c[j]));
            }
            p = p.min(2.0);
            DoubleVector twoK = kl.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            p.mul(twoK).intoArray(out, i);
        }
    }

    /** {@code out[i] = }{@link CdfMath#logistic}{@code (z[i]) = 1 / (1 + e^-z)}; {@code tmp} is scratch. */
    static void logistic(double[] z, double[] out, double[] tmp, int n) {
        for (int i = 0; i < n; i += V) {
            DoubleVector.fromArray(D, z, i).neg().intoArray(tmp, i);
        }
        exp(tmp, tmp, n);
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < n; i += V) {
            one.div(one.add(DoubleVector.fromArray(D, tmp, i))).intoArray(out, i);
        }
    }

    /** {@code out[i] = }{@link CdfMath#normalCdf}{@code (z[i])}; {@code g} and {@code q} are scratch. */
    static void normalCdf(double[] z, double[] out, double[] g, double[] q, int n) {
        for (int i = 0; i < n; i += V) {
            DoubleVector w = DoubleVector.fromArray(D, z, i).abs();
            w.mul(w).neg().mul(0.5).intoArray(g, i); // -(w w) / 2
            w.neg().mul(CdfMath.MILLS_TAU).intoArray(q, i); // -w / 6
        }
        exp(g, g, n);
        exp(q, q, n);
        double[] a = CdfMath.MILLS;
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < n; i += V) {
            DoubleVector qv = DoubleVector.fromArray(D, q, i);
            DoubleVector p = DoubleVector.broadcast(D, a[24]);
            for (int j = 23; j >= 0; j--) {
                p = p.fma(qv, DoubleVector.broadcast(D, a[j]));
            }
            DoubleVector t = DoubleVector.fromArray(D, g, i).mul(p).min(0.5);
            VectorMask<Double> lower = DoubleVector.fromArray(D, z, i).compare(VectorOperators.LT, 0.0);
            one.sub(t).blend(t, lower).intoArray(out, i);
        }
    }

    /** {@code out[i] = }{@link CdfMath#logApprox}{@code (x[i])} (a guess only). */
    static void logApprox(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i += V) {
            LongVector bits = DoubleVector.fromArray(D, x, i).reinterpretAsLongs();
            LongVector e = bits.lanewise(VectorOperators.LSHR, 52).and(0x7FFL).sub(1023L);
            DoubleVector m = bits.and(0x000F_FFFF_FFFF_FFFFL).or(0x3FF0_0000_0000_0000L).reinterpretAsDoubles();
            VectorMask<Double> big = m.compare(VectorOperators.GT, CdfMath.SQRT2);
            m = m.blend(m.mul(0.5), big);
            e = e.add(1L, big.cast(L));
            DoubleVector s = m.sub(1.0).div(m.add(1.0));
            DoubleVector s2 = s.mul(s);
            DoubleVector series = s2.mul(2.0 / 9).add(2.0 / 7).mul(s2).add(2.0 / 5).mul(s2).add(2.0 / 3).mul(s2).add(2.0).mul(s);
            DoubleVector ed = (DoubleVector) e.convert(VectorOperators.L2D, 0);
            ed.mul(CdfMath.LN2).add(series).intoArray(out, i);
        }
    }

    /** {@code out[i] = }{@link CdfMath#probitApprox}{@code (u[i])}: both of Acklam's formulas, blended (a guess only); {@code tmp} is scratch. */
    static void probitApprox(double[] u, double[] out, double[] tmp, int n) {
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = 0; i < n; i += V) {
            DoubleVector uv = DoubleVector.fromArray(D, u, i);
            uv.min(one.sub(uv)).intoArray(tmp, i);
        }
        logApprox(tmp, tmp, n);
        for (int i = 0; i < n; i += V) {
            DoubleVector c = DoubleVector.fromArray(D, u, i).sub(0.5);
            DoubleVector r = c.mul(c);
            DoubleVector num = r.mul(CdfMath.A1).add(CdfMath.A2).mul(r).add(CdfMath.A3).mul(r).add(CdfMath.A4).mul(r).add(CdfMath.A5).mul(r).add(CdfMath.A6).mul(c);
            DoubleVector den = r.mul(CdfMath.B1).add(CdfMath.B2).mul(r).add(CdfMath.B3).mul(r).add(CdfMath.B4).mul(r).add(CdfMath.B5).mul(r).add(1.0);
            DoubleVector central = num.div(den);
            DoubleVector q = DoubleVector.fromArray(D, tmp, i).mul(-2.0).sqrt();
            DoubleVector tn = q.mul(CdfMath.C1).add(CdfMath.C2).mul(q).add(CdfMath.C3).mul(q).add(CdfMath.C4).mul(q).add(CdfMath.C5).mul(q).add(CdfMath.C6);
            DoubleVector td = q.mul(CdfMath.D1).add(CdfMath.D2).mul(q).add(CdfMath.D3).mul(q).add(CdfMath.D4).mul(q).add(1.0);
            DoubleVector x = tn.div(td);
            x = x.neg().blend(x, c.compare(VectorOperators.LT, 0.0));
            x.blend(central, c.abs().compare(VectorOperators.LE, 0.5 - CdfMath.P_LOW)).intoArray(out, i);
        }
    }
}
