package io.latentcodec.bench;

import io.latentcodec.kernels.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each benchmark method once, as JMH would call it, and its answer checked: a push leaves a
 * message that pops back the pushed symbols and is then pristine; a pop returns exactly the
 * symbols the loaded message holds, and leaves it empty (pristine).
 */
class DistributionBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void everyBenchmarkComputesTheRightAnswer(String implementation) throws Exception {
        DistributionBenchmark b = new DistributionBenchmark();
        b.implementation = implementation;
        b.symbols = 1000; // a smaller batch than JMH's, same code
        b.prepare();
        try {
            for (String d : DistributionBenchmark.DISTRIBUTIONS) {
                int[] x = b.data.get(d);
                b.load("io.latentcodec.bench.DistributionBenchmark.push" + d);
                Object r = DistributionBenchmark.class.getMethod("push" + d).invoke(b);
                Message m = (Message) r;
                int[] back = new int[b.symbols];
                b.pop(d, m, back);
                assertArrayEquals(x, back, implementation + " push" + d + ": the pushed message pops other symbols");
                assertTrue(m.isPristine(), implementation + " push" + d + ": not pristine after popping everything");
                b.unload();

                b.load("io.latentcodec.bench.DistributionBenchmark.pop" + d);
                int[] popped = ((int[]) DistributionBenchmark.class.getMethod("pop" + d).invoke(b)).clone();
                assertArrayEquals(x, popped, implementation + " pop" + d + ": popped other symbols than were loaded");
                assertTrue(b.work.isPristine(), implementation + " pop" + d + ": the loaded message held more than the symbols");
                b.unload();
            }
        } finally {
            b.release();
        }
    }
}
