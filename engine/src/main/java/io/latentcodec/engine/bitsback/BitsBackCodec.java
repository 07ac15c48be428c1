package io.latentcodec.engine.bitsback;

import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.dist.Bernoulli;
import io.latentcodec.kernels.dist.BetaBinomial;
import io.latentcodec.kernels.dist.DiscretizedLogistic;
import io.latentcodec.kernels.dist.DiscretizedLogisticMixture;
import io.latentcodec.kernels.dist.GaussianBuckets;
import io.latentcodec.kernels.dist.GaussianPosterior;
import io.latentcodec.kernels.dist.Uniform;
import io.latentcodec.models.ContextNet;
import io.latentcodec.models.Likelihood;
import io.latentcodec.models.VaeModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bits-back ANS for one chain of images (Townsend, Bird, Barber, ICLR 2019).
 *
 * <h2>Read me first</h2>
 * Encoding a batch of images x (the model sees them as one fixed-shape batch):
 * <pre>
 *   (mu, sigma) = q(z|x)            model
 *   z  <- pop   q(z|x)               bits back: z is drawn with the message's bits
 *   theta = p(x|centres(z))          model
 *   push x ~ p(x|theta)
 *   push z ~ p(z)                    uniform over the 2^priorBits equal-mass buckets
 * </pre>
 * Decoding runs it backwards: pop z with the prior, pop x with p(x|z), recompute q(z|x) from the
 * decoded x and push z back with it, returning the borrowed bits. The net cost of an image is
 * {@code -log p(x|z) - log p(z) + log q(z|x)}: its negative ELBO, up to discretisation.
 *
 * <ul>
 * <li><b>Same floats on both sides.</b> Every model call has {@link BitsBackParams#modelBatch()}
 * rows; rows past the batch's images are zeros, on both sides. The encoder's x and the decoder's
 * decoded x are identical, and so are the bucket centres, hence every float the coder sees.
 * <li><b>Batches.</b> A chain's images are coded in batches that grow from {@code rampStart} by a
 * quarter at a time up to the model's batch ({@link #schedule}): the first pop draws clean bits
 * from the message's seed, and a slow ramp keeps those borrowed bits to about one image's worth.
 * <li><b>Posterior support.</b> q(z|x) is {@link GaussianPosterior#reachable}: no frequency floor
 * on far buckets, so no latent is ever drawn far outside its posterior.
 * <li><b>Lanes.</b> Each push and pop is one tensor call on the message, symbol k on lane k mod N.
 * <li><b>Scrambled prior symbols.</b> The prior push of a batch is the top of the stack when the
 * next batch pops its posterior, so those pops read the previous latents' bucket indices as
 * their "random" bits. Where the aggregate posterior of a dimension is far from the prior, those
 * bits are not uniform, the popped z is no fair sample of q(z|x), and the bits got back fall
 * short of the entropy of q (measured on the 8-bit MNIST test digits: 1.39620 bits/dim plain,
 * 1.39549 scrambled; on binarized MNIST no difference beyond 0.00002). So z is
 * pushed as {@code perm[z] XOR mask[k]}: a fixed pseudo-random permutation of the bucket indices
 * and a per-position mask, both bijections. The prior is uniform, so the cost is unchanged, and
 * the next pop reads bits with no low-frequency structure left.
 * <li><b>Locally autoregressive likelihoods</b> (a model with a {@link ContextNet},
 * {@link BitsBackParams#autoregressive()}): the model gives the decoder's raw maps from z, and the
 * context net turns them into pixel j's parameters from the pixels before j. The b images of a
 * batch are coded <em>pixel-major</em>, symbol {@code k = j b + i} for pixel j of image i, so that
 * a pop, which inverts the symbols round by round in order, has decoded every neighbour of a
 * symbol before it needs that symbol's parameters: a neighbour of symbol k is a symbol
 * {@code j' b + i <= k - b}. The encoder knows x and computes all parameters before its one push;
 * the decoder computes each round's parameters in its {@link Message#pop} inverse, in pieces of at
 * most b symbols (every dependency of a piece lies before it), from the pixels decoded so far. Both
 * run the same Java forward pass on the same floats: the same parameters, bit for bit.
 * </ul>
 * Not thread-safe: one codec per chain (the model may be shared; its calls are thread-safe).
 */
public final class BitsBackCodec {
    private final VaeModel model;
    private final BitsBackParams p;
    private final GaussianBuckets buckets;
    private final GaussianPosterior posterior;
    private final Uniform prior;
    private final Likelihood likelihood;
    private final Bernoulli bernoulli;
    private final BetaBinomial betaBinomial;
    private final DiscretizedLogistic logistic;
    private final DiscretizedLogisticMixture mixture;
    private final int maxValue;
    /** The model's context net, or null: pixels independent given z, coded image-major. */
    private final ContextNet context;
    private final ContextNet.Workspace workspace;
    /** Decoder raw maps [B * D] each, image-major (autoregressive models only). */
    private final float[][] raw;
    /** Pixel values in symbol order, pixel-major {@code xs[j b + i]} (autoregressive models only). */
    private final int[] xs;
    /** Scratch of one round's inversion (autoregressive models only). */
    private final BetaBinomial.Scratch bbScratch;
    private final DiscretizedLogistic.Scratch dlScratch;
    private final DiscretizedLogisticMixture.Scratch mixScratch;
    private final Bernoulli.Scratch beScratch;
    private final int[] cfPiece;
    private final int[] startPiece;
    private final int[] freqPiece;
    /** Images of the batch being decoded, for the pop inverse. */
    private int batchImages;

    /** {@code perm} and its inverse over the 2^priorBits bucket indices; {@code mask[k]} for latent k of a batch. */
    private final int[] perm;
    private final int[] unperm;
    private final int[] mask;
    /** The scrambled indices actually pushed and popped with the prior. */
    private final int[] zs;

    /** One model batch of scratch, allocated once per chain. */
    private final float[] xf;
    private final float[] mu;
    private final float[] sigma;
    private final float[] centres;
    private final float[][] theta;
    private final int[] z;
    private final int[] x;

    /** Time spent inside model calls and in coding, for the throughput report. */
    private long modelNanos;
    private long codingNanos;

    public BitsBackCodec(VaeModel model, BitsBackParams p) {
        if (model.dataDim() != p.dataDim() || model.latentDim() != p.latentDim() || model.batchSize() != p.modelBatch()
                || model.likelihood().ordinal() != p.likelihoodId() || model.contextNet().isPresent() != p.autoregressive()) {
            throw new IllegalArgumentException("model " + model.name() + " (data " + model.dataDim() + ", latent " + model.latentDim()
                    + ", batch " + model.batchSize() + ", " + model.likelihood() + (model.contextNet().isPresent() ? ", context net" : "")
                    + ") does not match the parameters " + p);
        }
        this.model = model;
        this.p = p;
        this.buckets = GaussianBuckets.of(p.priorBits());
        this.posterior = GaussianPosterior.reachable(buckets, p.posteriorPrecision());
        this.prior = buckets.prior();
        this.likelihood = model.likelihood();
        this.maxValue = likelihood.maxValue();
        this.bernoulli = likelihood == Likelihood.BERNOULLI ? Bernoulli.create(p.likelihoodPrecision()) : null;
        this.betaBinomial = likelihood == Likelihood.BETA_BINOMIAL ? BetaBinomial.create(255, p.likelihoodPrecision()) : null;
        this.logistic = likelihood == Likelihood.DISCRETIZED_LOGISTIC ? DiscretizedLogistic.create(0, 255, p.likelihoodPrecision()) : null;
        this.mixture = likelihood == Likelihood.LOGISTIC_MIXTURE
                ? DiscretizedLogisticMixture.create(Likelihood.MIXTURE_COMPONENTS, 0, 255, p.likelihoodPrecision()) : null;
        int rowsX = p.modelBatch() * p.dataDim();
        int rowsZ = p.modelBatch() * p.latentDim();
        xf = new float[rowsX];
        mu = new float[rowsZ];
        sigma = new float[rowsZ];
        centres = new float[rowsZ];
        theta = new float[likelihood.paramCount()][rowsX];
        z = new int[rowsZ];
        x = new int[rowsX];
        zs = new int[rowsZ];
        int[][] scramble = scrambleTables(p.priorBits());
        perm = scramble[0];
        unperm = scramble[1];
        mask = new int[rowsZ];
        for (int k = 0; k < rowsZ; k++) {
            mask[k] = (int) (mix(0x5EED_0000_0000L + k) >>> 33) & (perm.length - 1);
        }
        this.context = model.contextNet().orElse(null);
        if (context != null) {
            if (context.dataDim() != p.dataDim() || context.likelihood() != likelihood) {
                throw new IllegalArgumentException("context net of model " + model.name() + " does not fit the model");
            }
            workspace = context.workspace();
            raw = new float[context.maps()][rowsX];
            xs = new int[rowsX];
            bbScratch = betaBinomial != null ? betaBinomial.scratch() : null;
            dlScratch = logistic != null ? logistic.invertScratch(p.lanes()) : null;
            mixScratch = mixture != null ? mixture.invertScratch(p.lanes()) : null;
            beScratch = bernoulli != null ? bernoulli.invertScratch(p.lanes()) : null;
            cfPiece = new int[p.lanes()];
            startPiece = new int[p.lanes()];
            freqPiece = new int[p.lanes()];
        } else {
            workspace = null;
            raw = null;
            xs = null;
            bbScratch = null;
            dlScratch = null;
            mixScratch = null;
            beScratch = null;
            cfPiece = null;
            startPiece = null;
            freqPiece = null;
        }
    }

    /** {@code perm} and {@code unperm} per prior bits, computed once: at 20 bits they cost 8 MB and about 10 ms, per chain before. */
    private static final int[][][] SCRAMBLE = new int[GaussianBuckets.MAX_BITS + 1][][];

    /** The shared, never modified scramble permutation of {@code bits} and its inverse. */
    static int[][] scrambleTables(int bits) {
        synchronized (SCRAMBLE) {
            if (SCRAMBLE[bits] == null) {
                int[] perm = scramblePermutation(bits);
                int[] unperm = new int[perm.length];
                for (int i = 0; i < perm.length; i++) {
                    unperm[perm[i]] = i;
                }
                SCRAMBLE[bits] = new int[][] {perm, unperm};
            }
            return SCRAMBLE[bits];
        }
    }

    /** A Fisher-Yates shuffle of {@code 0 .. 2^bits - 1} driven by SplitMix64 from a fixed seed: the same on every JVM. */
    static int[] scramblePermutation(int bits) {
        int n = 1 << bits;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        long state = 0x6C61_7465_6E74L + bits;
        for (int i = n - 1; i > 0; i--) {
            state += 0x9E3779B97F4A7C15L;
            int j = (int) Long.remainderUnsigned(mix(state), i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void scramble(int n) {
        for (int k = 0; k < n; k++) {
            zs[k] = perm[z[k]] ^ mask[k];
        }
    }

    private void unscramble(int n) {
        for (int k = 0; k < n; k++) {
            z[k] = unperm[zs[k] ^ mask[k]];
        }
    }

    /**
     * Batch sizes of a chain of {@code count} images: {@code rampStart}, growing by a quarter per
     * batch ({@code floor(rampStart 1.25^i)} in fixed point) up to {@code batch}, then {@code batch},
     * the last one what is left. Encoder and decoder derive the same list from the image count.
     *
     * <p>Why a ramp: each batch first pops its latents, then pushes more than it popped. A batch
     * can only pop what the batches before it left on the stack; what it cannot find it borrows as
     * clean bits, which the file pays for. Binarized MNIST with 12-bit buckets pops about 440 bits
     * per image and leaves about 150 more than it took, so the next batch may be about 1.34 times
     * larger; growth by a quarter stays below that, and only the first image borrows (doubling
     * borrowed about 800 words on the 2,000 test digits, 0.016 bits/dim).
     */
    public static int[] schedule(int count, int batch, int rampStart) {
        List<Integer> sizes = new ArrayList<>();
        long v = (long) rampStart << 10; // the size in 1/1024ths
        for (int left = count; left > 0; ) {
            int take = (int) Math.min(Math.min(v >> 10, batch), left);
            sizes.add(take);
            left -= take;
            v = Math.min(v + (v >> 2), (long) batch << 10);
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Pushes images {@code [from, from + count)} onto {@code m}, batch by batch. */
    public void encode(Message m, byte[][] images, int from, int count) {
        int at = from;
        for (int b : schedule(count, p.modelBatch(), p.rampStart())) {
            encodeBatch(m, images, at, b);
            at += b;
        }
    }

    /**
     * Pops {@code count} images into {@code out[from, from + count)}, last batch first, calling
     * {@code afterBatch} after each (the caller checks there that the stream still has words).
     */
    public void decode(Message m, byte[][] out, int from, int count, Runnable afterBatch) {
        int[] sched = schedule(count, p.modelBatch(), p.rampStart());
        int end = from + count;
        for (int i = sched.length - 1; i >= 0; i--) {
            end -= sched[i];
            decodeBatch(m, out, end, sched[i]);
            afterBatch.run();
        }
    }

    private void encodeBatch(Message m, byte[][] images, int at, int b) {
        final int d = p.dataDim();
        final int nx = b * d;
        final int nz = b * p.latentDim();
        for (int i = 0; i < b; i++) {
            byte[] img = images[at + i];
            if (img.length != d) {
                throw new IllegalArgumentException("image " + (at + i) + " has " + img.length + " pixels, the model expects " + d);
            }
            for (int k = 0; k < d; k++) {
                int v = img[k] & 0xFF;
                if (v > maxValue) {
                    throw new IllegalArgumentException("image " + (at + i) + " pixel " + k + " is " + v + ", but model "
                            + model.name() + " (" + likelihood + ") codes values 0.." + maxValue);
                }
                x[i * d + k] = v;
                xf[i * d + k] = v;
            }
        }
        Arrays.fill(xf, nx, xf.length, 0f);
        long t0 = System.nanoTime();
        model.posterior(xf, mu, sigma, b);
        long t1 = System.nanoTime();
        posterior.pop(m, mu, sigma, 0, z, 0, nz);          // z <- q(z|x): bits back
        buckets.centres(z, 0, centres, 0, nz);
        Arrays.fill(centres, nz, centres.length, 0f);
        long t2 = System.nanoTime();
        long t3;
        if (context == null) {
            model.likelihoodParams(b, centres, theta);
            t3 = System.nanoTime();
            pushPixels(m, x, nx);                           // x ~ p(x|z)
        } else {
            model.rawParams(b, centres, raw);
            t3 = System.nanoTime();
            for (int i = 0; i < b; i++) {                   // symbol order: pixel-major
                for (int k = 0; k < d; k++) {
                    xs[k * b + i] = x[i * d + k];
                }
            }
            for (int k = 0; k < d; k++) {                   // theta_(j b + i) from x's pixels before j
                context.forward(raw, xs, b, k, 0, b, theta, k * b, workspace);
            }
            pushPixels(m, xs, nx);                          // x ~ prod_j p(x_j | z, x_<j)
        }
        scramble(nz);
        prior.push(m, zs, 0, nz);                           // z ~ p(z), scrambled
        long t4 = System.nanoTime();
        modelNanos += (t1 - t0) + (t3 - t2);
        codingNanos += (t2 - t1) + (t4 - t3);
    }

    private void decodeBatch(Message m, byte[][] out, int at, int b) {
        final int d = p.dataDim();
        final int nx = b * d;
        final int nz = b * p.latentDim();
        long t0 = System.nanoTime();
        prior.pop(m, zs, 0, nz);                            // z ~ p(z), scrambled
        unscramble(nz);
        buckets.centres(z, 0, centres, 0, nz);
        Arrays.fill(centres, nz, centres.length, 0f);
        long t1 = System.nanoTime();
        long t2;
        if (context == null) {
            model.likelihoodParams(b, centres, theta);
            t2 = System.nanoTime();
            popPixels(m, nx);                               // x ~ p(x|z)
            for (int i = 0; i < b; i++) {
                byte[] img = new byte[d];
                for (int k = 0; k < d; k++) {
                    img[k] = (byte) x[i * d + k];
                    xf[i * d + k] = x[i * d + k];
                }
                out[at + i] = img;
            }
        } else {
            model.rawParams(b, centres, raw);
            t2 = System.nanoTime();
            batchImages = b;
            m.pop(p.likelihoodPrecision(), nx, this::invertRound);   // x ~ prod_j p(x_j | z, x_<j), pixel-major
            for (int i = 0; i < b; i++) {
                byte[] img = new byte[d];
                for (int k = 0; k < d; k++) {
                    int v = xs[k * b + i];
                    img[k] = (byte) v;
                    xf[i * d + k] = v;
                }
                out[at + i] = img;
            }
        }
        Arrays.fill(xf, nx, xf.length, 0f);
        long t3 = System.nanoTime();
        model.posterior(xf, mu, sigma, b);
        long t4 = System.nanoTime();
        posterior.push(m, mu, sigma, 0, z, 0, nz);          // give the borrowed bits back
        long t5 = System.nanoTime();
        modelNanos += (t2 - t1) + (t4 - t3);
        codingNanos += (t1 - t0) + (t3 - t2) + (t5 - t4);
    }

    private void pushPixels(Message m, int[] symbols, int n) {
        switch (likelihood) {
            case BERNOULLI -> bernoulli.push(m, theta[0], 0, symbols, 0, n);
            case BETA_BINOMIAL -> betaBinomial.push(m, theta[0], theta[1], 0, symbols, 0, n);
            case DISCRETIZED_LOGISTIC -> logistic.push(m, theta[0], theta[1], 0, symbols, 0, n);
            case LOGISTIC_MIXTURE -> mixture.push(m, theta, 0, symbols, 0, n);
        }
    }

    /**
     * The pop inverse of an autoregressive batch: symbols {@code k0 .. k0 + n - 1} (one round),
     * pixel-major over {@link #batchImages} images. A piece of at most b consecutive symbols depends
     * only on symbols before it, so each piece gets its parameters from the pixels decoded so far and
     * is then inverted; a round is one piece unless the batch has fewer images than the message
     * has lanes (the first batches of the ramp).
     */
    private void invertRound(int k0, int n, int[] cf, int[] start, int[] freq) {
        final int b = batchImages;
        if (n <= b) {
            contextParams(k0, n);
            invertPiece(k0, n, cf, start, freq);
            return;
        }
        for (int c = 0; c < n; c += b) {
            int len = Math.min(b, n - c);
            contextParams(k0 + c, len);
            System.arraycopy(cf, c, cfPiece, 0, len);
            invertPiece(k0 + c, len, cfPiece, startPiece, freqPiece);
            System.arraycopy(startPiece, 0, start, c, len);
            System.arraycopy(freqPiece, 0, freq, c, len);
        }
    }

    /** theta of symbols {@code [k, k + n)} (pixel-major) from the context net; their neighbours are decoded. */
    private void contextParams(int k, int n) {
        final int b = batchImages;
        int j = k / b;
        int i = k - j * b;
        for (int left = n; left > 0; j++, i = 0) {
            int to = Math.min(b, i + left);
            context.forward(raw, xs, b, j, i, to, theta, j * b + i, workspace);
            left -= to - i;
        }
    }

    private void invertPiece(int k, int n, int[] cf, int[] start, int[] freq) {
        switch (likelihood) {
            case BERNOULLI -> bernoulli.invert(theta[0], k, n, cf, xs, k, start, freq, beScratch);
            case BETA_BINOMIAL -> betaBinomial.invert(theta[0], theta[1], k, n, cf, xs, k, start, freq, bbScratch);
            case DISCRETIZED_LOGISTIC -> logistic.invert(theta[0], theta[1], k, n, cf, xs, k, start, freq, dlScratch);
            case LOGISTIC_MIXTURE -> mixture.invert(theta, k, n, cf, xs, k, start, freq, mixScratch);
        }
    }

    private void popPixels(Message m, int n) {
        switch (likelihood) {
            case BERNOULLI -> bernoulli.pop(m, theta[0], 0, x, 0, n);
            case BETA_BINOMIAL -> betaBinomial.pop(m, theta[0], theta[1], 0, x, 0, n);
            case DISCRETIZED_LOGISTIC -> logistic.pop(m, theta[0], theta[1], 0, x, 0, n);
            case LOGISTIC_MIXTURE -> mixture.pop(m, theta, 0, x, 0, n);
        }
    }

    public long modelNanos() {
        return modelNanos;
    }

    public long codingNanos() {
        return codingNanos;
    }
}
