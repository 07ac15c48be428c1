package io.latentcodec.engine.vbq;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the VBQ quantizer on synthetic grids (no network). */
class VbqQuantizerTest {

    static LongStream seeds() {
        return LongStream.range(0, 30);
    }

    private static double objective(VbqTables t, double[] costs, int c, float mu, float sigma, int j) {
        double d = t.value(c, j) - mu;
        return d * d / (2.0 * sigma * sigma) + costs[c * (t.depth() + 1) + VbqQuantizer.depthOf(j, t.depth())];
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

    /** The chosen point minimises the objective over every point of every depth, not only over the candidates. */
    @ParameterizedTest
    @MethodSource("seeds")
    void choiceIsTheGlobalMinimum(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(6);
        VbqTables t = TestTables.create(r, channels, 1 + r.nextInt(9));
        int n = channels * (1 + r.nextInt(40));
        float[][] q = posterior(r, n);
        double lambda = Math.exp(-8 + 14 * r.nextDouble());
        int bucket = t.lambdaBucket(lambda);
        double[] costs = VbqQuantizer.costs(t, bucket, lambda);
        int[] j = new int[n];
        VbqQuantizer.quantize(t, costs, q[0], q[1], j);
        for (int i = 0; i < n; i++) {
            int c = i % channels;
            double best = objective(t, costs, c, q[0][i], q[1][i], j[i]);
            for (int k = 1; k < t.gridSize(); k++) {
                double o = objective(t, costs, c, q[0][i], q[1][i], k);
                assertTrue(best <= o * (1 + 1e-12), "seed " + seed + ", latent " + i + ": chose " + j[i] + " (objective " + best
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

    /** For one cost table, a larger lambda never chooses a point that costs more bits (per latent, exactly). */
    @ParameterizedTest
    @MethodSource("seeds")
    void bitsNeverGrowWithLambda(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(5);
        VbqTables t = TestTables.create(r, channels, 1 + r.nextInt(9));
        int n = channels * 40;
        float[][] q = posterior(r, n);
        int bucket = r.nextInt(t.lambdaBuckets());
        double[] unit = VbqQuantizer.costs(t, bucket, 1.0);
        int[] prev = null;
        for (double lambda = 1e-4; lambda < 1e4; lambda *= 1.7) {
            double[] costs = unit.clone();
            for (int k = 0; k < costs.length; k++) {
                costs[k] *= lambda;
            }
            int[] j = new int[n];
            VbqQuantizer.quantize(t, costs, q[0], q[1], j);
            if (prev != null) {
                for (int i = 0; i < n; i++) {
                    int c = i % channels;
                    double now = unit[c * (t.depth() + 1) + VbqQuantizer.depthOf(j[i], t.depth())];
                    double before = unit[c * (t.depth() + 1) + VbqQuantizer.depthOf(prev[i], t.depth())];
                    assertTrue(now <= before + 1e-9, "seed " + seed + ", latent " + i + ", lambda " + lambda + ": " + now + " bits after " + before);
                }
            }
            prev = j;
        }
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
