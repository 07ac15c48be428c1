package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The bucket grid: equal prior mass, exact antisymmetry, centres at the bucket medians, known quantiles. */
class GaussianBucketsTest {

    @ParameterizedTest(name = "bits {0}")
    @ValueSource(ints = {1, 2, 3, 5, 8, 10, 12, 14})
    void edgesHaveEqualPriorMassAndCentresAreMedians(int bits) {
        GaussianBuckets g = GaussianBuckets.of(bits);
        int b = g.count();
        assertEquals(1 << bits, b);
        assertEquals(Double.NEGATIVE_INFINITY, g.edge(0));
        assertEquals(Double.POSITIVE_INFINITY, g.edge(b));
        assertEquals(0.0, g.edge(b / 2), "bits " + bits + ": the middle edge is 0");
        for (int i = 1; i < b; i++) {
            double e = g.edge(i);
            if (!(e > g.edge(i - 1))) {
                fail("bits " + bits + ": edge " + i + " = " + e + " does not exceed edge " + (i - 1) + " = " + g.edge(i - 1));
            }
            assertEquals(0.0 - e, g.edge(b - i), "bits " + bits + ": edges are antisymmetric at " + i);
            double u = (double) i / b;
            double phi = e <= 0 ? GaussianBuckets.lowerCdf(e) : 1 - GaussianBuckets.lowerCdf(-e);
            double tol = 1e-13 * Math.min(u, 1 - u);
            if (Math.abs(phi - u) > tol) {
                fail("bits " + bits + ": Phi(edge " + i + ") = " + phi + ", not " + u);
            }
            assertEquals(u, CdfMath.normalCdf(e), 1e-12, "bits " + bits + ": the coder's Phi at edge " + i);
        }
        for (int i = 0; i < b; i++) {
            float c = g.centre(i);
            assertEquals(-c, g.centre(b - 1 - i), "bits " + bits + ": centres are antisymmetric at " + i);
            assertTrue(c >= (float) g.edge(i) && c <= (float) g.edge(i + 1), "bits " + bits + ": centre " + i + " outside its bucket");
            double m = (i + 0.5) / b;
            double phi = c <= 0 ? GaussianBuckets.lowerCdf(c) : 1 - GaussianBuckets.lowerCdf(-c);
            // the float centre is within half a float ulp of the median: Phi moves by at most density * ulp
            assertEquals(m, phi, 0.4 * Math.ulp(c) + 1e-13, "bits " + bits + ": centre " + i + " is not the bucket's median");
        }
        assertSame(g, GaussianBuckets.of(bits), "grids are cached");
        assertSame(Uniform.of(bits), g.prior());
    }

    /** Published quantiles of N(0, 1) (40-digit arithmetic). */
    @Test
    void knownQuantiles() {
        assertEquals(-0.6744897501960817, GaussianBuckets.of(2).edge(1), 1e-15);
        assertEquals(-1.150349380376008, GaussianBuckets.of(3).edge(1), 1e-15);
        assertEquals(-0.31863936396437514, GaussianBuckets.of(3).edge(3), 1e-15);
        assertEquals(-3.0972690781987846, GaussianBuckets.of(10).edge(1), 1e-14);
        assertEquals(-4.169569323349106, GaussianBuckets.of(16).edge(1), 1e-13);
        assertEquals((float) -1.150349380376008, GaussianBuckets.of(2).centre(0)); // median of [0, 1/4) is the 1/8 quantile
    }

    @Test
    void centresInBulkAndTheirChecks() {
        GaussianBuckets g = GaussianBuckets.of(4);
        int[] idx = {3, 0, 15, 8};
        float[] out = new float[6];
        g.centres(idx, 0, out, 1, 4);
        assertArrayEquals(new float[] {0, g.centre(3), g.centre(0), g.centre(15), g.centre(8), 0}, out);
        assertThrows(IllegalArgumentException.class, () -> g.centres(new int[] {16}, 0, out, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> g.centres(idx, 1, out, 0, 4));
    }

    /** The bits-back round: pop z with q, push with the prior, then the reverse: the message returns exactly. */
    @Test
    void posteriorPopPriorPushRoundTrip() {
        GaussianBuckets g = GaussianBuckets.of(8);
        GaussianPosterior q = GaussianPosterior.create(g, 16);
        int n = 500;
        float[] mu = new float[n];
        float[] sigma = new float[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            mu[i] = (float) rnd.nextGaussian();
            sigma[i] = (float) Math.exp(rnd.nextDouble(-4, 0));
        }
        try (Message m = Message.create(32, 77)) {
            int[] z = new int[n];
            q.pop(m, mu, sigma, 0, z, 0, n);
            g.prior().push(m, z, 0, n);
            int[] back = new int[n];
            g.prior().pop(m, back, 0, n);
            assertArrayEquals(z, back);
            q.push(m, mu, sigma, 0, back, 0, n);
            assertTrue(m.isPristine());
        }
    }
}
