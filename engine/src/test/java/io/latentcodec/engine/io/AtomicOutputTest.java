package io.latentcodec.engine.io;

import io.latentcodec.engine.image.RgbImage;
import io.latentcodec.models.data.ByteChannels;
import io.latentcodec.models.data.GrayImage;
import io.latentcodec.models.data.Idx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Injected write faults for every writer ({@link Idx}, {@link GrayImage} PNG and PGM,
 * {@link RgbImage} PNG and PPM, {@link ByteChannels} positional writes) and for
 * {@link AtomicOutput}: a channel that writes a few bytes per call must still get every byte; one
 * that stops making progress (returns 0) or fails (as a full disk does) must end in an
 * {@link IOException}, and an {@link AtomicOutput} then leaves nothing. Plus names of 255 bytes and
 * directory replaces, with and without {@code renameat2}, and the repair of an interrupted one.
 */
class AtomicOutputTest {
    @TempDir
    Path dir;

    @AfterEach
    void exchangeBackOn() {
        Rename.enabled = true;
    }

    /** Accepts at most {@code perCall} bytes per write, up to {@code capacity} in all; then 0 ({@code fail}: an exception). */
    static final class FaultyChannel implements WritableByteChannel {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final int perCall;
        final long capacity;
        final boolean fail;
        int calls;

        FaultyChannel(int perCall, long capacity, boolean fail) {
            this.perCall = perCall;
            this.capacity = capacity;
            this.fail = fail;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            calls++;
            int n = (int) Math.min(Math.min(perCall, src.remaining()), capacity - got.size());
            if (n == 0 && src.hasRemaining()) {
                if (fail) {
                    throw new IOException("No space left on device");
                }
                return 0;
            }
            byte[] b = new byte[n];
            src.get(b);
            got.writeBytes(b);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    interface ChannelWriter {
        void write(WritableByteChannel ch) throws IOException;
    }

    /** Every writer with the bytes it must produce. */
    static Map<String, Object[]> writers() {
        SplittableRandom r = new SplittableRandom(5);
        byte[][] images = new byte[7][28 * 28];
        for (byte[] im : images) {
            for (int i = 0; i < im.length; i++) {
                im[i] = (byte) r.nextInt(256);
            }
        }
        Idx idx = Idx.ofImages(images, 28, 28);
        GrayImage gray = GrayImage.of(28, 28, images[0]);
        byte[] rgb = new byte[3 * 40 * 30];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) r.nextInt(256);
        }
        RgbImage color = new RgbImage(40, 30, rgb);
        Map<String, Object[]> w = new LinkedHashMap<>();
        w.put("Idx", new Object[] {(ChannelWriter) idx::write, idx.toBytes()});
        w.put("GrayImage png", new Object[] {(ChannelWriter) ch -> gray.write(ch, true), gray.toPng()});
        w.put("GrayImage pgm", new Object[] {(ChannelWriter) ch -> gray.write(ch, false), gray.toPgm()});
        w.put("RgbImage png", new Object[] {(ChannelWriter) color::writePng, color.toPng()});
        w.put("RgbImage ppm", new Object[] {(ChannelWriter) color::writePpm, color.toPpm()});
        return w;
    }

    @Test
    void everyWriterLoopsOverShortWritesAndGivesEveryByte() throws Exception {
        for (var e : writers().entrySet()) {
            byte[] expected = (byte[]) e.getValue()[1];
            FaultyChannel ch = new FaultyChannel(7, Long.MAX_VALUE, false);
            ((ChannelWriter) e.getValue()[0]).write(ch);
            assertArrayEquals(expected, ch.got.toByteArray(), e.getKey());
            assertTrue(ch.calls >= expected.length / 7, e.getKey() + ": the channel took 7 bytes per call");
        }
    }

    @Test
    void everyWriterFailsWhenTheChannelStopsOrFails() throws Exception {
        for (var e : writers().entrySet()) {
            ChannelWriter w = (ChannelWriter) e.getValue()[0];
            int len = ((byte[]) e.getValue()[1]).length;
            FaultyChannel stuck = new FaultyChannel(1000, len / 2, false); // a short write, then no progress
            IOException x = assertThrows(IOException.class, () -> w.write(stuck), e.getKey());
            assertTrue(x.getMessage().contains("short write"), e.getKey() + ": " + x.getMessage());
            FaultyChannel full = new FaultyChannel(1000, len / 2, true); // a short write, then ENOSPC
            x = assertThrows(IOException.class, () -> w.write(full), e.getKey());
            assertEquals("No space left on device", x.getMessage(), e.getKey());
        }
    }

    @Test
    void positionalWritesOutOfOrderGiveTheWholeFile() throws Exception {
        Path f = dir.resolve("p.bin");
        byte[] data = new byte[100_000];
        new SplittableRandom(1).nextBytes(data);
        try (AtomicOutput o = AtomicOutput.open(f, false)) {
            o.write(50_000, ByteBuffer.wrap(data, 50_000, 50_000));
            o.write(0, ByteBuffer.wrap(data, 0, 50_000));
            o.commit();
        }
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailingWriteNamesTheTargetAndLeavesNothing() throws Exception {
        Path f = dir.resolve("out.idx");
        IOException x;
        try (AtomicOutput o = AtomicOutput.open(f, false)) {
            x = assertThrows(IOException.class, () -> o.write(ch -> ByteChannels.writeFully(new FaultyChannel(10, 10, true), new byte[100])));
        }
        assertEquals("cannot write " + f + ": No space left on device", x.getMessage());
        assertEquals(List.of(), names(), "the temporary file must be gone");
        Path d = dir.resolve("pngs");
        try (AtomicOutput o = AtomicOutput.openDirectory(d, false)) {
            o.writeFile("0.png", ch -> ByteChannels.writeFully(ch, new byte[10]));
            x = assertThrows(IOException.class, () -> o.writeFile("1.png", ch -> {
                throw new IOException("File too large");
            }));
        }
        assertEquals("cannot write " + d + ": File too large", x.getMessage());
        assertEquals(List.of(), names(), "the temporary directory must be gone");
    }

    /** A name of {@code bytes} UTF-8 bytes made of {@code unit}, cut to whole characters. */
    static String name(int bytes, String unit) {
        StringBuilder s = new StringBuilder();
        while (s.toString().getBytes(StandardCharsets.UTF_8).length + unit.getBytes(StandardCharsets.UTF_8).length <= bytes) {
            s.append(unit);
        }
        while (s.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
            s.append('x');
        }
        return s.toString();
    }

    @Test
    void namesUpToTheFileSystemLimitWork() throws Exception {
        // 232 to 255 bytes once failed: the temporary name added about 26 bytes
        for (int len : new int[] {1, 200, 231, 232, 238, 239, 254, 255}) {
            for (String unit : new String[] {"a", "\u00e9", "\u6f22", "\ud83d\ude00"}) {
                String n = name(len, unit);
                assertEquals(len, n.getBytes(StandardCharsets.UTF_8).length);
                Path f = dir.resolve(n);
                try (AtomicOutput o = AtomicOutput.open(f, false)) {
                    assertTrue(o.temporary().getFileName().toString().getBytes(StandardCharsets.UTF_8).length <= AtomicOutput.MAX_NAME_BYTES);
                    o.write(ByteBuffer.wrap(n.getBytes(StandardCharsets.UTF_8)));
                    o.commit();
                }
                assertEquals(n, Files.readString(f));
                Files.delete(f);
                Path d = f;
                try (AtomicOutput o = AtomicOutput.openDirectory(d, true)) {
                    o.writeFile("a", ch -> ByteChannels.writeFully(ch, new byte[] {1}));
                    o.commit();
                }
                assertTrue(AtomicOutput.aside(d).getFileName().toString().getBytes(StandardCharsets.UTF_8).length <= AtomicOutput.MAX_NAME_BYTES);
                assertEquals(List.of("a"), Files.list(d).map(p -> p.getFileName().toString()).toList());
                AtomicOutput.deleteTree(d);
                assertEquals(List.of(), names(), len + " bytes of " + unit);
            }
        }
    }

    void fill(Path d, String... files) throws IOException {
        try (AtomicOutput o = AtomicOutput.openDirectory(d, true)) {
            for (String f : files) {
                o.writeFile(f, ch -> ByteChannels.writeFully(ch, f.getBytes(StandardCharsets.UTF_8)));
            }
            o.commit();
        }
    }

    List<String> tree(Path d) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.sorted().toList()) {
                out.add(p.getFileName() + "=" + Files.readString(p));
            }
        }
        return out;
    }

    @Test
    void aDirectoryIsReplacedWholeWithAndWithoutRenameat2() throws Exception {
        for (boolean exchange : new boolean[] {true, false}) {
            Rename.enabled = exchange;
            Path d = dir.resolve("digits");
            fill(d, "1", "2", "3");
            assertEquals(List.of("1=1", "2=2", "3=3"), tree(d));
            fill(d, "4");
            assertEquals(List.of("4=4"), tree(d), "exchange " + exchange);
            assertEquals(List.of("digits"), names(), "exchange " + exchange + ": the old directory must be gone");
            assertThrows(FileAlreadyExistsException.class, () -> AtomicOutput.openDirectory(d, false));
            AtomicOutput.deleteTree(d);
        }
    }

    @Test
    void aReplaceKilledBetweenItsRenamesIsRepairedByTheNextOutput() throws Exception {
        Path d = dir.resolve("digits");
        fill(d, "old");
        // killed after the old directory went aside, before the new one came in: the target is missing
        Path aside = AtomicOutput.aside(d.toAbsolutePath());
        Files.move(d, aside);
        try (AtomicOutput o = AtomicOutput.openDirectory(d, true)) {
            assertEquals(List.of("old=old"), tree(d), "the old directory is back before anything else happens");
            o.writeFile("new", ch -> ByteChannels.writeFully(ch, "new".getBytes(StandardCharsets.UTF_8)));
            // not committed: a failed run keeps the old directory
        }
        assertEquals(List.of("old=old"), tree(d));
        assertEquals(List.of("digits"), names());
        // killed after the new directory came in, before the old one was deleted
        fill(aside, "stale");
        fill(d, "newer");
        assertEquals(List.of("newer=newer"), tree(d));
        assertEquals(List.of("digits"), names(), "the stale aside directory was deleted");
    }

    @Test
    void aFileThatAppearsWhileWritingIsNotReplacedWithoutForce() throws Exception {
        Path f = dir.resolve("out.lc");
        try (AtomicOutput o = AtomicOutput.open(f, false)) {
            o.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            Files.writeString(f, "someone else's");
            assertThrows(FileAlreadyExistsException.class, o::commit);
        }
        assertEquals("someone else's", Files.readString(f));
        assertEquals(List.of("out.lc"), names());
    }
}
