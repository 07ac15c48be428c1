package io.latentcodec.engine.image;

/**
 * Image quality, computed the standard ways in our own code (no Java MS-SSIM library exists on
 * Maven Central): PSNR over all RGB samples; SSIM and MS-SSIM with an 11x11 Gaussian window
 * (sigma 1.5), K1 = 0.01, K2 = 0.03, L = 255, computed per channel and averaged over R, G, B.
 * MS-SSIM (Wang, Simoncelli, Bovik 2003): 5 scales, weights 0.0448, 0.2856, 0.3001, 0.2363,
 * 0.1333, 2x2 average downsampling between scales, contrast-structure at every scale and
 * luminance at the coarsest. Windows are applied in "valid" mode (no padding).
 */
public final class Metrics {
    static final double K1 = 0.01;
    static final double K2 = 0.03;
    static final double L = 255;
    static final double C1 = (K1 * L) * (K1 * L);
    static final double C2 = (K2 * L) * (K2 * L);
    static final double[] MS_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
    static final double[] WINDOW = gaussian(11, 1.5);

    private Metrics() {
    }

    /** Mean squared error over all 3 w h samples. */
    public static double mse(RgbImage a, RgbImage b) {
        sameSize(a, b);
        double s = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            double d = (a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF);
            s += d * d;
        }
        return s / a.rgb().length;
    }

    /** PSNR in dB, {@code 10 log10(255^2 / MSE)}; infinite for identical images. */
    public static double psnr(RgbImage a, RgbImage b) {
        double m = mse(a, b);
        return m == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / m);
    }

    /** Mean SSIM, averaged over the three channels. */
    public static double ssim(RgbImage a, RgbImage b) {
        sameSize(a, b);
        double s = 0;
        for (int c = 0; c < 3; c++) {
            s += ssimTerms(channel(a, c), channel(b, c), a.width(), a.height())[0];
        }
        return s / 3;
    }

    /** MS-SSIM averaged over the three channels; images must be at least 176 pixels on each side (5 scales of an 11-tap window). */
    public static double msssim(RgbImage a, RgbImage b) {
        sameSize(a, b);
        if (Math.min(a.width(), a.height()) < 11 << 4) {
            throw new IllegalArgumentException("MS-SSIM needs at least 176x176 pixels, got " + a.width() + "x" + a.height());
        }
        double s = 0;
        for (int c = 0; c < 3; c++) {
            s += msssimChannel(channel(a, c), channel(b, c), a.width(), a.height());
        }
        return s / 3;
    }

    static double msssimChannel(double[] x, double[] y, int w, int h) {
        double result = 1;
        for (int scale = 0; scale < MS_WEIGHTS.length; scale++) {
            double[] t = ssimTerms(x, y, w, h);
            double value = scale == MS_WEIGHTS.length - 1 ? t[0] : t[1];
            // negative contrast-structure values (anti-correlated patches) are clamped as the reference code does
            result *= Math.pow(Math.max(value, 0), MS_WEIGHTS[scale]);
            if (scale < MS_WEIGHTS.length - 1) {
                int w2 = w / 2;
                int h2 = h / 2;
                x = downsample(x, w, h);
                y = downsample(y, w, h);
                w = w2;
                h = h2;
            }
        }
        return result;
    }

    /** {mean SSIM, mean contrast-structure term} over all valid 11x11 windows. */
    static double[] ssimTerms(double[] x, double[] y, int w, int h) {
        double[] mx = blur(x, w, h);
        double[] my = blur(y, w, h);
        double[] xx = new double[x.length];
        double[] yy = new double[x.length];
        double[] xy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] sxx = blur(xx, w, h);
        double[] syy = blur(yy, w, h);
        double[] sxy = blur(xy, w, h);
        double ssim = 0;
        double cs = 0;
        int n = mx.length;
        for (int i = 0; i < n; i++) {
            double vx = sxx[i] - mx[i] * mx[i];
            double vy = syy[i] - my[i] * my[i];
            double cov = sxy[i] - mx[i] * my[i];
            double c = (2 * cov + C2) / (vx + vy + C2);
            double l = (2 * mx[i] * my[i] + C1) / (mx[i] * mx[i] + my[i] * my[i] + C1);
            cs += c;
            ssim += l * c;
        }
        return new double[] {ssim / n, cs / n};
    }

    /** Separable Gaussian filter, valid region only: output (w - 10) x (h - 10). */
    static double[] blur(double[] v, int w, int h) {
        int k = WINDOW.length;
        int ow = w - k + 1;
        int oh = h - k + 1;
        double[] tmp = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += WINDOW[i] * v[y * w + x + i];
                }
                tmp[y * ow + x] = s;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += WINDOW[i] * tmp[(y + i) * ow + x];
                }
                out[y * ow + x] = s;
            }
        }
        return out;
    }

    static double[] downsample(double[] v, int w, int h) {
        int w2 = w / 2;
        int h2 = h / 2;
        double[] out = new double[w2 * h2];
        for (int y = 0; y < h2; y++) {
            for (int x = 0; x < w2; x++) {
                out[y * w2 + x] = (v[2 * y * w + 2 * x] + v[2 * y * w + 2 * x + 1] + v[(2 * y + 1) * w + 2 * x] + v[(2 * y + 1) * w + 2 * x + 1]) / 4;
            }
        }
        return out;
    }

    static double[] channel(RgbImage img, int c) {
        double[] out = new double[img.width() * img.height()];
        byte[] rgb = img.rgb();
        for (int i = 0; i < out.length; i++) {
            out[i] = rgb[3 * i + c] & 0xFF;
        }
        return out;
    }

    static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - (size - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= sum;
        }
        return g;
    }

    private static void sameSize(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("images differ in size: " + a.width() + "x" + a.height() + " vs " + b.width() + "x" + b.height());
        }
    }
}
