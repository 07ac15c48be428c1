package io.latentcodec.kernels.dist;

/**
 * The exact correction after a decoder's guess: finds the symbol whose interval of a strictly
 * increasing integer CDF holds a cumulative frequency, in a few CDF evaluations.
 *
 * <p>A missed guess is most often off by one, so the neighbour is tried first. Because every
 * frequency is at least 1, {@code C(b) - C(a) >= b - a}: the evaluation at the guess also bounds
 * the answer on its far side, and that bound is exact where the CDF is flat (frequencies 1, far
 * in a tail), so it is tried next. Otherwise a binary search of the bracket finishes: at most
 * {@code 2 + log2(width)} evaluations, never a scan.
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
            b = g - 1; // C(g) > cf
            if (c.at(b) <= cf) { // most misses are off by one
                return b;
            }
            // v < g - 1, and C(g) - C(v + 1) >= g - v - 1 with C(v + 1) > cf gives v >= g - (cg - cf)
            b--;
            a = Math.max(lo, g - (cg - cf)); // C(a) <= C(g) - (g - a) = cf, or a = lo
            if (a < b && c.at(a + 1) > cf) { // exact where the CDF is flat
                return a;
            }
            a = Math.min(a + 1, b);
        } else {
            a = g + 1; // C(g + 1) <= cf
            if (a == hi || c.at(a + 1) > cf) { // most misses are off by one
                return a;
            }
            // v > g + 1, and C(v) - C(g + 1) >= v - g - 1 with C(v) <= cf gives v <= g + 1 + (cf - cg1)
            a++;
            b = (int) Math.min(hi, (long) g + 1 + (cf - cg1)); // C(b + 1) >= cf + 1, or b = hi
            if (a < b && c.at(b) <= cf) { // exact where the CDF is flat
                return b;
            }
            b = Math.max(b - 1, a);
        }
        return bisect(c, a, b, cf);
    }

    /** The largest v in {@code [a, b]} with {@code C(v) <= cf}, given {@code C(a) <= cf}: binary search, non-decreasing C suffices. */
    private static int bisect(Cdf c, int a, int b, int cf) {
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

    /**
     * As {@link #find} for a CDF that is only non-decreasing (symbols of frequency 0 allowed):
     * the v with {@code C(v) <= cf < C(v + 1)}, which is the largest v with {@code C(v) <= cf}.
     * The neighbour of the guess first, then a binary search of the side the guess rules in.
     */
    static int findNonDecreasing(Cdf c, int lo, int hi, int cf, int g, int cg) {
        if (cf < cg) { // the answer is below g
            int b = g - 1;
            if (c.at(b) <= cf) {
                return b;
            }
            return bisect(c, lo, b - 1, cf); // C(lo) = 0 <= cf
        }
        int a = g + 1; // C(g + 1) <= cf: the answer is above g
        if (a == hi || c.at(a + 1) > cf) {
            return a;
        }
        return bisect(c, a + 1, hi, cf);
    }
}
