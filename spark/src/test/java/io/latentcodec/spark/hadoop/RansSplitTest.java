package io.latentcodec.spark.hadoop;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bytes.ChunkedBytes;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.LineRecordReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Splits of a {@code .rans} file read by Hadoop's own line reader (the old API's, which Spark's
 * {@code textFile} uses): over seeded texts, chunk sizes and split layouts (cuts at, beside and
 * between container starts, one-byte splits, splits with no container), the records of all splits
 * in split order are the file's lines, each once; a damaged container fails the split that reads it.
 */
class RansSplitTest {
    @TempDir
    java.nio.file.Path dir;

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    static Configuration conf() {
        Configuration conf = new Configuration(false);
        conf.set("io.compression.codecs", RansCodec.class.getName());
        conf.set("fs.file.impl", org.apache.hadoop.fs.LocalFileSystem.class.getName());
        return conf;
    }

    /** Lines with every terminator Hadoop's default reader knows (LF, CR, CRLF), empty ones among them. */
    static String text(SplittableRandom rnd) {
        StringBuilder s = new StringBuilder();
        int lines = rnd.nextInt(6) == 0 ? rnd.nextInt(3) : rnd.nextInt(800);
        String[] ends = {"\n", "\n", "\n", "\r\n", "\r"};
        for (int i = 0; i < lines; i++) {
            int len = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(rnd.nextInt(10) == 0 ? 3000 : 120);
            for (int j = 0; j < len; j++) {
                s.append((char) ('a' + rnd.nextInt(26)));
            }
            s.append(ends[rnd.nextInt(ends.length)]);
        }
        if (rnd.nextBoolean()) {
            s.append("no terminator");
        }
        return s.toString();
    }

    /** The records Hadoop's default reader makes of {@code text} (also the fuzz target's oracle): split at CRLF, CR or LF; no empty record after a final terminator. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>(Arrays.asList(text.split("\r\n|\r|\n", -1)));
        if (out.getLast().isEmpty()) {
            out.removeLast();
        }
        return out;
    }

    static byte[] compress(byte[] data, int order, int chunk) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (var out = RansCodecTest.codec(order, chunk).createOutputStream(sink)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    /** The records of each split [cuts[i], cuts[i+1]) in order, read as a Hadoop job reads them. */
    static List<String> readSplits(java.nio.file.Path file, long[] cuts) throws IOException {
        List<String> out = new ArrayList<>();
        Path path = new Path(file.toUri());
        for (int i = 0; i + 1 < cuts.length; i++) {
            LineRecordReader reader = new LineRecordReader(conf(), new FileSplit(path, cuts[i], cuts[i + 1] - cuts[i], new String[0]));
            try {
                LongWritable key = reader.createKey();
                Text value = reader.createValue();
                while (reader.next(key, value)) {
                    out.add(value.toString());
                }
            } finally {
                reader.close();
            }
        }
        return out;
    }

    /** Cuts for a file of {@code size} bytes: 0, size and a seeded mix of container starts, their neighbours and other offsets. */
    static long[] cuts(SplittableRandom rnd, long size, List<Long> starts) {
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, size));
        int n = rnd.nextInt(1 + Math.min(40, (int) size));
        for (int i = 0; i < n; i++) {
            long at = switch (rnd.nextInt(4)) {
                case 0 -> starts.get(rnd.nextInt(starts.size()));
                case 1 -> starts.get(rnd.nextInt(starts.size())) + 1;
                case 2 -> starts.get(rnd.nextInt(starts.size())) - 1;
                default -> rnd.nextLong(size + 1);
            };
            if (at > 0 && at < size) {
                cuts.add(at);
                if (rnd.nextInt(8) == 0 && at + 1 < size) {
                    cuts.add(at + 1); // a one-byte split
                }
            }
        }
        return cuts.stream().mapToLong(Long::longValue).toArray();
    }

    static List<Long> starts(byte[] file) {
        return ChunkedBytes.members(MemorySegment.ofArray(file)).stream().map(ChunkedBytes.Member::offset).toList();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyLineIsReadOnceAcrossSplits(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        String text = text(rnd);
        int chunk = Math.max(1 + rnd.nextInt(rnd.nextBoolean() ? 100 : 2000), text.length() / 300); // at most ~300 containers
        byte[] file = compress(text.getBytes(StandardCharsets.US_ASCII), rnd.nextInt(2), chunk);
        java.nio.file.Path f = dir.resolve("part-" + seed + ".rans");
        Files.write(f, file);
        List<Long> starts = starts(file);
        List<String> expected = lines(text);
        assertEquals(expected, readSplits(f, new long[] {0, file.length}), "seed " + seed + ": one split");
        for (int layout = 0; layout < 5; layout++) {
            long[] cuts = cuts(rnd, file.length, starts);
            assertEquals(expected, readSplits(f, cuts), "seed " + seed + ", chunk " + chunk + ", " + starts.size()
                    + " containers at " + starts + ", cuts " + Arrays.toString(cuts));
        }
    }

    @Test
    void aSplitOwnsTheContainersThatStartInIt() throws IOException {
        byte[] file = compress("0123456789".repeat(50).getBytes(StandardCharsets.US_ASCII), 0, 100);
        List<Long> starts = starts(file);
        assertEquals(5, starts.size());
        long a = starts.get(2);
        try (RansInputStream in = new RansInputStream(new SeekableBytes(file), a, a + 1)) {
            assertEquals(a, in.getAdjustedStart());
            assertEquals(a + 1, in.getPos());
            byte[] buf = new byte[4096];
            assertEquals(100, in.read(buf, 0, buf.length), "one read returns one container's bytes at most");
            assertEquals(a + 1, in.getPos());
            assertEquals(100, in.read(buf, 0, buf.length), "and reads on past the split's end");
            assertEquals(starts.get(3) + 1, in.getPos());
        }
        try (RansInputStream in = new RansInputStream(new SeekableBytes(file), a + 1, starts.get(3))) {
            assertEquals(-1, in.read(), "no container starts in the split");
            assertTrue(in.getPos() > starts.get(3));
        }
        assertThrows(IOException.class, () -> new RansInputStream(new ByteArrayInputStream(file), 1, 2), "a split of a stream that cannot seek");
        assertThrows(CorruptInputException.class, () -> new RansInputStream(new SeekableBytes(new byte[0]), 0, 0), "an empty file's one split");
    }

    @Test
    void aDamagedContainerFailsTheJobWhereverTheSplitsFall() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        String text = "a line of text, then another\n".repeat(400) + "end\n";
        byte[] file = compress(text.getBytes(StandardCharsets.US_ASCII), 1, 700);
        List<Long> starts = starts(file);
        assertTrue(starts.size() > 10, starts.size() + " containers");
        java.nio.file.Path f = dir.resolve("bad.rans");
        int caught = 0;
        for (int trial = 0; trial < 40; trial++) {
            int k = rnd.nextInt(starts.size());
            long from = starts.get(k);
            long to = k + 1 < starts.size() ? starts.get(k + 1) : file.length;
            // the header's first 16 bytes (magic, version, codec, flags, length, CRC), or any byte of the container
            int at = (int) (from + (rnd.nextBoolean() ? rnd.nextLong(16) : rnd.nextLong(to - from)));
            byte[] bad = file.clone();
            bad[at] ^= (byte) (1 << rnd.nextInt(8));
            Files.write(f, bad);
            long[] cuts = cuts(rnd, bad.length, starts);
            try {
                List<String> got = readSplits(f, cuts);
                // a flip the codec cannot see would have to leave the text as it was
                assertEquals(lines(text), got, "byte " + at + " (container " + k + ") flipped, cuts " + Arrays.toString(cuts));
            } catch (CorruptInputException expected) {
                caught++; // the one error for damaged input
            }
        }
        assertTrue(caught >= 35, caught + " of 40 flips caught");
    }
}
