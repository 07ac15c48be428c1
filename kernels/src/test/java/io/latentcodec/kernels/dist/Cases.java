package io.latentcodec.kernels.dist;

import io.latentcodec.kernels.Message;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Test subjects: one distribution family with a batch of per-symbol parameters, seen both through
 * its package-private kernels (to check the integer CDF itself) and through its public push/pop.
 * Generators draw typical parameters most of the time and extreme ones (scale 1e-6 and 1e6,
 * logits of +-50, alpha and beta of 1e-3 and 1e3, means far outside the range, the float limits)
 * often enough that every seed range covers them.
 */
final class Cases {
    private Cases() {
    }

    /** A family with parameters for {@code size} symbols. */
    abstract static class Case {
        final String name;
        final int lo;
        final int hi;
        final int precision;

        Case(String name, int lo, int hi, int precision) {
            this.name = name;
            this.lo = lo;
            this.hi = hi;
            this.precision = precision;
        }

        /** (start, freq) of {@code symbols[0..n)}, symbol i with parameter set i. */
        abstract void intervals(boolean vector, int[] symbols, int n, int[] start, int[] freq);

        /** The symbols holding {@code cf[0..n)}, cf i with parameter set i, and their intervals. */
        abstract void invert(boolean vector, int[] cf, int n, int[] out, int[] start, int[] freq);

        /** Public push of {@code count} symbols at {@code offset}, symbol k with parameter set k. */
        abstract void push(boolean vector, Message m, int[] symbols, int offset, int count);

        abstract void pop(boolean vector, Message m, int[] out, int offset, int count);

        /** A symbol of the support for parameter set k (random, biased towards likely ones). */
        abstract int sample(SplittableRandom rnd, int k);

        int total() {
            return 1 << precision;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String[] FAMILIES = {"logistic", "gaussian", "posterior", "bernoulli", "betabinomial", "categorical", "mixture"};

    /** A random case of the given family with {@code size} parameter sets, all equal when {@code shared}. */
    static Case random(String family, SplittableRandom rnd, int size, boolean shared) {
        return switch (family) {
            case "logistic", "gaussian" -> pixels(family.equals("gaussian"), rnd, size, shared);
            case "posterior" -> posterior(rnd, size, shared);
            case "bernoulli" -> bernoulli(rnd, size, shared);
            case "betabinomial" -> betaBinomial(rnd, size, shared);
            case "categorical" -> categorical(rnd);
            case "mixture" -> mixture(rnd, size, shared);
            default -> throw new IllegalArgumentException(family);
        };
    }

    static int precisionFor(SplittableRandom rnd, long alphabet) {
        int min = Math.max(1, 64 - Long.numberOfLeadingZeros(alphabet - 1));
        return switch (rnd.nextInt(4)) {
            case 0 -> min;
            case 1 -> Message.PRECISION_MAX;
            default -> min + rnd.nextInt(Message.PRECISION_MAX - min + 1);
        };
    }

    static float logUniform(SplittableRandom rnd, double lo, double hi) {
        return (float) Math.exp(rnd.nextDouble(Math.log(lo), Math.log(hi)));
    }

    static float[] fill(SplittableRandom rnd, int size, boolean shared, java.util.function.Supplier<Float> draw) {
        float[] a = new float[size];
        if (shared) {
            Arrays.fill(a, draw.get());
        } else {
            for (int i = 0; i < size; i++) {
                a[i] = draw.get();
            }
        }
        return a;
    }

    static float mean(SplittableRandom rnd, int lo, int hi) {
        return switch (rnd.nextInt(12)) {
            case 0 -> lo - 1e6f;
            case 1 -> hi + 1e6f;
            case 2 -> rnd.nextBoolean() ? -3e38f : 3e38f;
            case 3 -> lo + rnd.nextInt(hi - lo + 1) + 0.5f; // exactly on an edge
            case 4 -> rnd.nextBoolean() ? lo - 40.5f : hi + 40.5f;
            default -> (float) rnd.nextDouble(lo - 3.0, hi + 3.0);
        };
    }

    static float scale(SplittableRandom rnd, int width) {
        return switch (rnd.nextInt(12)) {
            case 0 -> 1e-6f;
            case 1 -> 1e6f;
            case 2 -> Float.MIN_VALUE;
            case 3 -> Float.MAX_VALUE;
            case 4 -> rnd.nextBoolean() ? 1e-30f : 1e30f;
            default -> logUniform(rnd, 0.02, Math.max(1.0, width / 4.0));
        };
    }

    static Case pixels(boolean gaussian, SplittableRandom rnd, int size, boolean shared) {
        int lo;
        int hi;
        switch (rnd.nextInt(5)) {
            case 0, 1 -> {
                lo = 0;
                hi = 255;
            }
            case 2 -> {
                lo = -rnd.nextInt(300);
                hi = lo + rnd.nextInt(600);
            }
            case 3 -> {
                lo = rnd.nextInt(100);
                hi = lo + rnd.nextInt(3);
            }
            default -> {
                lo = rnd.nextInt(1000) - 500;
                hi = lo + rnd.nextInt(5000);
            }
        }
        int p = precisionFor(rnd, (long) hi - lo + 1);
        float[] mean = fill(rnd, size, shared, () -> mean(rnd, lo, hi));
        float[] scale = fill(rnd, size, shared, () -> scale(rnd, hi - lo + 1));
        return discretized(gaussian ? "gaussian" : "logistic", gaussian, lo, hi, p, mean, scale);
    }

    static Case discretized(String name, boolean gaussian, int lo, int hi, int p, float[] mean, float[] scale) {
        Object sc = gaussian ? DiscretizedGaussian.createScalar(lo, hi, p) : DiscretizedLogistic.createScalar(lo, hi, p);
        Object vc = gaussian ? DiscretizedGaussian.create(lo, hi, p) : DiscretizedLogistic.create(lo, hi, p);
        Discretized se = gaussian ? ((DiscretizedGaussian) sc).engine() : ((DiscretizedLogistic) sc).engine();
        Discretized ve = gaussian ? ((DiscretizedGaussian) vc).engine() : ((DiscretizedLogistic) vc).engine();
        String label = name + "[" + lo + ", " + hi + "] p=" + p + " mean=" + mean[0] + " scale=" + scale[0];
        return new DiscretizedCase(label, lo, hi, p, se, ve, mean, scale) {
            @Override
            void push(boolean vector, Message m, int[] symbols, int offset, int count) {
                if (gaussian) {
                    ((DiscretizedGaussian) (vector ? vc : sc)).push(m, mean, scale, 0, symbols, offset, count);
                } else {
                    ((DiscretizedLogistic) (vector ? vc : sc)).push(m, mean, scale, 0, symbols, offset, count);
                }
            }

            @Override
            void pop(boolean vector, Message m, int[] out, int offset, int count) {
                if (gaussian) {
                    ((DiscretizedGaussian) (vector ? vc : sc)).pop(m, mean, scale, 0, out, offset, count);
                } else {
                    ((DiscretizedLogistic) (vector ? vc : sc)).pop(m, mean, scale, 0, out, offset, count);
                }
            }
        };
    }

    abstract static class DiscretizedCase extends Case {
        final Discretized scalar;
        final Discretized vector;
        final float[] mean;
        final float[] scale;

        DiscretizedCase(String name, int lo, int hi, int p, Discretized scalar, Discretized vector, float[] mean, float[] scale) {
            super(name, lo, hi, p);
            this.scalar = scalar;
            this.vector = vector;
            this.mean = mean;
            this.scale = scale;
        }

        @Override
        void intervals(boolean v, int[] symbols, int n, int[] start, int[] freq) {
            Discretized d = v ? vector : scalar;
            d.intervals(mean, scale, 0, symbols, 0, n, start, freq, d.scratch(n));
        }

        @Override
        void invert(boolean v, int[] cf, int n, int[] out, int[] start, int[] freq) {
            Discretized d = v ? vector : scalar;
            d.invert(mean, scale, 0, n, cf, out, 0, start, freq, d.scratch(n));
        }

        @Override
        int sample(SplittableRandom rnd, int k) {
            if (rnd.nextInt(4) == 0) {
                return lo + rnd.nextInt(hi - lo + 1);
            }
            double x = mean[k] + scale[k] * rnd.nextGaussian();
            return (int) Math.max(lo, Math.min(hi, Math.rint(x)));
        }
    }

    static Case posterior(SplittableRandom rnd, int size, boolean shared) {
        int bits = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 12 : 8);
        int p = rnd.nextInt(3) == 0 ? bits : bits + rnd.nextInt(Message.PRECISION_MAX - bits + 1);
        GaussianBuckets g = GaussianBuckets.of(bits);
        float[] mean = fill(rnd, size, shared, () -> switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextBoolean() ? -1e6f : 1e6f;
            case 1 -> (float) g.edge(1 + rnd.nextInt(g.count() - 1)); // on an edge
            default -> (float) rnd.nextGaussian() * 2;
        });
        float[] scale = fill(rnd, size, shared, () -> switch (rnd.nextInt(8)) {
            case 0 -> 1e-6f;
            case 1 -> 1e6f;
            case 2 -> Float.MIN_VALUE;
            default -> logUniform(rnd, 1e-3, 3);
        });
        GaussianPosterior sc = GaussianPosterior.createScalar(g, p);
        GaussianPosterior vc = GaussianPosterior.create(g, p);
        String label = "posterior bits=" + bits + " p=" + p + " mean=" + mean[0] + " scale=" + scale[0];
        return new DiscretizedCase(label, 0, g.count() - 1, p, sc.engine(), vc.engine(), mean, scale) {
            @Override
            void push(boolean vector, Message m, int[] symbols, int offset, int count) {
                (vector ? vc : sc).push(m, mean, scale, 0, symbols, offset, count);
            }

            @Override
            void pop(boolean vector, Message m, int[] out, int offset, int count) {
                (vector ? vc : sc).pop(m, mean, scale, 0, out, offset, count);
            }

            @Override
            int sample(SplittableRandom rnd, int k) {
                if (rnd.nextInt(4) == 0) {
                    return rnd.nextInt(g.count());
                }
                double z = mean[k] + scale[k] * rnd.nextGaussian();
                int b = 0;
                while (b < g.count() - 1 && g.edge(b + 1) <= z) {
                    b++;
                }
                return b;
            }
        };
    }

    static Case bernoulli(SplittableRandom rnd, int size, boolean shared) {
        int p = precisionFor(rnd, 2);
        float[] logit = fill(rnd, size, shared, () -> switch (rnd.nextInt(8)) {
            case 0 -> 50f;
            case 1 -> -50f;
            case 2 -> rnd.nextBoolean() ? 1e30f : -1e30f;
            case 3 -> 0f;
            default -> (float) (rnd.nextGaussian() * 4);
        });
        Bernoulli sc = Bernoulli.createScalar(p);
        Bernoulli vc = Bernoulli.create(p);
        return new Case("bernoulli p=" + p + " logit=" + logit[0], 0, 1, p) {
            @Override
            void intervals(boolean v, int[] symbols, int n, int[] start, int[] freq) {
                Bernoulli b = v ? vc : sc;
                b.intervals(logit, 0, symbols, 0, n, start, freq, b.scratch(n));
            }

            @Override
            void invert(boolean v, int[] cf, int n, int[] out, int[] start, int[] freq) {
                Bernoulli b = v ? vc : sc;
                b.invert(logit, 0, n, cf, out, 0, start, freq, b.scratch(n));
            }

            @Override
            void push(boolean v, Message m, int[] symbols, int offset, int count) {
                (v ? vc : sc).push(m, logit, 0, symbols, offset, count);
            }

            @Override
            void pop(boolean v, Message m, int[] out, int offset, int count) {
                (v ? vc : sc).pop(m, logit, 0, out, offset, count);
            }

            @Override
            int sample(SplittableRandom rnd, int k) {
                return rnd.nextDouble() < 1 / (1 + Math.exp(-logit[k])) ? 1 : 0;
            }
        };
    }

    static float shape(SplittableRandom rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> 1e-3f;
            case 1 -> 1e3f;
            case 2 -> Float.MIN_VALUE;
            case 3 -> Float.MAX_VALUE;
            case 4 -> rnd.nextBoolean() ? 1e-30f : 1e30f;
            default -> logUniform(rnd, 1e-3, 1e3);
        };
    }

    static Case betaBinomial(SplittableRandom rnd, int size, boolean shared) {
        int n = switch (rnd.nextInt(4)) {
            case 0, 1 -> 255;
            case 2 -> 1 + rnd.nextInt(16);
            default -> 1 + rnd.nextInt(600);
        };
        int p = precisionFor(rnd, n + 1);
        float[] alpha = fill(rnd, size, shared, () -> shape(rnd));
        float[] beta = fill(rnd, size, shared, () -> shape(rnd));
        BetaBinomial sc = BetaBinomial.createScalar(n, p);
        BetaBinomial vc = BetaBinomial.create(n, p);
        return new Case("betabinomial n=" + n + " p=" + p + " alpha=" + alpha[0] + " beta=" + beta[0], 0, n, p) {
            @Override
            void intervals(boolean v, int[] symbols, int cnt, int[] start, int[] freq) {
                BetaBinomial b = v ? vc : sc;
                b.intervals(alpha, beta, 0, symbols, 0, cnt, start, freq, b.scratch());
            }

            @Override
            void invert(boolean v, int[] cf, int cnt, int[] out, int[] start, int[] freq) {
                BetaBinomial b = v ? vc : sc;
                b.invert(alpha, beta, 0, cnt, cf, out, 0, start, freq, b.scratch());
            }

            @Override
            void push(boolean v, Message m, int[] symbols, int offset, int count) {
                (v ? vc : sc).push(m, alpha, beta, 0, symbols, offset, count);
            }

            @Override
            void pop(boolean v, Message m, int[] out, int offset, int count) {
                (v ? vc : sc).pop(m, alpha, beta, 0, out, offset, count);
            }

            @Override
            int sample(SplittableRandom rnd, int k) {
                if (rnd.nextInt(4) == 0) {
                    return rnd.nextInt(n + 1);
                }
                double mean = n * ((double) alpha[k] / ((double) alpha[k] + beta[k]));
                return (int) Math.max(0, Math.min(n, Math.rint(mean + rnd.nextGaussian() * Math.sqrt(n) / 2)));
            }
        };
    }

    static Case mixture(SplittableRandom rnd, int size, boolean shared) {
        int k = 1 + rnd.nextInt(4);
        int lo = rnd.nextInt(3) == 0 ? rnd.nextInt(200) - 100 : 0;
        int hi = lo + switch (rnd.nextInt(4)) {
            case 0, 1 -> 255;
            case 2 -> rnd.nextInt(4);
            default -> rnd.nextInt(2000);
        };
        int p = precisionFor(rnd, (long) hi - lo + 1);
        float[][] params = new float[3 * k][];
        for (int c = 0; c < k; c++) {
            params[c] = fill(rnd, size, shared, () -> switch (rnd.nextInt(10)) {
                case 0 -> rnd.nextBoolean() ? 80f : -80f;
                case 1 -> rnd.nextBoolean() ? 3e38f : -3e38f;
                default -> (float) (rnd.nextGaussian() * 3);
            });
            params[k + c] = fill(rnd, size, shared, () -> mean(rnd, lo, hi));
            params[2 * k + c] = fill(rnd, size, shared, () -> scale(rnd, hi - lo + 1));
        }
        DiscretizedLogisticMixture sc = DiscretizedLogisticMixture.createScalar(k, lo, hi, p);
        DiscretizedLogisticMixture vc = DiscretizedLogisticMixture.create(k, lo, hi, p);
        return new Case("mixture K=" + k + " [" + lo + ", " + hi + "] p=" + p + " w0=" + params[0][0] + " mean0=" + params[k][0]
                + " scale0=" + params[2 * k][0], lo, hi, p) {
            @Override
            void intervals(boolean v, int[] symbols, int n, int[] start, int[] freq) {
                DiscretizedLogisticMixture d = v ? vc : sc;
                d.intervals(params, 0, symbols, 0, n, start, freq, d.invertScratch(Math.max(1, n)));
            }

            @Override
            void invert(boolean v, int[] cf, int n, int[] out, int[] start, int[] freq) {
                DiscretizedLogisticMixture d = v ? vc : sc;
                d.invertRound(params, 0, n, cf, out, 0, start, freq, d.invertScratch(Math.max(1, n)));
            }

            @Override
            void push(boolean v, Message m, int[] symbols, int offset, int count) {
                (v ? vc : sc).push(m, params, 0, symbols, offset, count);
            }

            @Override
            void pop(boolean v, Message m, int[] out, int offset, int count) {
                (v ? vc : sc).pop(m, params, 0, out, offset, count);
            }

            @Override
            int sample(SplittableRandom rnd, int i) {
                if (rnd.nextInt(4) == 0) {
                    return lo + rnd.nextInt(hi - lo + 1);
                }
                int c = rnd.nextInt(k);
                double x = params[k + c][i] + params[2 * k + c][i] * rnd.nextGaussian();
                return (int) Math.max(lo, Math.min(hi, Math.rint(x)));
            }
        };
    }

    /** A shared table with every symbol of frequency >= 1 (zero frequencies are tested in {@link CategoricalTableTest}). */
    static Case categorical(SplittableRandom rnd) {
        int alphabet = switch (rnd.nextInt(4)) {
            case 0 -> 256;
            case 1 -> 1 + rnd.nextInt(4);
            default -> 1 + rnd.nextInt(3000);
        };
        int p = precisionFor(rnd, alphabet);
        long[] counts = new long[alphabet];
        double decay = rnd.nextDouble(0.9, 1.0);
        for (int s = 0; s < alphabet; s++) {
            counts[s] = 1 + (long) (rnd.nextDouble() * 1e6 * Math.pow(decay, s));
        }
        CategoricalTable vc = CategoricalTable.fromCounts(p, counts);
        CategoricalTable sc = vc.scalar();
        int[] cum = vc.cum;
        return new Case("categorical A=" + alphabet + " p=" + p, 0, alphabet - 1, p) {
            @Override
            void intervals(boolean v, int[] symbols, int n, int[] start, int[] freq) {
                (v ? vc : sc).intervals(symbols, 0, n, start, freq, new int[64]);
            }

            @Override
            void invert(boolean v, int[] cf, int n, int[] out, int[] start, int[] freq) {
                (v ? vc : sc).invert(n, cf, out, 0, start, freq, new int[64]);
            }

            @Override
            void push(boolean v, Message m, int[] symbols, int offset, int count) {
                (v ? vc : sc).push(m, symbols, offset, count);
            }

            @Override
            void pop(boolean v, Message m, int[] out, int offset, int count) {
                (v ? vc : sc).pop(m, out, offset, count);
            }

            @Override
            int sample(SplittableRandom rnd, int k) {
                int cf = rnd.nextInt(1 << p);
                int s = 0;
                while (cum[s + 1] <= cf) {
                    s++;
                }
                return s;
            }
        };
    }
}
