package io.latentcodec.kernels.dist;

/**
 * The float distributions the codecs approximate, computed independently of the code under
 * test: {@code Math.exp}/{@code Math.log} and the grid's continued-fraction Phi, with each
 * mass taken from whichever tail avoids cancellation.
 */
final class Reference {
    private Reference() {
    }

    /** Phi(z) for any z, from the lower-tail reference. */
    static double phi(double z) {
        return z <= 0 ? GaussianBuckets.lowerCdf(z) : 1 - GaussianBuckets.lowerCdf(-z);
    }

    /** Mass of {@code [a, b)} under a standard CDF with lower tail {@code lower(z)} and upper tail {@code lower(-z)} (symmetric). */
    private static double mass(java.util.function.DoubleUnaryOperator lower, double a, double b) {
        if (b <= 0) {
            return lower.applyAsDouble(b) - lower.applyAsDouble(a);
        }
        if (a >= 0) {
            return lower.applyAsDouble(-a) - lower.applyAsDouble(-b);
        }
        return 1 - lower.applyAsDouble(a) - lower.applyAsDouble(-b);
    }

    private static double[] discretized(java.util.function.DoubleUnaryOperator lower, int lo, int hi, double mu, double s) {
        double[] m = new double[hi - lo + 1];
        for (int v = lo; v <= hi; v++) {
            double a = v == lo ? Double.NEGATIVE_INFINITY : (v - 0.5 - mu) / s;
            double b = v == hi ? Double.POSITIVE_INFINITY : (v + 0.5 - mu) / s;
            m[v - lo] = mass(lower, a, b);
        }
        return m;
    }

    static double logisticLower(double z) {
        return z == Double.NEGATIVE_INFINITY ? 0 : 1 / (1 + Math.exp(-z));
    }

    static double gaussianLower(double z) {
        return z == Double.NEGATIVE_INFINITY ? 0 : z == Double.POSITIVE_INFINITY ? 1 : phi(z);
    }

    static double[] logistic(int lo, int hi, double mu, double s) {
        return discretized(Reference::logisticLower, lo, hi, mu, s);
    }

    static double[] gaussian(int lo, int hi, double mu, double s) {
        return discretized(Reference::gaussianLower, lo, hi, mu, s);
    }

    static double[] posterior(GaussianBuckets g, double mu, double s) {
        double[] m = new double[g.count()];
        for (int i = 0; i < m.length; i++) {
            m[i] = mass(Reference::gaussianLower, (g.edge(i) - mu) / s, (g.edge(i + 1) - mu) / s);
        }
        return m;
    }

    static double[] bernoulli(double logit) {
        double p1 = 1 / (1 + Math.exp(-logit));
        double p0 = 1 / (1 + Math.exp(logit));
        return new double[] {p0, p1};
    }

    /** Beta-binomial PMF in the log domain: {@code log p(k+1) - log p(k) = log((n-k)(k+a)) - log((k+1)(n-k-1+b))}, normalised. */
    static double[] betaBinomial(int n, double a, double b) {
        double[] lp = new double[n + 1];
        double max = 0;
        for (int k = 0; k < n; k++) {
            lp[k + 1] = lp[k] + Math.log((n - k) * (k + a)) - Math.log((k + 1) * (n - k - 1 + b));
            max = Math.max(max, lp[k + 1]);
        }
        double sum = 0;
        double[] p = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            p[k] = Math.exp(lp[k] - max);
            sum += p[k];
        }
        for (int k = 0; k <= n; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** {@code cum[i]} = mass of the symbols before i; {@code cum[n]} = total. */
    static double[] cumulative(double[] m) {
        double[] c = new double[m.length + 1];
        for (int i = 0; i < m.length; i++) {
            c[i + 1] = c[i] + m[i];
        }
        return c;
    }

    /** A symbol index drawn by inverse CDF: the i with {@code cum[i] <= u cum[n] < cum[i + 1]}, skipping empty ones. */
    static int sample(double[] cum, double u) {
        double t = u * cum[cum.length - 1];
        int a = 0;
        int b = cum.length - 2;
        while (a < b) { // largest i with cum[i] <= t
            int mid = (a + b + 1) >>> 1;
            if (cum[mid] <= t) {
                a = mid;
            } else {
                b = mid - 1;
            }
        }
        return a;
    }
}
