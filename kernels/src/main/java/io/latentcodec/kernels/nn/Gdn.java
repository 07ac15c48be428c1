package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;

import java.util.stream.IntStream;

/**
 * Inverse generalized divisive normalization (IGDN, Balle et al. 2016), per pixel over n channels,
 * in place on an NHWC map:
 * <pre>
 *   y_i = x_i * sqrt( (( +0 + sum over j ascending of (x_j * x_j) * gamma[j][i] )) + beta_i )
 * </pre>
 * with {@code beta} and {@code gamma} as given (a caller with trained variables passes
 * {@code beta = |beta'| + 1e-6f} and {@code gamma = |gamma'|}); {@code gamma} is row-major
 * {@code [j][i]} (input j, output i), the layout of TensorFlow's 1x1 convolution filter
 * {@code [1, 1, n, n]} that computes the sum. One sequential float sum per output, products rounded
 * before they are added, beta added last, then a correctly rounded square root and one multiply.
 *
 * <p>{@link #apply} picks the Vector API kernel ({@link GdnVector}: lanes on the output channel i,
 * {@code x_j^2} broadcast) when the vector path is enabled, else the scalar reference; same bits.
 */
public final class Gdn {
    final int n;
    final float[] beta;
    final float[] gamma;

    private Gdn(float[] beta, float[] gamma) {
        this.n = beta.length;
        this.beta = beta.clone();
        this.gamma = gamma.clone();
    }

    /** IGDN over {@code beta.length} channels with {@code gamma} of {@code n * n} floats ({@code [j][i]}). */
    public static Gdn inverse(float[] beta, float[] gamma) {
        int n = beta.length;
        if (n < 1 || gamma.length != n * n) {
            throw new IllegalArgumentException("IGDN needs n >= 1 betas and n * n gammas, got " + n + " and " + gamma.length);
        }
        for (float v : beta) {
            if (!(v > 0) || !Float.isFinite(v)) {
                throw new IllegalArgumentException("IGDN beta must be positive and finite, got " + v);
            }
        }
        for (float v : gamma) {
            if (!(v >= 0) || !Float.isFinite(v)) {
                throw new IllegalArgumentException("IGDN gamma must be non-negative and finite, got " + v);
            }
        }
        return new Gdn(beta, gamma);
    }

    public int channels() {
        return n;
    }

    /** {@code x <- IGDN(x)} for {@code pixels} pixels of {@code n} channels each; rows of {@code rowPixels} in parallel if asked. */
    public void apply(float[] x, int pixels, int rowPixels, boolean parallel) {
        check(x, pixels, rowPixels);
        if (Simd.vectorEnabled()) {
            GdnVector.apply(this, x, pixels, rowPixels, parallel);
        } else {
            applyScalar(x, pixels, rowPixels, parallel);
        }
    }

    void check(float[] x, int pixels, int rowPixels) {
        if (pixels < 0 || rowPixels < 1 || (long) pixels * n != x.length) {
            throw new IllegalArgumentException(x.length + " floats are not " + pixels + " pixels of " + n + " channels (rows of " + rowPixels + ")");
        }
    }

    /** The scalar reference (what {@code -Dlatentcodec.simd=scalar} runs). */
    void applyScalar(float[] x, int pixels, int rowPixels, boolean parallel) {
        check(x, pixels, rowPixels);
        int rows = (pixels + rowPixels - 1) / rowPixels;
        IntStream r = IntStream.range(0, rows);
        (parallel ? r.parallel() : r).forEach(row -> {
            float[] sq = new float[n];
            float[] yv = new float[n];
            for (int p = row * rowPixels; p < Math.min(pixels, (row + 1) * rowPixels); p++) {
                int o = p * n;
                for (int j = 0; j < n; j++) {
                    sq[j] = x[o + j] * x[o + j];
                }
                for (int i = 0; i < n; i++) {
                    float s = 0f;
                    for (int j = 0; j < n; j++) {
                        s += sq[j] * gamma[j * n + i]; // s + x_j^2 gamma_ji
                    }
                    s += beta[i];
                    yv[i] = x[o + i] * (float) Math.sqrt(s);
                }
                System.arraycopy(yv, 0, x, o, n);
            }
        });
    }
}
