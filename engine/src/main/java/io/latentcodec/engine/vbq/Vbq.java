package io.latentcodec.engine.vbq;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.image.Metrics;
import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.kernels.Message;
import io.latentcodec.models.conv.ConvVae;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Variable-bitrate lossy image coding with one VAE: Bayesian arithmetic coding / variational Bayesian
 * quantization (Yang, Bamler, Mandt 2020). One trained model serves every rate; lambda, chosen per
 * encoding, trades bits for distortion.
 *
 * <h2>Read me first</h2>
 * <ul>
 * <li><b>Encode.</b> Pad the image to a multiple of 16 (edge pixels repeated), run q(z|x)
 * (TensorFlow; encoder-only floats, as are refinement and tuning), choose a grid point per latent
 * ({@link VbqQuantizer}), code the points with rANS ({@link VbqCoder}), map the points to latent
 * values by table lookup, run the <em>deterministic</em> decoder ({@link VbqDecoder}, the project's
 * kernels, no TensorFlow) at the padded shape, round and crop: that is the reconstruction, its
 * CRC32C goes into the container (version {@link Container#VERSION}), and the reported PSNR is its.
 * The file's size is the rate: nothing is estimated.
 * <li><b>Decode.</b> Check the container and the model fingerprint, pop the points, look up the
 * latents, run the same deterministic decoder: the same floats on every machine, so the same
 * pixels, which the CRC32C confirms. No TensorFlow is touched.
 * <li><b>Version-1 files</b> (written before the deterministic decoder, container version 1, the
 * fingerprint {@link VbqModel#fingerprintV1()}): their reconstruction was TensorFlow's, so they
 * decode with TensorFlow's decoder; where this machine's TensorFlow computes other floats (other
 * CPU kernels, the oneDNN setting, another version) their checksum fails with a message that says
 * so and to re-encode from the original. They never decode to other pixels.
 * <li><b>Errors.</b> A damaged or truncated file: {@link CorruptInputException} with the byte offset.
 * A file made with another model: {@link WrongModelException}. A reconstruction that differs from the
 * encoder's is a checksum mismatch (a CorruptInputException naming the likely cause), never silently
 * different pixels.
 * </ul>
 *
 * <h2>Container parameters (codec {@code vbq}, little-endian)</h2>
 * <pre>
 *  0      1      2     3      4           6                 14           22         23
 *  +------+------+-----+------+-----------+-----------------+------------+----------+--------------+
 *  | ver  | mode | R   | lanes| bucket u16| lambda or step  | rANS seed  | name len | model name   |
 *  | u8=1 | u8   | u8  | u8   |           | f64             | u64        | u8       | UTF-8        |
 *  +------+------+-----+------+-----------+-----------------+------------+----------+--------------+
 * </pre>
 * mode 0 = VBQ (bucket = lambda bucket, must match lambda), mode 1 = the uniform ablation (bucket =
 * step index, f64 = that step). Shape: [height, width, 3]. One chain: the compact rANS frame; its
 * original bytes are {@code 3 height width} and its CRC32C is the reconstruction's.
 */
public final class Vbq {
    public static final int PARAMS_VERSION = 1;
    public static final int MODE_VBQ = 0;
    public static final int MODE_UNIFORM = 1;
    public static final int LANES = 8;
    public static final long SEED = 0x7662712D6C617465L;
    /**
     * Largest image coded or decoded: 2^24 pixels (e.g. 4096 x 4096). A small valid file may stand for
     * this many pixels, so it bounds what a forged header can make the decoder do: about 2^18 latents
     * per channel, and TensorFlow's 64-channel feature maps at half resolution, 1 GiB each.
     */
    public static final long MAX_PIXELS = 1L << 24;

    private Vbq() {
    }

    /** What an encoding measured. {@code psnr} is of the encoder's own reconstruction against the input. */
    public record Stats(int width, int height, int mode, double lambda, long bytes, double bpp, double psnr, int latents,
                        long encodeNanos) {
    }

    /** A finished container, the reconstruction the decoder will produce, and the figures. */
    public record Result(byte[] container, RgbImage reconstruction, Stats stats) {
    }

    /** Compresses at trade-off lambda (larger: fewer bits). */
    public static Result compress(RgbImage image, VbqModel model, double lambda) {
        long t0 = System.nanoTime();
        Analysis a = analyze(image, model);
        return a.finish(a.code(lambda), t0);
    }

    /**
     * Compresses at the smallest lambda whose file has at most {@code targetBpp} bits per pixel
     * (bisection on log lambda; the network's encoder runs once, its decoder once at the end).
     * When even the largest lambda overshoots, that file is returned.
     */
    public static Result compressToBpp(RgbImage image, VbqModel model, double targetBpp) {
        long t0 = System.nanoTime();
        Analysis a = analyze(image, model);
        return a.finish(a.codeToBpp(targetBpp), t0);
    }

    /** The ablation: posterior means rounded to multiples of {@code tables().step(stepIndex)}, coded the same way. */
    public static Result compressUniform(RgbImage image, VbqModel model, int stepIndex) {
        long t0 = System.nanoTime();
        Analysis a = analyze(image, model);
        return a.finish(a.codeUniform(stepIndex), t0);
    }

    /** Runs q(z|x) once; the returned analysis codes the image at any lambda ({@link Effort#FAST}). */
    public static Analysis analyze(RgbImage image, VbqModel model) {
        return new Analysis(image, model, Effort.FAST);
    }

    /**
     * Runs q(z|x) once and, as {@code effort} says, refines its means; the returned analysis codes the
     * image at any lambda, re-quantizing with the decoder in the loop when {@code effort} asks. Files
     * made with any effort are ordinary files (the decoder does not know or care).
     */
    public static Analysis analyze(RgbImage image, VbqModel model, Effort effort) {
        return new Analysis(image, model, effort);
    }

    /**
     * How hard the encoder works; the decoder's work is the same whatever the effort.
     *
     * @param refineSteps gradient steps refining the encoder network's means against the decoder before
     *                    quantizing ({@link ConvVae#refine}); about three decoder passes each, once per image
     * @param tuneRounds  rounds of re-quantization with the decoder in the loop at each rate (below); one
     *                    decoder pass forward and backward each, per coded rate
     *
     * <p>Tuning: with D(z) = sum (x - decoder(z))^2 / (2 sigmaX^2) and the file's size in bits B, the
     * encoder minimises J = D(z) + lambda B over the points VBQ can choose. VBQ quantizes around a
     * <em>virtual mean</em> m, at first mu (VBQ as published); each round moves it against the decoder's
     * gradient at the points chosen, {@code m - beta sigma^2 dD/dz} (error feedback: where the decoder
     * says the chosen points fall short, the next choice leans the other way), quantizes again with the
     * same sigma and lambda, and keeps the move when J drops, growing beta by {@link #TUNE_GROWTH};
     * otherwise beta halves. J never rises; the decoder only ever sees points.
     */
    public record Effort(int refineSteps, int tuneRounds) {
        /** The encoder network's means, quantized once: about 0.1 s per 768x512 photo on two cores. */
        public static final Effort FAST = new Effort(0, 0);
        /** The CLI's default: 50 refinement steps and 12 tuning rounds, a few seconds per 768x512 photo on two cores. */
        public static final Effort THOROUGH = new Effort(50, 12);

        /** Most refinement steps an effort may ask for (about an hour per 768x512 photo on two cores). */
        public static final int MAX_REFINE_STEPS = 10_000;
        /** Most tuning rounds an effort may ask for, per coded rate. */
        public static final int MAX_TUNE_ROUNDS = 1_000;

        public Effort {
            if (refineSteps < 0 || refineSteps > MAX_REFINE_STEPS || tuneRounds < 0 || tuneRounds > MAX_TUNE_ROUNDS) {
                throw new IllegalArgumentException("effort needs 0.." + MAX_REFINE_STEPS + " refinement steps and 0.." + MAX_TUNE_ROUNDS
                        + " tuning rounds, got " + refineSteps + " and " + tuneRounds);
            }
        }
    }

    /** Tuning's first damping beta (the sigma^2-scaled step overshoots: neighbouring latents act on the same pixels). */
    static final double TUNE_FIRST_STEP = 0.05;
    /** beta grows by this factor after a round that lowered J and halves after one that did not. */
    static final double TUNE_GROWTH = 1.3;
    /** Tuning stops early once beta falls below this. */
    static final double TUNE_SMALLEST_STEP = 1e-3;

    /** The encoder's state for one image: its posterior, ready to be coded at several rates. */
    public static final class Analysis {
        final RgbImage image;
        final VbqModel model;
        final int ph;
        final int pw;
        final ConvVae.Posterior q;
        /** The image at the padded size as the network sees it (0..255 floats). */
        final float[] x;
        /** Tuning rounds per coded rate ({@link Effort#tuneRounds()}). */
        final int tuneRounds;
        final long posteriorNanos; // the encoder network and the refinement, if any

        Analysis(RgbImage image, VbqModel model, Effort effort) {
            if ((long) image.width() * image.height() > MAX_PIXELS) {
                throw new IllegalArgumentException("image of " + image.width() + "x" + image.height() + " exceeds " + MAX_PIXELS + " pixels");
            }
            this.image = image;
            this.model = model;
            this.ph = pad16(image.height());
            this.pw = pad16(image.width());
            long t = System.nanoTime();
            this.x = padded(image, pw, ph);
            ConvVae.Posterior guess = model.vae().posterior(x, ph, pw);
            this.q = model.vae().refine(x, ph, pw, guess, effort.refineSteps());
            this.tuneRounds = effort.tuneRounds();
            this.posteriorNanos = System.nanoTime() - t;
        }

        /** A coded image before reconstruction: the container's stream and parameters, and the latents to decode. */
        record Coded(int mode, int bucket, double lambda, byte[] stream, float[] z) {
        }

        /** The size in bytes of the container at lambda (quantize and entropy-code only). */
        long bytesAt(double lambda) {
            Coded c = code(lambda);
            return containerBytes(c);
        }

        Coded code(double lambda) {
            return tuneRounds > 0 ? codeTuned(lambda, tuneRounds) : codeOnce(lambda);
        }

        /** VBQ as published: the points chosen from (mu, sigma) once. */
        Coded codeOnce(double lambda) {
            return codePoints(lambda, quantize(costs(lambda), q.mu()));
        }

        /** lambda L_c(j) per [c * (G+1) + j] for this lambda's bucket ({@link VbqQuantizer#costs}). */
        float[] costs(double lambda) {
            VbqTables t = model.tables();
            return VbqQuantizer.costs(t, t.lambdaBucket(lambda), lambda);
        }

        /** VBQ's points for posterior N(target, sigma^2) under these costs. */
        int[] quantize(float[] costs, float[] target) {
            int[] j = new int[target.length];
            VbqQuantizer.quantize(model.tables(), costs, target, q.sigma(), j);
            return j;
        }

        Coded codePoints(double lambda, int[] j) {
            VbqTables t = model.tables();
            int bucket = t.lambdaBucket(lambda);
            byte[] stream;
            try (Message m = Message.create(LANES, SEED)) {
                VbqCoder.push(m, t, bucket, j);
                stream = m.toCompactByteArray();
            }
            return new Coded(MODE_VBQ, bucket, lambda, stream, latents(t, j));
        }

        Coded codeTuned(double lambda, int rounds) {
            float[] sigma = q.sigma();
            int n = sigma.length;
            float[] costs = costs(lambda); // the same for every round
            float[] m = q.mu().clone(); // the virtual mean VBQ quantizes around; starts at mu
            Coded best = codePoints(lambda, quantize(costs, m));
            float[] grad = new float[n];
            double jBest = model.vae().distortion(x, ph, pw, best.z(), grad) + lambda * 8.0 * best.stream().length;
            float[] bestGrad = grad.clone();
            double beta = TUNE_FIRST_STEP;
            float[] target = new float[n];
            for (int r = 0; r < rounds && beta > TUNE_SMALLEST_STEP; r++) {
                for (int i = 0; i < n; i++) {
                    // error feedback: move the virtual mean against dD/dz at the chosen points, scaled by sigma^2 and damped by beta
                    target[i] = (float) (m[i] - beta * sigma[i] * sigma[i] * bestGrad[i]);
                }
                int[] j = quantize(costs, target);
                Coded c = codePoints(lambda, j);
                if (Arrays.equals(c.z(), best.z())) {
                    System.arraycopy(target, 0, m, 0, n); // same points: the step was too small to matter, take it
                    continue;
                }
                double jc = model.vae().distortion(x, ph, pw, c.z(), grad) + lambda * 8.0 * c.stream().length;
                if (jc < jBest) {
                    jBest = jc;
                    best = c;
                    System.arraycopy(grad, 0, bestGrad, 0, n);
                    System.arraycopy(target, 0, m, 0, n);
                    beta = Math.min(1, beta * TUNE_GROWTH);
                } else {
                    beta /= 2;
                }
            }
            return best;
        }

        Coded codeToBpp(double targetBpp) {
            double[] ls = model.tables().lambdas();
            double lo = Math.log(ls[0]) - 2;   // small lambda: many bits
            double hi = Math.log(ls[ls.length - 1]) + 2;
            double pixels = (double) image.width() * image.height();
            Coded best = codeOnce(Math.exp(hi));
            if (containerBytes(best) * 8 / pixels > targetBpp) {
                return best;
            }
            for (int it = 0; it < 24; it++) {
                double mid = 0.5 * (lo + hi);
                Coded c = codeOnce(Math.exp(mid));
                if (containerBytes(c) * 8 / pixels <= targetBpp) {
                    best = c;
                    hi = mid;
                } else {
                    lo = mid;
                }
                if (hi - lo < 1e-3) {
                    break;
                }
            }
            return tuneRounds > 0 ? tunedWithin(best, targetBpp) : best;
        }

        /**
         * Tuning spends more bits at a given lambda than quantizing once, so the tuned file that fits is
         * searched above the lambda {@code untuned} was coded at (bisection on log lambda over a factor
         * e^4, six tuned codings); the one with the smaller distortion D wins.
         */
        Coded tunedWithin(Coded untuned, double targetBpp) {
            double pixels = (double) image.width() * image.height();
            double lo = Math.log(untuned.lambda());
            double hi = lo + 4;
            Coded found = codeTuned(Math.exp(hi), tuneRounds);
            if (containerBytes(found) * 8 / pixels > targetBpp) {
                return untuned;
            }
            for (int it = 0; it < 6; it++) {
                double mid = 0.5 * (lo + hi);
                Coded c = codeTuned(Math.exp(mid), tuneRounds);
                if (containerBytes(c) * 8 / pixels <= targetBpp) {
                    found = c;
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            float[] scratch = new float[untuned.z().length];
            double dTuned = model.vae().distortion(x, ph, pw, found.z(), scratch);
            return dTuned <= model.vae().distortion(x, ph, pw, untuned.z(), scratch) ? found : untuned;
        }

        Coded codeUniform(int stepIndex) {
            VbqTables t = model.tables();
            if (stepIndex < 0 || stepIndex >= t.uniformSteps()) {
                throw new IllegalArgumentException("step index " + stepIndex + " outside 0.." + (t.uniformSteps() - 1));
            }
            double step = t.step(stepIndex);
            int half = t.halfRange(stepIndex);
            float[] mu = q.mu();
            int[] sym = new int[mu.length];
            for (int i = 0; i < mu.length; i++) {
                long k = Math.round(mu[i] / step);
                sym[i] = (int) Math.max(-half, Math.min(half, k)) + half;
            }
            byte[] stream;
            try (Message m = Message.create(LANES, SEED)) {
                VbqCoder.pushUniform(m, t, stepIndex, sym);
                stream = m.toCompactByteArray();
            }
            return new Coded(MODE_UNIFORM, stepIndex, step, stream, uniformLatents(step, half, sym));
        }

        long containerBytes(Coded c) {
            return header(c, 0).toBytes().length + (long) c.stream().length;
        }

        Container.Header header(Coded c, int crc) {
            return new Container.Header(CodecId.VBQ, 0, model.fingerprint(), new long[] {image.height(), image.width(), 3},
                    params(c.mode(), model.tables().depth(), c.bucket(), c.lambda(), model.name()),
                    List.of(new Container.Chain(c.stream().length, 3L * image.width() * image.height(), crc)));
        }

        /** Runs the deterministic decoder on the coded latents and writes the container (version 2). */
        Result finish(Coded c, long t0) {
            RgbImage rec = reconstruct(model.decoder(), c.z(), ph, pw, image.width(), image.height());
            byte[] head = header(c, crc(rec.rgb())).toBytes();
            byte[] file = Arrays.copyOf(head, head.length + c.stream().length);
            System.arraycopy(c.stream(), 0, file, head.length, c.stream().length);
            double bpp = file.length * 8.0 / ((double) image.width() * image.height());
            Stats s = new Stats(image.width(), image.height(), c.mode(), c.lambda(), file.length, bpp, Metrics.psnr(image, rec),
                    c.z().length, System.nanoTime() - t0);
            return new Result(file, rec, s);
        }

        public Result compress(double lambda) {
            return finish(code(lambda), System.nanoTime() - posteriorNanos);
        }

        public Result compressToBpp(double targetBpp) {
            return finish(codeToBpp(targetBpp), System.nanoTime() - posteriorNanos);
        }

        public Result compressUniform(int stepIndex) {
            return finish(codeUniform(stepIndex), System.nanoTime() - posteriorNanos);
        }

        /** Posterior means and standard deviations (NHWC at 1/16 of the padded size). */
        public ConvVae.Posterior posterior() {
            return q;
        }
    }

    static int pad16(int n) {
        return (n + 15) / 16 * 16;
    }

    /** The image as floats 0..255 at the padded size, edge pixels repeated right and down. */
    static float[] padded(RgbImage img, int pw, int ph) {
        float[] x = new float[pw * ph * 3];
        byte[] rgb = img.rgb();
        for (int y = 0; y < ph; y++) {
            int sy = Math.min(y, img.height() - 1);
            for (int xx = 0; xx < pw; xx++) {
                int sx = Math.min(xx, img.width() - 1);
                int s = 3 * (sy * img.width() + sx);
                int o = 3 * (y * pw + xx);
                x[o] = rgb[s] & 0xFF;
                x[o + 1] = rgb[s + 1] & 0xFF;
                x[o + 2] = rgb[s + 2] & 0xFF;
            }
        }
        return x;
    }

    static float[] latents(VbqTables t, int[] j) {
        float[] z = new float[j.length];
        int ch = t.channels();
        for (int i = 0; i < j.length; i++) {
            z[i] = t.value(i % ch, j[i]);
        }
        return z;
    }

    static float[] uniformLatents(double step, int half, int[] sym) {
        float[] z = new float[sym.length];
        for (int i = 0; i < sym.length; i++) {
            z[i] = (float) ((sym[i] - half) * step);
        }
        return z;
    }

    /** The deterministic decoder at the padded shape, then rounded to bytes and cropped: a version-2 file's reconstruction. */
    static RgbImage reconstruct(VbqDecoder decoder, float[] z, int ph, int pw, int width, int height) {
        return toImage(decoder.decode(z, ph / 16, pw / 16, true), pw, width, height);
    }

    /** TensorFlow's decoder at the padded shape, rounded and cropped: a version-1 file's reconstruction. */
    static RgbImage reconstructTensorFlow(ConvVae vae, float[] z, int ph, int pw, int width, int height) {
        return toImage(vae.decode(z, ph / 16, pw / 16), pw, width, height);
    }

    /** Pixel-unit means of the padded image rounded (half up, as Math.round), clipped to 0..255 (NaN to 0) and cropped. */
    static RgbImage toImage(float[] mean, int pw, int width, int height) {
        byte[] out = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int s = 3 * (y * pw + x);
                int o = 3 * (y * width + x);
                for (int k = 0; k < 3; k++) {
                    float v = mean[s + k];
                    out[o + k] = (byte) (v >= 255f ? 255 : v <= 0f || Float.isNaN(v) ? 0 : Math.round(v));
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    static byte[] params(int mode, int depth, int bucket, double lambda, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 255) {
            n = Arrays.copyOf(n, 255);
        }
        ByteBuffer b = ByteBuffer.allocate(23 + n.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) PARAMS_VERSION).put((byte) mode).put((byte) depth).put((byte) LANES).putShort((short) bucket).putDouble(lambda)
                .putLong(SEED).put((byte) n.length).put(n);
        return b.array();
    }

    // ---------------------------------------------------------------- decoding

    public static RgbImage decompress(byte[] container, VbqModel model) {
        return decompress(MemorySegment.ofArray(container), model);
    }

    /**
     * Decodes a VBQ container with the model that wrote it.
     *
     * @throws CorruptInputException a damaged, truncated or forged file (byte offset and reason), or a
     *                               reconstruction that differs from the encoder's (checksum)
     * @throws WrongModelException   the file was written with another model
     */
    public static RgbImage decompress(MemorySegment in, VbqModel model) {
        Container.Header h = Container.read(in);
        if (h.codec() != CodecId.VBQ) {
            throw new CorruptInputException(5, "not a VBQ container (codec " + h.codec().cliName() + ")");
        }
        long paramsAt = Container.PREFIX_BYTES + Container.FINGERPRINT_BYTES + 1 + 8L * h.shape().length + 4;
        byte[] p = h.params();
        if (p.length < 23 || p.length != 23 + (p[22] & 0xFF)) {
            throw new CorruptInputException(paramsAt, "VBQ parameters of " + p.length + " bytes are malformed");
        }
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.get() & 0xFF;
        int mode = b.get() & 0xFF;
        int depth = b.get() & 0xFF;
        int lanes = b.get() & 0xFF;
        int bucket = b.getShort() & 0xFFFF;
        double lambda = b.getDouble();
        long seed = b.getLong();
        String name = new String(p, 23, p[22] & 0xFF, StandardCharsets.UTF_8);
        int container = h.version();
        if (!Arrays.equals(h.fingerprint(), container == 1 ? model.fingerprintV1() : model.fingerprint())) {
            throw new WrongModelException("this file was compressed with VBQ model '" + name + "' (fingerprint "
                    + HexFormat.of().formatHex(h.fingerprint(), 0, 8) + "...), not with '" + model.name() + "' ("
                    + HexFormat.of().formatHex(container == 1 ? model.fingerprintV1() : model.fingerprint(), 0, 8) + "...)");
        }
        VbqTables t = model.tables();
        if (version != PARAMS_VERSION) {
            throw new CorruptInputException(paramsAt, "VBQ parameter version " + version + " is not supported");
        }
        if (depth != t.depth() || lanes < 1 || lanes > 64) {
            throw new CorruptInputException(paramsAt + 2, "VBQ parameters name depth " + depth + " and " + lanes + " lanes");
        }
        boolean ok = switch (mode) {
            case MODE_VBQ -> lambda > 0 && !Double.isInfinite(lambda) && bucket == t.lambdaBucket(lambda);
            case MODE_UNIFORM -> bucket < t.uniformSteps() && lambda == t.step(bucket);
            default -> false;
        };
        if (!ok) {
            throw new CorruptInputException(paramsAt + 1, "VBQ parameters are inconsistent (mode " + mode + ", bucket " + bucket
                    + ", lambda " + lambda + ")");
        }
        long[] shape = h.shape();
        if (shape.length != 3 || shape[2] != 3 || shape[0] < 1 || shape[1] < 1 || shape[0] > 1 << 16 || shape[1] > 1 << 16
                || shape[0] * shape[1] > MAX_PIXELS) {
            throw new CorruptInputException(Container.PREFIX_BYTES + Container.FINGERPRINT_BYTES, "VBQ shape " + Arrays.toString(shape)
                    + " is not [height, width, 3] of at most " + MAX_PIXELS + " pixels");
        }
        int height = (int) shape[0];
        int width = (int) shape[1];
        if (h.chains().size() != 1 || h.chains().get(0).originalBytes() != 3L * width * height) {
            throw new CorruptInputException(Container.PREFIX_BYTES, "a VBQ container holds one chain of " + 3L * width * height + " bytes");
        }
        int ph = pad16(height);
        int pw = pad16(width);
        int n = (ph / 16) * (pw / 16) * t.channels();
        long at = h.streamsAt();
        Container.Chain chain = h.chains().get(0);
        float[] z;
        try (Message m = Message.readCompact(in, at, chain.streamBytes(), lanes, seed, io.latentcodec.kernels.Simd.vectorEnabled())) {
            long low = m.tailLow();
            if (mode == MODE_VBQ) {
                int[] j = VbqCoder.pop(m, t, bucket, n);
                z = latents(t, j);
            } else {
                int[] sym = VbqCoder.popUniform(m, t, bucket, n);
                z = uniformLatents(t.step(bucket), t.halfRange(bucket), sym);
            }
            if (m.tailLow() != low || m.tailWords() != 0 || !m.isPristine()) {
                throw new CorruptInputException(at, "the VBQ stream does not end where its symbols do (damaged or truncated stream)");
            }
        } catch (io.latentcodec.ZeroProbabilityException | IllegalStateException e) {
            throw new CorruptInputException(at, "the VBQ stream is damaged: " + e.getMessage());
        }
        if (container == 1) {
            return decodeVersion1(model, z, ph, pw, width, height, chain.crc32c(), at);
        }
        RgbImage rec = reconstruct(model.decoder(), z, ph, pw, width, height);
        if (crc(rec.rgb()) != chain.crc32c()) {
            throw new CorruptInputException(at, "reconstruction checksum mismatch: the stream is damaged (a version-2 file's "
                    + "reconstruction comes from the deterministic Java decoder, the same on every machine)");
        }
        return rec;
    }

    /** A version-1 file: TensorFlow's decoder defined its reconstruction; it must give exactly those pixels or none. */
    private static RgbImage decodeVersion1(VbqModel model, float[] z, int ph, int pw, int width, int height, int crc, long at) {
        ConvVae vae;
        try {
            vae = model.vae();
        } catch (LinkageError e) { // NoClassDefFoundError, UnsatisfiedLinkError: no usable TensorFlow here
            throw new io.latentcodec.models.InvalidModelException(model.dir(), "this is a version-1 VBQ file, written by an older "
                    + "latentcodec with TensorFlow's floats; decoding it needs TensorFlow, which this class path lacks (" + e + "). "
                    + "Decode it with TensorFlow on the machine type that wrote it, or re-encode from the original");
        }
        RgbImage rec = reconstructTensorFlow(vae, z, ph, pw, width, height);
        if (crc(rec.rgb()) != crc) {
            throw new CorruptInputException(at, "reconstruction checksum mismatch in a version-1 VBQ file: it was written by an older "
                    + "latentcodec with TensorFlow's floats, and this machine's TensorFlow computes other floats (other CPU kernels, "
                    + "e.g. AVX2 vs AVX-512; the oneDNN setting TF_ENABLE_ONEDNN_OPTS / ONEDNN_MAX_CPU_ISA; another TensorFlow version), "
                    + "or the stream is damaged. Decode it where it was written, or re-encode from the original (version-2 files "
                    + "decode the same on every machine)");
        }
        return rec;
    }

    /**
     * The name of the model a VBQ container was written with (so a caller can open it before
     * {@link #decompress}); the fingerprint check in decompress still decides.
     *
     * @throws CorruptInputException if the header or the parameters are malformed
     */
    public static String modelName(MemorySegment in) {
        Container.Header h = Container.read(in);
        byte[] p = h.params();
        if (h.codec() != CodecId.VBQ || p.length < 23 || p.length != 23 + (p[22] & 0xFF)) {
            throw new CorruptInputException(Container.PREFIX_BYTES, "not a VBQ container, or malformed VBQ parameters");
        }
        return new String(p, 23, p[22] & 0xFF, StandardCharsets.UTF_8);
    }

    /** Whether {@code in} is a VBQ container (cheap sniffing). */
    public static boolean isVbq(MemorySegment in) {
        return Container.looksLikeContainer(in) && in.byteSize() > 5 && (in.get(ValueLayout.JAVA_BYTE, 5) & 0xFF) == CodecId.VBQ.id();
    }
}
