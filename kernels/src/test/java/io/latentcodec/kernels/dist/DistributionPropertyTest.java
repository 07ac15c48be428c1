package io.latentcodec.kernels.dist;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The integer CDF of every family, for random parameters including extreme ones: strictly
 * increasing over the support (every frequency >= 1), contiguous, summing to exactly
 * 2^precision; the inverse names the right symbol and interval for every cumulative frequency
 * (all of them when 2^precision <= 2^13, else every interval's first and last value plus random
 * ones); and the vector kernels give the same integers as the scalar ones. Every assertion names
 * the family, the seed and the parameters.
 */
class DistributionPropertyTest {
    /** Parameter sets per case: enough for the largest query (all cfs at 2^13, or boundaries of 5000 symbols plus 2000). */
    static final int SIZE = 1 << 14;
    static final int EXHAUSTIVE_BITS = 13;

    static Stream<Arguments> cases() {
        return Arrays.stream(Cases.FAMILIES).flatMap(f -> LongStream.range(0, 90).mapToObj(s -> Arguments.of(f, s)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void integerCdfIsExactAndInvertible(String family, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + family.hashCode());
        Cases.Case c = Cases.random(family, rnd, SIZE, true);
        String where = family + " seed " + seed + " (" + c + ")";
        int a = c.hi - c.lo + 1;
        int total = c.total();
        int[] symbols = IntStream.rangeClosed(c.lo, c.hi).toArray();
        int[] start = new int[a];
        int[] freq = new int[a];
        c.intervals(false, symbols, a, start, freq);
        assertEquals(0, start[0], where + ": C(lo) must be 0");
        for (int v = 0; v < a; v++) {
            if (freq[v] < 1) {
                fail(where + ": symbol " + symbols[v] + " has frequency " + freq[v]);
            }
            if (v + 1 < a && start[v + 1] != start[v] + freq[v]) {
                fail(where + ": interval of " + symbols[v + 1] + " starts at " + start[v + 1] + ", not " + (start[v] + freq[v]));
            }
        }
        assertEquals(total, start[a - 1] + freq[a - 1], where + ": frequencies must sum to 2^" + c.precision);
        int[] vstart = new int[a];
        int[] vfreq = new int[a];
        c.intervals(true, symbols, a, vstart, vfreq);
        assertArrayEquals(start, vstart, where + ": vector starts differ from scalar");
        assertArrayEquals(freq, vfreq, where + ": vector frequencies differ from scalar");

        int[] cfs;
        if (c.precision <= EXHAUSTIVE_BITS) {
            cfs = IntStream.range(0, total).toArray();
        } else {
            cfs = new int[2 * a + 2000];
            for (int v = 0; v < a; v++) {
                cfs[2 * v] = start[v];
                cfs[2 * v + 1] = start[v] + freq[v] - 1;
            }
            for (int i = 2 * a; i < cfs.length; i++) {
                cfs[i] = rnd.nextInt(total);
            }
        }
        int n = cfs.length;
        int[] out = new int[n];
        int[] os = new int[n];
        int[] of = new int[n];
        c.invert(false, cfs, n, out, os, of);
        for (int i = 0; i < n; i++) {
            int v = out[i] - c.lo;
            if (v < 0 || v >= a || start[v] > cfs[i] || cfs[i] >= start[v] + freq[v] || os[i] != start[v] || of[i] != freq[v]) {
                fail(where + ": cf " + cfs[i] + " inverted to symbol " + out[i] + " with [" + os[i] + ", +" + of[i] + ")"
                        + (v >= 0 && v < a ? " but its interval is [" + start[v] + ", +" + freq[v] + ")" : ", outside the range"));
            }
        }
        int[] vout = new int[n];
        int[] vos = new int[n];
        int[] vof = new int[n];
        c.invert(true, cfs, n, vout, vos, vof);
        assertArrayEquals(out, vout, where + ": vector inverse found other symbols");
        assertArrayEquals(os, vos, where + ": vector inverse gave other starts");
        assertArrayEquals(of, vof, where + ": vector inverse gave other frequencies");
    }

    /**
     * Per-symbol parameters (each lane its own distribution, extremes mixed in): scalar and
     * vector kernels give the same intervals and the same inverses, and each inverse is right.
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void scalarAndVectorAgreeLaneByLane(String family, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ family.hashCode() * 0x5DEECE66DL);
        int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 700);
        Cases.Case c = Cases.random(family, rnd, n, false);
        String where = family + " seed " + seed + " (" + c + ", first of " + n + " parameter sets)";
        int[] symbols = new int[n];
        for (int k = 0; k < n; k++) {
            symbols[k] = c.sample(rnd, k);
        }
        int[][] r = new int[4][n];
        c.intervals(false, symbols, n, r[0], r[1]);
        c.intervals(true, symbols, n, r[2], r[3]);
        assertArrayEquals(r[0], r[2], where + ": starts");
        assertArrayEquals(r[1], r[3], where + ": frequencies");
        int[] cfs = new int[n];
        for (int k = 0; k < n; k++) {
            assertTrue(r[1][k] >= 1 && r[0][k] >= 0 && r[0][k] + r[1][k] <= c.total(), where + ": interval of symbol " + k);
            cfs[k] = rnd.nextInt(3) == 0 ? r[0][k] + rnd.nextInt(r[1][k]) : rnd.nextInt(c.total());
        }
        int[][] s = new int[6][n];
        c.invert(false, cfs, n, s[0], s[1], s[2]);
        c.invert(true, cfs, n, s[3], s[4], s[5]);
        assertArrayEquals(s[0], s[3], where + ": inverse symbols");
        assertArrayEquals(s[1], s[4], where + ": inverse starts");
        assertArrayEquals(s[2], s[5], where + ": inverse frequencies");
        int[] one = new int[1];
        int[] st = new int[1];
        int[] fr = new int[1];
        for (int k = 0; k < n; k++) {
            assertTrue(s[1][k] <= cfs[k] && cfs[k] < s[1][k] + s[2][k], where + ": cf " + cfs[k] + " of symbol " + k);
            // the interval the inverse named is the interval the push computes for that symbol
            Cases.Case single = c;
            one[0] = s[0][k];
            if (k == 0) {
                single.intervals(false, one, 1, st, fr);
                assertEquals(s[1][0], st[0], where + ": push and pop disagree on symbol " + one[0]);
                assertEquals(s[2][0], fr[0], where + ": push and pop disagree on symbol " + one[0]);
            }
        }
        int[] again = new int[2 * n];
        int[] againF = new int[n];
        c.intervals(false, s[0], n, again, againF);
        for (int k = 0; k < n; k++) {
            assertEquals(s[1][k], again[k], where + ": push start of popped symbol " + s[0][k] + " (parameter set " + k + ")");
            assertEquals(s[2][k], againF[k], where + ": push frequency of popped symbol " + s[0][k] + " (parameter set " + k + ")");
        }
    }
}
