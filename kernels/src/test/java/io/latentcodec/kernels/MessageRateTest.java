package io.latentcodec.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code length of the dynamic path against the ideal information content, on 10^6 symbols drawn
 * from skewed per-symbol distributions at 24-bit precision.
 */
class MessageRateTest {

    @Test
    void millionSkewedSymbolsWithinATenthOfAPercentOfIdeal() {
        final int k = 1_000_000;
        final int precision = 24;
        SplittableRandom rnd = new SplittableRandom(2024);
        Table[] pool = new Table[64];
        for (int i = 0; i < pool.length; i++) { // geometric tables over 256 symbols, decay 0.5 .. 0.98
            double decay = 0.5 + 0.48 * i / (pool.length - 1);
            int[] f = new int[256];
            double sum = 0;
            for (int s = 0; s < 256; s++) {
                sum += Math.pow(decay, s);
            }
            int used = 0;
            for (int s = 0; s < 256; s++) {
                f[s] = 1 + (int) (Math.pow(decay, s) / sum * ((1 << precision) - 256));
                used += f[s];
            }
            f[0] += (1 << precision) - used;
            pool[i] = new Table(precision, f);
        }
        int[] start = new int[k];
        int[] freq = new int[k];
        double ideal = 0;
        for (int i = 0; i < k; i++) {
            Table t = pool[rnd.nextInt(pool.length)];
            int s = t.sample(rnd);
            start[i] = t.start(s);
            freq[i] = t.freq(s);
            ideal += t.bits(s);
        }
        for (int lanes : new int[] {1, 32, 64}) {
            try (Message m = Message.create(lanes, 5)) {
                double before = m.informationBits();
                long bytesBefore = m.byteSize();
                m.push(precision, start, freq, 0, k);
                double coded = m.informationBits() - before;
                double excess = coded / ideal - 1;
                long flush = m.byteSize() - 4 * m.tailWords();
                System.out.printf("lanes %d: ideal %.0f bits, coded %.0f bits (excess %.5f%%), file %d bytes of which %d are header and lane states%n",
                        lanes, ideal, coded, 100 * excess, m.byteSize(), flush);
                assertTrue(Math.abs(excess) < 0.001, "lanes " + lanes + ": code length off ideal by " + excess);
                assertEquals(Message.HEADER_BYTES + 8L * lanes, flush, "the fixed cost: 32-byte header and 8 bytes per lane");
                assertEquals(Message.HEADER_BYTES + 8L * lanes, bytesBefore);
            }
        }
    }
}
