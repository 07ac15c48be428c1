package io.latentcodec.engine.vbq;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.dist.CategoricalTable;

/**
 * Entropy coding of chosen grid points with rANS. Each point j is coded as its depth r (categorical,
 * one table per channel for the lambda bucket) and its index k at that depth (a categorical per
 * channel and depth when the tables have an index model, else r raw bits). ANS is a
 * stack, so the encoder pushes the indices first, grouped by depth from R down to 1 (each group in
 * latent order, at precision r), then all depths; the decoder pops the depths, then the index groups
 * for r = 1..R, and rebuilds j. Latent i belongs to channel {@code i mod channels} (NHWC order).
 *
 * <p>The uniform ablation codes symbols {@code q + Q} with one table per channel for its step.
 */
public final class VbqCoder {
    private VbqCoder() {
    }

    public static void push(Message m, VbqTables t, int bucket, int[] j) {
        int depth = t.depth();
        int n = j.length;
        int channels = t.channels();
        int[] r = new int[n];
        int[] count = new int[depth + 1];
        for (int i = 0; i < n; i++) {
            if (j[i] <= 0 || j[i] >= t.gridSize()) {
                throw new IllegalArgumentException("grid point " + j[i] + " outside (0, " + t.gridSize() + ")");
            }
            r[i] = VbqQuantizer.depthOf(j[i], depth);
            count[r[i]]++;
        }
        int[] start = new int[n];
        int[] freq = new int[n];
        for (int d = depth; d >= 1; d--) {
            if (count[d] == 0) {
                continue;
            }
            int k = 0;
            CategoricalTable[] per = t.hasIndexModel() ? new CategoricalTable[count[d]] : null;
            for (int i = 0; i < n; i++) {
                if (r[i] == d) {
                    start[k] = VbqQuantizer.indexOf(j[i]);
                    freq[k] = 1;
                    if (per != null) {
                        per[k] = t.indexTable(i % channels, d);
                    }
                    k++;
                }
            }
            if (per != null) {
                CategoricalTable.push(m, per, 0, start, 0, k);
            } else {
                m.push(d, start, freq, 0, k);
            }
        }
        CategoricalTable.push(m, tablesFor(t, bucket, n, channels), 0, r, 0, n);
    }

    public static int[] pop(Message m, VbqTables t, int bucket, int n) {
        int depth = t.depth();
        int[] r = new int[n];
        CategoricalTable.pop(m, tablesFor(t, bucket, n, t.channels()), 0, r, 0, n);
        int[] count = new int[depth + 1];
        for (int x : r) {
            count[x]++;
        }
        int[] j = new int[n];
        for (int i = 0; i < n; i++) {
            if (r[i] == 0) {
                j[i] = VbqQuantizer.point(0, 0, depth);
            }
        }
        for (int d = 1; d <= depth; d++) {
            if (count[d] == 0) {
                continue;
            }
            int cnt = count[d];
            int[] got = new int[cnt];
            if (t.hasIndexModel()) {
                CategoricalTable[] per = new CategoricalTable[cnt];
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (r[i] == d) {
                        per[k++] = t.indexTable(i % t.channels(), d);
                    }
                }
                CategoricalTable.pop(m, per, 0, got, 0, cnt);
            } else {
                m.pop(d, cnt, (k0, len, cf, start, freq) -> {
                    for (int q = 0; q < len; q++) {
                        got[k0 + q] = cf[q];
                        start[q] = cf[q];
                        freq[q] = 1;
                    }
                });
            }
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (r[i] == d) {
                    j[i] = VbqQuantizer.point(d, got[k++], depth);
                }
            }
        }
        return j;
    }

    private static CategoricalTable[] tablesFor(VbqTables t, int bucket, int n, int channels) {
        CategoricalTable[] per = new CategoricalTable[n];
        for (int i = 0; i < n; i++) {
            per[i] = t.depthTable(bucket, i % channels);
        }
        return per;
    }

    static void pushUniform(Message m, VbqTables t, int step, int[] symbols) {
        int n = symbols.length;
        CategoricalTable[] per = new CategoricalTable[n];
        for (int i = 0; i < n; i++) {
            per[i] = t.uniformTable(step, i % t.channels());
        }
        CategoricalTable.push(m, per, 0, symbols, 0, n);
    }

    static int[] popUniform(Message m, VbqTables t, int step, int n) {
        CategoricalTable[] per = new CategoricalTable[n];
        for (int i = 0; i < n; i++) {
            per[i] = t.uniformTable(step, i % t.channels());
        }
        int[] out = new int[n];
        CategoricalTable.pop(m, per, 0, out, 0, n);
        return out;
    }
}
