package io.latentcodec.kernels.dist;

/**
 * The elementary functions behind every integer CDF of this package: exact by Java's rules and
 * monotone by construction. {@link CdfMathVector} computes the same functions lane by lane with
 * the same operations in the same order, so both give the same bits.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Exact.</b> Only {@code + - * /}, {@link Math#fma}, {@link Math#floor}, {@code min},
 * {@code max}, {@code abs} and exponent-field arithmetic: operations whose double result Java
 * defines bit for bit. {@code Math.exp}, {@code Math.log} and the Vector API's transcendental
 * operators are implementation-defined (interpreter, C2 intrinsic and CPU may disagree in the
 * last bit), so none of them touches a value that decides an integer.
 * <li><b>Monotone by construction.</b> IEEE rounding is monotone, so an expression built from
 * monotone operations on operands that move in the right direction is monotone <em>as
 * computed</em>, not just up to rounding error. {@link #exp} is {@code 2^k P(f)} with a
 * polynomial of non-negative coefficients evaluated at {@code f >= 0} (every partial Horner sum
 * grows with f) and {@code P} clamped to {@code [1, 2]} so the pieces join upwards at every
 * integer k. {@link #logistic} and {@link #normalCdf} are built from {@link #exp} and
 * non-negative polynomials the same way. An integer CDF {@code floor(F(t) R) + (v - lo)} over such
 * an F is therefore strictly increasing, every symbol gets frequency >= 1, with no appeal to
 * error bounds.
 * <li><b>Accurate enough.</b> exp: relative error below 2e-13; normalCdf: absolute error below
 * 1e-12; logistic: that of exp. At 24-bit precision one unit of frequency is 6e-8, so the rate
 * lost to these errors is far below anything measurable.
 * <li><b>Guesses may be loose.</b> {@link #logApprox} and {@link #probitApprox} only seed the
 * search of a decoder; the symbol is then fixed by exact comparisons against the integer CDF,
 * so their accuracy affects speed, never the result.
 * </ul>
 */
final class CdfMath {
    private CdfMath() {
    }

    /** fl(1 / ln 2): e^x = 2^(x / ln 2). */
    static final double LOG2E = 1.4426950408889634;
    /** fl(ln 2). */
    static final double LN2 = 0.6931471805599453;
    /**
     * Range of {@code y = x log2 e} before splitting into {@code k + f}: below 2^-1022 exp is
     * clamped to the smallest normal power (the caller's quantity is then far below one unit of
     * frequency), above 2^1023 to the largest; clamping is monotone, and it keeps {@code 2^k} a
     * normal double built from its exponent field.
     */
    static final double Y_MIN = -1022.0;
    static final double Y_MAX = 1023.0;

    /**
     * Taylor coefficients of {@code 2^f = e^(f ln 2)}: {@code c_n = (ln 2)^n / n!}, n = 0..13, all
     * positive. Truncation error on {@code [0, 1)}: below {@code 2 (ln 2)^14 / 14! = 1.4e-13}
     * relative, and the truncated sum never exceeds 2^f (so the clamp at 2 only guards rounding).
     */
    static final double E0 = 1.0;
    static final double E1 = 0.6931471805599453;
    static final double E2 = 0.24022650695910072;
    static final double E3 = 0.05550410866482158;
    static final double E4 = 0.009618129107628477;
    static final double E5 = 0.0013333558146428443;
    static final double E6 = 0.0001540353039338161;
    static final double E7 = 1.5252733804059841e-05;
    static final double E8 = 1.321548679014431e-06;
    static final double E9 = 1.01780860092397e-07;
    static final double E10 = 7.054911620801123e-09;
    static final double E11 = 4.4455382718708116e-10;
    static final double E12 = 2.5678435993488206e-11;
    static final double E13 = 1.3691488853904128e-12;

    /**
     * e^x, monotone non-decreasing in x as computed: {@code y = x log2 e}, clamped to
     * {@code [-1022, 1023]}; {@code k = floor(y)}, {@code f = y - k} (exact: Sterbenz); then
     * {@code e^x = 2^k min(P(f), 2)} with P the Taylor polynomial above, in Horner form with fma.
     * For finite x only (NaN gives NaN).
     */
    static double exp(double x) {
        double y = Math.min(Math.max(x * LOG2E, Y_MIN), Y_MAX);
        double k = Math.floor(y);
        double f = y - k;
        double p = Math.fma(E13, f, E12);
        p = Math.fma(p, f, E11);
        p = Math.fma(p, f, E10);
        p = Math.fma(p, f, E9);
        p = Math.fma(p, f, E8);
        p = Math.fma(p, f, E7);
        p = Math.fma(p, f, E6);
        p = Math.fma(p, f, E5);
        p = Math.fma(p, f, E4);
        p = Math.fma(p, f, E3);
        p = Math.fma(p, f, E2);
        p = Math.fma(p, f, E1);
        p = Math.fma(p, f, E0);
        p = Math.min(p, 2.0); // 2^k P(f) <= 2^(k+1) P(0): the pieces join upwards
        return p * Double.longBitsToDouble(((long) k + 1023) << 52); // times 2^k: exact
    }

    /** The logistic sigmoid {@code 1 / (1 + e^-z)}, in [0, 1], non-decreasing in z as computed. */
    static double logistic(double z) {
        return 1.0 / (1.0 + exp(-z));
    }

    /**
     * {@code tau} of the Mills-ratio fit below: {@code q = e^(-w tau)} with {@code tau = 1/6}
     * (the fit was made for fl(1/6); any positive factor keeps monotonicity).
     */
    static final double MILLS_TAU = 1.0 / 6.0;
    /**
     * Non-negative coefficients {@code a_j} of {@code Phi(-w) ~ e^(-w^2/2) sum_j a_j q^j},
     * {@code q = e^(-w/6)}, w >= 0. The Mills ratio {@code Phi(-w)/phi(w)} is completely monotone
     * (a Laplace transform of {@code e^(-t^2/2)}), so a sum of decaying exponentials with positive
     * weights fits it well; the weights were found by non-negative least squares on
     * {@code [0, 10]}, weighting the absolute error of Phi, with {@code sum a_j = 1/2} pinned
     * (Phi(0) = 1/2). Maximum absolute error of Phi against 40-digit arithmetic: 6.7e-13. A
     * polynomial in {@code q >= 0} with non-negative coefficients grows with q, so the product
     * falls as w grows, as computed.
     */
    static final double[] MILLS = {
        0.018518478724927193, 0.1074628941326546, 0.0, 0.10558136800685224, 0.07285151214106957,
        0.0, 0.01063773872709865, 0.12150367995002519, 0.0, 0.0,
        0.0, 0.037339736694044105, 0.018202653070629064, 0.0, 0.0,
        0.0, 0.0012234182955217173, 0.0064688945324401495, 0.0, 0.0,
        0.0, 0.0, 0.0, 5.741373509009785e-05, 0.0001522119896475116,
    };

    /**
     * The lower tail {@code Phi(-w)} for {@code w >= 0}, in {@code [0, 1/2]}, non-increasing in w
     * as computed: {@code e^(-w^2/2) P(e^(-w/6))}, P in Horner form with fma over the
     * coefficients above (zeros included; every partial sum is non-negative and grows with q),
     * clamped at 1/2 so the two halves of {@link #normalCdf} meet upwards at 0.
     */
    static double normalTail(double w) {
        double g = exp(-(w * w) * 0.5);
        double q = exp(-w * MILLS_TAU);
        double[] a = MILLS;
        double p = a[24];
        for (int j = 23; j >= 0; j--) {
            p = Math.fma(p, q, a[j]);
        }
        return Math.min(g * p, 0.5);
    }

    /** The standard normal CDF Phi(z), in [0, 1], non-decreasing in z as computed (absolute error < 1e-12). */
    static double normalCdf(double z) {
        double t = normalTail(Math.abs(z));
        return z < 0 ? t : 1.0 - t;
    }

    // ---------------------------------------------------------------- guesses (speed only)

    /** fl(sqrt(2)): mantissas above it are halved so the series argument stays within +-0.172. */
    static final double SQRT2 = 1.4142135623730951;

    /**
     * Natural log of a positive normal x to about 1e-9 (enough for a guess): x = m 2^e with
     * m in [sqrt(1/2), sqrt(2)), {@code ln m = 2 atanh(s)}, {@code s = (m - 1)/(m + 1)}, series to s^9.
     */
    static double logApprox(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long e = ((bits >>> 52) & 0x7FF) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (m > SQRT2) {
            m *= 0.5;
            e++;
        }
        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double series = s * (2.0 + s2 * (2.0 / 3 + s2 * (2.0 / 5 + s2 * (2.0 / 7 + s2 * (2.0 / 9)))));
        return e * LN2 + series;
    }

    // Acklam's rational approximation of the probit, relative error about 1e-9.
    static final double A1 = -3.969683028665376e+01, A2 = 2.209460984245205e+02, A3 = -2.759285104469687e+02;
    static final double A4 = 1.383577518672690e+02, A5 = -3.066479806614716e+01, A6 = 2.506628277459239e+00;
    static final double B1 = -5.447609879822406e+01, B2 = 1.615858368580409e+02, B3 = -1.556989798598866e+02;
    static final double B4 = 6.680131188771972e+01, B5 = -1.328068155288572e+01;
    static final double C1 = -7.784894002430293e-03, C2 = -3.223964580411365e-01, C3 = -2.400758277161838e+00;
    static final double C4 = -2.549732539343734e+00, C5 = 4.374664141464968e+00, C6 = 2.938163982698783e+00;
    static final double D1 = 7.784695709041462e-03, D2 = 3.224671290700398e-01, D3 = 2.445134137142996e+00;
    static final double D4 = 3.754408661907416e+00;
    /** Acklam's switch between the central and the tail formula. */
    static final double P_LOW = 0.02425;

    /**
     * {@code Phi^-1(u)} for u in (0, 1), to about 1e-8 with {@link #logApprox}: a guess only.
     * The central formula for {@code |u - 1/2| <= 1/2 - P_LOW}, the tail formula beyond.
     */
    static double probitApprox(double u) {
        double c = u - 0.5;
        if (Math.abs(c) <= 0.5 - P_LOW) {
            double r = c * c;
            return (((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * c
                    / (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1.0);
        }
        double tail = Math.min(u, 1.0 - u);
        double q = Math.sqrt(-2.0 * logApprox(tail));
        double x = (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6)
                / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1.0);
        return c < 0 ? x : -x;
    }
}
