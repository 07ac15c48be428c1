package io.latentcodec.kernels.dist;

/**
 * The exact correction after a decoder's guess: finds the symbol whose interval of a strictly
 * increasing integer CDF holds a cumulative frequency, in a few CDF evaluations.
 *
 * <p>Because every frequency is at least 1, {@code C(b) - C(a) >= b - a}. One evaluation at the
 * guess therefore bounds the answer on both sides (the bracket below), and the bound is exact
 * where the CDF is flat (frequencies 1, far in a tail): that end is tried first. Otherwise a
 * binary search of the bracket finishes, so the worst case is {@code 2 + log2(width)}
 * evaluations and never a scan.
 */
final class Search {
    private Search() {
    }

    /** An integer CDF: {@code C(lo) = 0}, strictly increasing, {@code C(hi + 1) = 2^precision}. */
    @FunctionalInterface
    interface Cdf {
        int at(int v);
    }

    /**
     * The v in {@code [lo, hi]} with {@code C(v) <= cf < C(v + 1)}, given the CDF at a guess g in
     * {@code [lo, hi]} where that does not hold: {@code cg = C(g)}, {@code cg1 = C(g + 1)}.
     */
    static int find(Cdf c, int lo, int hi, int cf, int g, int cg, int cg1) {
        int a; // invariant: C(a) <= cf
        int b; // invariant: C(b + 1) > cf
        if (cf < cg) {
            // v < g, and C(g) - C(v + 1) >= g - v - 1 with C(v + 1) > cf gives v >= g - (cg - cf)
            b = g - 1;
            a = Math.max(lo, g - (cg - cf)); // C(a) <= C(g) - (g - a) = cf, or a = lo
            if (c.at(a + 1) > cf) {
                return a;
            }
            a++;
        } else {
            // v > g, and C(v) - C(g + 1) >= v - g - 1 with C(v) <= cf gives v <= g + 1 + (cf - cg1)
            a = g + 1;
            b = (int) Math.min(hi, (long) g + 1 + (cf - cg1)); // C(b + 1) >= cf + 1, or b = hi
            if (c.at(b) <= cf) {
                return b;
            }
            b--;
        }
        while (a < b) {
            int mid = a + ((b - a + 1) >>> 1); // a < mid <= b, also for negative symbols
            if (c.at(mid) <= cf) {
                a = mid;
            } else {
                b = mid - 1;
            }
        }
        return a;
    }
}
