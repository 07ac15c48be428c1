package io.latentcodec.bench;

import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.engine.vbq.Vbq;
import io.latentcodec.engine.vbq.VbqModel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each benchmark, called once outside JMH, computes the right answer: a fast wrong benchmark is worse than none. */
class BenchmarksComputeTheRightAnswerTest {

    @Test
    void everyByteCodecRoundTripsTheSkewedInput() {
        byte[] data = BenchData.skewed(1 << 18, 42);
        for (String codec : new String[] {"latentcodec-o0-vector", "latentcodec-o0-scalar", "latentcodec-o1-vector", "latentcodec-o1-scalar",
                "htsjdk-rans4x8-o0", "htsjdk-ransNx16-o0", "htsjdk-ransNx16-o0-x32", "deflate-1", "deflate-6"}) {
            assertRoundTrip(codec, data);
        }
    }

    private static void assertRoundTrip(String codec, byte[] data) {
        ByteCodecs c = ByteCodecs.of(codec);
        c.init(data.length);
        int n = c.encode(data);
        assertTrue(n > 0 && n < data.length, codec + " did not compress: " + n);
        assertEquals(data.length, c.decode(c.encoded()), codec);
        assertArrayEquals(data, Arrays.copyOf(c.decoded(), data.length), codec);
    }

    /** The C peer, where scripts/fetch-htscodecs has installed it (CI runs that script before the tests). */
    @Test
    void htscodecsRoundTripsTheSkewedInput() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(BenchData.dataDir().resolve(HtscodecsPeer.LIBRARY)),
                "htscodecs not installed: scripts/fetch-htscodecs");
        byte[] data = BenchData.skewed(1 << 18, 42);
        for (String codec : new String[] {"htscodecs-rans32x16-o0", "htscodecs-rans32x16-o1"}) {
            assertRoundTrip(codec, data);
        }
    }

    @Test
    void staticBenchmarkMethodsRoundTrip() {
        StaticCodecBenchmark b = new StaticCodecBenchmark();
        b.input = "skewed-16MiB";
        b.codec = "latentcodec-o0-vector";
        b.setup();
        StaticCodecBenchmark.Bytes counter = new StaticCodecBenchmark.Bytes();
        assertEquals(b.compressed.length, b.encode(counter));
        assertEquals(b.data.length, b.decode(counter));
        assertArrayEquals(b.data, b.impl.decoded());
        assertEquals(2L * b.data.length, counter.bytes);
    }

    @Test
    void messageBenchmarkPopsWhatWasPushed() {
        for (String impl : new String[] {"vector", "scalar"}) {
            MessageBenchmark b = new MessageBenchmark();
            b.impl = impl;
            b.lanes = 32;
            b.data();
            b.fresh();
            long before = b.message.tailWords();
            b.push();
            b.pop();
            assertEquals(before, b.message.tailWords(), impl + ": pop after push must restore the tail");
            long emptyAfter = b.pop(); // pops the K symbols the setup pushed
            assertEquals(0, emptyAfter, impl + ": the setup's symbols pop back to an empty tail");
            b.close();
        }
    }

    @Test
    void bitsBackBenchmarkRestoresItsImages() throws Exception {
        for (String backend : new String[] {"java", "tensorflow"}) {
            bitsBackBenchmarkRestoresItsImages(backend);
        }
    }

    private static void bitsBackBenchmarkRestoresItsImages(String backend) throws Exception {
        BitsBackBenchmark b = new BitsBackBenchmark();
        b.model = "mnist-binarized";
        b.chains = 2;
        b.backend = backend;
        b.setup();
        try {
            assertTrue(b.compress() > 0);
            byte[][] back = b.decompress();
            for (int i = 0; i < b.images.length; i++) {
                assertArrayEquals(b.images[i], back[i], backend + ": image " + i);
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void vbqPhotoBenchmarkEncodesFilesThatDecodeToTheirReconstruction() {
        int w = 96;
        int h = 64;
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            int px = i / 3;
            rgb[i] = (byte) ((px % w) * 2 + (px / w) * (i % 3 + 1)); // gradients, a different slope per channel
        }
        VbqPhotoBenchmark b = new VbqPhotoBenchmark();
        b.lambda = 16;
        b.use(new RgbImage(w, h, rgb), VbqModel.named("photo-vae"));
        try {
            RgbImage fast = Vbq.decompress(b.encodeFast(), b.model);
            assertArrayEquals(Vbq.compress(b.photo, b.model, 16).reconstruction().rgb(), fast.rgb(), "fast encode");
            RgbImage thorough = Vbq.decompress(b.encodeThorough(), b.model);
            assertArrayEquals(Vbq.analyze(b.photo, b.model, Vbq.Effort.THOROUGH).compress(16).reconstruction().rgb(), thorough.rgb(),
                    "thorough encode");
            assertArrayEquals(fast.rgb(), b.decode().rgb(), "decode of the setup's file");
            float[] java = b.decoderJava();
            float[] tf = b.decoderTensorFlow();
            org.junit.jupiter.api.Assertions.assertEquals(w * h * 3, java.length, "decoderJava: a 96x64 RGB mean");
            for (int i = 0; i < java.length; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(tf[i], java[i], 5e-3, "decoderJava vs decoderTensorFlow, sample " + i);
            }
        } finally {
            b.tearDown();
        }
    }
}
