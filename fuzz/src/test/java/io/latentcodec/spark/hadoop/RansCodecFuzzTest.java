package io.latentcodec.spark.hadoop;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.bytes.ChunkedBytes;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.LineRecordReader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Hadoop codec's readers under Jazzer (in the codec's package: the split reader is package
 * private): the stream reader on arbitrary bytes, agreeing with the CLI's file reader; valid
 * streams with edits; the split reader on arbitrary bytes and splits; and Hadoop's own line
 * reader over splits of a valid (or damaged) file, whose records must be the file's lines once
 * each. Damage is a {@link CorruptInputException}, never another exception or other data.
 */
public class RansCodecFuzzTest {
    /** Largest original size decoded: a valid 100-byte member may stand for 64 MiB of one byte. */
    static final int MAX_ORIGINAL = 1 << 20;
    private static Path file;

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void streamOfArbitraryBytes(byte[] bytes) throws IOException {
        byte[] expected;
        try {
            List<ChunkedBytes.Member> members = ChunkedBytes.members(MemorySegment.ofArray(bytes));
            if (ChunkedBytes.originalBytes(members) > MAX_ORIGINAL) {
                return;
            }
            byte[][] out = {new byte[(int) ChunkedBytes.originalBytes(members)]};
            ChunkedBytes.decompress(MemorySegment.ofArray(bytes), members, 1, null, (position, b) -> b.get(out[0], (int) position, b.remaining()));
            expected = out[0];
        } catch (CorruptInputException e) {
            expected = null;
        }
        byte[] got;
        try {
            got = readAll(new RansCodec().createInputStream(new ByteArrayInputStream(bytes)));
        } catch (CorruptInputException e) {
            got = null;
        }
        if (expected == null || got == null) {
            assertEquals(expected == null, got == null, "the file reader " + (expected == null ? "refused" : "read")
                    + " what the stream reader " + (got == null ? "refused" : "read"));
        } else {
            assertArrayEquals(expected, got, "the stream reader and the file reader disagree");
        }
    }

    public static byte[] write(byte[] data, int order, int chunk) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RansCodec codec = order == 1 ? new Rans1Codec() : new RansCodec();
        Configuration conf = new Configuration(false);
        conf.setInt(RansCodec.CHUNK, chunk);
        codec.setConf(conf);
        try (CompressionOutputStream out = codec.createOutputStream(sink)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    /** Up to three byte edits, then maybe a cut or an extension. */
    static byte[] damage(byte[] c, FuzzedDataProvider in) {
        int edits = in.consumeInt(0, 3);
        for (int e = 0; e < edits && c.length > 0; e++) {
            c[in.consumeInt(0, c.length - 1)] ^= (byte) in.consumeInt(1, 255);
        }
        return in.consumeBoolean() ? Arrays.copyOf(c, in.consumeInt(0, c.length + 8)) : c;
    }

    @FuzzTest(maxDuration = "30s")
    void mutatedValidStream(FuzzedDataProvider in) throws IOException {
        int order = in.consumeInt(0, 1);
        int chunk = in.consumeInt(1, 4096);
        byte[] data = in.consumeBytes(in.consumeInt(0, 3000));
        byte[] c = damage(write(data, order, chunk), in);
        try {
            assertArrayEquals(data, readAll(new RansCodec().createInputStream(new ByteArrayInputStream(c))), "a damaged stream decoded to other bytes");
        } catch (CorruptInputException expected) {
            // caught by a check
        }
    }

    /** The split reader over any bytes and any split: data or the one error, and getPos never moves back. */
    @FuzzTest(maxDuration = "30s")
    void splitOfArbitraryBytes(FuzzedDataProvider in) throws IOException {
        byte[] bytes = in.consumeBytes(in.consumeInt(0, 1 << 16));
        long start = in.consumeLong(0, bytes.length + 2);
        long end = in.consumeLong(start, bytes.length + 4);
        byte[] tail = in.consumeRemainingAsBytes(); // a valid stream appended, so that the scan finds members to start at
        if (tail.length > 0 && tail[0] % 2 == 0) {
            byte[] v = write(Arrays.copyOfRange(tail, 1, tail.length), 0, 1 + tail.length / 3);
            bytes = Arrays.copyOf(bytes, bytes.length + v.length);
            System.arraycopy(v, 0, bytes, bytes.length - v.length, v.length);
        }
        try (RansInputStream split = new RansInputStream(new SeekableBytes(bytes), start, end)) {
            long pos = split.getPos();
            assertTrue(split.getAdjustedStart() >= start && split.getAdjustedStart() <= end, "adjusted start " + split.getAdjustedStart());
            byte[] buf = new byte[1000];
            long total = 0;
            for (int n; (n = split.read(buf, 0, buf.length)) > 0; ) {
                total += n;
                assertTrue(split.getPos() >= pos, "getPos moved back");
                pos = split.getPos();
                if (total > MAX_ORIGINAL) {
                    return;
                }
            }
        } catch (CorruptInputException expected) {
            // the one error for damaged input
        }
    }

    /** Hadoop's line reader over splits of a valid file (or one damaged): the file's lines, in order, once each, or the one error. */
    @FuzzTest(maxDuration = "30s")
    void lineReaderOverSplits(FuzzedDataProvider in) throws IOException {
        int chunk = in.consumeInt(1, 600);
        String text = new String(in.consumeBytes(in.consumeInt(0, 6000)), StandardCharsets.ISO_8859_1);
        byte[] c = write(text.getBytes(StandardCharsets.ISO_8859_1), in.consumeInt(0, 1), chunk);
        boolean damaged = in.consumeBoolean();
        if (damaged) {
            c = damage(c, in);
        }
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, (long) c.length));
        int n = in.consumeInt(0, 20);
        for (int i = 0; i < n; i++) {
            cuts.add(in.consumeLong(0, c.length));
        }
        if (file == null) {
            file = Files.createTempFile("latentcodec-fuzz", ".rans");
            file.toFile().deleteOnExit();
        }
        Files.write(file, c);
        Configuration conf = new Configuration(false);
        conf.set("io.compression.codecs", RansCodec.class.getName());
        conf.set("fs.file.impl", org.apache.hadoop.fs.LocalFileSystem.class.getName());
        List<String> got = new ArrayList<>();
        Long[] at = c.length == 0 ? new Long[] {0L, 0L} : cuts.toArray(new Long[0]); // an empty file is one empty split, as Hadoop makes it
        try {
            for (int i = 0; i + 1 < at.length; i++) {
                LineRecordReader reader = new LineRecordReader(conf, new FileSplit(new org.apache.hadoop.fs.Path(file.toUri()), at[i],
                        at[i + 1] - at[i], new String[0]));
                try {
                    LongWritable key = reader.createKey();
                    Text value = reader.createValue();
                    while (reader.next(key, value)) {
                        got.add(new String(value.getBytes(), 0, value.getLength(), StandardCharsets.ISO_8859_1));
                    }
                } finally {
                    reader.close();
                }
            }
        } catch (CorruptInputException e) {
            if (!damaged) {
                throw new AssertionError("an undamaged file failed to read in splits at " + cuts, e);
            }
            return; // the one error for damaged input
        }
        assertEquals(RansSplitTest.lines(text), got, "splits at " + cuts);
    }
}
