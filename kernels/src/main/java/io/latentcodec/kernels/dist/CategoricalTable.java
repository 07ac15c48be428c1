package io.latentcodec.kernels.dist;

import io.latentcodec.ZeroProbabilityException;
import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.Simd;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * A categorical distribution given by a static table of integer frequencies over symbols
 * {@code 0 .. A-1} summing to {@code 2^precision}, with a fast inverse. One table may serve every
 * symbol of a batch (order-0 coding) or each symbol may bring its own from an array of tables
 * (context modelling: {@link #push(Message, CategoricalTable[], int, int[], int, int)}).
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li>{@code cum[s]} is the start of symbol s, {@code cum[A] = 2^p}; symbols of frequency 0 are
 * outside the support (pushing one is a {@link ZeroProbabilityException}; a pop never returns
 * one). Tables built by {@link #fromCounts} give every counted symbol frequency >= 1.
 * <li>Inverse: {@code first[j]} is the symbol holding cumulative frequency {@code j << shift},
 * for the top {@code b = min(p, 12)} bits of cf. At {@code p <= 12} that is the answer itself
 * (one lookup); above, the answer lies in {@code [first[j], first[j + 1]]}, almost always
 * {@code first[j]}, and a binary search of that short range finishes. Table memory:
 * {@code 4 (A + 1) + 4 (2^b + 1)} bytes.
 * <li>All integer: the table is the distribution, so encoder and decoder agree by construction.
 * </ul>
 * Immutable and thread-safe.
 */
public final class CategoricalTable {
    /** Bits of cf resolved by one lookup: 2^12 + 1 ints (16 KiB) per table. */
    static final int LOOKUP_BITS = 12;
    /** Counts are scaled down (by a power of two, keeping every count >= 1) when their total reaches this, so {@code count 2^24} fits a long. */
    static final long MAX_TOTAL = 1L << 38;

    final int precision;
    /** Starts: {@code cum[0] = 0}, non-decreasing, {@code cum[A] = 2^precision}. */
    final int[] cum;
    /** {@code p - b}: cf's low bits that the lookup ignores. */
    final int shift;
    /** {@code first[j]}: the symbol whose interval holds {@code j << shift}, {@code j < 2^b}; {@code first[2^b]} the symbol holding 2^p - 1. */
    final int[] first;
    final boolean vector;

    private CategoricalTable(int precision, int[] cum, int[] first, boolean vector) {
        this.precision = precision;
        this.cum = cum;
        this.shift = precision - Math.min(precision, LOOKUP_BITS);
        this.first = first;
        this.vector = vector;
    }

    /**
     * The table with frequencies {@code freq[s]} (each >= 0, at least one > 0, summing to exactly
     * {@code 2^precision}); vector kernels when {@link Simd#vectorEnabled()}.
     */
    public static CategoricalTable of(int precision, int[] freq) {
        Batch.checkPrecision(precision);
        if (freq.length == 0) {
            throw new IllegalArgumentException("a categorical table needs at least one symbol");
        }
        int[] cum = new int[freq.length + 1];
        long sum = 0;
        for (int s = 0; s < freq.length; s++) {
            if (freq[s] < 0) {
                throw new IllegalArgumentException("freq[" + s + "] = " + freq[s] + " is negative");
            }
            sum += freq[s];
            if (sum > 1L << precision) {
                break;
            }
            cum[s + 1] = (int) sum;
        }
        if (sum != 1L << precision) {
            throw new IllegalArgumentException("frequencies sum to " + (sum > 1L << precision ? "more than " : "") + sum
                    + ", not 2^" + precision + " = " + (1L << precision));
        }
        int b = Math.min(precision, LOOKUP_BITS);
        int shift = precision - b;
        int[] first = new int[(1 << b) + 1];
        int s = 0;
        for (int j = 0; j < 1 << b; j++) {
            int c = j << shift;
            while (cum[s + 1] <= c) {
                s++;
            }
            first[j] = s;
        }
        while (cum[s + 1] <= (1 << precision) - 1) {
            s++;
        }
        first[1 << b] = s;
        return new CategoricalTable(precision, cum, first, Simd.vectorEnabled());
    }

    /**
     * Quantizes a histogram: symbols with {@code counts[s] = 0} get frequency 0, every other
     * symbol frequency >= 1, total {@code 2^precision}. Integer arithmetic only:
     * {@code f_s = max(1, floor(c_s 2^p / T))}, then the units still missing go, one each, to the
     * symbols with the largest remainders {@code c_s 2^p mod T} (ties: lower symbol), and any
     * excess (from the raises to 1) is taken, one unit at a time, from the largest frequency
     * (ties: lower symbol). Totals of 2^38 and more are first halved until below (counts stay >= 1).
     *
     * @throws IllegalArgumentException if a count is negative, all are zero, or more symbols are counted than 2^precision
     */
    public static CategoricalTable fromCounts(int precision, long[] counts) {
        Batch.checkPrecision(precision);
        long[] c = counts.clone();
        long total = 0;
        int support = 0;
        for (int s = 0; s < c.length; s++) {
            if (c[s] < 0) {
                throw new IllegalArgumentException("counts[" + s + "] = " + c[s] + " is negative");
            }
            if (c[s] > 0) {
                support++;
                total = saturatingAdd(total, c[s]);
            }
        }
        if (support == 0) {
            throw new IllegalArgumentException("all " + c.length + " counts are zero: no distribution to quantize");
        }
        long m = 1L << precision;
        if (support > m) {
            throw new IllegalArgumentException(support + " counted symbols do not fit precision " + precision);
        }
        while (total >= MAX_TOTAL) { // halve: c 2^p below 2^62 afterwards
            total = 0;
            for (int s = 0; s < c.length; s++) {
                if (c[s] > 0) {
                    c[s] = Math.max(1, c[s] >>> 1);
                    total = saturatingAdd(total, c[s]);
                }
            }
        }
        int[] f = new int[c.length];
        long[] rem = new long[c.length];
        long sum = 0;
        for (int s = 0; s < c.length; s++) {
            if (c[s] > 0) {
                long scaled = c[s] * m; // < 2^38 2^24
                long share = scaled / total;
                f[s] = (int) Math.max(1, share);
                rem[s] = share == 0 ? -1 : scaled % total; // a symbol raised to 1 already has more than its share
                sum += f[s];
            }
        }
        // Missing units: fewer than the symbols not raised (each floor loses less than 1, each raise gains), so one each suffices.
        if (sum < m) {
            int[] order = IntStream.range(0, c.length).filter(s -> rem[s] >= 0).boxed()
                    .sorted((x, y) -> rem[x] != rem[y] ? Long.compare(rem[y], rem[x]) : Integer.compare(x, y))
                    .mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < m - sum; i++) {
                f[order[i]]++;
            }
        } else if (sum > m) {
            PriorityQueue<Integer> largest = new PriorityQueue<>((x, y) -> f[x] != f[y] ? Integer.compare(f[y], f[x]) : Integer.compare(x, y));
            for (int s = 0; s < c.length; s++) {
                if (f[s] > 1) {
                    largest.add(s);
                }
            }
            for (long excess = sum - m; excess > 0; excess--) { // excess <= support <= m, so symbols above 1 remain
                int s = largest.poll();
                f[s]--;
                if (f[s] > 1) {
                    largest.add(s);
                }
            }
        }
        return of(precision, f);
    }

    private static long saturatingAdd(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    /** The same table with the scalar kernels (for tests and benchmarks; same results). */
    public CategoricalTable scalar() {
        return new CategoricalTable(precision, cum, first, false);
    }

    public int precision() {
        return precision;
    }

    /** Number of symbols A (including those of frequency 0). */
    public int alphabet() {
        return cum.length - 1;
    }

    /** Frequency of symbol s out of {@code 2^precision}. */
    public int frequency(int s) {
        return cum[s + 1] - cum[s];
    }

    /** Start of symbol s's interval. */
    public int start(int s) {
        return cum[s];
    }

    public String implementation() {
        return vector ? "vector-" + CdfMathVector.BITS : "scalar";
    }

    /** The symbol whose interval holds cf. */
    int find(int cf) {
        int j = cf >>> shift;
        int a = first[j];
        if (shift == 0) {
            return a;
        }
        int b = first[j + 1];
        while (a < b) { // largest s in [a, b] with cum[s] <= cf; empty symbols lose to the next one
            int mid = (a + b + 1) >>> 1;
            if (cum[mid] <= cf) {
                a = mid;
            } else {
                b = mid - 1;
            }
        }
        return a;
    }

    private void checkSymbols(int[] symbols, int offset, int count) {
        Batch.checkSlice("symbols", symbols.length, offset, count);
        for (int i = offset; i < offset + count; i++) {
            checkSymbol(symbols, i);
        }
    }

    private void checkSymbol(int[] symbols, int i) {
        int s = symbols[i];
        if (s < 0 || s >= cum.length - 1 || cum[s + 1] == cum[s]) {
            throw new ZeroProbabilityException("symbols[" + i + "] = " + s + (s < 0 || s >= cum.length - 1
                    ? " is outside the alphabet [0, " + (cum.length - 1) + ")" : " has frequency 0 in its table"));
        }
    }

    /**
     * Pushes {@code symbols[offset .. offset + count)}, all with this table.
     *
     * @throws ZeroProbabilityException if a symbol is outside the alphabet or has frequency 0
     */
    public void push(Message m, int[] symbols, int offset, int count) {
        Batch.checkCount(count);
        checkSymbols(symbols, offset, count);
        int[] scratch = vector ? new int[CdfMathVector.V] : null;
        Batch.push(m, precision, count, (k0, n, start, freq) -> intervals(symbols, offset + k0, n, start, freq, scratch));
    }

    /** Pops {@code count} symbols of this table into {@code out[offset ..]}. */
    public void pop(Message m, int[] out, int offset, int count) {
        Batch.checkCount(count);
        Batch.checkSlice("out", out.length, offset, count);
        int[] scratch = vector ? new int[CdfMathVector.V] : null;
        m.pop(precision, count, (k0, n, cf, start, freq) -> invert(n, cf, out, offset + k0, start, freq, scratch));
    }

    void intervals(int[] symbols, int s, int n, int[] start, int[] freq, int[] scratch) {
        if (vector) {
            CategoricalVector.intervals(this, symbols, s, n, start, freq, scratch);
            return;
        }
        for (int i = 0; i < n; i++) {
            int x = symbols[s + i];
            start[i] = cum[x];
            freq[i] = cum[x + 1] - cum[x];
        }
    }

    void invert(int n, int[] cf, int[] out, int o, int[] start, int[] freq, int[] scratch) {
        if (vector) {
            CategoricalVector.invert(this, n, cf, out, o, start, freq, scratch);
            return;
        }
        for (int i = 0; i < n; i++) {
            int x = find(cf[i]);
            out[o + i] = x;
            start[i] = cum[x];
            freq[i] = cum[x + 1] - cum[x];
        }
    }

    // ---------------------------------------------------------------- one table per symbol

    private static int commonPrecision(CategoricalTable[] tables, int offset, int count) {
        Batch.checkCount(count);
        Batch.checkSlice("tables", tables.length, offset, count);
        if (count == 0) {
            return 0;
        }
        int p = tables[offset].precision;
        for (int i = offset + 1; i < offset + count; i++) {
            if (tables[i].precision != p) {
                throw new IllegalArgumentException("tables[" + i + "] has precision " + tables[i].precision
                        + " but tables[" + offset + "] has " + p + ": one call codes at one precision");
            }
        }
        return p;
    }

    /**
     * Pushes {@code symbols[symbolOffset + k]} with its own table {@code tables[tableOffset + k]}
     * (all of one precision), k < count. Scalar: tables differ from lane to lane.
     *
     * @throws ZeroProbabilityException if a symbol is outside its table's alphabet or has frequency 0 there
     */
    public static void push(Message m, CategoricalTable[] tables, int tableOffset, int[] symbols, int symbolOffset, int count) {
        int p = commonPrecision(tables, tableOffset, count);
        Batch.checkSlice("symbols", symbols.length, symbolOffset, count);
        for (int k = 0; k < count; k++) {
            tables[tableOffset + k].checkSymbol(symbols, symbolOffset + k);
        }
        if (count == 0) {
            return;
        }
        Batch.push(m, p, count, (k0, n, start, freq) -> {
            for (int i = 0; i < n; i++) {
                CategoricalTable t = tables[tableOffset + k0 + i];
                int x = symbols[symbolOffset + k0 + i];
                start[i] = t.cum[x];
                freq[i] = t.cum[x + 1] - t.cum[x];
            }
        });
    }

    /** Pops {@code count} symbols, symbol k with table {@code tables[tableOffset + k]}, into {@code out[outOffset ..]}. */
    public static void pop(Message m, CategoricalTable[] tables, int tableOffset, int[] out, int outOffset, int count) {
        int p = commonPrecision(tables, tableOffset, count);
        Batch.checkSlice("out", out.length, outOffset, count);
        if (count == 0) {
            return;
        }
        m.pop(p, count, (k0, n, cf, start, freq) -> {
            for (int i = 0; i < n; i++) {
                CategoricalTable t = tables[tableOffset + k0 + i];
                int x = t.find(cf[i]);
                out[outOffset + k0 + i] = x;
                start[i] = t.cum[x];
                freq[i] = t.cum[x + 1] - t.cum[x];
            }
        });
    }

    @Override
    public String toString() {
        return "CategoricalTable[precision=" + precision + ", alphabet=" + alphabet() + ", " + implementation() + "]";
    }

    /** The frequencies, a copy. */
    public int[] frequencies() {
        int[] f = new int[cum.length - 1];
        for (int s = 0; s < f.length; s++) {
            f[s] = cum[s + 1] - cum[s];
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalTable t && t.precision == precision && Arrays.equals(t.cum, cum);
    }

    @Override
    public int hashCode() {
        return 31 * precision + Arrays.hashCode(cum);
    }
}
