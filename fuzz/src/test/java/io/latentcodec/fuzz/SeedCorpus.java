package io.latentcodec.fuzz;

import io.latentcodec.engine.bitsback.FakeVae;

import io.latentcodec.engine.bitsback.BitsBack;
import io.latentcodec.engine.bitsback.BitsBackParams;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;
import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.engine.vbq.FuzzVbqModels;
import io.latentcodec.engine.vbq.Vbq;
import io.latentcodec.engine.vbq.VbqModel;
import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.StaticRans;
import io.latentcodec.models.Likelihood;
import io.latentcodec.models.data.GrayImage;
import io.latentcodec.models.data.Idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the hand-made seeds of the byte-array fuzz targets into their corpus directories
 * ({@code fuzz/src/test/resources/.../<Class>Inputs/<method>/seed-*}): valid streams, frames,
 * containers, parameters, manifests and data files for the mutators to start from, and the
 * forged headers the allocation checks exist for. Deterministic; rerun after a format change:
 * <pre>
 *   java -cp "fuzz/target/test-classes:$(cat fuzz/target/test-classpath.txt)" --add-modules jdk.incubator.vector \
 *       io.latentcodec.fuzz.SeedCorpus fuzz/src/test/resources
 * </pre>
 * Seeds of targets that take a {@code FuzzedDataProvider} end with the bytes the target consumes
 * from the end (Jazzer's provider reads numbers and booleans from the back, byte arrays from the front).
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "fuzz/src/test/resources");
        Path fuzz = root.resolve("io/latentcodec/fuzz");
        byte[] text = "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife."
                .getBytes(StandardCharsets.US_ASCII);
        byte[] run = new byte[3000];
        Arrays.fill(run, (byte) 'z');
        byte[] noise = new byte[700];
        new SplittableRandom(1).nextBytes(noise);

        // static rANS streams: the round trip takes data, the decoder a stream plus its vector flag at the end
        Path rt = fuzz.resolve("StaticRansFuzzTestInputs/roundTrip");
        write(rt, "seed-text", text);
        write(rt, "seed-run", run);
        write(rt, "seed-noise", noise);
        Path dec = fuzz.resolve("StaticRansFuzzTestInputs/decodeArbitraryBytes");
        for (int order = 0; order <= 1; order++) {
            write(dec, "seed-text-order" + order, cat(StaticRans.compress(text, order), new byte[] {(byte) order}));
            write(dec, "seed-run-order" + order, cat(StaticRans.compress(run, order), new byte[] {1}));
        }
        write(dec, "seed-empty", cat(StaticRans.compress(new byte[0], 0), new byte[] {0}));

        // message frames, full and compact; compact seeds end with vector flag, seed (8 bytes) and lanes - 1
        Path full = fuzz.resolve("MessageFuzzTestInputs/readArbitraryFrames");
        Path compact = fuzz.resolve("MessageFuzzTestInputs/readArbitraryCompactFrames");
        int[] lanesOf = {1, 8, 33};
        for (int lanes : lanesOf) {
            try (Message m = Message.createScalar(lanes, 99)) {
                int[] out = new int[2 * lanes + 1];
                m.pop(10, out.length, (k0, n, cf, start, freq) -> {
                    for (int i = 0; i < n; i++) {
                        start[i] = cf[i];
                        freq[i] = 1;
                    }
                }); // borrow clean words: the frame's first word lies below the origin
                int[] start = new int[5 * lanes];
                int[] freq = new int[5 * lanes];
                for (int i = 0; i < start.length; i++) {
                    start[i] = (i * 37) % 4000;
                    freq[i] = 1 + i % 90;
                }
                m.push(12, start, freq, 0, start.length);
                write(full, "seed-lanes" + lanes, m.toByteArray());
                byte[] trailer = new byte[10];
                trailer[9] = (byte) (lanes - 1);
                write(compact, "seed-lanes" + lanes, cat(m.toCompactByteArray(), trailer));
            }
        }
        try (Message m = Message.createScalar(4, 0)) {
            write(full, "seed-fresh", m.toByteArray());
        }

        // containers: both static codecs over several chains, an empty one, a bits-back one, and the forged 2^31 chains
        Path cont = fuzz.resolve("ContainerFuzzTestInputs/parseArbitraryBytes");
        for (int order = 0; order <= 1; order++) {
            write(cont, "seed-rans" + order + "-chunks", chunked(text, order, 40));
        }
        write(cont, "seed-empty", ChunkedBytes.compress(new byte[0], 0));
        FakeVae model = new FakeVae(Likelihood.BETA_BINOMIAL, 6, 2, 3, 7);
        byte[][] images = new byte[4][6];
        for (int i = 0; i < images.length; i++) {
            for (int k = 0; k < 6; k++) {
                images[i][k] = (byte) (40 * i + 7 * k);
            }
        }
        byte[] bb = BitsBack.compress(images, new long[] {4, 6}, model, BitsBack.Options.defaults().withThreads(1).withChains(2), null).container();
        write(cont, "seed-bitsback", bb);
        write(cont, "seed-forged-2e31-chains", forgedChainCount());

        // bits-back parameters
        Path params = fuzz.resolve("BitsBackFuzzTestInputs/parameters");
        write(params, "seed-tiny", BitsBack.params(model, BitsBack.Options.defaults()).toBytes());
        write(params, "seed-mnist-like", new BitsBackParams(8, 12, 24, 24, 1, 7, 100, 784, 50, 1, "mnist").toBytes());

        // manifests: the shipped ones and a minimal one
        Path man = fuzz.resolve("ManifestFuzzTestInputs/parse");
        for (String name : List.of("mnist", "mnist-binarized")) {
            Path f = Path.of("models", name, "manifest.json");
            if (Files.exists(f)) {
                write(man, "seed-" + name, Files.readAllBytes(f));
            }
        }
        write(man, "seed-minimal", ("{\"format\": \"latentcodec-vae/1\", \"name\": \"m\", \"architecture\": {\"type\": \"mlp-vae\", "
                + "\"dataDim\": 4, \"hiddenDim\": 3, \"latentDim\": 2, \"likelihood\": \"bernoulli\"}, \"batchSize\": 2, "
                + "\"fingerprint\": \"sha256:" + "0123456789abcdef".repeat(4) + "\"}").getBytes(StandardCharsets.UTF_8));

        // data files
        Path idx = fuzz.resolve("DataFuzzTestInputs/idx");
        write(idx, "seed-images", Idx.ofImages(new byte[][] {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}}, 2, 3).toBytes());
        write(idx, "seed-labels", Idx.ofLabels(new int[] {3, 1, 4, 1, 5}).toBytes());
        write(idx, "seed-floats", Idx.of(Idx.Type.FLOAT, new int[] {2, 2}, new byte[16]).toBytes());
        write(idx, "seed-doubles", Idx.of(Idx.Type.DOUBLE, new int[] {1, 1, 1}, new byte[8]).toBytes());
        write(idx, "seed-no-images", Idx.ofImages(new byte[0][], 28, 28).toBytes());
        write(idx, "seed-2e31-images-declared", idxHeader(0x08, Integer.MAX_VALUE, 28, 28));
        Path img = fuzz.resolve("DataFuzzTestInputs/grayImage");
        GrayImage g = GrayImage.of(3, 2, new byte[] {0, 50, 100, (byte) 150, (byte) 200, (byte) 255});
        write(img, "seed-pgm", g.toPgm());
        write(img, "seed-png", g.toPng());
        write(img, "seed-plain-pgm", "P2\n# a comment\n3 2\n255\n0 50 100\n150 200 255\n".getBytes(StandardCharsets.US_ASCII));

        // VBQ files for the forged-container target, whose last byte 1 selects "the rest as raw bytes": VBQ mode at a
        // low and a high lambda, the uniform ablation, and a valid file resealed to declare 8192 x 8192 pixels
        Path vbq = fuzz.resolve("VbqFuzzTestInputs/forgedContainers");
        VbqModel vm = VbqFuzzTest.model();
        RgbImage photo = FuzzVbqModels.image(new SplittableRandom(3), 40, 30);
        byte[] raw = {1};
        write(vbq, "seed-vbq-lambda-0.1", cat(Vbq.compress(photo, vm, 0.1).container(), raw));
        write(vbq, "seed-vbq-lambda-30", cat(Vbq.compress(photo, vm, 30).container(), raw));
        write(vbq, "seed-uniform-step-1", cat(Vbq.compressUniform(photo, vm, 1).container(), raw));
        byte[] small = Vbq.compress(photo, vm, 30).container();
        Container.Header sh = Container.read(MemorySegment.ofArray(small));
        Container.Chain ch = sh.chains().get(0);
        byte[] big = new Container.Header(CodecId.VBQ, 0, sh.fingerprint(), new long[] {8192, 8192, 3}, sh.params(),
                List.of(new Container.Chain(ch.streamBytes(), 3L * 8192 * 8192, ch.crc32c()))).toBytes();
        write(vbq, "seed-8192x8192-declared", cat(cat(big, Arrays.copyOfRange(small, (int) sh.streamsAt(), small.length)), raw));

        // the Spark module: a data-set manifest, and .rans streams of one member, of several, and empty
        Path dsm = fuzz.resolve("DataSetManifestFuzzTestInputs/parse");
        io.latentcodec.spark.DataSetManifest.Part p0 = new io.latentcodec.spark.DataSetManifest.Part("part-00000.lc", 0, 2, 900, 7, 9);
        io.latentcodec.spark.DataSetManifest.Part p1 = new io.latentcodec.spark.DataSetManifest.Part("part-00001.lc", 2, 1, 500, 8, 10);
        write(dsm, "seed-two-parts", new io.latentcodec.spark.DataSetManifest("bitsback", "mnist", new byte[32], 28, 28, 3, "train.idx",
                new io.latentcodec.spark.DataSetManifest.Part("names.txt", 0, 3, 12, 5, 0), List.of(p0, p1)).toJson()
                .getBytes(StandardCharsets.UTF_8));
        Path rans = root.resolve("io/latentcodec/spark/hadoop/RansCodecFuzzTestInputs/streamOfArbitraryBytes");
        write(rans, "seed-one-member", io.latentcodec.spark.hadoop.RansCodecFuzzTest.write(text, 0, 4096));
        write(rans, "seed-members-order1", io.latentcodec.spark.hadoop.RansCodecFuzzTest.write(text, 1, 30));
        write(rans, "seed-empty", io.latentcodec.spark.hadoop.RansCodecFuzzTest.write(new byte[0], 0, 100));

        // an MNIST digit file of one image
        Path mnist = root.resolve("io/latentcodec/models/data/MnistJsonFuzzTestInputs/parse");
        StringBuilder b = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 784; i++) {
            b.append(i == 0 ? "" : ",").append(i % 7 == 0 ? "0.502" : i % 5 == 0 ? "1" : "0");
        }
        write(mnist, "seed-one-image", b.append("]}").toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** A static-codec container with small chunks, so it has several chains. */
    static byte[] chunked(byte[] data, int order, int chunk) throws IOException {
        byte[][] out = {new byte[0]};
        ChunkedBytes.compress(MemorySegment.ofArray(data), order, chunk, 1, null, (position, bytes) -> {
            int end = Math.toIntExact(position + bytes.remaining());
            if (end > out[0].length) {
                out[0] = Arrays.copyOf(out[0], end);
            }
            bytes.get(out[0], (int) position, bytes.remaining());
        });
        return out[0];
    }

    /** A container header (checksum valid) declaring 2^31 chains of a 2^31-image bits-back file, in 65 bytes. */
    static byte[] forgedChainCount() {
        int h = 32 + 1 + 8 + 4 + 4;
        ByteBuffer b = ByteBuffer.allocate(16 + h).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Container.MAGIC).put((byte) Container.VERSION).put((byte) CodecId.BITSBACK.id()).putShort((short) 0).putInt(h).putInt(0);
        b.position(16 + 32);
        b.put((byte) 1).putLong(1L << 31);
        b.putInt(0);
        b.putInt(Integer.MIN_VALUE);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b.array(), 0, 12);
        c.update(b.array(), 16, h);
        b.putInt(12, (int) c.getValue());
        return b.array();
    }

    /** An IDX header of unsigned bytes (type 0x08) with these dimensions and no data. */
    static byte[] idxHeader(int type, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] cat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }

    static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
