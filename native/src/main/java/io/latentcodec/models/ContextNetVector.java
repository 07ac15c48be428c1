package io.latentcodec.models;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ContextNet}'s MLP and bounding with the Vector API: lane l of every vector is symbol l of
 * the group, and each lane runs exactly the scalar kernel's float operations in the same order
 * (FMA, ADD, MUL, DIV, MAX, MIN and the conversions are exact IEEE operations; no transcendental
 * operator is used, no lanes are combined), so both kernels give the same bits. Loaded only when
 * {@link ContextNet#VECTOR} is true.
 */
final class ContextNetVector {
    private ContextNetVector() {
    }

    /** {@link ContextNet#LANES} floats: 256 bits. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;

    static {
        if (S.length() != ContextNet.LANES) {
            throw new AssertionError("lanes");
        }
    }

    /** The MLP and bounding of {@code n <= LANES} symbols whose features are in {@code ws.f}, into {@code out[p][at + l]}. */
    static void mlp(ContextNet net, int n, ContextNet.Workspace ws, float[][] out, int at) {
        final int lanes = ContextNet.LANES;
        final float[] f = ws.f;
        final float[] acc = ws.s;
        final int inputs = net.inputs();
        final int hc = net.hiddenUnits();
        final int np = net.params();
        final float[] w1 = net.w1();
        final float[] b1 = net.b1();
        final float[] w2 = net.w2();
        final float[] b2 = net.b2();
        final float[] hb = ws.h;
        // hidden units four at a time, so each feature vector is loaded once per four units; each unit's
        // chain of FMAs over q is the scalar kernel's, in its order
        int u = 0;
        for (; u + 3 < hc; u += 4) {
            FloatVector h0 = FloatVector.broadcast(S, b1[u]);
            FloatVector h1 = FloatVector.broadcast(S, b1[u + 1]);
            FloatVector h2 = FloatVector.broadcast(S, b1[u + 2]);
            FloatVector h3 = FloatVector.broadcast(S, b1[u + 3]);
            for (int q = 0, o = u; q < inputs; q++, o += hc) {
                FloatVector fq = FloatVector.fromArray(S, f, q * lanes);
                h0 = fq.fma(FloatVector.broadcast(S, w1[o]), h0);
                h1 = fq.fma(FloatVector.broadcast(S, w1[o + 1]), h1);
                h2 = fq.fma(FloatVector.broadcast(S, w1[o + 2]), h2);
                h3 = fq.fma(FloatVector.broadcast(S, w1[o + 3]), h3);
            }
            h0.max(0f).intoArray(hb, u * lanes);
            h1.max(0f).intoArray(hb, (u + 1) * lanes);
            h2.max(0f).intoArray(hb, (u + 2) * lanes);
            h3.max(0f).intoArray(hb, (u + 3) * lanes);
        }
        for (; u < hc; u++) {
            FloatVector h = FloatVector.broadcast(S, b1[u]);
            for (int q = 0; q < inputs; q++) {
                h = FloatVector.fromArray(S, f, q * lanes).fma(FloatVector.broadcast(S, w1[q * hc + u]), h); // h = fma(f_q, w1[q][u], h)
            }
            h.max(0f).intoArray(hb, u * lanes);
        }
        // outputs: s_p = fma(h_u, w2[u][p], s_p) over u in order, from 0
        for (int p = 0; p < np; p++) {
            FloatVector sp = FloatVector.zero(S);
            for (int v = 0, o = p; v < hc; v++, o += np) {
                sp = FloatVector.fromArray(S, hb, v * lanes).fma(FloatVector.broadcast(S, w2[o]), sp);
            }
            sp.intoArray(acc, p * lanes);
        }
        VectorMask<Float> in = S.indexInRange(0, n);
        final boolean residual = net.residual();
        final int c = Likelihood.MIXTURE_COMPONENTS;
        for (int p = 0; p < np; p++) {
            FloatVector d = FloatVector.fromArray(S, acc, p * lanes).add(b2[p]);
            FloatVector y = residual ? FloatVector.fromArray(S, f, p * lanes).add(d) : d;
            FloatVector theta = switch (net.likelihood()) {
                case BERNOULLI -> y;
                case BETA_BINOMIAL -> softplus(y).add(ContextNet.BETA_MIN).min(ContextNet.BETA_MAX);
                case DISCRETIZED_LOGISTIC -> p == 0 ? y.mul(255f) : softplus(y).mul(255f).add(ContextNet.LOGISTIC_SCALE_MIN);
                case LOGISTIC_MIXTURE -> p < c ? y : p < 2 * c ? y.mul(255f) : softplus(y).mul(255f).add(ContextNet.LOGISTIC_SCALE_MIN);
            };
            theta.intoArray(out[p], at, in);
        }
    }

    /** {@link ContextNet#softplus} lane by lane: the same operations, far lanes blended to max(y, 0). */
    static FloatVector softplus(FloatVector y) {
        FloatVector a = y.abs();
        FloatVector m = y.max(0f);
        VectorMask<Float> near = a.compare(VectorOperators.LT, ContextNet.FAR);
        FloatVector na = a.min(ContextNet.FAR).neg();
        FloatVector t = na.mul(ContextNet.LOG2E);
        // floor(t): truncate, then step down where truncation went up (negative non-integers)
        IntVector ki = (IntVector) t.convert(VectorOperators.F2I, 0);
        FloatVector k = (FloatVector) ki.convert(VectorOperators.I2F, 0);
        VectorMask<Float> up = k.compare(VectorOperators.GT, t);
        k = k.sub(1f, up);
        ki = ki.sub(1, up.cast(I));
        FloatVector f = na.fma(FloatVector.broadcast(S, ContextNet.LOG2E), k.neg());
        f = na.fma(FloatVector.broadcast(S, ContextNet.LOG2E_LO), f);
        float[] c = ContextNet.EXP2;
        FloatVector q = FloatVector.broadcast(S, c[9]);
        for (int i = 8; i >= 0; i--) {
            q = q.fma(f, FloatVector.broadcast(S, c[i]));
        }
        FloatVector twoK = ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector e = q.mul(twoK);
        FloatVector s = e.div(e.add(2f));
        FloatVector s2 = s.mul(s);
        float[] b = ContextNet.ATANH;
        FloatVector r = FloatVector.broadcast(S, b[7]);
        for (int i = 6; i >= 0; i--) {
            r = r.fma(s2, FloatVector.broadcast(S, b[i]));
        }
        FloatVector sp = m.add(s.mul(2f).mul(r));
        return m.blend(sp, near);
    }
}
