package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The container header parser and the chunked static codec under Jazzer. Decoding runs on the
 * calling thread (one thread), so every allocation is measured and no thread pool is started per
 * input.
 */
class ContainerFuzzTest {
    /** Largest original size the targets decode: a valid 300-byte container may stand for 64 MiB of one repeated byte. */
    static final int MAX_ORIGINAL = 1 << 20;

    /**
     * Reads the header within an allocation budget linear in the file, then decodes a static-codec
     * container of at most {@link #MAX_ORIGINAL} bytes; returns null for other codecs and larger files.
     */
    static byte[] decode(byte[] file) {
        MemorySegment in = MemorySegment.ofArray(file);
        Container.Header[] read = new Container.Header[1];
        // the header is copied once for its checksum; chain entries become objects of a few dozen bytes
        Allocation.bounded(file.length, 16, 1 << 20, "Container.read", () -> read[0] = Container.read(in));
        Container.Header h = read[0];
        long n = h.originalBytes();
        if ((h.codec() != CodecId.RANS0 && h.codec() != CodecId.RANS1) || n < 0 || n > MAX_ORIGINAL) {
            return null;
        }
        byte[] out = new byte[(int) n];
        try {
            ChunkedBytes.decompress(in, h, 1, null, (position, bytes) -> {
                if (position < 0 || position + bytes.remaining() > out.length) {
                    throw new AssertionError("the decoder wrote [" + position + ", " + (position + bytes.remaining())
                            + ") outside the " + out.length + " bytes its header declares");
                }
                bytes.get(out, (int) position, bytes.remaining());
            });
        } catch (IOException e) {
            throw new AssertionError(e); // this sink does not fail
        }
        return out;
    }

    /** Arbitrary bytes: a parsed header (whose streams then decode or fail cleanly) or the corrupt-input error. */
    @FuzzTest(maxDuration = "30s")
    void parseArbitraryBytes(byte[] bytes) {
        try {
            decode(bytes);
        } catch (CorruptInputException expected) {
            // the one error for damaged input
        }
    }

    /**
     * A valid container of fuzzer bytes in fuzzer-sized chunks, then fuzzer edits, truncation or
     * extension, and sometimes a recomputed header checksum (so damaged header fields reach the
     * checks behind it): the original bytes or the corrupt-input error.
     */
    @FuzzTest(maxDuration = "30s")
    void mutatedValidContainer(FuzzedDataProvider in) throws IOException {
        int order = in.consumeInt(0, 1);
        int chunk = in.consumeInt(64, 4096); // up to 47 chains of 3000 bytes: thousands of one-byte chains made a run cost 20 ms
        byte[] data = in.consumeBytes(in.consumeInt(0, 3000));
        byte[][] file = {new byte[0]};
        ChunkedBytes.compress(MemorySegment.ofArray(data), order, chunk, 1, null, (position, bytes) -> {
            int end = Math.toIntExact(position + bytes.remaining());
            if (end > file[0].length) {
                file[0] = Arrays.copyOf(file[0], end);
            }
            bytes.get(file[0], (int) position, bytes.remaining());
        });
        byte[] c = file[0];
        int edits = in.consumeInt(1, 3);
        for (int e = 0; e < edits; e++) {
            c[in.consumeInt(0, c.length - 1)] ^= (byte) in.consumeInt(1, 255);
        }
        if (in.consumeBoolean()) {
            c = Arrays.copyOf(c, in.consumeInt(0, c.length + 8));
        }
        if (in.consumeBoolean()) {
            Headers.reseal(c);
        }
        try {
            byte[] back = decode(c);
            if (back != null) {
                assertArrayEquals(data, back, "a damaged container decoded to other bytes");
            }
        } catch (CorruptInputException expected) {
            // caught by a check
        }
    }
}
