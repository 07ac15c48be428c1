package io.latentcodec.engine.image;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    static RgbImage noise(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) { // smooth pattern plus noise: structure for SSIM to see
                    b[3 * (y * w + x) + c] = (byte) Math.max(0, Math.min(255, 128 + 60 * Math.sin(x / 7.0 + c) * Math.cos(y / 9.0) + r.nextInt(21) - 10));
                }
            }
        }
        return new RgbImage(w, h, b);
    }

    static RgbImage perturb(RgbImage a, int amp, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = a.rgb().clone();
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.max(0, Math.min(255, (b[i] & 0xFF) + r.nextInt(2 * amp + 1) - amp));
        }
        return new RgbImage(a.width(), a.height(), b);
    }

    @Test
    void identicalImagesAreperfect() {
        RgbImage a = noise(200, 180, 1);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.psnr(a, a));
        assertEquals(1.0, Metrics.ssim(a, a), 1e-12);
        assertEquals(1.0, Metrics.msssim(a, a), 1e-12);
    }

    /** An error of exactly 1 on every sample: MSE 1, PSNR 20 log10(255) = 48.1308 dB. */
    @Test
    void psnrOfUnitError() {
        RgbImage a = noise(40, 30, 2);
        byte[] b = a.rgb().clone();
        for (int i = 0; i < b.length; i++) {
            int v = b[i] & 0xFF;
            b[i] = (byte) (v == 255 ? 254 : v + 1);
        }
        assertEquals(48.1308, Metrics.psnr(a, new RgbImage(40, 30, b)), 1e-4);
    }

    @Test
    void moreDistortionScoresWorse() {
        RgbImage a = noise(256, 200, 3);
        double prevPsnr = Double.POSITIVE_INFINITY;
        double prevSsim = 1;
        double prevMs = 1;
        for (int amp : new int[] {2, 8, 32}) {
            RgbImage b = perturb(a, amp, amp);
            double p = Metrics.psnr(a, b);
            double s = Metrics.ssim(a, b);
            double m = Metrics.msssim(a, b);
            assertTrue(p < prevPsnr && s < prevSsim && m < prevMs, "amp " + amp + ": " + p + " " + s + " " + m);
            assertTrue(s > 0 && m > 0, "amp " + amp);
            prevPsnr = p;
            prevSsim = s;
            prevMs = m;
        }
    }

    /** The separable valid-mode blur against a direct 2-D sum at a few points. */
    @Test
    void separableBlurMatchesDirectSum() {
        int w = 30;
        int h = 25;
        double[] v = new double[w * h];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(255);
        }
        double[] out = Metrics.blur(v, w, h);
        int ow = w - 10;
        for (int[] p : new int[][] {{0, 0}, {5, 7}, {19, 14}}) {
            double s = 0;
            for (int dy = 0; dy < 11; dy++) {
                for (int dx = 0; dx < 11; dx++) {
                    s += Metrics.WINDOW[dy] * Metrics.WINDOW[dx] * v[(p[1] + dy) * w + p[0] + dx];
                }
            }
            assertEquals(s, out[p[1] * ow + p[0]], 1e-9);
        }
    }
}
