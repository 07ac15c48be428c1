package io.latentcodec.engine.bitsback;

import io.latentcodec.CorruptInputException;
import io.latentcodec.ZeroProbabilityException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.io.OrderedParallel;
import io.latentcodec.engine.io.Progress;
import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.Simd;
import io.latentcodec.models.Device;
import io.latentcodec.models.VaeModel;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Lossless compression of images with a VAE by bits-back ANS, as a container file: the images
 * are split into chains (contiguous runs, one per core by default), each chain is coded on its
 * own thread into its own rANS message, and the chains' message frames are the container's
 * streams. Nothing mutable is shared between chains; the model is, and its calls are thread-safe.
 */
public final class BitsBack {
    /** Default rANS lanes per chain: one 512-bit vector of 63-bit states, and 64 bytes of lane states to flush. */
    public static final int DEFAULT_LANES = 8;
    public static final int DEFAULT_PRIOR_BITS = 12;
    public static final int DEFAULT_POSTERIOR_PRECISION = 24;
    public static final int DEFAULT_LIKELIHOOD_PRECISION = 24;
    public static final int DEFAULT_RAMP_START = 1;
    public static final long DEFAULT_SEED = 0x6C6174656E74L;
    /**
     * A chain's fixed cost (lane states, clean bits borrowed by its first batch) is paid once, so
     * the default splits into more chains only when each gets at least this many images.
     */
    public static final int MIN_IMAGES_PER_CHAIN = 2500;
    /**
     * Decoders refuse a chain declaring more images than this many per stream byte (1/8 bit per
     * image): no real image costs less, and it bounds what a forged header can make us decode.
     */
    public static final int MAX_IMAGES_PER_BYTE = 64;

    private BitsBack() {
    }

    /** How to compress. {@code chains} 0 means one per core, at most one per {@link #MIN_IMAGES_PER_CHAIN} images. */
    public record Options(int chains, int threads, int lanes, int priorBits, int posteriorPrecision, int likelihoodPrecision,
                          int rampStart, long seed) {
        public static Options defaults() {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Options(0, cores, DEFAULT_LANES, DEFAULT_PRIOR_BITS, DEFAULT_POSTERIOR_PRECISION,
                    DEFAULT_LIKELIHOOD_PRECISION, DEFAULT_RAMP_START, DEFAULT_SEED);
        }

        public Options withChains(int c) {
            return new Options(c, threads, lanes, priorBits, posteriorPrecision, likelihoodPrecision, rampStart, seed);
        }

        public Options withThreads(int t) {
            return new Options(chains, t, lanes, priorBits, posteriorPrecision, likelihoodPrecision, rampStart, seed);
        }

        public Options withLanes(int l) {
            return new Options(chains, threads, l, priorBits, posteriorPrecision, likelihoodPrecision, rampStart, seed);
        }

        public Options withPrecisions(int prior, int posterior, int likelihood) {
            return new Options(chains, threads, lanes, prior, posterior, likelihood, rampStart, seed);
        }

        int chainsFor(int images) {
            if (chains > 0) {
                return Math.max(1, Math.min(chains, images));
            }
            int cores = Runtime.getRuntime().availableProcessors();
            return Math.max(1, Math.min(cores, images / MIN_IMAGES_PER_CHAIN));
        }
    }

    /** What a compression or decompression measured. */
    public record Stats(long bytes, long streamBytes, int images, int chains, long nanos, long modelNanos, long codingNanos) {
        /** Bits per pixel of the whole container. */
        public double bitsPerDim(int dataDim) {
            return bytes * 8.0 / ((double) images * dataDim);
        }

        /** Bits per pixel of the chain streams alone (message frames: lane states, borrowed bits and all). */
        public double streamBitsPerDim(int dataDim) {
            return streamBytes * 8.0 / ((double) images * dataDim);
        }

        public double imagesPerSecond() {
            return images / (nanos / 1e9);
        }

        /** Share of the chains' busy time spent inside the model. */
        public double modelShare() {
            return modelNanos / (double) Math.max(1, modelNanos + codingNanos);
        }
    }

    /** A finished container and its statistics. */
    public record Result(byte[] container, Stats stats) {
    }

    public static BitsBackParams params(VaeModel model, Options o) {
        return new BitsBackParams(o.lanes(), o.priorBits(), o.posteriorPrecision(), o.likelihoodPrecision(),
                model.likelihood().ordinal(), o.seed(), model.batchSize(), model.dataDim(), model.latentDim(),
                Math.min(o.rampStart(), model.batchSize()), model.name(), model.contextNet().isPresent());
    }

    /**
     * Compresses {@code images} (each {@code model.dataDim()} pixels) with {@code model}.
     * {@code shape} is recorded in the container (e.g. {@code [n, 28, 28]}).
     */
    public static Result compress(byte[][] images, long[] shape, VaeModel model, Options o, Progress progress) {
        final int n = images.length;
        if (shape.length == 0 || shape[0] != n || pixelsPerImage(shape) != model.dataDim()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not describe " + n + " images of "
                    + model.dataDim() + " pixels");
        }
        final BitsBackParams p = params(model, o);
        final int chains = o.chainsFor(n);
        final int[] first = new int[chains + 1];
        for (int c = 0; c <= chains; c++) {
            first[c] = (int) ((long) n * c / chains);
        }
        long started = System.nanoTime();
        byte[][] streams = new byte[chains][];
        int[] crcs = new int[chains];
        long[] nanos = new long[2];
        try {
            OrderedParallel.run(chains, o.threads(), c -> {
                BitsBackCodec codec = new BitsBackCodec(model, p);
                try (Message m = Message.create(p.lanes(), p.seed() + c)) {
                    codec.encode(m, images, first[c], first[c + 1] - first[c]);
                    return new ChainOut(m.toCompactByteArray(), crc(images, first[c], first[c + 1]), codec.modelNanos(), codec.codingNanos());
                }
            }, (c, out) -> {
                streams[c] = out.stream;
                crcs[c] = out.crc;
                nanos[0] += out.modelNanos;
                nanos[1] += out.codingNanos;
                if (progress != null) {
                    progress.add(first[c + 1] - first[c]);
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Container.Chain> entries = new ArrayList<>();
        long streamBytes = 0;
        for (int c = 0; c < chains; c++) {
            entries.add(new Container.Chain(streams[c].length, (long) (first[c + 1] - first[c]) * p.dataDim(), crcs[c]));
            streamBytes += streams[c].length;
        }
        // version 2 only when every float came from the deterministic kernels: then the file decodes on any machine
        int version = model.deterministic() ? Container.VERSION : 1;
        Container.Header h = new Container.Header(version, CodecId.BITSBACK, 0, model.fingerprint(), shape, p.toBytes(), entries);
        byte[] head = h.toBytes();
        byte[] file = Arrays.copyOf(head, (int) h.totalBytes());
        int at = head.length;
        for (byte[] s : streams) {
            System.arraycopy(s, 0, file, at, s.length);
            at += s.length;
        }
        return new Result(file, new Stats(file.length, streamBytes, n, chains, System.nanoTime() - started, nanos[0], nanos[1]));
    }

    private record ChainOut(byte[] stream, int crc, long modelNanos, long codingNanos) {
    }

    static int crc(byte[][] images, int from, int to) {
        CRC32C c = new CRC32C();
        for (int i = from; i < to; i++) {
            c.update(images[i]);
        }
        return (int) c.getValue();
    }

    /** Product of the dimensions after the first (one image's pixels), or -1 when negative or past 2^63. */
    static long pixelsPerImage(long[] shape) {
        long pixels = 1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 0 || Math.multiplyHigh(pixels, shape[i]) != 0 || pixels * shape[i] < 0) {
                return -1;
            }
            pixels *= shape[i];
        }
        return pixels;
    }

    /** The validated header and parameters of a bits-back container. */
    public record Parsed(Container.Header header, BitsBackParams params, int images) {
    }

    /** Reads and checks a bits-back container's header (no model needed: {@code info} and model lookup use it). */
    public static Parsed parse(MemorySegment file) {
        Container.Header h = Container.read(file);
        if (h.codec() != CodecId.BITSBACK) {
            throw new IllegalArgumentException("not a bits-back container: codec " + h.codec().cliName());
        }
        BitsBackParams p = BitsBackParams.fromBytes(h.params());
        long images = 0;
        for (int c = 0; c < h.chains().size(); c++) {
            Container.Chain ch = h.chains().get(c);
            if (ch.originalBytes() % p.dataDim() != 0) {
                throw new CorruptInputException(Container.PREFIX_BYTES, "chain " + c + " declares " + ch.originalBytes()
                        + " bytes, not a whole number of " + p.dataDim() + "-pixel images");
            }
            long k = ch.originalBytes() / p.dataDim();
            if (k == 0 && h.chains().size() > 1) {
                // the encoder writes no empty chain (an empty file has one); each costs the decoder a codec and a message
                throw new CorruptInputException(Container.PREFIX_BYTES, "chain " + c + " of " + h.chains().size()
                        + " declares no images: the header is damaged");
            }
            if (k > (ch.streamBytes() + 1) * MAX_IMAGES_PER_BYTE) {
                throw new CorruptInputException(Container.PREFIX_BYTES, "chain " + c + " declares " + k + " images in a stream of "
                        + ch.streamBytes() + " bytes: impossible, the header is damaged");
            }
            images += k;
        }
        if (images > Integer.MAX_VALUE - 16) {
            throw new CorruptInputException(Container.PREFIX_BYTES, "container declares " + images + " images");
        }
        // the dimensions after the first must make one image, checked on their own: with no images a product
        // over all of them is 0 whatever they say, and the decoder sizes its output by them
        long[] shape = h.shape();
        if (shape.length == 0 || shape[0] != images || pixelsPerImage(shape) != p.dataDim()) {
            throw new CorruptInputException(Container.PREFIX_BYTES, "shape " + Arrays.toString(h.shape()) + " does not match "
                    + images + " images of " + p.dataDim() + " pixels");
        }
        return new Parsed(h, p, (int) images);
    }

    /**
     * The model that decodes {@code parsed}: {@code nameOrDir} (a shipped name or a directory), or,
     * when null, the shipped model the file names. A version-2 file gets the deterministic model
     * ({@link VaeModel#open}, no TensorFlow); a version-1 file, whose floats came from TensorFlow,
     * the SavedModel in TensorFlow on {@code device}.
     *
     * @throws IllegalArgumentException when the file's model name is not a shipped model's plain name
     */
    public static VaeModel openModel(Parsed parsed, String nameOrDir, Device device) {
        String name = nameOrDir != null ? nameOrDir : parsed.params().modelName();
        if (nameOrDir == null && !VaeModel.isPlainName(name)) {
            throw new IllegalArgumentException("the file names model '" + name + "', which is not a shipped model's name; name the model");
        }
        return parsed.header().version() >= 2 ? VaeModel.open(name) : VaeModel.openTensorFlow(name, device, 0);
    }

    /** What a failed final-state or checksum check most likely means, for a file of this container version. */
    static String likelyCauses(int version) {
        return version >= 2
                ? "the file is damaged (its model floats come from the deterministic kernels, the same on every machine)"
                : "the file is damaged, or, likelier, it is a version-1 file whose model floats came from TensorFlow and this "
                + "machine's TensorFlow computes other floats (other CPU kernels such as AVX2 vs AVX-512, oneDNN on or off, a GPU, "
                + "another release): decode it on the kind of machine that wrote it and compress it again with this version";
    }

    /**
     * Decompresses a bits-back container with {@code model}, which must be the model it was made
     * with (same fingerprint): for a version-2 file a deterministic one ({@link VaeModel#load}), for
     * a version-1 file its SavedModel in TensorFlow ({@link VaeModel#loadTensorFlow}); see
     * {@link #openModel}. Chains decode in parallel; each must end exactly where its encoder
     * began and match its checksum.
     *
     * @throws WrongModelException  if the model's fingerprint differs from the file's
     * @throws CorruptInputException if the file is damaged
     */
    public static byte[][] decompress(MemorySegment file, VaeModel model, int threads, Progress progress) {
        Parsed parsed = parse(file);
        Container.Header h = parsed.header();
        BitsBackParams p = parsed.params();
        if ((h.version() >= 2) != model.deterministic()) {
            throw new WrongModelException("this file is container version " + h.version() + ", whose model floats come from "
                    + (h.version() >= 2 ? "the deterministic kernels: decode it with VaeModel.load/named/open"
                    : "TensorFlow: decode it with VaeModel.loadTensorFlow/openTensorFlow") + "; model '" + model.name() + "' is "
                    + (model.deterministic() ? "deterministic" : "a TensorFlow model"));
        }
        if (!Arrays.equals(h.fingerprint(), model.fingerprint())) {
            throw new WrongModelException("this file was compressed with model '" + p.modelName() + "' (fingerprint "
                    + HexFormat.of().formatHex(h.fingerprint(), 0, 8) + "...), but the model given is '" + model.name()
                    + "' (fingerprint " + HexFormat.of().formatHex(model.fingerprint(), 0, 8) + "...)");
        }
        if (p.autoregressive() != model.contextNet().isPresent() || model.dataDim() != p.dataDim() || model.latentDim() != p.latentDim()
                || model.batchSize() != p.modelBatch() || model.likelihood().ordinal() != p.likelihoodId()) {
            // the fingerprint covers the model's shapes, so parameters that disagree with them were damaged or forged
            throw new CorruptInputException(Container.PREFIX_BYTES + Container.FINGERPRINT_BYTES, "the file's parameters (data "
                    + p.dataDim() + ", latent " + p.latentDim() + ", batch " + p.modelBatch() + ", likelihood " + p.likelihoodId()
                    + (p.autoregressive() ? ", context net" : "") + ") contradict model '" + model.name()
                    + "', whose fingerprint it records: the header is damaged");
        }
        int chains = h.chains().size();
        int[] first = new int[chains + 1];
        for (int c = 0; c < chains; c++) {
            first[c + 1] = first[c] + (int) (h.chains().get(c).originalBytes() / p.dataDim());
        }
        byte[][] out = new byte[parsed.images()][];
        try {
            OrderedParallel.run(chains, threads, c -> {
                long at = h.streamAt(c);
                Container.Chain ch = h.chains().get(c);
                BitsBackCodec codec = new BitsBackCodec(model, p);
                Message read;
                try {
                    read = Message.readCompact(file, at, ch.streamBytes(), p.lanes(), p.seed() + c, Simd.vectorEnabled());
                } catch (CorruptInputException e) {
                    throw new CorruptInputException(e.offset(), "chain " + c + ": " + e.reason(), e);
                }
                try (Message m = read) {
                    final long low = m.tailLow();
                    try {
                        codec.decode(m, out, first[c], first[c + 1] - first[c], () -> {
                            if (m.tailLow() < low) {
                                throw new CorruptInputException(at, "chain " + c + " ran out of words before its last image: "
                                        + likelyCauses(h.version()));
                            }
                        });
                    } catch (ZeroProbabilityException e) {
                        // a damaged stream decoded a latent outside its posterior's reach, which the encoder cannot have popped
                        throw new CorruptInputException(at, "chain " + c + " decoded an impossible latent: " + likelyCauses(h.version()), e);
                    }
                    if (!m.isPristine()) {
                        throw new CorruptInputException(at, "chain " + c + " did not decode back to its initial state: "
                                + likelyCauses(h.version()));
                    }
                }
                if (crc(out, first[c], first[c + 1]) != ch.crc32c()) {
                    throw new CorruptInputException(at, "chain " + c + " fails its checksum: " + likelyCauses(h.version()));
                }
                return first[c + 1] - first[c];
            }, (c, count) -> {
                if (progress != null) {
                    progress.add(count);
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
