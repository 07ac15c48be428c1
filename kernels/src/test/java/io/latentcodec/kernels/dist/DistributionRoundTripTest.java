package io.latentcodec.kernels.dist;

import io.latentcodec.ZeroProbabilityException;
import io.latentcodec.kernels.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push and pop through real messages: the scalar and the vector message, each driven by the
 * scalar and the vector distribution kernels, write the same bytes as one {@link Message#push}
 * of the intervals computed symbol by symbol (so chunking changes nothing), pop the symbols
 * back, and return to their starting state exactly. Pops from fresh messages (as bits-back's
 * first step) agree too. Every assertion names the family and the seed.
 */
class DistributionRoundTripTest {
    static Stream<Arguments> cases() {
        return Arrays.stream(Cases.FAMILIES).flatMap(f -> LongStream.range(0, 40).mapToObj(s -> Arguments.of(f, s)));
    }

    static final int[] LANES = {1, 2, 7, 8, 9, 16, 33, 64, 200, 1500};

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void pushPopThroughMessages(String family, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + family.hashCode());
        int lanes = LANES[rnd.nextInt(LANES.length)];
        int count = switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextInt(3);
            case 1 -> lanes;
            case 2 -> 2500 + rnd.nextInt(1500); // several chunks
            default -> rnd.nextInt(3 * lanes + 5);
        };
        int offset = rnd.nextInt(5);
        Cases.Case c = Cases.random(family, rnd, Math.max(1, count), false);
        String where = family + " seed " + seed + " (" + c + ", " + count + " symbols on " + lanes + " lanes)";
        int[] symbols = new int[offset + count + 3];
        for (int k = 0; k < count; k++) {
            symbols[offset + k] = c.sample(rnd, k);
        }
        long mseed = rnd.nextLong();
        int[] prefix = new int[rnd.nextInt(50)];
        for (int i = 0; i < prefix.length; i++) {
            prefix[i] = rnd.nextInt(1 << 11);
        }
        // reference: one push of the intervals computed by the scalar kernels
        byte[] expected;
        try (Message ref = Message.createScalar(lanes, mseed)) {
            Uniform.of(11).push(ref, prefix, 0, prefix.length);
            int[] start = new int[count];
            int[] freq = new int[count];
            c.intervals(false, Arrays.copyOfRange(symbols, offset, offset + count), count, start, freq);
            ref.push(c.precision, start, freq, 0, count);
            expected = ref.toByteArray();
        }
        for (boolean vectorMessage : new boolean[] {false, true}) {
            for (boolean vectorKernels : new boolean[] {false, true}) {
                String which = where + " [" + (vectorMessage ? "vector" : "scalar") + " message, "
                        + (vectorKernels ? "vector" : "scalar") + " kernels]";
                try (Message m = vectorMessage ? Message.create(lanes, mseed) : Message.createScalar(lanes, mseed)) {
                    Uniform.of(11).push(m, prefix, 0, prefix.length);
                    try (Message before = m.copy()) {
                        c.push(vectorKernels, m, symbols, offset, count);
                        assertArrayEquals(expected, m.toByteArray(), which + ": bytes differ from one push of the same intervals");
                        int[] out = new int[offset + count + 3];
                        c.pop(vectorKernels, m, out, offset, count);
                        assertArrayEquals(symbols, out, which + ": popped other symbols");
                        assertTrue(m.contentEquals(before), which + ": message did not return to its state before the push");
                    }
                }
            }
        }
    }

    /** Bits-back's first move: pop from a fresh message, push back, and be pristine again; all four combinations pop the same. */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void popFromFreshMessageAndPushBack(String family, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 7_919L ^ family.hashCode());
        int lanes = LANES[rnd.nextInt(LANES.length)];
        int count = 1 + rnd.nextInt(2 * lanes + 40);
        Cases.Case c = Cases.random(family, rnd, count, false);
        String where = family + " seed " + seed + " (" + c + ", " + count + " symbols on " + lanes + " lanes)";
        long mseed = rnd.nextLong();
        int[] first = null;
        byte[] firstBytes = null;
        for (boolean vectorMessage : new boolean[] {false, true}) {
            for (boolean vectorKernels : new boolean[] {false, true}) {
                try (Message m = vectorMessage ? Message.create(lanes, mseed) : Message.createScalar(lanes, mseed)) {
                    int[] out = new int[count];
                    c.pop(vectorKernels, m, out, 0, count);
                    if (first == null) {
                        first = out;
                        firstBytes = m.toByteArray();
                    } else {
                        assertArrayEquals(first, out, where + ": implementations popped different symbols");
                        assertArrayEquals(firstBytes, m.toByteArray(), where + ": implementations left different bytes");
                    }
                    c.push(vectorKernels, m, out, 0, count);
                    assertTrue(m.isPristine(), where + ": pushing the popped symbols back did not restore the fresh message");
                }
            }
        }
    }

    // ---------------------------------------------------------------- misuse

    static final float[] BAD = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    /** Runs {@code call} on a message with some content and checks that it throws {@code type} with {@code text} and leaves the message unchanged. */
    static void refused(Class<? extends Throwable> type, String text, Consumer<Message> call) {
        for (Message m : new Message[] {Message.createScalar(5, 9), Message.create(5, 9)}) {
            try (m) {
                Uniform.of(16).push(m, new int[] {1, 2, 3, 40000, 5, 6, 7}, 0, 7);
                try (Message before = m.copy()) {
                    Throwable t = assertThrows(type, () -> call.accept(m));
                    assertTrue(t.getMessage().contains(text), "message '" + t.getMessage() + "' should contain '" + text + "'");
                    assertTrue(m.contentEquals(before), "a refused call changed the message: " + t.getMessage());
                }
            }
        }
    }

    @Test
    void nonFiniteParametersAreRefusedNamingIndexAndValue() {
        int[] sym = new int[8];
        int[] out = new int[8];
        for (float bad : BAD) {
            for (boolean vector : new boolean[] {false, true}) {
                float[] ok = new float[8];
                Arrays.fill(ok, 1f);
                float[] b = ok.clone();
                b[5] = bad;
                String idx = "[5] = " + bad;
                DiscretizedLogistic dl = vector ? DiscretizedLogistic.create(0, 255, 16) : DiscretizedLogistic.createScalar(0, 255, 16);
                DiscretizedGaussian dg = vector ? DiscretizedGaussian.create(0, 255, 16) : DiscretizedGaussian.createScalar(0, 255, 16);
                GaussianPosterior gp = vector ? GaussianPosterior.create(GaussianBuckets.of(6), 12) : GaussianPosterior.createScalar(GaussianBuckets.of(6), 12);
                Bernoulli be = vector ? Bernoulli.create(12) : Bernoulli.createScalar(12);
                BetaBinomial bb = vector ? BetaBinomial.create(255, 16) : BetaBinomial.createScalar(255, 16);
                refused(IllegalArgumentException.class, "mean" + idx, m -> dl.push(m, b, ok, 0, sym, 0, 8));
                refused(IllegalArgumentException.class, "scale" + idx, m -> dl.pop(m, ok, b, 0, out, 0, 8));
                refused(IllegalArgumentException.class, "mean" + idx, m -> dg.pop(m, b, ok, 0, out, 0, 8));
                refused(IllegalArgumentException.class, "scale" + idx, m -> dg.push(m, ok, b, 0, sym, 0, 8));
                refused(IllegalArgumentException.class, "mean" + idx, m -> gp.push(m, b, ok, 0, sym, 0, 8));
                refused(IllegalArgumentException.class, "scale" + idx, m -> gp.pop(m, ok, b, 0, out, 0, 8));
                refused(IllegalArgumentException.class, "logit" + idx, m -> be.push(m, b, 0, sym, 0, 8));
                refused(IllegalArgumentException.class, "logit" + idx, m -> be.pop(m, b, 0, out, 0, 8));
                refused(IllegalArgumentException.class, "alpha" + idx, m -> bb.push(m, b, ok, 0, sym, 0, 8));
                refused(IllegalArgumentException.class, "beta" + idx, m -> bb.pop(m, ok, b, 0, out, 0, 8));
            }
        }
        // scales and shapes must also be positive
        float[] ok = {1, 1, 1, 1};
        for (float bad : new float[] {0f, -0f, -1f}) {
            float[] b = {1, 1, bad, 1};
            refused(IllegalArgumentException.class, "scale[2] = " + bad, m -> DiscretizedLogistic.create(0, 9, 8).push(m, ok, b, 0, new int[4], 0, 4));
            refused(IllegalArgumentException.class, "beta[2] = " + bad, m -> BetaBinomial.create(9, 8).push(m, ok, b, 0, new int[4], 0, 4));
        }
    }

    @Test
    void symbolsOutsideTheSupportAreZeroProbability() {
        float[] one = {0.5f, 0.5f, 0.5f};
        refused(ZeroProbabilityException.class, "symbols[2] = 256", m -> DiscretizedLogistic.create(0, 255, 16).push(m, one, one, 0, new int[] {0, 1, 256}, 0, 3));
        refused(ZeroProbabilityException.class, "symbols[0] = -1", m -> DiscretizedGaussian.create(0, 255, 16).push(m, one, one, 0, new int[] {-1, 1, 2}, 0, 3));
        refused(ZeroProbabilityException.class, "symbols[1] = 64", m -> GaussianPosterior.create(GaussianBuckets.of(6), 10).push(m, one, one, 0, new int[] {0, 64, 2}, 0, 3));
        refused(ZeroProbabilityException.class, "symbols[1] = 2", m -> Bernoulli.create(8).push(m, one, 0, new int[] {0, 2, 1}, 0, 3));
        refused(ZeroProbabilityException.class, "symbols[2] = 256", m -> BetaBinomial.create(255, 16).push(m, one, one, 0, new int[] {0, 255, 256}, 0, 3));
        refused(ZeroProbabilityException.class, "symbols[1] = 16", m -> Uniform.of(4).push(m, new int[] {0, 16, 1}, 0, 3));
        refused(ZeroProbabilityException.class, "symbols[3] = 1", m -> CategoricalTable.of(4, new int[] {8, 0, 8}).push(m, new int[] {0, 2, 2, 1}, 0, 4));
        // the symbol is checked even in the last of several chunks: nothing is pushed
        int[] many = new int[5000];
        many[4999] = 300;
        float[] p = new float[5000];
        Arrays.fill(p, 1f);
        refused(ZeroProbabilityException.class, "symbols[4999] = 300", m -> DiscretizedLogistic.create(0, 255, 16).push(m, p, p, 0, many, 0, 5000));
    }

    @Test
    void rangesAndSlicesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> DiscretizedLogistic.create(0, 255, 7));
        assertThrows(IllegalArgumentException.class, () -> DiscretizedGaussian.create(5, 4, 16));
        assertThrows(IllegalArgumentException.class, () -> DiscretizedGaussian.create(0, 255, 25));
        assertThrows(IllegalArgumentException.class, () -> BetaBinomial.create(255, 7));
        assertThrows(IllegalArgumentException.class, () -> BetaBinomial.create(0, 8));
        assertThrows(IllegalArgumentException.class, () -> GaussianPosterior.create(GaussianBuckets.of(8), 7));
        assertThrows(IllegalArgumentException.class, () -> GaussianBuckets.of(0));
        assertThrows(IllegalArgumentException.class, () -> GaussianBuckets.of(21));
        assertThrows(IllegalArgumentException.class, () -> Uniform.of(25));
        assertThrows(IllegalArgumentException.class, () -> Bernoulli.create(0));
        float[] p = new float[4];
        Arrays.fill(p, 1f);
        refused(IllegalArgumentException.class, "do not fit an array of 4", m -> DiscretizedLogistic.create(0, 9, 8).push(m, p, p, 1, new int[8], 0, 4));
        refused(IllegalArgumentException.class, "do not fit an array of 3", m -> DiscretizedLogistic.create(0, 9, 8).pop(m, p, p, 0, new int[3], 0, 4));
        refused(IllegalArgumentException.class, "count must be >= 0", m -> BetaBinomial.create(9, 8).pop(m, p, p, 0, new int[3], 0, -1));
    }

    /**
     * Uniform costs {@code bits} bits a symbol (to within the heads' rounding: a push maps x to
     * {@code 2^bits x - (x mod 2^(24-bits)) + ...}, a relative change below 2^-8 per lane); zero bits code nothing.
     */
    @Test
    void uniformCostsExactlyItsBits() {
        for (int bits : new int[] {0, 1, 8, 13, 24}) {
            for (Message m : new Message[] {Message.createScalar(8, 3), Message.create(8, 3)}) {
                try (m) {
                    SplittableRandom rnd = new SplittableRandom(bits);
                    int[] x = new int[1000];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = bits == 0 ? 0 : rnd.nextInt(1 << bits);
                    }
                    double before = m.informationBits();
                    Uniform.of(bits).push(m, x, 0, x.length);
                    assertEquals(bits * 1000.0, m.informationBits() - before, 0.05, "bits " + bits);
                    int[] out = new int[1000];
                    Uniform.of(bits).pop(m, out, 0, 1000);
                    assertArrayEquals(x, out, "bits " + bits);
                    assertTrue(m.isPristine(), "bits " + bits);
                }
            }
        }
    }
}
