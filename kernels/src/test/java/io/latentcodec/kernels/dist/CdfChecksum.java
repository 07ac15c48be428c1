package io.latentcodec.kernels.dist;

import java.util.SplittableRandom;

/**
 * A checksum over a fixed, seeded sample of everything that decides an integer: the elementary
 * functions' bits, every family's intervals and inverses (through the scalar kernels and through
 * whichever kernels {@code create} picks in this JVM), and the bucket grid. Whatever the JVM mode
 * (interpreter, C1, C2, vector width, vector path off), the value must be the same; {@link
 * InterpreterDeterminismTest} runs {@link #main} in forked JVMs and compares.
 */
final class CdfChecksum {
    private CdfChecksum() {
    }

    /** Symbols (and cumulative frequencies) per family: small, since a forked {@code -Xint} JVM computes it too. */
    static final int SYMBOLS = 96;

    private static long fold(long h, long x) {
        h ^= x;
        h *= 0x100000001B3L; // FNV-1a prime: order-sensitive, cheap
        return h ^ (h >>> 29);
    }

    static long compute() {
        long h = 0xCBF29CE484222325L;
        SplittableRandom rnd = new SplittableRandom(2024);
        for (int i = 0; i < 600; i++) {
            double x = switch (i % 4) {
                case 0 -> rnd.nextDouble(-750, 750);
                case 1 -> rnd.nextDouble(-3, 3);
                case 2 -> (rnd.nextInt(2000) - 1000) / CdfMath.LOG2E;
                default -> rnd.nextDouble(-40, 40);
            };
            h = fold(h, Double.doubleToRawLongBits(CdfMath.exp(x)));
            h = fold(h, Double.doubleToRawLongBits(CdfMath.logistic(x)));
            h = fold(h, Double.doubleToRawLongBits(CdfMath.normalCdf(x)));
        }
        GaussianBuckets g = GaussianBuckets.of(7);
        for (int i = 0; i <= g.count(); i++) {
            h = fold(h, Double.doubleToRawLongBits(g.edge(i)));
        }
        for (int i = 0; i < g.count(); i++) {
            h = fold(h, Float.floatToRawIntBits(g.centre(i)));
        }
        for (String family : Cases.FAMILIES) {
            for (int round = 0; round < 2; round++) {
                Cases.Case c = Cases.random(family, rnd, SYMBOLS, false);
                int[] symbols = new int[SYMBOLS];
                int[] cf = new int[SYMBOLS];
                for (int k = 0; k < SYMBOLS; k++) {
                    symbols[k] = c.sample(rnd, k);
                    cf[k] = rnd.nextInt(c.total());
                }
                for (boolean vector : new boolean[] {false, true}) {
                    int[] start = new int[SYMBOLS];
                    int[] freq = new int[SYMBOLS];
                    c.intervals(vector, symbols, SYMBOLS, start, freq);
                    int[] out = new int[SYMBOLS];
                    int[] os = new int[SYMBOLS];
                    int[] of = new int[SYMBOLS];
                    c.invert(vector, cf, SYMBOLS, out, os, of);
                    for (int k = 0; k < SYMBOLS; k++) {
                        h = fold(h, ((long) start[k] << 32) | freq[k]);
                        h = fold(h, ((long) out[k] << 40) ^ ((long) os[k] << 20) ^ of[k]);
                    }
                }
            }
        }
        return h;
    }

    public static void main(String[] args) {
        System.out.println("checksum " + Long.toHexString(compute()));
    }
}
