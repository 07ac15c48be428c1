package io.latentcodec.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The VBQ benchmark's methods compute the right answer: vector = scalar, decode = what encode pushed. */
class VbqBenchmarkTest {
    @Test
    void methodsAgree() {
        for (double lambda : new double[] {1, 16, 256}) {
            VbqBenchmark b = new VbqBenchmark();
            b.lambda = lambda;
            b.data();
            assertArrayEquals(b.quantizeScalar(), b.quantizeVector(), "lambda " + lambda);
            assertArrayEquals(b.chosen, b.quantizeScalar(), "lambda " + lambda);
            b.frame = b.encodePoints();
            assertArrayEquals(b.chosen, b.decodePoints(), "lambda " + lambda);
        }
    }
}
