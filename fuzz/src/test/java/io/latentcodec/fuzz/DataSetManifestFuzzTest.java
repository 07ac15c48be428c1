package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.spark.DataSetManifest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark data set's parsers under Jazzer: {@code manifest.json} (what the decompress and verify
 * jobs trust before they decode a part) and the names file. Anything else than a valid file is a
 * {@link CorruptInputException}; what parses writes back to what it read.
 */
class DataSetManifestFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\"format\"", "\"latentcodec-spark/1\"", "\"codec\"", "\"bitsback\"", "\"vbq\"", "\"model\"", "\"fingerprint\"",
            "\"rows\"", "\"cols\"", "\"images\"", "\"source\"", "\"names\"", "\"names.txt\"", "\"parts\"", "\"file\"",
            "\"part-00000.lc\"", "\"part-00001.lc\"", "\"first\"", "\"bytes\"", "\"crc32c\"", "\"pixelsCrc32c\"", "4294967295",
            "9223372036854775807", "1e999", "-0", "null"})
    void parse(byte[] bytes) {
        DataSetManifest m;
        try {
            m = DataSetManifest.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (CorruptInputException expected) {
            return; // not a manifest: the message names the field or the JSON offset
        }
        // the record holds a byte[], so compare what it writes
        assertEquals(m.toJson(), DataSetManifest.parse(m.toJson()).toJson(), "a manifest that parses must write back to itself");
    }

    /** A names file for a manifest of 0 to 50 images: the right count of plain names, or an error; what parses writes back byte for byte. */
    @FuzzTest(maxDuration = "30s")
    void names(FuzzedDataProvider in) {
        int images = in.consumeInt(0, 50);
        byte[] file = in.consumeRemainingAsBytes();
        DataSetManifest.Part names = new DataSetManifest.Part(DataSetManifest.NAMES_FILE, 0, images, file.length, 0, 0);
        DataSetManifest m = new DataSetManifest("bitsback", "m", new byte[32], 28, 28, images, "fuzz", names,
                List.of(new DataSetManifest.Part(DataSetManifest.partFile(0), 0, images, 0, 0, 0)));
        List<String> list;
        try {
            list = m.parseNames(file);
        } catch (CorruptInputException expected) {
            return;
        }
        assertEquals(images, list.size());
        for (String n : list) {
            assertTrue(!n.isEmpty() && !n.contains("/") && !n.contains("\n") && !n.equals(".") && !n.equals(".."), n);
        }
        // a file that is not valid UTF-8 parses to names with U+FFFD, which write back to other bytes: compare as text
        assertArrayEquals(new String(file, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), DataSetManifest.namesFile(list));
    }
}
