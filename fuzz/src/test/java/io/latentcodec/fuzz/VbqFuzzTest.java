package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.WrongModelException;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.engine.vbq.FuzzVbqModels;
import io.latentcodec.engine.vbq.Vbq;
import io.latentcodec.engine.vbq.VbqCoder;
import io.latentcodec.engine.vbq.VbqModel;
import io.latentcodec.engine.vbq.VbqTables;
import io.latentcodec.kernels.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The lossy VBQ decoder under Jazzer, with a tiny conv VAE and fitted tables built once per JVM
 * ({@link FuzzVbqModels}; random weights, so a 64x48 image codes in milliseconds). Fuzzer images are
 * compressed and damaged (header checksum sometimes recomputed so damaged header fields reach the
 * VBQ checks behind it), or containers are forged field by field: decoding must give the encoder's
 * reconstruction exactly or fail with the corrupt-input error (the wrong-model error only for
 * another fingerprint), with the header and parameters read within an allocation budget linear in
 * the file.
 */
class VbqFuzzTest {
    /** Byte offset of the VBQ parameters in a rank-3 container: prefix, fingerprint, rank, 3 dimensions, parameter length. */
    static final int PARAMS_AT = Container.PREFIX_BYTES + Container.FINGERPRINT_BYTES + 1 + 3 * 8 + 4;

    /** The model, built on first use and kept for the JVM (building it exports a SavedModel: about a second). */
    private static final class Tiny {
        static final VbqModel MODEL = build();

        private static VbqModel build() {
            try {
                Path dir = Files.createTempDirectory("vbq-fuzz-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                return FuzzVbqModels.create(dir.resolve("tiny"), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
        }
    }

    static VbqModel model() {
        return Tiny.MODEL;
    }

    /**
     * Decodes {@code file} on this thread. The container header and the VBQ parameters (where every
     * size the decoder allocates by is declared) are read within 64 bytes per file byte + 1 MiB, as
     * for bits-back; decoding itself allocates per declared latent (a small valid file may
     * stand for up to 2^24 pixels, {@link Vbq#MAX_PIXELS}) and in TensorFlow, which a byte budget cannot
     * tell from a bug; the JVM's heap limit catches real exhaustion there.
     */
    static RgbImage decode(byte[] file) {
        MemorySegment in = MemorySegment.ofArray(file);
        CorruptInputException refused = null;
        try {
            Allocation.bounded(file.length, 64, 1 << 20, "Vbq.modelName", () -> Vbq.modelName(in));
        } catch (CorruptInputException e) {
            refused = e;
        }
        if (refused != null) {
            // what the header reader refuses, the decoder must refuse too
            assertThrows(CorruptInputException.class, () -> Vbq.decompress(in, model()), "modelName refused: " + refused.getMessage());
            throw refused;
        }
        return Vbq.decompress(in, model());
    }

    /** Whether {@code file} is a container (header checksum valid) that names the model's fingerprint. */
    static boolean namesTheModel(byte[] file) {
        try {
            return Arrays.equals(Container.read(MemorySegment.ofArray(file)).fingerprint(), model().fingerprint());
        } catch (CorruptInputException e) {
            return false;
        }
    }

    /** A decoded image must be what the header declares and carry the reconstruction checksum the header records. */
    static void checkDecoded(byte[] file, RgbImage out) {
        Container.Header h = Container.read(MemorySegment.ofArray(file));
        assertEquals(CodecId.VBQ, h.codec(), "decoded a file of another codec");
        assertArrayEquals(new long[] {out.height(), out.width(), 3}, h.shape(), "decoded an image of another shape");
        assertEquals(1, h.chains().size(), "decoded a file of " + h.chains().size() + " chains");
        assertEquals(h.chains().get(0).crc32c(), crc(out.rgb()), "decoded pixels whose CRC32C is not the header's");
    }

    static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    /**
     * A valid VBQ file of a fuzzer image (1x1 to 64x48, VBQ at lambda e^-7..e^7 or the uniform
     * ablation at any step), then fuzzer bit flips, byte overwrites, truncation or extension, and
     * sometimes a recomputed header checksum: the encoder's reconstruction, pixel for pixel, or the
     * corrupt-input error; the wrong-model error only when a fingerprint byte changed.
     */
    @FuzzTest(maxDuration = "30s")
    void damagedContainers(FuzzedDataProvider in) {
        VbqModel model = model();
        VbqTables t = model.tables();
        RgbImage img = FuzzVbqModels.image(new SplittableRandom(in.consumeLong()), in.consumeInt(1, 64), in.consumeInt(1, 48));
        Vbq.Result r = in.consumeBoolean() ? Vbq.compress(img, model, Math.exp(in.consumeRegularDouble(-7, 7)))
                : Vbq.compressUniform(img, model, in.consumeInt(0, t.uniformSteps() - 1));
        byte[] file = r.container();
        boolean fingerprintChanged = false;
        int edits = in.consumeInt(0, 4);
        for (int e = 0; e < edits; e++) {
            int at = in.consumeInt(0, file.length - 1);
            byte was = file[at];
            file[at] = in.consumeBoolean() ? (byte) in.consumeInt(0, 255) : (byte) (file[at] ^ 1 << in.consumeInt(0, 7));
            fingerprintChanged |= file[at] != was && at >= Container.PREFIX_BYTES && at < Container.PREFIX_BYTES + Container.FINGERPRINT_BYTES;
        }
        if (in.consumeBoolean()) {
            file = Arrays.copyOf(file, in.consumeInt(0, file.length + 8));
        }
        if (in.consumeBoolean()) {
            Headers.reseal(file);
        }
        try {
            RgbImage out = decode(file);
            assertEquals(img.width(), out.width(), "a damaged file decoded to another width");
            assertEquals(img.height(), out.height(), "a damaged file decoded to another height");
            assertArrayEquals(r.reconstruction().rgb(), out.rgb(), "a damaged file decoded to other pixels than the encoder's reconstruction");
        } catch (CorruptInputException expected) {
            // caught by a check
        } catch (WrongModelException e) {
            if (!fingerprintChanged) {
                throw new AssertionError("wrong-model error for a file whose fingerprint is the model's", e);
            }
        }
    }

    /**
     * Containers built by the fuzzer, header checksum valid: arbitrary bytes (when the last input
     * byte is odd), or field by field: codec, fingerprint, shape (small, up to 2^17 a side, or any
     * rank and size), VBQ parameters (version, mode, depth, lanes, lambda and its bucket or a
     * uniform step, rANS seed, name; consistent or not), chains, and a stream of arbitrary bytes or
     * of fuzzer grid points or uniform symbols coded with the model's tables. Decoding must refuse it
     * with the corrupt-input error (the wrong-model error only for another fingerprint), or give an
     * image of the declared shape whose CRC32C the header records.
     */
    @FuzzTest(maxDuration = "30s")
    void forgedContainers(FuzzedDataProvider in) {
        byte[] file = in.consumeBoolean() ? in.consumeRemainingAsBytes() : forge(in);
        try {
            checkDecoded(file, decode(file));
        } catch (CorruptInputException expected) {
            // the one error for damaged input
        } catch (WrongModelException e) {
            if (namesTheModel(file)) {
                throw new AssertionError("wrong-model error for a file whose fingerprint is the model's", e);
            }
        }
    }

    /** A container from fuzzer choices, as {@link #forgedContainers} describes. */
    static byte[] forge(FuzzedDataProvider in) {
        VbqModel model = model();
        VbqTables t = model.tables();
        long[] shape = switch (in.consumeInt(0, 3)) {
            case 0, 1 -> new long[] {in.consumeInt(1, 96), in.consumeInt(1, 96), 3};
            case 2 -> new long[] {in.consumeLong(0, 1L << 17), in.consumeLong(0, 1L << 17), in.consumeBoolean() ? 3 : in.consumeLong(0, 8)};
            default -> {
                long[] s = new long[in.consumeInt(0, 4)];
                for (int i = 0; i < s.length; i++) {
                    s[i] = in.consumeLong(0, Long.MAX_VALUE);
                }
                yield s;
            }
        };
        // the parameters: each field the encoder's value or a consistent one (7 times in 8), or arbitrary
        int mode = in.consumeBoolean() ? Vbq.MODE_VBQ : in.consumeBoolean() ? Vbq.MODE_UNIFORM : in.consumeInt(0, 255);
        double lambda;
        int bucket;
        if (mode == Vbq.MODE_UNIFORM) {
            bucket = in.consumeInt(0, t.uniformSteps());
            lambda = bucket < t.uniformSteps() && usual(in) ? t.step(bucket) : in.consumeDouble();
        } else {
            lambda = usual(in) ? Math.exp(in.consumeRegularDouble(-12, 12)) : in.consumeDouble();
            bucket = lambda > 0 && !Double.isInfinite(lambda) && usual(in) ? t.lambdaBucket(lambda) : in.consumeInt(0, 0xFFFF);
        }
        int version = usual(in) ? Vbq.PARAMS_VERSION : in.consumeInt(0, 255);
        int depth = usual(in) ? t.depth() : in.consumeInt(0, 255);
        int lanes = usual(in) ? Vbq.LANES : in.consumeInt(0, 255);
        long seed = usual(in) ? Vbq.SEED : in.consumeLong();
        byte[] name = in.consumeBytes(in.consumeInt(0, 24));
        int nameLength = usual(in) ? name.length : in.consumeInt(0, 255);
        ByteBuffer pb = ByteBuffer.allocate(23 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        pb.put((byte) version).put((byte) mode).put((byte) depth).put((byte) lanes).putShort((short) bucket).putDouble(lambda)
                .putLong(seed).put((byte) nameLength).put(name);
        byte[] params = usual(in) ? pb.array() : in.consumeBytes(in.consumeInt(0, 40));

        // the stream: symbols the decoder can pop (for small images) or arbitrary bytes
        byte[] stream;
        boolean small = shape.length == 3 && shape[0] >= 1 && shape[1] >= 1 && shape[0] <= 96 && shape[1] <= 96;
        if (small && in.consumeBoolean()) {
            int n = Math.toIntExact((shape[0] + 15) / 16 * ((shape[1] + 15) / 16) * t.channels());
            n = Math.max(0, n + (in.consumeInt(0, 7) == 0 ? in.consumeInt(-2, 2) : 0));
            stream = codedStream(in, t, mode, bucket, n, Math.max(1, Math.min(64, lanes)), seed);
        } else {
            stream = in.consumeBytes(in.consumeInt(0, 300));
        }
        List<Container.Chain> chains = new ArrayList<>();
        List<byte[]> streams = new ArrayList<>();
        int count = usual(in) ? 1 : in.consumeInt(0, 3);
        for (int c = 0; c < count; c++) {
            byte[] s = c == 0 ? stream : in.consumeBytes(in.consumeInt(0, 40));
            long original = shape.length == 3 && usual(in) ? 3 * shape[0] * shape[1] : in.consumeLong(0, Long.MAX_VALUE);
            streams.add(s);
            chains.add(new Container.Chain(s.length, original, in.consumeInt()));
        }
        byte[] fingerprint = usual(in) ? model.fingerprint() : Arrays.copyOf(in.consumeBytes(32), 32);
        CodecId codec = usual(in) ? CodecId.VBQ : in.pickValue(CodecId.values());
        byte[] head = new Container.Header(codec, in.consumeInt(0, 3), fingerprint, shape, params, chains).toBytes();
        ByteBuffer file = ByteBuffer.allocate(head.length + streams.stream().mapToInt(s -> s.length).sum());
        file.put(head);
        streams.forEach(file::put);
        return file.array();
    }

    /** True 7 times in 8: take the value a writer would (so most forged files reach the checks behind that field). */
    static boolean usual(FuzzedDataProvider in) {
        return in.consumeInt(0, 7) != 0;
    }

    /**
     * A compact frame of {@code n} fuzzer symbols coded as the encoder codes them: grid points with
     * the depth tables of {@code bucket} (VBQ mode), or uniform symbols with the tables of step
     * {@code bucket}; arbitrary bytes where the tables have no such bucket or step.
     */
    static byte[] codedStream(FuzzedDataProvider in, VbqTables t, int mode, int bucket, int n, int lanes, long seed) {
        if (mode == Vbq.MODE_UNIFORM && bucket < t.uniformSteps()) {
            int[] sym = new int[n];
            int top = 2 * t.halfRange(bucket);
            for (int i = 0; i < n; i++) {
                sym[i] = in.consumeInt(0, top);
            }
            return FuzzVbqModels.uniformStream(t, bucket, sym, lanes, seed);
        }
        if (mode == Vbq.MODE_VBQ && bucket < t.lambdaBuckets()) {
            int[] j = new int[n];
            for (int i = 0; i < n; i++) {
                j[i] = in.consumeInt(1, t.gridSize() - 1);
            }
            try (Message m = Message.create(lanes, seed)) {
                VbqCoder.push(m, t, bucket, j);
                return m.toCompactByteArray();
            }
        }
        return in.consumeBytes(in.consumeInt(0, 300));
    }
}
