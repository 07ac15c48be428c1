package io.latentcodec.models;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test access to the fetched data sets. When a data set is missing, the test is skipped with a
 * message, except under CI ({@code CI} set in the environment), where missing data fails: there
 * {@code scripts/fetch-data} must have run.
 */
public final class TestData {
    private TestData() {
    }

    /** The data folder, after checking that {@code set} (mnist, fashion-mnist) is present. */
    public static Path require(String set) {
        Path dir = Home.dataDir();
        Path probe = set.equals("mnist") ? dir.resolve("mnist/digits/9.json") : dir.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(probe)) {
            String msg = "data set " + set + " not found under " + dir + ": run scripts/fetch-data";
            if (System.getenv("CI") != null) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return dir;
    }
}
