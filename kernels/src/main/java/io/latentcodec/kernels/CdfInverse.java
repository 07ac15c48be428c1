package io.latentcodec.kernels;

/**
 * Names the symbols a {@link Message#pop} finds: the inverse of a cumulative distribution.
 * Called once per round of up to {@code lanes} symbols, so a distribution can resolve a whole
 * round in one vectorised pass.
 */
@FunctionalInterface
public interface CdfInverse {
    /**
     * For symbols {@code k0 .. k0 + n - 1} of the current pop (its i-th at array index i), find
     * the symbol whose interval holds {@code cf[i]} (a value in {@code [0, 2^precision)}), remember
     * it, and write that interval as {@code start[i]}, {@code freq[i]}. The arrays belong to the
     * message; only indices below {@code n} are read.
     */
    void invert(int k0, int n, int[] cf, int[] start, int[] freq);
}
