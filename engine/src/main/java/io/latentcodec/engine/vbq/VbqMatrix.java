package io.latentcodec.engine.vbq;

import io.latentcodec.kernels.Message;

/**
 * VBQ and uniform quantization of a matrix of Gaussian posteriors (rows x cols; column = channel),
 * with tables built from the matrix itself, for codecs that carry their models in the stream (word
 * embeddings, {@code io.latentcodec.engine.embed.EmbeddingCodec}).
 *
 * <ul>
 *   <li>Prior of column c: N(m_c, s_c^2), the moments of its aggregate posterior
 *       ({@code m} = mean of mu, {@code s^2} = variance of mu + mean of sigma^2), stored as float32. Grid
 *       value {@code F^-1(j / G) = m + s probit(j / G)}, computed with {@link #probit} (StrictMath only),
 *       rounded to float and made strictly increasing: encoder and decoder derive the same grid.</li>
 *   <li>Depth model: counted from the encoder's own choices (two rounds: the choice uses the depth costs of
 *       the previous round's counts) and carried in the stream.</li>
 *   <li>Uniform: {@code q = clamp(round(mu / step), -Q, Q)}, Q = ceil(max |mu| / step) (at most 8191),
 *       per-column symbol counts carried in the stream.</li>
 * </ul>
 */
public final class VbqMatrix {
    public static final int DEPTH = 11;
    public static final int LANES = 8;

    private VbqMatrix() {
    }

    /** The VBQ choice: column priors, depth counts, grid integers, and the values they decode to. */
    public record Chosen(int depth, float[] m, float[] s, long[][] counts, int[] j, float[] values, VbqTables tables) {
    }

    /** The uniform choice. */
    public record Uniform(int half, double step, long[][] counts, int[] symbols, float[] values, VbqTables tables) {
    }

    /**
     * Acklam's rational approximation of the standard normal quantile (relative error about 1e-9),
     * with StrictMath's log and sqrt: the same bits on every JVM.
     */
    public static double probit(double p) {
        final double a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02, a3 = -2.759285104469687e+02;
        final double a4 = 1.383577518672690e+02, a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
        final double b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02, b3 = -1.556989798598866e+02;
        final double b4 = 6.680131188771972e+01, b5 = -1.328068155288572e+01;
        final double c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01, c3 = -2.400758277161838e+00;
        final double c4 = -2.549732539343734e+00, c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
        final double d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01, d3 = 2.445134137142996e+00;
        final double d4 = 3.754408661907416e+00;
        double low = 0.02425;
        if (p < low) {
            double q = StrictMath.sqrt(-2 * StrictMath.log(p));
            return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        if (p > 1 - low) {
            double q = StrictMath.sqrt(-2 * StrictMath.log(1 - p));
            return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q / (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
    }

    /** The grids of N(m_c, s_c^2), G - 1 values each, strictly increasing. */
    static float[][] grids(float[] m, float[] s, int depth) {
        int g = 1 << (depth + 1);
        float[][] v = new float[m.length][g - 1];
        for (int c = 0; c < m.length; c++) {
            for (int j = 1; j < g; j++) {
                float x = (float) (m[c] + s[c] * probit((double) j / g));
                v[c][j - 1] = j > 1 ? Math.max(x, Math.nextUp(v[c][j - 2])) : x;
            }
        }
        return v;
    }

    /** {@code smoothing}: while choosing (every depth must stay possible); false for the tables that code the final choice. */
    static VbqTables vbqTables(float[] m, float[] s, int depth, double lambda, long[][] counts, boolean smoothing) {
        return new VbqTables(depth, new double[] {lambda}, grids(m, s, depth), new long[][][] {counts}, new double[0], new int[0], new long[0][][],
                smoothing);
    }

    public static Chosen vbq(float[] mu, float[] sigma, int rows, int cols, double lambda) {
        if (mu.length != (long) rows * cols || sigma.length != mu.length) {
            throw new IllegalArgumentException("mu and sigma must hold rows x cols = " + (long) rows * cols + " values");
        }
        float[] m = new float[cols];
        float[] s = new float[cols];
        for (int c = 0; c < cols; c++) {
            double sum = 0;
            double sq = 0;
            double var = 0;
            for (int r = 0; r < rows; r++) {
                double x = mu[r * cols + c];
                sum += x;
                sq += x * x;
                var += (double) sigma[r * cols + c] * sigma[r * cols + c];
            }
            double mean = sum / rows;
            m[c] = (float) mean;
            s[c] = (float) Math.sqrt(Math.max(1e-12, sq / rows - mean * mean + var / rows));
        }
        long[][] counts = new long[cols][DEPTH + 1];
        int[] j = new int[mu.length];
        VbqTables t = null;
        for (int round = 0; round < 2; round++) {
            t = vbqTables(m, s, DEPTH, lambda, counts, true);
            VbqQuantizer.quantize(t, VbqQuantizer.costs(t, 0, lambda), mu, sigma, j);
            counts = new long[cols][DEPTH + 1];
            for (int i = 0; i < j.length; i++) {
                counts[i % cols][VbqQuantizer.depthOf(j[i], DEPTH)]++;
            }
        }
        t = vbqTables(m, s, DEPTH, lambda, counts, false);
        return new Chosen(DEPTH, m, s, counts, j, Vbq.latents(t, j), t);
    }

    public static void pushVbq(Message msg, Chosen c) {
        VbqCoder.push(msg, c.tables(), 0, c.j());
    }

    public static float[] popVbq(Message msg, float[] m, float[] s, long[][] counts, int depth, int rows, int cols, double lambda) {
        VbqTables t = vbqTables(m, s, depth, lambda, counts, false);
        int[] j = VbqCoder.pop(msg, t, 0, rows * cols);
        return Vbq.latents(t, j);
    }

    static VbqTables uniformTables(int cols, double step, int half, long[][] counts) {
        float[][] trivial = new float[cols][];
        long[][] depth = new long[cols][2];
        for (int c = 0; c < cols; c++) {
            trivial[c] = new float[] {-1, 0, 1};
        }
        return new VbqTables(1, new double[] {1}, trivial, new long[][][] {depth}, new double[] {step}, new int[] {half},
                new long[][][] {counts}, false);
    }

    public static Uniform uniform(float[] mu, int rows, int cols, double step) {
        if (!(step > 0) || mu.length != (long) rows * cols) {
            throw new IllegalArgumentException("bad step " + step + " or matrix size");
        }
        double max = 0;
        for (float x : mu) {
            max = Math.max(max, Math.abs(x));
        }
        int half = (int) Math.max(1, Math.min(8191, Math.ceil(max / step)));
        long[][] counts = new long[cols][2 * half + 1];
        int[] sym = new int[mu.length];
        for (int i = 0; i < mu.length; i++) {
            long q = Math.round(mu[i] / step);
            sym[i] = (int) Math.max(-half, Math.min(half, q)) + half;
            counts[i % cols][sym[i]]++;
        }
        VbqTables t = uniformTables(cols, step, half, counts);
        return new Uniform(half, step, counts, sym, Vbq.uniformLatents(step, half, sym), t);
    }

    public static void pushUniform(Message msg, Uniform u) {
        VbqCoder.pushUniform(msg, u.tables(), 0, u.symbols());
    }

    public static float[] popUniform(Message msg, long[][] counts, int half, double step, int rows, int cols) {
        VbqTables t = uniformTables(cols, step, half, counts);
        return Vbq.uniformLatents(step, half, VbqCoder.popUniform(msg, t, 0, rows * cols));
    }
}
