package io.latentcodec.models;

import jdk.incubator.vector.FloatVector;

/** {@link Bounding}'s vector body: whole 8-lane vectors, the scalar tail left to the caller. Loaded only when {@link ContextNet#VECTOR}. */
final class BoundingVector {
    private static final int L = ContextNetVector.S.length();

    private BoundingVector() {
    }

    /** Bounds {@code a[from .. r)} for the largest whole-vector r; returns r. */
    static int bound(Likelihood lik, int p, float[] a, int from, int to) {
        int i = from;
        final int c = Likelihood.MIXTURE_COMPONENTS;
        if (lik == Likelihood.BERNOULLI || (lik == Likelihood.LOGISTIC_MIXTURE && p < c)) {
            return to; // logits as they are
        }
        for (; i + L <= to; i += L) {
            FloatVector y = FloatVector.fromArray(ContextNetVector.S, a, i);
            FloatVector t = switch (lik) {
                case BETA_BINOMIAL -> ContextNetVector.softplus(y).add(ContextNet.BETA_MIN).min(ContextNet.BETA_MAX);
                case DISCRETIZED_LOGISTIC -> p == 0 ? y.mul(255f) : ContextNetVector.softplus(y).mul(255f).add(ContextNet.LOGISTIC_SCALE_MIN);
                case LOGISTIC_MIXTURE -> p < 2 * c ? y.mul(255f) : ContextNetVector.softplus(y).mul(255f).add(ContextNet.LOGISTIC_SCALE_MIN);
                case BERNOULLI -> y;
            };
            t.intoArray(a, i);
        }
        return i;
    }

    static int sigma(float[] a, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            ContextNetVector.softplus(FloatVector.fromArray(ContextNetVector.S, a, i)).add(Bounding.SIGMA_MIN).intoArray(a, i);
        }
        return i;
    }
}
