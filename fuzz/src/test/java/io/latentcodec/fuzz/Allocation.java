package io.latentcodec.fuzz;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Allocation budgets for decoders fed hostile input: how many bytes the calling thread allocates
 * while a decoder runs, checked against a bound linear in the input's length. A header that
 * declares gigabytes in a few bytes fails the bound long before it could exhaust memory, so the
 * fuzz targets catch "allocates what the header says before checking it" even where the
 * allocation itself would succeed. Decoders under test run on the calling thread (one thread).
 */
final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    /** Bytes the current thread has allocated so far (monotonic). */
    static long now() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Runs {@code decode} and asserts the thread allocated at most {@code fixed + perInputByte *
     * inputBytes} bytes meanwhile; exceptions from {@code decode} pass through (after the check).
     * A first run over the limit is repeated once and the repeat judged, so that class loading and
     * static initialisation on a first call do not count (the decoders are pure functions).
     */
    static void bounded(long inputBytes, long perInputByte, long fixed, String what, Runnable decode) {
        long limit = fixed + perInputByte * inputBytes;
        Run run = measure(decode);
        if (run.bytes > limit) {
            run = measure(decode);
        }
        assertTrue(run.bytes <= limit, what + " allocated " + run.bytes + " bytes for " + inputBytes + " bytes of input (limit " + limit + ")");
        if (run.thrown != null) {
            throw run.thrown;
        }
    }

    private record Run(long bytes, RuntimeException thrown) {
    }

    private static Run measure(Runnable decode) {
        long before = now();
        try {
            decode.run();
            return new Run(now() - before, null);
        } catch (RuntimeException e) {
            return new Run(now() - before, e);
        }
    }
}
