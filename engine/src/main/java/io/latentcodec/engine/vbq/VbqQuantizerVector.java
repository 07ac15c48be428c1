package io.latentcodec.engine.vbq;

import io.latentcodec.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The VBQ quantizer over one vector of latents at a time (Vector API), choosing exactly the points of
 * {@link VbqQuantizer#quantizeScalar}: the same float operations in the same order per lane.
 *
 * <p>Per vector of L latents (L = 16 at 512 bits): the grid cell p by R + 1 rounds of bisection with
 * gathers from the channels' grids (flattened, G + 1 values per channel with the +-inf sentinels),
 * then for each depth the two neighbours {@code jl}, {@code jr} by shifts, gathers of their values and
 * of their costs (same layout as the grid), and a masked keep-the-smaller. Gathers need their indices in an
 * {@code int[]}, so indices are stored to scratch arrays first. The tail runs the scalar reference.
 */
public final class VbqQuantizerVector {
    private VbqQuantizerVector() {
    }

    static final VectorSpecies<Float> FS = Simd.vectorBits() == 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> IS = Simd.vectorBits() == 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    static final int L = FS.length();

    public static void quantize(VbqTables t, float[] costs, float[] mu, float[] sigma, int[] out) {
        int depth = t.depth();
        int g = t.gridSize();
        int channels = t.channels();
        float[] flat = t.flatGrid();
        int n = mu.length;
        int[] gridBase = new int[L];
        int[] idx = new int[L];
        int[] idx2 = new int[L];
        FloatVector two = FloatVector.broadcast(FS, 2f);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        FloatVector floor = FloatVector.broadcast(FS, VbqQuantizer.SIGMA_FLOOR);
        FloatVector inf = FloatVector.broadcast(FS, Float.POSITIVE_INFINITY);
        IntVector gv = IntVector.broadcast(IS, g);
        int i0 = 0;
        int bound = n - n % L;
        for (; i0 < bound; i0 += L) {
            for (int k = 0; k < L; k++) {
                int c = (i0 + k) % channels;
                gridBase[k] = c * (g + 1);
            }
            IntVector gb = IntVector.fromArray(IS, gridBase, 0);
            FloatVector m = FloatVector.fromArray(FS, mu, i0);
            FloatVector s = FloatVector.fromArray(FS, sigma, i0).max(floor);
            FloatVector inv = one.div(two.mul(s).mul(s)); // 1 / (2 s s), as the scalar computes it
            // bisection: the largest p in [0, G) with v[p] <= mu (v[0] = -inf)
            IntVector lo = IntVector.zero(IS);
            IntVector hi = gv;
            for (int it = 0; it <= depth; it++) {
                IntVector mid = lo.add(hi).lanewise(VectorOperators.LSHR, 1);
                gb.add(mid).intoArray(idx, 0);
                FloatVector vm = FloatVector.fromArray(FS, flat, 0, idx, 0);
                VectorMask<Integer> le = vm.compare(VectorOperators.LE, m).cast(IS);
                lo = lo.blend(mid, le);
                hi = mid.blend(hi, le);
            }
            IntVector p = lo;
            FloatVector best = inf;
            IntVector bestJ = IntVector.zero(IS);
            for (int r = 0; r <= depth; r++) {
                int sh = depth - r;
                int sp = 1 << sh;
                VectorMask<Integer> has = p.compare(VectorOperators.GE, sp);
                IntVector jl = p.sub(sp).lanewise(VectorOperators.LSHR, sh + 1).lanewise(VectorOperators.LSHL, sh + 1).add(sp);
                jl = IntVector.zero(IS).blend(jl, has);
                IntVector jr = IntVector.broadcast(IS, sp).blend(jl.add(2 * sp), has).min(gv);
                gb.add(jl).intoArray(idx, 0);
                gb.add(jr).intoArray(idx2, 0);
                FloatVector vl = FloatVector.fromArray(FS, flat, 0, idx, 0);
                FloatVector vr = FloatVector.fromArray(FS, flat, 0, idx2, 0);
                FloatVector laml = FloatVector.fromArray(FS, costs, 0, idx, 0);   // costs share the grid's layout
                FloatVector lamr = FloatVector.fromArray(FS, costs, 0, idx2, 0);
                FloatVector dl = vl.sub(m);
                FloatVector cl = dl.mul(dl).mul(inv).add(laml);
                VectorMask<Float> kl = cl.compare(VectorOperators.LT, best);
                best = best.blend(cl, kl);
                bestJ = bestJ.blend(jl, kl.cast(IS));
                FloatVector dr = vr.sub(m);
                FloatVector cr = dr.mul(dr).mul(inv).add(lamr);
                VectorMask<Float> kr = cr.compare(VectorOperators.LT, best);
                best = best.blend(cr, kr);
                bestJ = bestJ.blend(jr, kr.cast(IS));
            }
            bestJ.intoArray(out, i0);
        }
        VbqQuantizer.quantizeScalar(t, costs, mu, sigma, out, i0);
    }
}
