package io.latentcodec.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A test distribution: a frequency table over symbols 0..alphabet-1 summing to 2^precision. */
final class Table {
    final int precision;
    /** cum[s] = start of symbol s; cum[alphabet] = 2^precision. */
    final int[] cum;

    Table(int precision, int[] freqs) {
        this.precision = precision;
        this.cum = new int[freqs.length + 1];
        for (int s = 0; s < freqs.length; s++) {
            if (freqs[s] < 1) {
                throw new IllegalArgumentException("freq < 1");
            }
            cum[s + 1] = cum[s] + freqs[s];
        }
        if (cum[freqs.length] != 1 << precision) {
            throw new IllegalArgumentException("sum " + cum[freqs.length] + " != 2^" + precision);
        }
    }

    int alphabet() {
        return cum.length - 1;
    }

    int start(int s) {
        return cum[s];
    }

    int freq(int s) {
        return cum[s + 1] - cum[s];
    }

    /** The symbol whose interval holds cf. */
    int find(int cf) {
        int i = Arrays.binarySearch(cum, cf);
        return i >= 0 ? i : -i - 2;
    }

    /** A symbol drawn with the table's probabilities. */
    int sample(SplittableRandom rnd) {
        return find(rnd.nextInt(1 << precision));
    }

    double bits(int s) {
        return precision - Math.log(freq(s)) / Math.log(2);
    }

    /**
     * A random table: sizes from 1 to 2^precision, shapes uniform, skewed, one dominant symbol
     * with all others at frequency 1 (the extremes: 1 and 2^precision - (alphabet - 1)), or random.
     */
    static Table random(SplittableRandom rnd, int precision) {
        int total = 1 << precision;
        int maxAlphabet = Math.min(total, 300);
        int alphabet = switch (rnd.nextInt(5)) {
            case 0 -> 1;
            case 1 -> Math.min(2, total);
            case 2 -> Math.min(256, maxAlphabet);
            default -> 1 + rnd.nextInt(maxAlphabet);
        };
        int[] f = new int[alphabet];
        switch (rnd.nextInt(4)) {
            case 0 -> { // one dominant symbol, every other at frequency 1
                Arrays.fill(f, 1);
                f[rnd.nextInt(alphabet)] = total - (alphabet - 1);
            }
            case 1 -> { // near uniform
                Arrays.fill(f, total / alphabet);
                f[0] += total - (total / alphabet) * alphabet;
            }
            default -> { // random weights, geometric-ish for skew
                double[] w = new double[alphabet];
                double sum = 0;
                double decay = rnd.nextDouble(0.5, 1.0);
                for (int s = 0; s < alphabet; s++) {
                    w[s] = Math.pow(decay, s) * rnd.nextDouble(0.01, 1.0);
                    sum += w[s];
                }
                int used = 0;
                for (int s = 0; s < alphabet; s++) {
                    f[s] = 1 + (int) Math.floor(w[s] / sum * (total - alphabet));
                    used += f[s];
                }
                f[rnd.nextInt(alphabet)] += total - used;
            }
        }
        return new Table(precision, f);
    }
}
