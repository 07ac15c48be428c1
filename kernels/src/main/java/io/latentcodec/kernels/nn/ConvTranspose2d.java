package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;

import java.util.stream.IntStream;

/**
 * A transposed 2-D convolution with stride 2 and "SAME" padding, as TensorFlow's
 * {@code Conv2DBackpropInput} computes it (the gradient of a stride-2 SAME convolution of a
 * {@code 2h x 2w} input), plus a bias: {@code [h, w, in] -> [2h, 2w, out]}, NHWC, batch 1.
 *
 * <h2>Read me first: what is summed, in which order</h2>
 * The forward convolution that this one transposes pads its {@code 2h}-row input with
 * {@code pb = (k - 2) / 2} rows before (TensorFlow's SAME rule: {@code k - 2} in all for k >= 2, the
 * odd one after), so its output row {@code o} reads input rows {@code 2o - pb + kh}. Transposed,
 * output row {@code i} collects input row {@code o} through filter row {@code kh} wherever
 * {@code i = 2o - pb + kh}, {@code 0 <= o < h}; columns likewise. With the filter in TensorFlow's
 * layout {@code F[kh][kw][c][d]} ({@code out} channels c, {@code in} channels d):
 * <pre>
 *   y[i][j][c] = (( +0 + sum over kh ascending (valid o), kw ascending (valid o'), d ascending of
 *                       x[o][o'][d] * F[kh][kw][c][d] ) ) + b[c]
 * </pre>
 * one sequential float sum per output, products rounded before they are added (never fused), the
 * bias added last (see the package's rules). For k = 5 (pb = 1) an even output row takes filter rows
 * 1 and 3 (input rows p and p - 1 for i = 2p), an odd one rows 0, 2, 4 (p + 1, p, p - 1 for
 * i = 2p + 1). A tap that falls outside the input is skipped; the vector kernel instead reads a
 * zero margin there, which gives the same bits (a product with +-0 added to a sum that started at +0
 * leaves it unchanged).
 *
 * <p>{@link #apply} picks the Vector API kernel ({@link ConvTranspose2dVector}) when the vector path
 * is enabled ({@link Simd#vectorEnabled()}), else this class's scalar reference; both give the same
 * bits at every species, with or without FMA hardware. Rows of the output are independent, so
 * computing them on several threads changes nothing but the time.
 */
public final class ConvTranspose2d {
    final int k;
    final int in;
    final int out;
    /** Padding before, of the transposed forward convolution: (k - 2) / 2 for k >= 2, else 0. */
    final int pb;
    /** The filter as TensorFlow holds it: [kh][kw][out c][in d]. */
    final float[] f;
    /** Repacked for lanes on output channels: [kh][kw][in d][out c]. */
    final float[] fByOut;
    final float[] b;

    private ConvTranspose2d(int k, int in, int out, float[] filter, float[] bias) {
        this.k = k;
        this.in = in;
        this.out = out;
        this.pb = Math.max(k - 2, 0) / 2;
        this.f = filter.clone();
        this.b = bias.clone();
        this.fByOut = new float[filter.length];
        for (int kh = 0; kh < k; kh++) {
            for (int kw = 0; kw < k; kw++) {
                int tap = (kh * k + kw) * in * out;
                for (int c = 0; c < out; c++) {
                    for (int d = 0; d < in; d++) {
                        fByOut[tap + d * out + c] = filter[tap + c * in + d];
                    }
                }
            }
        }
    }

    /**
     * A layer with a {@code kernel x kernel} filter in TensorFlow's {@code Conv2DBackpropInput}
     * layout {@code [kernel, kernel, out, in]} (row-major) and {@code out} biases.
     */
    public static ConvTranspose2d of(int kernel, int in, int out, float[] filter, float[] bias) {
        if (kernel < 1 || kernel > 15 || in < 1 || out < 1) {
            throw new IllegalArgumentException("bad transposed conv: kernel " + kernel + ", in " + in + ", out " + out);
        }
        if (filter.length != kernel * kernel * in * out || bias.length != out) {
            throw new IllegalArgumentException("filter of " + filter.length + " floats and bias of " + bias.length + " do not fit [" + kernel
                    + ", " + kernel + ", " + out + ", " + in + "] and [" + out + "]");
        }
        for (float v : filter) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("filter holds " + v);
            }
        }
        for (float v : bias) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("bias holds " + v);
            }
        }
        return new ConvTranspose2d(kernel, in, out, filter, bias);
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    /** Filter rows (or columns) {@code kh} that reach output row {@code i}, ascending, each with its input row in {@code rows}. */
    int taps(int i, int h, int[] kh, int[] rows) {
        int n = 0;
        for (int t = 0; t < k; t++) {
            int twice = i + pb - t; // = 2o
            if (twice >= 0 && (twice & 1) == 0 && twice / 2 < h) {
                kh[n] = t;
                rows[n++] = twice / 2;
            }
        }
        return n;
    }

    /**
     * {@code y = layer(x)}: {@code x} holds {@code h * w * in} floats ({@code [h][w][in]}), {@code y}
     * receives {@code 4 h w out} floats ({@code [2h][2w][out]}). With {@code parallel}, output rows are
     * computed on the common fork-join pool (the same bits).
     */
    public void apply(float[] x, int h, int w, float[] y, boolean parallel) {
        check(x, h, w, y);
        if (Simd.vectorEnabled()) {
            ConvTranspose2dVector.apply(this, x, h, w, y, parallel);
        } else {
            applyScalar(x, h, w, y, parallel);
        }
    }

    void check(float[] x, int h, int w, float[] y) {
        if (h < 1 || w < 1 || (long) h * w * in != x.length || 4L * h * w * out != y.length) {
            throw new IllegalArgumentException("a " + h + "x" + w + "x" + in + " input (" + x.length + " floats) and an output of "
                    + y.length + " floats do not fit [2h, 2w, " + out + "]");
        }
    }

    /** The scalar reference (what {@code -Dlatentcodec.simd=scalar} runs). */
    void applyScalar(float[] x, int h, int w, float[] y, boolean parallel) {
        check(x, h, w, y);
        IntStream rows = IntStream.range(0, 2 * h);
        (parallel ? rows.parallel() : rows).forEach(i -> rowScalar(x, h, w, y, i));
    }

    private void rowScalar(float[] x, int h, int w, float[] y, int i) {
        int[] khs = new int[k];
        int[] ors = new int[k];
        int[] kws = new int[k];
        int[] ocs = new int[k];
        int nh = taps(i, h, khs, ors);
        for (int j = 0; j < 2 * w; j++) {
            int nw = taps(j, w, kws, ocs);
            int yo = (i * 2 * w + j) * out;
            for (int c = 0; c < out; c++) {
                float s = 0f;
                for (int a = 0; a < nh; a++) {
                    for (int e = 0; e < nw; e++) {
                        int xo = (ors[a] * w + ocs[e]) * in;
                        int fo = ((khs[a] * k + kws[e]) * out + c) * in;
                        for (int d = 0; d < in; d++) {
                            s += x[xo + d] * f[fo + d]; // s + x_d F[kh][kw][c][d], rounded product, then the add
                        }
                    }
                }
                y[yo + c] = s + b[c];
            }
        }
    }
}
