package io.latentcodec.kernels.dist;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static io.latentcodec.kernels.dist.CdfMathVector.I;
import static io.latentcodec.kernels.dist.CdfMathVector.V;

/**
 * {@link CategoricalTable}'s kernels for a table shared by a whole batch, V symbols at a time,
 * by gathers: a push gathers {@code cum[x]} and {@code cum[x + 1]} at the symbols;
 * a pop gathers {@code first[cf >>> shift]}, then the interval, and leaves the rare lanes whose
 * cf lies past that first symbol (only above 12 bits of precision) to the scalar search.
 */
final class CategoricalVector {
    private CategoricalVector() {
    }

    static void intervals(CategoricalTable t, int[] symbols, int s, int n, int[] start, int[] freq, int[] scratch) {
        int[] cum = t.cum;
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            // the gather reads V indices whatever the mask: copy them (0 in unused lanes) to scratch
            IntVector.fromArray(I, symbols, s + i, in).intoArray(scratch, 0);
            IntVector a = IntVector.fromArray(I, cum, 0, scratch, 0); // cum[x]
            IntVector b = IntVector.fromArray(I, cum, 1, scratch, 0); // cum[x + 1]
            a.intoArray(start, i, in);
            b.sub(a).intoArray(freq, i, in);
        }
    }

    static void invert(CategoricalTable t, int n, int[] cf, int[] out, int o, int[] start, int[] freq, int[] scratch) {
        int[] cum = t.cum;
        int[] first = t.first;
        int shift = t.shift;
        for (int i = 0; i < n; i += V) {
            VectorMask<Integer> in = I.indexInRange(i, n);
            IntVector c = IntVector.fromArray(I, cf, i, in);
            c.lanewise(VectorOperators.LSHR, shift).intoArray(scratch, 0);
            IntVector x = IntVector.fromArray(I, first, 0, scratch, 0, in); // first[cf >>> shift]; 0 in unused lanes
            x.intoArray(scratch, 0);
            IntVector a = IntVector.fromArray(I, cum, 0, scratch, 0);
            IntVector b = IntVector.fromArray(I, cum, 1, scratch, 0);
            x.intoArray(out, o + i, in);
            a.intoArray(start, i, in);
            b.sub(a).intoArray(freq, i, in);
            if (shift != 0) {
                VectorMask<Integer> miss = b.compare(VectorOperators.LE, c).and(in);
                for (long bits = miss.toLong(); bits != 0; bits &= bits - 1) {
                    int k = i + Long.numberOfTrailingZeros(bits);
                    int y = t.find(cf[k]);
                    out[o + k] = y;
                    start[k] = cum[y];
                    freq[k] = cum[y + 1] - cum[y];
                }
            }
        }
    }
}
