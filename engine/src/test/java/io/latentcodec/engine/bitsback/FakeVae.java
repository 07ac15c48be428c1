package io.latentcodec.engine.bitsback;

import io.latentcodec.models.Architecture;
import io.latentcodec.models.ContextNet;
import io.latentcodec.models.ContextSpec;
import io.latentcodec.models.Device;
import io.latentcodec.models.Likelihood;
import io.latentcodec.models.Manifest;
import io.latentcodec.models.VaeModel;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A tiny deterministic VAE in plain Java for codec tests: fixed random linear maps with smooth
 * squashing, so outputs depend only on the inputs (bit-identical on both sides) and tests run in
 * milliseconds without TensorFlow. Not a good model; a valid one. {@link #autoregressive} adds a
 * seeded random {@link ContextNet} over the decoder's maps: a locally autoregressive likelihood.
 */
public final class FakeVae implements VaeModel {
    private final Likelihood likelihood;
    private final int d;
    private final int l;
    private final int batch;
    private final float[] enc;
    private final float[] dec;
    private final byte[] fingerprint = new byte[32];
    /** Null for a plain model. */
    private final ContextNet context;

    public FakeVae(Likelihood likelihood, int dataDim, int latentDim, int batch, long seed) {
        this(likelihood, dataDim, latentDim, batch, seed, null);
    }

    private FakeVae(Likelihood likelihood, int dataDim, int latentDim, int batch, long seed, ContextSpec spec) {
        this.likelihood = likelihood;
        this.d = dataDim;
        this.l = latentDim;
        this.batch = batch;
        SplittableRandom r = new SplittableRandom(seed);
        enc = new float[d * l];
        dec = new float[l * d];
        for (int i = 0; i < enc.length; i++) {
            enc[i] = (float) (r.nextGaussian() / Math.sqrt(d));
            dec[i] = (float) (r.nextGaussian() / Math.sqrt(l));
        }
        r.nextBytes(fingerprint);
        if (spec != null) {
            Architecture a = new Architecture(d, 4, l, likelihood, spec);
            int f = spec.inputs(likelihood.paramCount());
            int h = spec.hidden();
            int p = likelihood.paramCount();
            context = ContextNet.of(a, gaussians(r, f * h, 1.5 / Math.sqrt(f)), gaussians(r, h, 0.5), gaussians(r, h * p, 1.0 / Math.sqrt(h)),
                    gaussians(r, p, 0.5));
        } else {
            context = null;
        }
    }

    /**
     * A model with a seeded random context net: image width a divisor of {@code dataDim}, a random
     * causal window, maybe raw offsets, maps one per parameter (residual) or a few features.
     */
    static FakeVae autoregressive(Likelihood likelihood, int dataDim, int latentDim, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xA5A5A5A5L);
        int width;
        do {
            width = 1 + r.nextInt(dataDim);
        } while (dataDim % width != 0);
        ContextSpec spec = new ContextSpec(width, 1 + r.nextInt(12), ContextSpec.window(r.nextInt(3), r.nextInt(3), 1 + r.nextInt(2)),
                r.nextBoolean() ? ContextSpec.square() : List.of(), r.nextBoolean() ? 0 : 1 + r.nextInt(4));
        return new FakeVae(likelihood, dataDim, latentDim, batch, seed, spec);
    }

    private static float[] gaussians(SplittableRandom r, int n, double s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * s);
        }
        return a;
    }

    @Override
    public Optional<ContextNet> contextNet() {
        return Optional.ofNullable(context);
    }

    @Override
    public void rawParams(float[] z, float[]... out) {
        if (context == null) {
            throw new UnsupportedOperationException("plain fake");
        }
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                float s = 0;
                for (int j = 0; j < l; j++) {
                    s += z[b * l + j] * dec[j * d + i];
                }
                for (int e = 0; e < out.length; e++) {
                    out[e][b * d + i] = (e + 1) * s - e;
                }
            }
        }
    }

    @Override
    public String name() {
        return (context == null ? "fake-" : "fake-ar-") + likelihood.id();
    }

    @Override
    public Likelihood likelihood() {
        return likelihood;
    }

    @Override
    public int dataDim() {
        return d;
    }

    @Override
    public int latentDim() {
        return l;
    }

    /** Plain Java float arithmetic in a fixed order: the same bits everywhere, so its containers are version 2. */
    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    @Override
    public Manifest manifest() {
        return null;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public void posterior(float[] x, float[] mu, float[] sigma) {
        float scale = likelihood == Likelihood.BERNOULLI ? 1f : 1f / 255f;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < l; j++) {
                float s = 0;
                for (int i = 0; i < d; i++) {
                    s += (x[b * d + i] * scale - 0.3f) * enc[i * l + j];
                }
                mu[b * l + j] = 2 * s / (1 + Math.abs(s));
                sigma[b * l + j] = 0.05f + 0.4f / (1 + s * s);
            }
        }
    }

    @Override
    public void likelihoodParams(float[] z, float[]... out) {
        if (context != null) {
            throw new UnsupportedOperationException("autoregressive fake");
        }
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                float s = 0;
                for (int j = 0; j < l; j++) {
                    s += z[b * l + j] * dec[j * d + i];
                }
                switch (likelihood) {
                    case BERNOULLI -> out[0][b * d + i] = 3 * s;
                    case BETA_BINOMIAL -> {
                        out[0][b * d + i] = 0.5f + Math.abs(s) * 3;
                        out[1][b * d + i] = 0.5f + Math.abs(1 - s) * 3;
                    }
                    case DISCRETIZED_LOGISTIC -> {
                        out[0][b * d + i] = 128 + 100 * s;
                        out[1][b * d + i] = 5 + 20 / (1 + s * s);
                    }
                    case LOGISTIC_MIXTURE -> {
                        for (int c = 0; c < 3; c++) {
                            out[c][b * d + i] = s * (c - 1);
                            out[3 + c][b * d + i] = 128 + 100 * s * (c - 1) + 60 * c;
                            out[6 + c][b * d + i] = 2 + c * 8 / (1 + s * s);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void close() {
    }
}
