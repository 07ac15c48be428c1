package io.latentcodec.engine.vbq;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the VBQ quantizer on synthetic grids (no network). */
class VbqQuantizerTest {

    static LongStream seeds() {
        return LongStream.range(0, 30);
    }

    private static float objective(VbqTables t, float[] costs, int c, float mu, float sigma, int j) {
        return VbqQuantizer.cost(t.value(c, j), mu, VbqQuantizer.inverse(sigma), costs[c * (t.gridSize() + 1) + j]);
    }

    /** The algorithm's candidates, found by brute force: at each depth the nearest point at or below mu and the nearest above. */
    private static List<Integer> candidates(VbqTables t, int c, float mu) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int r = 0; r <= t.depth(); r++) {
            int below = -1;
            int above = -1;
            for (int k = 0; k < 1 << r; k++) {
                int j = VbqQuantizer.point(r, k, t.depth());
                if (t.value(c, j) <= mu) {
                    below = j;
                } else if (above < 0) {
                    above = j;
                }
            }
            if (below > 0) {
                out.add(below);
            }
            if (above > 0) {
                out.add(above);
            }
        }
        return out;
    }

    private static float[][] posterior(SplittableRandom r, int n) {
        float[] mu = new float[n];
        float[] sigma = new float[n];
        for (int i = 0; i < n; i++) {
            mu[i] = (float) (r.nextGaussian() * (r.nextInt(10) == 0 ? 6 : 1));
            sigma[i] = (float) Math.exp(-6 + 6 * r.nextDouble());
        }
        return new float[][] {mu, sigma};
    }

    /**
     * The chosen point minimises the objective over the algorithm's candidates (found here by brute
     * force); with raw index bits (all points of a depth cost the same) it is the minimum over every point.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void choiceMinimisesTheObjective(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(6);
        VbqTables t = TestTables.create(r, channels, 1 + r.nextInt(9));
        int n = channels * (1 + r.nextInt(40));
        float[][] q = posterior(r, n);
        double lambda = Math.exp(-8 + 14 * r.nextDouble());
        int bucket = t.lambdaBucket(lambda);
        float[] costs = VbqQuantizer.costs(t, bucket, lambda);
        int[] j = new int[n];
        VbqQuantizer.quantize(t, costs, q[0], q[1], j);
        for (int i = 0; i < n; i++) {
            int c = i % channels;
            float best = objective(t, costs, c, q[0][i], q[1][i], j[i]);
            List<Integer> cands = candidates(t, c, q[0][i]);
            assertTrue(cands.contains(j[i]), "seed " + seed + ", latent " + i + ": chose " + j[i] + ", not a candidate " + cands);
            List<Integer> all = new java.util.ArrayList<>();
            for (int k = 1; k < t.gridSize(); k++) {
                all.add(k);
            }
            for (int k : t.hasIndexModel() ? cands : all) {
                float o = objective(t, costs, c, q[0][i], q[1][i], k);
                assertTrue(best <= o, "seed " + seed + ", latent " + i + ": chose " + j[i] + " (objective " + best
                        + ") but point " + k + " scores " + o);
            }
        }
    }

    /** With lambda near 0 the quantizer picks the grid value nearest to mu (the finest grid). */
    @ParameterizedTest
    @MethodSource("seeds")
    void tinyLambdaGivesTheNearestPoint(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(5);
        VbqTables t = TestTables.create(r, channels, 2 + r.nextInt(8));
        int n = channels * 50;
        float[][] q = posterior(r, n);
        double lambda = 1e-30;
        int[] j = new int[n];
        VbqQuantizer.quantize(t, VbqQuantizer.costs(t, t.lambdaBucket(lambda), lambda), q[0], q[1], j);
        for (int i = 0; i < n; i++) {
            int c = i % channels;
            double d = Math.abs(t.value(c, j[i]) - q[0][i]);
            for (int k = 1; k < t.gridSize(); k++) {
                assertTrue(d <= Math.abs(t.value(c, k) - q[0][i]), "seed " + seed + ", latent " + i + ": point " + k + " is nearer than " + j[i]);
            }
        }
    }

    /** For one depth model, the mean code length never grows as lambda grows (exactly so for exact arithmetic, per latent). */
    @ParameterizedTest
    @MethodSource("seeds")
    void bitsNeverGrowWithLambda(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(5);
        VbqTables t = TestTables.create(r, channels, 1 + r.nextInt(9));
        int n = channels * 200;
        float[][] q = posterior(r, n);
        int bucket = r.nextInt(t.lambdaBuckets());
        float[] unit = VbqQuantizer.costs(t, bucket, 1.0);
        int g1 = t.gridSize() + 1;
        double prev = Double.POSITIVE_INFINITY;
        for (double lambda = 1e-4; lambda < 1e4; lambda *= 1.7) {
            int[] j = new int[n];
            VbqQuantizer.quantize(t, VbqQuantizer.costs(t, bucket, lambda), q[0], q[1], j);
            double bits = 0;
            for (int i = 0; i < n; i++) {
                bits += unit[(i % channels) * g1 + j[i]];
            }
            assertTrue(bits <= prev + 1e-6 * n, "seed " + seed + ", lambda " + lambda + ": " + bits / n + " bits per latent after " + prev / n);
            prev = bits;
        }
    }

    /** The Vector API kernel chooses exactly the scalar reference's points (lengths around the vector width, tails included). */
    @ParameterizedTest
    @MethodSource("seeds")
    void vectorKernelMatchesScalar(long seed) {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.latentcodec.kernels.Simd.vectorAvailable(), "no jdk.incubator.vector");
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(7);
        VbqTables t = TestTables.create(r, channels, 1 + r.nextInt(12));
        int n = r.nextInt(3) == 0 ? r.nextInt(40) : r.nextInt(3000);
        float[][] q = posterior(r, n);
        if (n > 0 && r.nextBoolean()) {
            q[1][r.nextInt(n)] = Float.MIN_VALUE; // sigma below the floor
            q[0][r.nextInt(n)] = 1e30f;           // beyond the grid
        }
        double lambda = Math.exp(-8 + 14 * r.nextDouble());
        float[] costs = VbqQuantizer.costs(t, t.lambdaBucket(lambda), lambda);
        int[] a = new int[n];
        int[] b = new int[n];
        VbqQuantizer.quantizeScalar(t, costs, q[0], q[1], a, 0);
        VbqQuantizerVector.quantize(t, costs, q[0], q[1], b);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, "seed " + seed + " (" + VbqQuantizerVector.L + " lanes)");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void depthAndIndexDescribeThePoint(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int depth = 1 + r.nextInt(16);
        for (int k = 0; k < 200; k++) {
            int j = 1 + r.nextInt((1 << (depth + 1)) - 1);
            int d = VbqQuantizer.depthOf(j, depth);
            int idx = VbqQuantizer.indexOf(j);
            assertTrue(d >= 0 && d <= depth && idx >= 0 && idx < 1 << d, "seed " + seed + ": j " + j);
            assertEquals(j, VbqQuantizer.point(d, idx, depth), "seed " + seed + ": j " + j);
        }
    }
}
