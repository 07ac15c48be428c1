package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bytes.ChunkedBytes;
import io.latentcodec.engine.container.CodecId;
import io.latentcodec.engine.container.Container;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The container header parser and the chunked static codec under Jazzer. */
class ContainerFuzzTest {

    /** Arbitrary bytes: a parsed header (whose streams then decode or fail cleanly) or the corrupt-input error. */
    @FuzzTest(maxDuration = "30s")
    void parseArbitraryBytes(byte[] bytes) {
        try {
            Container.Header h = Container.read(MemorySegment.ofArray(bytes));
            if ((h.codec() == CodecId.RANS0 || h.codec() == CodecId.RANS1) && h.originalBytes() <= 1 << 20) {
                ChunkedBytes.decompress(bytes);
            }
        } catch (CorruptInputException expected) {
            // the one error for damaged input
        }
    }

    /** A valid container, then fuzzer edits: the original bytes or the corrupt-input error. */
    @FuzzTest(maxDuration = "30s")
    void mutatedValidContainer(FuzzedDataProvider in) {
        byte[] data = in.consumeBytes(in.consumeInt(0, 3000));
        byte[] c = ChunkedBytes.compress(data, in.consumeInt(0, 1));
        int edits = in.consumeInt(1, 3);
        for (int e = 0; e < edits; e++) {
            c[in.consumeInt(0, c.length - 1)] ^= (byte) in.consumeInt(1, 255);
        }
        try {
            assertArrayEquals(data, ChunkedBytes.decompress(c));
        } catch (CorruptInputException expected) {
            // caught by a check
        }
    }
}
