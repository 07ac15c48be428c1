package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public one-round {@code invert} of each family with per-symbol parameters, driven by a
 * {@link Message#pop} inverse the way an autoregressive decoder drives it (the parameters of a
 * round read only when that round is inverted): it must pop what {@code push} pushed, leave the
 * message as it was, and agree with the family's own {@code pop}. Seeded; scalar and vector.
 */
class InvertRoundTest {
    static final String[] FAMILIES = {"bernoulli", "betabinomial", "logistic", "mixture"};

    static Stream<Arguments> cases() {
        return Stream.of(FAMILIES).flatMap(f -> LongStream.range(0, 25).mapToObj(s -> Arguments.of(f, s)));
    }

    /** One family's public API over a batch of parameters. */
    interface Family {
        void push(Message m, int[] symbols, int count);

        /** Round inverse through the public invert, parameters of symbols k0 .. k0 + n - 1. */
        void invert(int k0, int n, int[] cf, int[] out, int[] start, int[] freq);
    }

    static Family family(String name, Cases.Case c, boolean vector, SplittableRandom rnd, int size, int lanes) {
        return switch (name) {
            case "bernoulli" -> {
                float[] logit = Cases.fill(rnd, size, false, () -> (float) (rnd.nextGaussian() * 5));
                Bernoulli b = vector ? Bernoulli.create(c.precision) : Bernoulli.createScalar(c.precision);
                Bernoulli.Scratch sc = b.invertScratch(lanes);
                yield new Family() {
                    public void push(Message m, int[] s, int n) {
                        b.push(m, logit, 0, s, 0, n);
                    }

                    public void invert(int k0, int n, int[] cf, int[] out, int[] start, int[] freq) {
                        b.invert(logit, k0, n, cf, out, k0, start, freq, sc);
                    }
                };
            }
            case "betabinomial" -> {
                float[] alpha = Cases.fill(rnd, size, false, () -> Cases.logUniform(rnd, 1e-3, 1e3));
                float[] beta = Cases.fill(rnd, size, false, () -> Cases.logUniform(rnd, 1e-3, 1e3));
                BetaBinomial b = vector ? BetaBinomial.create(255, c.precision) : BetaBinomial.createScalar(255, c.precision);
                BetaBinomial.Scratch sc = b.scratch();
                yield new Family() {
                    public void push(Message m, int[] s, int n) {
                        b.push(m, alpha, beta, 0, s, 0, n);
                    }

                    public void invert(int k0, int n, int[] cf, int[] out, int[] start, int[] freq) {
                        b.invert(alpha, beta, k0, n, cf, out, k0, start, freq, sc);
                    }
                };
            }
            case "logistic" -> {
                float[] mean = Cases.fill(rnd, size, false, () -> (float) rnd.nextDouble(-20, 275));
                float[] scale = Cases.fill(rnd, size, false, () -> Cases.logUniform(rnd, 0.01, 100));
                DiscretizedLogistic d = vector ? DiscretizedLogistic.create(0, 255, c.precision) : DiscretizedLogistic.createScalar(0, 255, c.precision);
                DiscretizedLogistic.Scratch sc = d.invertScratch(lanes);
                yield new Family() {
                    public void push(Message m, int[] s, int n) {
                        d.push(m, mean, scale, 0, s, 0, n);
                    }

                    public void invert(int k0, int n, int[] cf, int[] out, int[] start, int[] freq) {
                        d.invert(mean, scale, k0, n, cf, out, k0, start, freq, sc);
                    }
                };
            }
            default -> {
                float[][] params = new float[9][];
                for (int i = 0; i < 3; i++) {
                    params[i] = Cases.fill(rnd, size, false, () -> (float) (rnd.nextGaussian() * 3));
                    params[3 + i] = Cases.fill(rnd, size, false, () -> (float) rnd.nextDouble(-20, 275));
                    params[6 + i] = Cases.fill(rnd, size, false, () -> Cases.logUniform(rnd, 0.01, 100));
                }
                DiscretizedLogisticMixture d = vector ? DiscretizedLogisticMixture.create(3, 0, 255, c.precision)
                        : DiscretizedLogisticMixture.createScalar(3, 0, 255, c.precision);
                DiscretizedLogisticMixture.Scratch sc = d.invertScratch(lanes);
                yield new Family() {
                    public void push(Message m, int[] s, int n) {
                        d.push(m, params, 0, s, 0, n);
                    }

                    public void invert(int k0, int n, int[] cf, int[] out, int[] start, int[] freq) {
                        d.invert(params, k0, n, cf, out, k0, start, freq, sc);
                    }
                };
            }
        };
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void roundByRoundInversionPopsWhatWasPushed(String name, long seed) {
        for (boolean vector : new boolean[] {false, true}) {
            SplittableRandom rnd = new SplittableRandom(seed * 31 + name.hashCode());
            int lanes = new int[] {1, 3, 8, 16, 33}[rnd.nextInt(5)];
            int count = rnd.nextInt(4 * lanes + 40);
            int precision = name.equals("bernoulli") ? 1 + rnd.nextInt(24) : 8 + rnd.nextInt(17);
            Cases.Case c = new Cases.Case(name, 0, name.equals("bernoulli") ? 1 : 255, precision) {
                void intervals(boolean v, int[] s, int n, int[] st, int[] f) {
                }

                void invert(boolean v, int[] cf, int n, int[] o, int[] st, int[] f) {
                }

                void push(boolean v, Message m, int[] s, int off, int n) {
                }

                void pop(boolean v, Message m, int[] o, int off, int n) {
                }

                int sample(SplittableRandom r, int k) {
                    return 0;
                }
            };
            Family f = family(name, c, vector, rnd, Math.max(1, count), lanes);
            int[] symbols = new int[count];
            for (int k = 0; k < count; k++) {
                symbols[k] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(c.hi + 1);
            }
            String where = name + " seed " + seed + " (" + count + " symbols, " + lanes + " lanes, precision " + precision + ", "
                    + (vector ? "vector" : "scalar") + ")";
            try (Message m = vector ? Message.create(lanes, seed) : Message.createScalar(lanes, seed)) {
                Uniform.of(7).push(m, new int[] {5, 9, 100}, 0, 3);
                try (Message before = m.copy()) {
                    f.push(m, symbols, count);
                    int[] out = new int[count];
                    m.pop(precision, count, (k0, n, cf, start, freq) -> f.invert(k0, n, cf, out, start, freq));
                    assertArrayEquals(symbols, out, where + ": popped other symbols");
                    assertTrue(m.contentEquals(before), where + ": message not back to its state before the push");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void aRoundLargerThanTheScratchIsRefused(String name, long seed) {
        if (name.equals("betabinomial")) {
            return; // its scratch does not depend on the round size
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Cases.Case c = new Cases.Case(name, 0, 255, 16) {
            void intervals(boolean v, int[] s, int n, int[] st, int[] f) {
            }

            void invert(boolean v, int[] cf, int n, int[] o, int[] st, int[] f) {
            }

            void push(boolean v, Message m, int[] s, int off, int n) {
            }

            void pop(boolean v, Message m, int[] o, int off, int n) {
            }

            int sample(SplittableRandom r, int k) {
                return 0;
            }
        };
        Family f = family(name, c, rnd.nextBoolean(), rnd, 64, 4);
        int[] cf = new int[64];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.invert(0, 5, cf, new int[64], new int[64], new int[64]));
        assertTrue(e.getMessage().contains("for a scratch of 4"), name + " seed " + seed + ": " + e.getMessage());
    }
}
