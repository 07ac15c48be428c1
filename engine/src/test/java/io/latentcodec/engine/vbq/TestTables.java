package io.latentcodec.engine.vbq;

import java.util.SplittableRandom;

/** Synthetic VBQ tables for tests that need no network: logistic-quantile grids with per-channel scales, random counts. */
final class TestTables {
    private TestTables() {
    }

    static VbqTables create(SplittableRandom r, int channels, int depth) {
        int g = 1 << (depth + 1);
        float[][] values = new float[channels][g - 1];
        for (int c = 0; c < channels; c++) {
            double scale = 0.2 + 2 * r.nextDouble();
            double shift = r.nextDouble() - 0.5;
            for (int j = 1; j < g; j++) {
                double u = (double) j / g;
                values[c][j - 1] = (float) (shift + scale * Math.log(u / (1 - u)) / 1.7);
            }
            for (int j = 1; j < g - 1; j++) {
                values[c][j] = Math.max(values[c][j], Math.nextUp(values[c][j - 1]));
            }
        }
        double[] lambdas = {0.01, 0.1, 1, 10, 100};
        long[][][] depth3 = new long[lambdas.length][channels][depth + 1];
        for (long[][] b : depth3) {
            for (long[] ch : b) {
                for (int d = 0; d <= depth; d++) {
                    ch[d] = r.nextInt(4) == 0 ? 0 : r.nextInt(1000);
                }
            }
        }
        double[] steps = {0.05, 0.5};
        int[] half = {20, 4};
        long[][][] uni = new long[2][][];
        for (int s = 0; s < 2; s++) {
            uni[s] = new long[channels][2 * half[s] + 1];
            for (long[] ch : uni[s]) {
                for (int q = 0; q < ch.length; q++) {
                    ch[q] = r.nextInt(50);
                }
            }
        }
        long[][][] index = null;
        if (r.nextBoolean()) {
            index = new long[channels][depth + 1][];
            for (long[][] ch : index) {
                for (int d = 1; d <= depth; d++) {
                    ch[d] = new long[1 << d];
                    for (int k = 0; k < ch[d].length; k++) {
                        ch[d][k] = r.nextInt(3) == 0 ? 0 : r.nextInt(100);
                    }
                }
            }
        }
        return new VbqTables(depth, lambdas, values, depth3, steps, half, uni, index);
    }
}
