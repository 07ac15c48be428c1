package io.latentcodec.models;

/**
 * The likelihood's bounding of raw decoder values into parameters ({@code VaeGraph.bound} in the
 * graph), over whole arrays, with the deterministic softplus: {@link ContextNet#softplus} lane by
 * lane, or {@link ContextNetVector#softplus} on 8-lane vectors (the same bits). Also the
 * posterior's {@code sigma = softplus(s) + 1e-4}.
 */
final class Bounding {
    /** Floor of the posterior standard deviation (the graph's {@code SIGMA_MIN} is this). */
    static final float SIGMA_MIN = 1e-4f;

    private Bounding() {
    }

    /** Parameter {@code p} of {@code lik} from raw values {@code a[from .. to)}, in place. */
    static void bound(Likelihood lik, int p, float[] a, int from, int to) {
        int i = from;
        if (ContextNet.VECTOR) {
            i = BoundingVector.bound(lik, p, a, from, to);
        }
        for (; i < to; i++) {
            a[i] = ContextNet.bound(lik, p, a[i]);
        }
    }

    /** {@code sigma = softplus(s) + SIGMA_MIN} over {@code a[from .. to)}, in place (q(z|x)'s standard deviation). */
    static void sigma(float[] a, int from, int to) {
        int i = from;
        if (ContextNet.VECTOR) {
            i = BoundingVector.sigma(a, from, to);
        }
        for (; i < to; i++) {
            a[i] = ContextNet.softplus(a[i]) + SIGMA_MIN;
        }
    }
}
