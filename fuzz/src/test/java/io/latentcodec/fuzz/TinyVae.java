package io.latentcodec.fuzz;

import io.latentcodec.models.Device;
import io.latentcodec.models.Likelihood;
import io.latentcodec.models.Manifest;
import io.latentcodec.models.VaeModel;

import java.util.SplittableRandom;

/**
 * A tiny deterministic VAE in plain Java for the bits-back fuzz targets and hostile-input tests:
 * fixed random linear maps with smooth squashing, so outputs depend only on the inputs and the
 * seed (bit-identical for encoder and decoder) and a decode costs microseconds, not a TensorFlow
 * call. The same construction as the engine's test double {@code FakeVae}, kept here so the fuzz
 * module needs no test-jar. Not a good model; a valid one. Two seeds give two models with
 * different fingerprints.
 */
final class TinyVae implements VaeModel {
    private final Likelihood likelihood;
    private final int d;
    private final int l;
    private final int batch;
    private final float[] enc;
    private final float[] dec;
    private final byte[] fingerprint = new byte[32];

    TinyVae(Likelihood likelihood, int dataDim, int latentDim, int batch, long seed) {
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
    }

    @Override
    public String name() {
        return "tiny-" + likelihood.id();
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
                }
            }
        }
    }

    @Override
    public void close() {
    }
}
