package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.models.data.GrayImage;
import io.latentcodec.models.data.Idx;
import io.latentcodec.models.data.MalformedDataException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The data readers users feed their own files through (IDX, PGM, PNG) under Jazzer: a value or
 * {@link MalformedDataException}, within an allocation budget linear in the file, and a value
 * that reads writes back to bytes that read as the same value.
 */
class DataFuzzTest {

    /** IDX: the header is checked against the bytes present before anything is allocated; images of a rank-3 file can be taken. */
    @FuzzTest(maxDuration = "30s")
    void idx(byte[] bytes) {
        Idx[] read = new Idx[1];
        try {
            // the stream reader buffers what is present and copies it once
            Allocation.bounded(bytes.length, 4, 1 << 20, "Idx.parse", () -> read[0] = Idx.parse(bytes));
        } catch (MalformedDataException expected) {
            return;
        }
        Idx idx = read[0];
        assertEquals(idx, Idx.parse(idx.toBytes()));
        if (idx.type() == Idx.Type.UNSIGNED_BYTE && idx.rank() == 3) {
            try {
                // one array per image: its header (16 bytes) and a reference, beyond the pixels themselves
                Allocation.bounded(bytes.length, 2, 1 << 20, "Idx.images", idx::images);
            } catch (MalformedDataException expected) {
                // images that hold no pixels
            }
        }
    }

    /**
     * PGM (binary and plain) and 8-bit grayscale PNG. A PNG's pixels come out of a deflate stream,
     * which expands at most 1032:1; the decoder's raster, the sample copy and the pixels cost a
     * few bytes per pixel, so the budget per input byte is a few thousand, not the 2^28 pixels
     * a 33-byte IHDR may declare.
     */
    @FuzzTest(maxDuration = "30s")
    void grayImage(byte[] bytes) {
        GrayImage[] read = new GrayImage[1];
        try {
            Allocation.bounded(bytes.length, 8 * 1100, 8 << 20, "GrayImage.parse", () -> read[0] = GrayImage.parse(bytes));
        } catch (MalformedDataException expected) {
            return;
        }
        GrayImage g = read[0];
        assertEquals(g, GrayImage.parse(g.toPgm()));
        assertEquals(g, GrayImage.parse(g.toPng()));
    }
}
