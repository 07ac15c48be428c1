package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;

/**
 * A dense layer {@code y = act(x W + b)} with deterministic floats (the package's rules): each
 * output is one sequential sum over the inputs in ascending order, from +0, products rounded before
 * they are added, the bias added last, then the activation:
 * <pre>
 *   y_o = act((((+0 + x_0 W[0][o]) + x_1 W[1][o]) + ... + x_{n-1} W[n-1][o]) + b_o)      act: identity or max(., 0)
 * </pre>
 * Inputs equal to zero are skipped (exact: see the package comment); after a ReLU about half the
 * inputs of the next layer are, and most MNIST pixels are. {@link DenseVector} puts vector lanes on
 * outputs and runs the same sums; {@code -Dlatentcodec.simd=scalar} selects {@link #forwardScalar}.
 *
 * <p>Immutable and thread-safe: the caller brings the scratch ({@link #scratch()}).
 */
public final class Dense {
    /** n: inputs. */
    final int in;
    /** m: outputs. */
    final int out;
    /** W, row-major [in][out]: {@code w[i * out + o]}. */
    final float[] w;
    /** b, [out]. */
    final float[] b;

    private Dense(int in, int out, float[] w, float[] b) {
        this.in = in;
        this.out = out;
        this.w = w;
        this.b = b;
    }

    /**
     * A layer of {@code in} inputs and {@code out} outputs; {@code w} is row-major [in][out] (as
     * TensorFlow's {@code matMul(x, w)} takes it), {@code b} has {@code out} values; both are copied.
     */
    public static Dense of(int in, int out, float[] w, float[] b) {
        if (in < 1 || out < 1 || (long) in * out > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("dense layer " + in + " x " + out);
        }
        if (w.length != in * out || b.length != out) {
            throw new IllegalArgumentException("dense layer " + in + " x " + out + " needs " + in * out + " weights and " + out
                    + " biases, got " + w.length + " and " + b.length);
        }
        for (float v : w) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("dense layer weight " + v + " is not finite");
            }
        }
        for (float v : b) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("dense layer bias " + v + " is not finite");
            }
        }
        return new Dense(in, out, w.clone(), b.clone());
    }

    public int inputs() {
        return in;
    }

    public int outputs() {
        return out;
    }

    /** Scratch for one thread: the indices of a row's non-zero inputs. */
    public int[] scratch() {
        return new int[in];
    }

    /**
     * {@code rows} rows: row r reads {@code x[xOff + r * xStride ..]} ({@link #inputs()} values) and
     * writes {@code y[yOff + r * yStride ..]} ({@link #outputs()} values); {@code relu} applies
     * max(., 0). Runs the vector kernel when the rANS kernels do ({@link Simd#vectorEnabled()}).
     */
    public void forward(float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int rows, boolean relu, int[] scratch) {
        check(x, xOff, xStride, y, yOff, yStride, rows, scratch);
        if (Simd.vectorEnabled()) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) { // four rows share each weight load; the same bits as one by one
                DenseVector.rows4(this, x, xOff + r * xStride, xStride, y, yOff + r * yStride, yStride, relu, scratch);
            }
            for (; r < rows; r++) {
                DenseVector.row(this, x, xOff + r * xStride, y, yOff + r * yStride, relu, scratch);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                rowScalar(x, xOff + r * xStride, y, yOff + r * yStride, relu, scratch);
            }
        }
    }

    /** {@link #forward} with the scalar reference kernel, whatever the JVM supports. */
    public void forwardScalar(float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int rows, boolean relu, int[] scratch) {
        check(x, xOff, xStride, y, yOff, yStride, rows, scratch);
        for (int r = 0; r < rows; r++) {
            rowScalar(x, xOff + r * xStride, y, yOff + r * yStride, relu, scratch);
        }
    }

    private void check(float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int rows, int[] scratch) {
        if (rows < 0 || xOff < 0 || yOff < 0 || xStride < in || yStride < out || scratch.length < in
                || (rows > 0 && ((long) xOff + (long) (rows - 1) * xStride + in > x.length
                || (long) yOff + (long) (rows - 1) * yStride + out > y.length))) {
            throw new IllegalArgumentException("dense " + in + " x " + out + ": " + rows + " rows, x[" + x.length + "] from " + xOff
                    + " stride " + xStride + ", y[" + y.length + "] from " + yOff + " stride " + yStride + ", scratch " + scratch.length);
        }
    }

    /** The indices of the non-zero inputs of a row, ascending, into {@code nz}; returns how many. */
    int nonZero(float[] x, int xOff, int[] nz) {
        int n = 0;
        for (int i = 0; i < in; i++) {
            nz[n] = i;
            n += x[xOff + i] != 0f ? 1 : 0;
        }
        return n;
    }

    /** One row, scalar: y_o accumulates x_i W[i][o] over the non-zero inputs in order (the sum of the class comment). */
    private void rowScalar(float[] x, int xOff, float[] y, int yOff, boolean relu, int[] nz) {
        int n = nonZero(x, xOff, nz);
        java.util.Arrays.fill(y, yOff, yOff + out, 0f);
        for (int k = 0; k < n; k++) {
            int i = nz[k];
            float xi = x[xOff + i];
            int base = i * out;
            for (int o = 0; o < out; o++) {
                y[yOff + o] += xi * w[base + o]; // y_o = y_o + x_i W[i][o], rounded twice
            }
        }
        for (int o = 0; o < out; o++) {
            float v = y[yOff + o] + b[o];
            y[yOff + o] = relu ? Math.max(v, 0f) : v;
        }
    }
}
