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
 * <li><b>Layouts.</b> Raw maps (E of them) are image-major, as {@link VaeModel#rawParams} returns them:
 * {@code raw[e][i * D + j]}; parameters come out as P arrays. Pixel values are pixel-major, as a codec orders its symbols:
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
    /** E: the decoder's maps per pixel. */
    private final int maps;
    /** Whether the outputs are added to the maps (E = P). */
    private final boolean residual;
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
        this.maps = spec.maps(params);
        this.residual = spec.residual(params);
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

    /** E: the decoder maps {@link #forward} reads ({@link VaeModel#rawParams} gives them). */
    public int maps() {
        return maps;
    }

    /** The neighbour pixels of pixel {@code j}, in feature order, -1 for those outside the image (a copy). */
    public int[] neighboursOf(int j) {
        return java.util.Arrays.copyOfRange(table, j * neighbours, (j + 1) * neighbours);
    }

    /** Symbols per kernel pass: one 256-bit vector of floats. */
    static final int LANES = 8;
    /**
     * Whether {@link #forward} runs the Vector API kernel: the module is present and
     * {@code latentcodec.simd} is not {@code scalar} (the property the rANS kernels read). Both
     * kernels give the same bits; {@link ContextNetVector} is loaded only when this is true.
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"scalar".equals(System.getProperty("latentcodec.simd", "auto").trim().toLowerCase(java.util.Locale.ROOT));

    /** Per-thread scratch of {@link #forward}: features and outputs of {@link #LANES} symbols. */
    public static final class Workspace {
        /** Features, symbol-minor: {@code f[q LANES + lane]}. */
        final float[] f;
        /** Output sums, symbol-minor: {@code s[p LANES + lane]}. */
        final float[] s;
        /** Hidden activations, symbol-minor: {@code h[u LANES + lane]} (vector kernel). */
        final float[] h;

        private Workspace(int inputs, int params, int hidden) {
            f = new float[inputs * LANES];
            s = new float[params * LANES];
            h = new float[hidden * LANES];
        }
    }

    /** A fresh workspace for one thread. */
    public Workspace workspace() {
        return new Workspace(inputs, params, hidden);
    }

    /** Whether {@link #forward} runs the Vector API kernel (same bits as the scalar one); see {@link #VECTOR}. */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * The likelihood's parameters of pixel {@code pixel} of images {@code from .. to - 1} of a batch
     * of {@code images}, into {@code out[p][outOffset + (i - from)]}.
     *
     * <p>Each symbol's parameters are computed by exactly this sequence of float operations,
     * whichever kernel runs and however the images are grouped (so encoder and decoder agree bit
     * for bit):
     * <pre>
     *   f          = [raw at the pixel, neighbours x * scale (0 outside), raw at the raw offsets (0 outside)]
     *   for u = 0 .. Hc-1:   h = b1[u];  for q = 0 .. F-1: h = fma(f[q], w1[q][u], h);  h = max(h, 0)
     *                        for p: s[p] = fma(h, w2[u][p], s[p])            (s starts at 0)
     *   theta[p]   = bound_p(f[p] + (s[p] + b2[p]))   (E = P; else bound_p(s[p] + b2[p]); {@link #softplus} in floats)
     * </pre>
     *
     * @param raw    the decoder's raw maps, {@code raw[p][i * D + pixel]} (image-major, [B, D] each, B >= images)
     * @param x      pixel values so far, pixel-major: {@code x[j * images + i]}; read only for pixels before {@code pixel}
     */
    public void forward(float[][] raw, int[] x, int images, int pixel, int from, int to, float[][] out, int outOffset, Workspace ws) {
        forward(raw, x, images, pixel, from, to, out, outOffset, ws, VECTOR);
    }

    /** {@link #forward} with the kernel chosen: the vector one (needs the module) or the scalar one. */
    void forward(float[][] raw, int[] x, int images, int pixel, int from, int to, float[][] out, int outOffset, Workspace ws,
                 boolean vector) {
        if (pixel < 0 || pixel >= dataDim || from < 0 || to > images || from > to) {
            throw new IllegalArgumentException("pixel " + pixel + " of " + dataDim + ", images [" + from + ", " + to + ") of " + images);
        }
        final int lanes = LANES;
        for (int g = from; g < to; g += lanes) {
            int n = Math.min(lanes, to - g);
            features(raw, x, images, pixel, g, n, ws.f);
            if (vector) {
                ContextNetVector.mlp(this, n, ws, out, outOffset + g - from);
            } else {
                mlp(n, ws, out, outOffset + g - from);
            }
        }
    }

    /** Features of images {@code g .. g + n - 1} ({@code n <= LANES}) at {@code pixel} into {@code f[q LANES + lane]}. */
    private void features(float[][] raw, int[] x, int images, int pixel, int g, int n, float[] f) {
        final int lanes = LANES;
        final int[] t = table;
        final int tb = pixel * neighbours;
        final int[] rt = rawTable;
        final int rb = pixel * rawCount;
        final int e = maps;
        final int fr = e + neighbours;
        for (int l = 0; l < n; l++) {
            int i = g + l;
            int row = i * dataDim;
            for (int p = 0; p < e; p++) {
                f[p * lanes + l] = raw[p][row + pixel];
            }
            for (int k = 0; k < neighbours; k++) {
                int j = t[tb + k];
                f[(e + k) * lanes + l] = j < 0 ? 0f : x[j * images + i] * inputScale;
            }
            for (int k = 0; k < rawCount; k++) {
                int j = rt[rb + k];
                for (int p = 0; p < e; p++) {
                    f[(fr + k * e + p) * lanes + l] = j < 0 ? 0f : raw[p][row + j];
                }
            }
        }
    }

    /** The scalar kernel: the MLP and the bounding of {@code n} symbols whose features are in {@code ws.f}. */
    private void mlp(int n, Workspace ws, float[][] out, int at) {
        final int lanes = LANES;
        final float[] f = ws.f;
        final int hc = hidden;
        final int np = params;
        for (int l = 0; l < n; l++) {
            for (int p = 0; p < np; p++) {
                ws.s[p * lanes + l] = 0f;
            }
            for (int u = 0; u < hc; u++) {
                float h = b1[u];
                for (int q = 0; q < inputs; q++) {
                    h = Math.fma(f[q * lanes + l], w1[q * hc + u], h);
                }
                h = Math.max(h, 0f);
                for (int p = 0; p < np; p++) {
                    ws.s[p * lanes + l] = Math.fma(h, w2[u * np + p], ws.s[p * lanes + l]);
                }
            }
            for (int p = 0; p < np; p++) {
                float d = ws.s[p * lanes + l] + b2[p];
                out[p][at + l] = bound(p, residual ? f[p * lanes + l] + d : d);
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

    /** The likelihood's bounding of raw value y of parameter p, as {@code VaeGraph.bound} computes it in the graph. */
    private float bound(int p, float y) {
        return bound(likelihood, p, y);
    }

    /** {@link #bound(int, float)} for any likelihood (the deterministic VAE bounds its decoder's maps with it). */
    static float bound(Likelihood likelihood, int p, float y) {
        return switch (likelihood) {
            case BERNOULLI -> y;
            case BETA_BINOMIAL -> Math.min(softplus(y) + BETA_MIN, BETA_MAX);
            case DISCRETIZED_LOGISTIC -> p == 0 ? y * 255f : softplus(y) * 255f + LOGISTIC_SCALE_MIN;
            case LOGISTIC_MIXTURE -> p < Likelihood.MIXTURE_COMPONENTS ? y
                    : p < 2 * Likelihood.MIXTURE_COMPONENTS ? y * 255f : softplus(y) * 255f + LOGISTIC_SCALE_MIN;
        };
    }

    static final float BETA_MIN = 1e-4f;
    static final float BETA_MAX = 1e4f;
    static final float LOGISTIC_SCALE_MIN = 0.01f;

    // ---- accessors for the vector kernel ----

    int inputs() {
        return inputs;
    }

    int hiddenUnits() {
        return hidden;
    }

    int params() {
        return params;
    }

    boolean residual() {
        return residual;
    }

    float[] w1() {
        return w1;
    }

    float[] b1() {
        return b1;
    }

    float[] w2() {
        return w2;
    }

    float[] b2() {
        return b2;
    }

    // ---- softplus from arithmetic alone ----

    /** fl(log2 e), and the float nearest to what it leaves out: log2 e = LOG2E + LOG2E_LO to about 1e-15. */
    static final float LOG2E = 1.442695f;
    static final float LOG2E_LO = (float) (1.4426950408889634 - 1.442695f);
    /**
     * From |y| = 87 on, softplus(y) = max(y, 0) in floats: log(1 + e^-|y|) < 1.7e-38 is below half an
     * ulp of y > 0, and e^y for y < 0 is below the smallest normal float (the value is rounded to 0).
     * Below it, 2^k (k >= -126) stays a normal float.
     */
    static final float FAR = 87f;
    /** Taylor coefficients of 2^f = e^(f ln 2), f in [0, 1): (ln 2)^n / n!, n = 0..9 (truncation below 1e-8 relative). */
    static final float[] EXP2 = {1f, 0.6931472f, 0.2402265f, 0.05550411f, 0.009618129f, 0.0013333558f, 1.5403530e-4f,
        1.5252734e-5f, 1.3215487e-6f, 1.0178086e-7f};
    /** Coefficients 1/(2n+1), n = 0..7, of the atanh series (truncation below 2e-8 relative for s <= 1/3). */
    static final float[] ATANH = {1f, 1f / 3, 1f / 5, 1f / 7, 1f / 9, 1f / 11, 1f / 13, 1f / 15};

    /**
     * {@code log(1 + e^y)} in floats, from arithmetic alone, so the same bits on every JVM (and in
     * {@link ContextNetVector}, lane by lane): {@code max(y, 0) + log1p(e^-|y|)}, with, for
     * {@code |y| < 87}, {@code t = -|y| log2 e}, {@code k = floor(t)}, {@code e^-|y| = 2^k P(f)} with
     * {@code f = t - k} recomputed by FMA against log2 e in two parts,
     * (P the Taylor polynomial of 2^f above, by fma), {@code s = e / (2 + e) <= 1/3} and
     * {@code log1p(e) = 2 s A(s^2)} (A the atanh series above). Within a few float ulps of the
     * exact value: the graph's softplus differs by about as much.
     */
    public static float softplus(float y) {
        float a = Math.abs(y);
        float m = Math.max(y, 0f);
        if (!(a < FAR)) {
            return y != y ? y : m; // NaN stays NaN
        }
        float t = -a * LOG2E; // (-125.6, 0]
        float k = (float) Math.floor(t);
        // f = -a log2 e - k to about 1e-7 absolute (t itself is off by up to |t| 6e-8): an FMA with the exact
        // product, then the part of log2 e that LOG2E misses; in [-1e-5, 1 + 1e-5], where P is as accurate
        float f = Math.fma(-a, LOG2E, -k);
        f = Math.fma(-a, LOG2E_LO, f);
        float q = EXP2[9];
        for (int i = 8; i >= 0; i--) {
            q = Math.fma(q, f, EXP2[i]);
        }
        float e = q * Float.intBitsToFloat(((int) k + 127) << 23); // times 2^k, k >= -126: a normal float
        float s = e / (2f + e);
        float s2 = s * s;
        float r = ATANH[7];
        for (int i = 6; i >= 0; i--) {
            r = Math.fma(r, s2, ATANH[i]);
        }
        return m + 2f * s * r;
    }
}
