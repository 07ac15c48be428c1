package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Simd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The elementary functions: accurate (against {@code Math.exp}, against an independent Phi and
 * against published values of Phi), monotone as computed (on runs of consecutive doubles, where a
 * one-ulp slip would show, around the joins of exp's pieces and around 0), and bit-identical in
 * the vector twins.
 */
class CdfMathTest {
    static LongStream seeds() {
        return LongStream.range(0, 120);
    }

    /** A random argument of exp's interesting range (including both clamps). */
    static double expArgument(SplittableRandom rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextDouble(-800, 800);
            case 1 -> rnd.nextDouble(-1, 1);
            case 2 -> (rnd.nextInt(2000) - 1000) / CdfMath.LOG2E; // near a join k -> k + 1
            default -> rnd.nextDouble(-40, 40);
        };
    }

    static void assertNonDecreasingAround(String what, DoubleUnaryOperator f, double x0, int steps, long seed) {
        double x = x0;
        for (int i = 0; i < steps; i++) {
            x = Math.nextDown(x);
        }
        double prev = f.applyAsDouble(x);
        for (int i = 0; i < 2 * steps; i++) {
            x = Math.nextUp(x);
            double y = f.applyAsDouble(x);
            if (y < prev) {
                fail(what + " decreases at " + x + " (" + prev + " -> " + y + "), seed " + seed);
            }
            prev = y;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void expIsAccurateAndMonotone(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            double x = expArgument(rnd);
            double e = CdfMath.exp(x);
            double ref = Math.exp(Math.max(Math.min(x, 709.0), -708.0));
            if (x > -708 && x < 709) {
                assertEquals(ref, e, 2e-13 * ref, "exp(" + x + "), seed " + seed);
            }
        }
        assertNonDecreasingAround("exp", CdfMath::exp, expArgument(rnd), 300, seed);
        int k = rnd.nextInt(2040) - 1020;
        assertNonDecreasingAround("exp at the join 2^" + k, CdfMath::exp, k / CdfMath.LOG2E, 300, seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void normalCdfIsAccurateAndMonotone(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0xABCDEFL);
        for (int i = 0; i < 100; i++) {
            double z = rnd.nextDouble(-9, 0);
            double ref = GaussianBuckets.lowerCdf(z); // continued fraction / series: an independent algorithm
            assertEquals(ref, CdfMath.normalCdf(z), 1e-12, "Phi(" + z + "), seed " + seed);
            assertEquals(1 - ref, CdfMath.normalCdf(-z), 1e-12, "Phi(" + -z + "), seed " + seed);
        }
        double z0 = switch (rnd.nextInt(4)) {
            case 0 -> 0.0;
            case 1 -> rnd.nextDouble(-1e-300, 1e-300);
            default -> rnd.nextDouble(-12, 12);
        };
        assertNonDecreasingAround("Phi", CdfMath::normalCdf, z0, 400, seed);
        assertNonDecreasingAround("logistic", CdfMath::logistic, rnd.nextDouble(-60, 60), 400, seed);
        // a sorted sample over the whole range
        double prev = -1;
        for (double z = -40 + rnd.nextDouble(0.01); z < 40; z += rnd.nextDouble(1e-2)) {
            double y = CdfMath.normalCdf(z);
            if (!(y >= prev && y >= 0 && y <= 1)) {
                fail("Phi(" + z + ") = " + y + " after " + prev + ", seed " + seed);
            }
            prev = y;
        }
    }

    /** Published values of Phi (40-digit arithmetic). */
    @Test
    void normalCdfMatchesKnownValues() {
        double[][] known = {
            {-1, 0.15865525393145705}, {-2, 0.02275013194817921}, {-3, 0.0013498980316300946},
            {-5, 2.866515718791939e-07}, {-8, 6.220960574271784e-16}, {1.5, 0.9331927987311419},
            {0.25, 0.5987063256829237}, {0, 0.5},
        };
        for (double[] k : known) {
            assertEquals(k[1], CdfMath.normalCdf(k[0]), 1e-12, "Phi(" + k[0] + ")");
            if (k[0] <= 0) {
                assertEquals(k[1], GaussianBuckets.lowerCdf(k[0]), 1e-14 * k[1], "reference Phi(" + k[0] + ")");
            }
        }
        assertEquals(0.5, CdfMath.normalCdf(-0.0));
        // far tails: exp is clamped at 2^-1022, so the lower tail ends at a value far below one unit of 2^-24
        assertTrue(CdfMath.normalCdf(-1e300) < 1e-300);
        assertEquals(1.0, CdfMath.normalCdf(1e300));
        assertTrue(CdfMath.logistic(-1e300) < 1e-300);
        assertEquals(1.0, CdfMath.logistic(1e300));
    }

    @Test
    void logisticIsAccurate() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            double z = rnd.nextDouble(-700, 700);
            double ref = 1 / (1 + Math.exp(-z));
            assertEquals(ref, CdfMath.logistic(z), 2e-13 * ref + 1e-300, "logistic(" + z + ")");
        }
    }

    @Test
    void guessesAreCloseEnough() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            double x = Math.exp(rnd.nextDouble(-700, 700));
            assertEquals(Math.log(x), CdfMath.logApprox(x), 1e-8 * Math.max(1, Math.abs(Math.log(x))), "log(" + x + ")");
            double u = rnd.nextBoolean() ? rnd.nextDouble() : Math.exp(rnd.nextDouble(-17, -1));
            u = Math.max(u, 1e-9);
            double z = CdfMath.probitApprox(u);
            assertEquals(u, GaussianBuckets.lowerCdf(Math.min(z, 0)) + (z > 0 ? CdfMath.normalCdf(z) - 0.5 : 0), 1e-6 * u + 1e-9,
                    "probit(" + u + ") = " + z);
        }
    }

    // ---------------------------------------------------------------- vector twins

    static double[] arguments(long seed, int n, double lo, double hi) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] special = {0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, Double.MIN_VALUE, 709.0, -745.0, 1e20, -1e20};
        for (int i = 0; i < n; i++) {
            x[i] = i < special.length ? special[i] : rnd.nextInt(3) == 0 ? expArgument(rnd) : rnd.nextDouble(lo, hi);
        }
        return x;
    }

    /** A vector stage: {@code out[i] = f(in[i])} for i < n, with scratch arrays as it needs. */
    interface Stage {
        void run(double[] in, double[] out, double[] tmp1, double[] tmp2, int n);
    }

    static void assertVectorTwin(String what, DoubleUnaryOperator scalar, Stage vector, double[] x) {
        // odd lengths too: lanes past n must not disturb lanes before
        for (int n : new int[] {x.length, x.length - CdfMathVector.V / 2, 1}) {
            int pad = CdfMathVector.padded(n);
            double[] in = java.util.Arrays.copyOf(x, pad);
            double[] out = new double[pad];
            vector.run(in, out, new double[pad], new double[pad], n);
            for (int i = 0; i < n; i++) {
                double s = scalar.applyAsDouble(x[i]);
                if (Double.doubleToRawLongBits(s) != Double.doubleToRawLongBits(out[i])) {
                    fail(what + "(" + x[i] + "): scalar " + s + " but vector " + out[i] + " (n = " + n + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void vectorTwinsGiveTheSameBits(long seed) {
        assumeTrue(Simd.vectorEnabled(), "vector path disabled");
        double[] x = arguments(seed, 64 * CdfMathVector.V, -50, 50);
        assertVectorTwin("exp", CdfMath::exp, (in, out, t1, t2, n) -> CdfMathVector.exp(in, out, n), x);
        assertVectorTwin("logistic", CdfMath::logistic, (in, out, t1, t2, n) -> CdfMathVector.logistic(in, out, t1, n), x);
        assertVectorTwin("normalCdf", CdfMath::normalCdf, CdfMathVector::normalCdf, x);
        double[] pos = arguments(seed + 1, 16 * CdfMathVector.V, 1e-9, 1e9);
        for (int i = 0; i < pos.length; i++) {
            pos[i] = Math.max(Math.abs(pos[i]), 1e-300);
        }
        assertVectorTwin("logApprox", CdfMath::logApprox, (in, out, t1, t2, n) -> CdfMathVector.logApprox(in, out, n), pos);
        double[] u = new double[16 * CdfMathVector.V];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < u.length; i++) {
            u[i] = rnd.nextBoolean() ? rnd.nextDouble(1e-9, 1 - 1e-9) : Math.exp(-rnd.nextDouble(20));
        }
        assertVectorTwin("probitApprox", CdfMath::probitApprox, (in, out, t1, t2, n) -> CdfMathVector.probitApprox(in, out, t1, n), u);
    }
}
