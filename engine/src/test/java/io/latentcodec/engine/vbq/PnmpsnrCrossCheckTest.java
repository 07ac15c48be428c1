package io.latentcodec.engine.vbq;

import io.latentcodec.engine.image.Metrics;
import io.latentcodec.engine.image.RgbImage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our PSNR against Debian netpbm's {@code pnmpsnr -rgb -machine} (per-channel PSNR, two decimals), on
 * seeded images with seeded distortions. Skipped with a message when the tool is missing locally;
 * under CI (env CI set) a missing tool fails, since scripts/fetch-image-tools provides it.
 */
class PnmpsnrCrossCheckTest {
    @TempDir
    Path tmp;

    static LongStream seeds() {
        return LongStream.range(0, 8);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void psnrMatchesPnmpsnr(long seed) throws Exception {
        boolean present = ImageTools.available("pnmpsnr");
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError(ImageTools.missing("pnmpsnr"));
        }
        Assumptions.assumeTrue(present, () -> "skipped: " + ImageTools.missing("pnmpsnr"));
        SplittableRandom r = new SplittableRandom(seed);
        RgbImage a = TinyVbq.image(r, 20 + r.nextInt(200), 20 + r.nextInt(200));
        byte[] d = a.rgb().clone();
        int amp = 1 + r.nextInt(40);
        for (int i = 0; i < d.length; i++) {
            if (r.nextInt(3) == 0) {
                d[i] = (byte) Math.max(0, Math.min(255, (d[i] & 0xFF) + r.nextInt(2 * amp + 1) - amp));
            }
        }
        RgbImage b = new RgbImage(a.width(), a.height(), d);
        Path pa = tmp.resolve("a.ppm");
        Path pb = tmp.resolve("b.ppm");
        a.writePpm(pa);
        b.writePpm(pb);
        String out = ImageTools.run(tmp, "pnmpsnr", "-rgb", "-machine", pa.toString(), pb.toString()).stdout().strip();
        String[] f = out.split("\\s+");
        assertEquals(3, f.length, "seed " + seed + ": pnmpsnr printed '" + out + "'");
        double mseSum = 0;
        for (int c = 0; c < 3; c++) {
            double mse = 0;
            for (int i = c; i < d.length; i += 3) {
                double e = (a.rgb()[i] & 0xFF) - (d[i] & 0xFF);
                mse += e * e;
            }
            mse /= d.length / 3.0;
            mseSum += mse;
            double ours = 10 * Math.log10(255.0 * 255.0 / mse);
            double theirs = Double.parseDouble(f[c]);
            assertEquals(theirs, ours, 0.0051, String.format(Locale.ROOT, "seed %d, channel %d: ours %.4f dB, pnmpsnr %s", seed, c, ours, f[c]));
        }
        // Metrics.psnr is over all samples: 10 log10(255^2 / mean of the channel MSEs)
        assertEquals(10 * Math.log10(255.0 * 255.0 / (mseSum / 3)), Metrics.psnr(a, b), 1e-9, "seed " + seed);
    }
}
