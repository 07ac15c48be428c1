package io.latentcodec.models;

import java.util.List;

/**
 * The context net of a locally autoregressive likelihood ({@link ContextSpec}) in plain Java: the
 * weights of a trained model and a deterministic forward pass, so that a codec can compute the
 * parameters of pixel j from the decoder's raw maps and the pixels decoded before j.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Same floats on both sides.</b> An encoder and a decoder that call {@link #forward} with
 * the same raw maps and the same pixel values get bit-identical parameters: only float and double
 * {@code + - * /}, comparisons and int conversions are used, in a fixed order (Java defines each
 * of them bit for bit on every JVM, interpreted or compiled). In particular the softplus is not
 * {@code Math.log1p(Math.exp(y))}, whose last bit may differ between the interpreter and a C2
 * intrinsic, but {@link #softplus}, built from arithmetic alone.
 * <li><b>Close to TensorFlow, not equal.</b> The graph the model was trained with computes the same
 * function with other summation orders and a library softplus; the parameters differ by a few
 * float ulps, which moves the coded rate by far less than it can be measured
 * ({@code ContextNetTest} compares them with the graph's).
 * <li><b>Layouts.</b> Raw maps are image-major, as {@link VaeModel#rawParams} returns them:
 * {@code raw[p][i * D + j]}. Pixel values are pixel-major, as a codec orders its symbols:
 * {@code x[j * images + i]}. Only pixels before j in raster order are read for pixel j.
 * </ul>
 * Immutable and thread-safe; each thread brings its own {@link Workspace}.
 */
public final class ContextNet {
    private final ContextSpec spec;
    private final Likelihood likelihood;
    private final int dataDim;
    /** P: parameters per pixel. */
    private final int params;
    /** K: neighbours. */
    private final int neighbours;
    /** R: raw offsets. */
    private final int rawCount;
    /** P + K: inputs of the MLP. */
    private final int inputs;
    /** Hidden units. */
    private final int hidden;
    /** [inputs][hidden], row-major: hidden_u = sum_q f_q w1[q hidden + u] + b1[u]. */
    private final float[] w1;
    private final float[] b1;
    /** [hidden][params], row-major: delta_p = sum_u relu(hidden_u) w2[u params + p] + b2[p]. */
    private final float[] w2;
    private final float[] b2;
    /** [dataDim][neighbours]: the pixel index of each neighbour of each pixel, -1 outside the image. */
    private final int[] table;
    /** [dataDim][raw offsets]: likewise for the raw offsets. */
    private final int[] rawTable;
    /** Scale of a neighbour value: 1/255 for 8-bit pixels, 1 for binary ones (as the graph's features). */
    private final float inputScale;

    private ContextNet(Architecture a, float[] w1, float[] b1, float[] w2, float[] b2) {
        this.spec = a.context();
        this.likelihood = a.likelihood();
        this.dataDim = a.dataDim();
        this.params = likelihood.paramCount();
        this.neighbours = spec.neighbours().size();
        this.rawCount = spec.rawOffsets().size();
        this.inputs = spec.inputs(params);
        this.hidden = spec.hidden();
        check("ctx_h_w", w1, (long) inputs * hidden);
        check("ctx_h_b", b1, hidden);
        check("ctx_out_w", w2, (long) hidden * params);
        check("ctx_out_b", b2, params);
        this.w1 = w1.clone();
        this.b1 = b1.clone();
        this.w2 = w2.clone();
        this.b2 = b2.clone();
        this.inputScale = likelihood.maxValue() == 1 ? 1f : 1f / 255f;
        this.table = table(spec, spec.neighbours(), dataDim);
        this.rawTable = table(spec, spec.rawOffsets(), dataDim);
    }

    private static int[] table(ContextSpec spec, List<ContextSpec.Offset> offsets, int dataDim) {
        int width = spec.width();
        int rows = spec.rows(dataDim);
        int n = offsets.size();
        int[] t = new int[dataDim * n];
        for (int j = 0; j < dataDim; j++) {
            int r = j / width;
            int c = j % width;
            for (int k = 0; k < n; k++) {
                ContextSpec.Offset o = offsets.get(k);
                int rr = r + o.dy();
                int cc = c + o.dx();
                t[j * n + k] = rr >= 0 && rr < rows && cc >= 0 && cc < width ? rr * width + cc : -1;
            }
        }
        return t;
    }

    private static void check(String name, float[] w, long n) {
        if (w == null || w.length != n) {
            throw new IllegalArgumentException(name + " must hold " + n + " floats, got " + (w == null ? "null" : w.length));
        }
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + w[i] + " is not finite");
            }
        }
    }

    /**
     * The context net of {@code a} (which must have a {@link ContextSpec}) with its four weight
     * arrays: hidden layer [P + K][Hc] row-major and [Hc], output layer [Hc][P] and [P].
     */
    public static ContextNet of(Architecture a, float[] hiddenW, float[] hiddenB, float[] outW, float[] outB) {
        if (!a.autoregressive()) {
            throw new IllegalArgumentException(a.id() + " has no context net");
        }
        return new ContextNet(a, hiddenW, hiddenB, outW, outB);
    }

    /** The context net from all of a model's weights, in {@link Architecture#variableNames()} order. */
    static ContextNet of(Architecture a, List<float[]> weights) {
        int at = Architecture.VAE_VARIABLES.size();
        return of(a, weights.get(at), weights.get(at + 1), weights.get(at + 2), weights.get(at + 3));
    }

    public ContextSpec spec() {
        return spec;
    }

    public Likelihood likelihood() {
        return likelihood;
    }

    public int dataDim() {
        return dataDim;
    }

    /** The neighbour pixels of pixel {@code j}, in feature order, -1 for those outside the image (a copy). */
    public int[] neighboursOf(int j) {
        return java.util.Arrays.copyOfRange(table, j * neighbours, (j + 1) * neighbours);
    }

    /** Per-thread scratch of {@link #forward}. */
    public static final class Workspace {
        final float[] f;
        final float[] h;

        private Workspace(int inputs, int hidden) {
            f = new float[inputs];
            h = new float[hidden];
        }
    }

    /** A fresh workspace for one thread. */
    public Workspace workspace() {
        return new Workspace(inputs, hidden);
    }

    /**
     * The likelihood's parameters of pixel {@code pixel} of images {@code from .. to - 1} of a batch
     * of {@code images}, into {@code out[p][outOffset + (i - from)]}.
     *
     * @param raw    the decoder's raw maps, {@code raw[p][i * D + pixel]} (image-major, [B, D] each, B >= images)
     * @param x      pixel values so far, pixel-major: {@code x[j * images + i]}; read only for pixels before {@code pixel}
     */
    public void forward(float[][] raw, int[] x, int images, int pixel, int from, int to, float[][] out, int outOffset, Workspace ws) {
        if (pixel < 0 || pixel >= dataDim || from < 0 || to > images || from > to) {
            throw new IllegalArgumentException("pixel " + pixel + " of " + dataDim + ", images [" + from + ", " + to + ") of " + images);
        }
        final float[] f = ws.f;
        final float[] h = ws.h;
        final int[] t = table;
        final int tb = pixel * neighbours;
        final int[] rt = rawTable;
        final int rb = pixel * rawCount;
        final int fr = params + neighbours;
        for (int i = from; i < to; i++) {
            int row = i * dataDim;
            for (int p = 0; p < params; p++) {
                f[p] = raw[p][row + pixel];
            }
            for (int k = 0; k < neighbours; k++) {
                int j = t[tb + k];
                f[params + k] = j < 0 ? 0f : x[j * images + i] * inputScale;
            }
            for (int k = 0; k < rawCount; k++) {
                int j = rt[rb + k];
                for (int p = 0; p < params; p++) {
                    f[fr + k * params + p] = j < 0 ? 0f : raw[p][row + j];
                }
            }
            hidden(f, h);
            for (int p = 0; p < params; p++) {
                out[p][outOffset + i - from] = bound(p, f[p] + delta(h, p));
            }
        }
    }

    /**
     * The parameters of whole images at once, image-major: {@code x[i * D + j]} are the pixel values
     * of image i, {@code out[p][i * D + j]} receives its parameters. What {@link #forward} computes,
     * for evaluation and tests.
     */
    public void forwardImages(float[][] raw, float[] x, int images, float[][] out) {
        int[] byPixel = new int[images * dataDim];
        for (int i = 0; i < images; i++) {
            for (int j = 0; j < dataDim; j++) {
                float v = x[i * dataDim + j];
                if (!(v >= 0 && v <= likelihood.maxValue()) || v != (int) v) {
                    throw new IllegalArgumentException("x[" + (i * dataDim + j) + "] = " + v + " is not a pixel value 0.." + likelihood.maxValue());
                }
                byPixel[j * images + i] = (int) v;
            }
        }
        float[][] col = new float[params][images];
        Workspace ws = workspace();
        for (int j = 0; j < dataDim; j++) {
            forward(raw, byPixel, images, j, 0, images, col, 0, ws);
            for (int p = 0; p < params; p++) {
                for (int i = 0; i < images; i++) {
                    out[p][i * dataDim + j] = col[p][i];
                }
            }
        }
    }

    /** h = relu(f W1 + b1): h_u = b1_u, then + f_q w1[q][u] for q = 0, 1, ... in order, then max(h_u, 0). */
    private void hidden(float[] f, float[] h) {
        final int hc = hidden;
        final float[] w = w1;
        System.arraycopy(b1, 0, h, 0, hc);
        for (int q = 0; q < inputs; q++) {
            float v = f[q];
            int o = q * hc;
            for (int u = 0; u < hc; u++) {
                h[u] += v * w[o + u];
            }
        }
        for (int u = 0; u < hc; u++) {
            h[u] = Math.max(h[u], 0f);
        }
    }

    /** delta_p = (sum over u = 0, 1, ... in order of h_u w2[u][p]) + b2[p]. */
    private float delta(float[] h, int p) {
        final int hc = hidden;
        final int np = params;
        final float[] w = w2;
        float s = 0f;
        for (int u = 0; u < hc; u++) {
            s += h[u] * w[u * np + p];
        }
        return s + b2[p];
    }

    /** The likelihood's bounding of raw value y of parameter p, as {@code VaeGraph.bound} computes it in the graph. */
    private float bound(int p, float y) {
        return switch (likelihood) {
            case BERNOULLI -> y;
            case BETA_BINOMIAL -> Math.min((float) softplus(y) + 1e-4f, 1e4f);
            case DISCRETIZED_LOGISTIC -> p == 0 ? y * 255f : (float) softplus(y) * 255f + 0.01f;
        };
    }

    // ---- softplus from arithmetic alone ----

    /** fl(log2 e). */
    private static final double LOG2E = 1.4426950408889634;
    /** Beyond |y| = 40, log(1 + e^-|y|) < 5e-18: softplus(y) = max(y, 0) exactly in double. */
    private static final double FAR = 40.0;

    /**
     * {@code log(1 + e^y)} = {@code max(y, 0) + log1p(e^-|y|)}, with e^-|y| as {@code 2^k 2^f}
     * (k = floor, 2^f by its Taylor polynomial to degree 11, relative error below 1e-11) and
     * {@code log1p(e) = 2 atanh(s)}, {@code s = e / (2 + e) <= 1/3}, by its series to s^21 (relative
     * error below 1e-11). Only {@code + - * /}, floor and exponent-field arithmetic: the same bits on
     * every JVM. Accurate to a few double ulps of the float result, which is all the model needs.
     */
    public static double softplus(double y) {
        double a = Math.abs(y);
        double m = Math.max(y, 0.0);
        if (!(a < FAR)) {
            return y != y ? y : m; // NaN stays NaN
        }
        double t = -a * LOG2E; // in (-57.8, 0]
        double k = Math.floor(t);
        double f = t - k; // [0, 1), exact
        double q = 1.0 + f * (0.6931471805599453 + f * (0.24022650695910072 + f * (0.05550410866482158 + f * (0.009618129107628477
                + f * (0.0013333558146428443 + f * (0.0001540353039338161 + f * (1.5252733804059841e-05 + f * (1.321548679014431e-06
                + f * (1.01780860092397e-07 + f * (7.054911620801123e-09 + f * 4.4455382718708116e-10))))))))));
        double e = q * Double.longBitsToDouble(((long) k + 1023) << 52); // e^-|y| in (0, 1]
        double s = e / (2.0 + e);
        double s2 = s * s;
        double series = 1.0 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11 + s2 * (1.0 / 13
                + s2 * (1.0 / 15 + s2 * (1.0 / 17 + s2 * (1.0 / 19 + s2 * (1.0 / 21))))))))));
        return m + 2.0 * s * series;
    }
}
