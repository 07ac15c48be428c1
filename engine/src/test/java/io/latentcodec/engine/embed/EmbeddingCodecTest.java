package io.latentcodec.engine.embed;

import io.latentcodec.CorruptInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Embedding streams: exact decoding, fewer bits for larger lambda, damaged streams refused; the analogy scorer on planted vectors. */
class EmbeddingCodecTest {

    static LongStream seeds() {
        return LongStream.range(0, 8);
    }

    static float[][] matrix(SplittableRandom r, int rows, int cols) {
        float[] mu = new float[rows * cols];
        float[] sigma = new float[rows * cols];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) (r.nextGaussian() * (0.2 + (i % cols) * 0.1));
            sigma[i] = (float) Math.exp(-4 + 3 * r.nextDouble());
        }
        return new float[][] {mu, sigma};
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void streamsDecodeToTheEncodersMatrix(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = 1 + r.nextInt(300);
        int cols = 1 + r.nextInt(12);
        float[][] m = matrix(r, rows, cols);
        double lambda = Math.exp(-6 + 8 * r.nextDouble());
        EmbeddingCodec.Coded v = EmbeddingCodec.compressVbq(m[0], m[1], rows, cols, lambda);
        assertArrayEquals(v.reconstruction(), EmbeddingCodec.decompress(v.bytes()), "seed " + seed + ", lambda " + lambda);
        double step = Math.exp(-4 + 4 * r.nextDouble());
        EmbeddingCodec.Coded u = EmbeddingCodec.compressUniform(m[0], rows, cols, step);
        assertArrayEquals(u.reconstruction(), EmbeddingCodec.decompress(u.bytes()), "seed " + seed + ", step " + step);
        for (int i = 0; i < m[0].length; i++) {
            assertTrue(Math.abs(u.reconstruction()[i] - m[0][i]) <= step / 2 + 1e-6, "seed " + seed + ": uniform error beyond step/2 at " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void largerLambdaGivesSmallerStreams(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 50);
        float[][] m = matrix(r, 400, 8);
        long prev = Long.MAX_VALUE;
        for (double lambda : new double[] {0.001, 0.01, 0.1, 1, 10}) {
            long n = EmbeddingCodec.compressVbq(m[0], m[1], 400, 8, lambda).bytes().length;
            assertTrue(n <= prev, "seed " + seed + ": " + n + " bytes at lambda " + lambda + " after " + prev);
            prev = n;
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void damagedStreamsAreRefused(long seed) {
        SplittableRandom r = new SplittableRandom(seed + 100);
        float[][] m = matrix(r, 50, 4);
        byte[] c = r.nextBoolean() ? EmbeddingCodec.compressVbq(m[0], m[1], 50, 4, 0.1).bytes() : EmbeddingCodec.compressUniform(m[0], 50, 4, 0.1).bytes();
        assertThrows(CorruptInputException.class, () -> EmbeddingCodec.decompress(Arrays.copyOf(c, r.nextInt(c.length))), "seed " + seed);
        int changed = 0;
        for (int k = 0; k < 30; k++) {
            byte[] bad = c.clone();
            int at = r.nextInt(bad.length);
            bad[at] ^= (byte) (1 + r.nextInt(255));
            try {
                float[] out = EmbeddingCodec.decompress(bad);
                // a flip inside the symbol data can decode to other values of the same shape; it must never be a crash or a hang
                assertEquals(50 * 4, out.length, "seed " + seed);
                changed++;
            } catch (CorruptInputException expected) {
                // refused
            } catch (RuntimeException e) {
                fail("seed " + seed + ": byte " + at + " changed gave " + e, e);
            }
        }
        assertTrue(changed < 30, "seed " + seed + ": no damaged stream was noticed");
    }

    @Test
    void analogyScorerFindsPlantedAnalogies() {
        // rows: a, b, c, d with d = b - a + c exactly, plus distractors
        SplittableRandom r = new SplittableRandom(3);
        int dim = 16;
        int rows = 50;
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        for (int k = 0; k < dim; k++) {
            v[3 * dim + k] = v[dim + k] - v[k] + v[2 * dim + k];
        }
        List<WordTasks.Question> qs = List.of(new WordTasks.Question("planted", 0, 1, 2, 3));
        assertEquals(1.0, WordTasks.analogyAccuracy(v, rows, dim, qs));
        int[][] nb = WordTasks.neighbours(v, rows, dim, 5, 3);
        assertEquals(1.0, WordTasks.overlap(nb, nb));
    }
}
