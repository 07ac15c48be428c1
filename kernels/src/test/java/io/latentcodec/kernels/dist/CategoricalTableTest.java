package io.latentcodec.kernels.dist;

import io.latentcodec.ZeroProbabilityException;
import io.latentcodec.kernels.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Tables with absent symbols, the quantizer of counts, the two-level inverse, and per-symbol tables. */
class CategoricalTableTest {
    static LongStream seeds() {
        return LongStream.range(0, 150);
    }

    static long[] randomCounts(SplittableRandom rnd) {
        int a = switch (rnd.nextInt(4)) {
            case 0 -> 256;
            case 1 -> 1 + rnd.nextInt(3);
            default -> 1 + rnd.nextInt(2000);
        };
        long[] c = new long[a];
        for (int s = 0; s < a; s++) {
            c[s] = switch (rnd.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> rnd.nextLong(1L << 62) / a; // totals beyond 2^38: scaled down first
                default -> rnd.nextInt(1000);
            };
        }
        c[rnd.nextInt(a)] = 1 + rnd.nextInt(5000);
        return c;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void quantizedCountsKeepSupportAndShares(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] counts = randomCounts(rnd);
        int support = (int) LongStream.of(counts).filter(x -> x > 0).count();
        int p = Math.max(1, 64 - Long.numberOfLeadingZeros(support - 1)) + rnd.nextInt(6);
        p = Math.min(p, 24);
        CategoricalTable t = CategoricalTable.fromCounts(p, counts);
        int[] f = t.frequencies();
        long sum = 0;
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        boolean huge = total >= CategoricalTable.MAX_TOTAL;
        for (int s = 0; s < counts.length; s++) {
            sum += f[s];
            if ((counts[s] == 0) != (f[s] == 0)) {
                fail("seed " + seed + ": symbol " + s + " with count " + counts[s] + " got frequency " + f[s]);
            }
            double share = counts[s] / total * (1 << p);
            if (!huge && f[s] > 0 && Math.abs(f[s] - share) > 1 + support) {
                fail("seed " + seed + ": symbol " + s + " got " + f[s] + " for a share of " + share);
            }
        }
        assertEquals(1L << p, sum, "seed " + seed);
        assertEquals(t, CategoricalTable.fromCounts(p, counts), "seed " + seed + ": quantizing is deterministic");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void inverseFindsEveryFrequencyIncludingAbsentSymbols(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        long[] counts = randomCounts(rnd);
        int support = (int) LongStream.of(counts).filter(x -> x > 0).count();
        int p = Math.min(24, Math.max(1, 64 - Long.numberOfLeadingZeros(support - 1)) + rnd.nextInt(12));
        CategoricalTable t = CategoricalTable.fromCounts(p, counts);
        int total = 1 << p;
        int[] cfs = p <= 14 ? IntStream.range(0, total).toArray() : rnd.ints(20_000, 0, total).toArray();
        int n = cfs.length;
        for (CategoricalTable k : new CategoricalTable[] {t.scalar(), t}) {
            int[] out = new int[n];
            int[] st = new int[n];
            int[] fr = new int[n];
            for (int i = 0; i < n; i += 64) {
                int m = Math.min(64, n - i);
                int[] cf = java.util.Arrays.copyOfRange(cfs, i, i + m);
                int[] s0 = new int[m];
                int[] f0 = new int[m];
                k.invert(m, cf, out, i, s0, f0, new int[64]);
                System.arraycopy(s0, 0, st, i, m);
                System.arraycopy(f0, 0, fr, i, m);
            }
            for (int i = 0; i < n; i++) {
                int s = out[i];
                if (t.frequency(s) == 0 || t.start(s) > cfs[i] || cfs[i] >= t.start(s) + t.frequency(s)
                        || st[i] != t.start(s) || fr[i] != t.frequency(s)) {
                    fail("seed " + seed + " (" + k + "): cf " + cfs[i] + " gave symbol " + s + " [" + st[i] + ", +" + fr[i] + ")");
                }
            }
        }
    }

    @Test
    void explicitTablesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.of(4, new int[] {8, 7}));
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.of(4, new int[] {8, 9}));
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.of(4, new int[] {20, -4}));
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.of(4, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.of(31, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.fromCounts(8, new long[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.fromCounts(8, new long[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> CategoricalTable.fromCounts(1, new long[] {1, 1, 1}));
        CategoricalTable t = CategoricalTable.of(3, new int[] {0, 8, 0});
        assertEquals(1, t.find(0));
        assertEquals(1, t.find(7));
        // one symbol with all the mass costs nothing
        try (Message m = Message.create(4, 1)) {
            t.push(m, new int[] {1, 1, 1, 1, 1}, 0, 5);
            assertTrue(m.isPristine());
        }
    }

    /** Each symbol with its own table (order-1 style): round trip, and the tables' precisions must agree. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void perSymbolTables(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed + 1000);
        int p = 12 + rnd.nextInt(13);
        CategoricalTable[] pool = new CategoricalTable[1 + rnd.nextInt(5)];
        for (int i = 0; i < pool.length; i++) {
            long[] c = new long[1 + rnd.nextInt(300)];
            for (int s = 0; s < c.length; s++) {
                c[s] = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(100);
            }
            c[0] = 1;
            pool[i] = CategoricalTable.fromCounts(p, c);
        }
        int n = rnd.nextInt(3000);
        CategoricalTable[] tables = new CategoricalTable[n + 2];
        int[] x = new int[n + 1];
        for (int k = 0; k < n; k++) {
            CategoricalTable t = pool[rnd.nextInt(pool.length)];
            tables[k + 2] = t;
            int s;
            do {
                s = rnd.nextInt(t.alphabet());
            } while (t.frequency(s) == 0);
            x[k + 1] = s;
        }
        try (Message m = Message.create(1 + rnd.nextInt(70), seed)) {
            CategoricalTable.push(m, tables, 2, x, 1, n);
            int[] out = new int[n + 1];
            CategoricalTable.pop(m, tables, 2, out, 1, n);
            assertArrayEquals(x, out, "seed " + seed);
            assertTrue(m.isPristine(), "seed " + seed);
        }
        CategoricalTable a = CategoricalTable.of(4, new int[] {16});
        CategoricalTable b = CategoricalTable.of(5, new int[] {32});
        try (Message m = Message.create(2, 0)) {
            Throwable e = assertThrows(IllegalArgumentException.class,
                    () -> CategoricalTable.push(m, new CategoricalTable[] {a, b}, 0, new int[2], 0, 2));
            assertTrue(e.getMessage().contains("tables[1] has precision 5"), e.getMessage());
            assertThrows(ZeroProbabilityException.class,
                    () -> CategoricalTable.push(m, new CategoricalTable[] {a, a}, 0, new int[] {0, 1}, 0, 2));
            assertTrue(m.isPristine());
        }
    }
}
