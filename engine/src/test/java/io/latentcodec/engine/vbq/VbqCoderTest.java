package io.latentcodec.engine.vbq;

import io.latentcodec.kernels.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rANS coding of grid points and uniform symbols: pop(push(x)) = x and the message returns to pristine. */
class VbqCoderTest {

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void gridPointsRoundTrip(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(8);
        VbqTables t = TestTables.create(r, channels, 1 + r.nextInt(12));
        int n = r.nextInt(5) == 0 ? r.nextInt(3) : r.nextInt(3000);
        int[] j = new int[n];
        int maxDepth = r.nextInt(t.depth() + 1);
        for (int i = 0; i < n; i++) {
            int d = r.nextInt(maxDepth + 1);
            j[i] = VbqQuantizer.point(d, r.nextInt(1 << d), t.depth());
        }
        int bucket = r.nextInt(t.lambdaBuckets());
        int lanes = 1 + r.nextInt(16);
        byte[] frame;
        try (Message m = Message.create(lanes, seed)) {
            VbqCoder.push(m, t, bucket, j);
            frame = m.toCompactByteArray();
        }
        try (Message m = Message.readCompact(java.lang.foreign.MemorySegment.ofArray(frame), 0, frame.length, lanes, seed, false)) {
            int[] back = VbqCoder.pop(m, t, bucket, n);
            assertArrayEquals(j, back, "seed " + seed);
            assertTrue(m.isPristine(), "seed " + seed + ": the message did not return to its initial state");
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void uniformSymbolsRoundTrip(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int channels = 1 + r.nextInt(8);
        VbqTables t = TestTables.create(r, channels, 3);
        int step = r.nextInt(t.uniformSteps());
        int n = r.nextInt(2000);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextInt(2 * t.halfRange(step) + 1);
        }
        try (Message m = Message.create(8, seed)) {
            VbqCoder.pushUniform(m, t, step, s);
            assertArrayEquals(s, VbqCoder.popUniform(m, t, step, n), "seed " + seed);
            assertTrue(m.isPristine(), "seed " + seed);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void tablesSurviveTheirFileFormat(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        VbqTables t = TestTables.create(r, 1 + r.nextInt(5), 1 + r.nextInt(10));
        byte[] b = t.toBytes();
        VbqTables back = VbqTables.parse(b);
        assertArrayEquals(b, back.toBytes(), "seed " + seed);
        assertArrayEquals(t.sha256(), back.sha256(), "seed " + seed);
        // lambda buckets: the stored lambda nearest on a log scale
        for (int k = 0; k < 50; k++) {
            double lambda = Math.exp(-10 + 20 * r.nextDouble());
            int bucket = t.lambdaBucket(lambda);
            double best = Double.POSITIVE_INFINITY;
            int want = -1;
            for (int i = 0; i < t.lambdaBuckets(); i++) {
                double d = Math.abs(Math.log(lambda / t.lambda(i)));
                if (d < best - 1e-12) {
                    best = d;
                    want = i;
                }
            }
            assertEquals(want, bucket, "seed " + seed + ": lambda " + lambda);
        }
        int cut = r.nextInt(b.length - 1);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> VbqTables.parse(java.util.Arrays.copyOf(b, cut)),
                "seed " + seed + ": a table file cut at " + cut + " must be refused");
    }
}
