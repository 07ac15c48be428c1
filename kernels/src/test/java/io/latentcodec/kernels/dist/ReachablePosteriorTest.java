package io.latentcodec.kernels.dist;

import io.latentcodec.ZeroProbabilityException;
import io.latentcodec.kernels.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link GaussianPosterior#reachable}: no unit of its own per bucket, so far buckets may have
 * frequency 0. Its CDF is non-decreasing, contiguous and sums to 2^precision; every cumulative
 * frequency inverts to a bucket of frequency >= 1 that holds it; scalar and vector agree; buckets
 * of frequency 0 cannot be pushed; and reachable buckets round-trip through a message.
 */
class ReachablePosteriorTest {

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void cdfAndInverse(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        int bits = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 12 : 8);
        int p = bits + rnd.nextInt(Message.PRECISION_MAX - bits + 1);
        GaussianBuckets g = GaussianBuckets.of(bits);
        float mu = switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextBoolean() ? -1e6f : 1e6f;
            case 1 -> (float) g.edge(1 + rnd.nextInt(g.count() - 1));
            default -> (float) rnd.nextGaussian() * 2;
        };
        float sigma = switch (rnd.nextInt(6)) {
            case 0 -> 1e-6f;
            case 1 -> 1e6f;
            case 2 -> Float.MIN_VALUE;
            default -> (float) Math.exp(rnd.nextDouble(Math.log(1e-4), Math.log(3)));
        };
        String where = "seed " + seed + " bits=" + bits + " p=" + p + " mean=" + mu + " scale=" + sigma;
        int a = g.count();
        int total = 1 << p;
        float[] mean = new float[a];
        float[] scale = new float[a];
        Arrays.fill(mean, mu);
        Arrays.fill(scale, sigma);
        int[] symbols = IntStream.range(0, a).toArray();
        Discretized scalar = GaussianPosterior.reachableScalar(g, p).engine();
        Discretized vector = GaussianPosterior.reachable(g, p).engine();
        int[] start = new int[a];
        int[] freq = new int[a];
        scalar.intervals(mean, scale, 0, symbols, 0, a, start, freq, null);
        int[] vstart = new int[a];
        int[] vfreq = new int[a];
        vector.intervals(mean, scale, 0, symbols, 0, a, vstart, vfreq, vector.scratch(a));
        assertArrayEquals(start, vstart, where + ": vector starts");
        assertArrayEquals(freq, vfreq, where + ": vector frequencies");
        assertEquals(0, start[0], where);
        int reachable = 0;
        for (int v = 0; v < a; v++) {
            assertTrue(freq[v] >= 0, where + ": bucket " + v + " frequency " + freq[v]);
            if (v + 1 < a) {
                assertEquals(start[v] + freq[v], start[v + 1], where + ": bucket " + (v + 1) + " does not start where " + v + " ends");
            }
            reachable += freq[v] > 0 ? 1 : 0;
        }
        assertEquals(total, start[a - 1] + freq[a - 1], where + ": frequencies must sum to 2^" + p);
        assertTrue(reachable >= 1, where);
        int[] cfs = p <= 13 ? IntStream.range(0, total).toArray()
                : IntStream.concat(IntStream.range(0, a).filter(v -> freq[v] > 0).flatMap(v -> IntStream.of(start[v], start[v] + freq[v] - 1)),
                IntStream.range(0, 2000).map(i -> rnd.nextInt(total))).toArray();
        int n = cfs.length;
        float[] pm = new float[n];
        float[] ps = new float[n];
        Arrays.fill(pm, mu);
        Arrays.fill(ps, sigma);
        int[][] s = new int[6][n];
        scalar.invert(pm, ps, 0, n, cfs, s[0], 0, s[1], s[2], null);
        vector.invert(pm, ps, 0, n, cfs, s[3], 0, s[4], s[5], vector.scratch(n));
        for (int i = 0; i < n; i++) {
            int v = s[0][i];
            if (v < 0 || v >= a || freq[v] < 1 || start[v] > cfs[i] || cfs[i] >= start[v] + freq[v] || s[1][i] != start[v] || s[2][i] != freq[v]) {
                fail(where + ": cf " + cfs[i] + " inverted to bucket " + v + " [" + s[1][i] + ", +" + s[2][i] + ")");
            }
        }
        assertArrayEquals(s[0], s[3], where + ": vector inverse buckets");
        assertArrayEquals(s[1], s[4], where + ": vector inverse starts");
        assertArrayEquals(s[2], s[5], where + ": vector inverse frequencies");

        // reachable buckets round-trip through a message; an unreachable one is refused
        int k = 1 + rnd.nextInt(50);
        int[] picks = new int[k];
        int[] nonzero = IntStream.range(0, a).filter(v -> freq[v] > 0).toArray();
        for (int i = 0; i < k; i++) {
            picks[i] = nonzero[rnd.nextInt(nonzero.length)];
        }
        float[] km = Arrays.copyOf(pm, k);
        float[] ks = Arrays.copyOf(ps, k);
        Arrays.fill(km, mu);
        Arrays.fill(ks, sigma);
        for (GaussianPosterior q : new GaussianPosterior[] {GaussianPosterior.reachableScalar(g, p), GaussianPosterior.reachable(g, p)}) {
            try (Message m = Message.create(1 + rnd.nextInt(9), seed); Message before = m.copy()) {
                q.push(m, km, ks, 0, picks, 0, k);
                int[] back = new int[k];
                q.pop(m, km, ks, 0, back, 0, k);
                assertArrayEquals(picks, back, where + ": round trip");
                assertTrue(m.contentEquals(before), where + ": message restored");
                int zero = IntStream.range(0, a).filter(v -> freq[v] == 0).findFirst().orElse(-1);
                if (zero >= 0) {
                    assertThrows(ZeroProbabilityException.class, () -> q.push(m, km, ks, 0, new int[] {zero}, 0, 1), where);
                }
            }
        }
    }
}
