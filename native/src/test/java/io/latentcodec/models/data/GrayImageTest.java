package io.latentcodec.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrayImageTest {
    @TempDir
    Path tmp;

    private static GrayImage random(int w, int h, long seed) {
        byte[] px = new byte[w * h];
        new Random(seed).nextBytes(px);
        return GrayImage.of(w, h, px);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static MalformedDataException bad(byte[] b) {
        return assertThrows(MalformedDataException.class, () -> GrayImage.parse(b));
    }

    @Test
    void pgmAndPngRoundTripExactly() throws IOException {
        GrayImage img = random(28, 28, 1);
        assertEquals(img, GrayImage.parse(img.toPgm()));
        assertEquals(img, GrayImage.parse(img.toPng()));
        GrayImage odd = random(5, 3, 2);
        assertEquals(odd, GrayImage.parse(odd.toPng()));
        for (String name : new String[] {"a.pgm", "a.PNG"}) {
            Path f = tmp.resolve(name);
            img.write(f);
            assertEquals(img, GrayImage.read(f));
        }
        assertArrayEquals(img.pixels(), img.requireSize(28, 28));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> odd.requireSize(28, 28));
        assertTrue(e.getMessage().contains("5x3"));
    }

    @Test
    void plainPgmWithCommentsIsRead() {
        GrayImage g = GrayImage.parse(ascii("P2\n# a comment\n3 2 # width height\n255\n0 1 2\n3 4\t255\n"));
        assertEquals(3, g.width());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, (byte) 255}, g.pixels());
        GrayImage b = GrayImage.parse(ascii("P5 #c\n2 1\n255\nAB"));
        assertArrayEquals(ascii("AB"), b.pixels());
    }

    @Test
    void malformedPgmIsRefusedWithTheReason() {
        assertTrue(bad(ascii("P5\n2 2\n65535\n")).getMessage().contains("only 8-bit PGM (maxval 255)"));
        MalformedDataException e = bad(ascii("P5\n2 2\n255\nabc"));
        assertTrue(e.getMessage().contains("truncated PGM raster") && e.getMessage().contains("3 present"), e.getMessage());
        e = bad(ascii("P5\n2 2\n255\nabcde"));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
        e = bad(ascii("P5\n100000 100000\n255\n"));
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        e = bad(ascii("P5\n2 \n"));
        assertTrue(e.getMessage().contains("ends before its height"), e.getMessage());
        assertTrue(bad(ascii("P2\n2 1\n255\n7 300\n")).getMessage().contains("over maxval"));
        assertTrue(bad(ascii("P2\n2 1\n255\n7")).getMessage().contains("truncated plain PGM"));
        assertTrue(bad(ascii("P6\n1 1\n255\nabc")).getMessage().contains("not a grayscale map"));
        assertEquals(0, bad(ascii("GIF89a")).offset());
        assertEquals(0, bad(new byte[0]).offset());
        assertTrue(bad(ascii("P5\n0 1\n255\n")).getMessage().contains("0x1"));
    }

    @Test
    void otherPngKindsAndDamagedPngsAreRefused() throws IOException {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "png", out);
        MalformedDataException e = bad(out.toByteArray());
        assertTrue(e.getMessage().contains("8-bit RGB") && e.getMessage().contains("only 8-bit grayscale"), e.getMessage());

        byte[] png = random(28, 28, 3).toPng();
        byte[] huge = png.clone();
        huge[16] = 0x7f; // width 2^31-ish: refused from the IHDR, before the decoder allocates
        e = bad(huge);
        assertEquals(16, e.offset());
        assertTrue(bad(Arrays.copyOf(png, 20)).getMessage().contains("truncated PNG"));
        byte[] cut = Arrays.copyOf(png, png.length / 2);
        e = bad(cut);
        assertTrue(e.getMessage().contains("PNG"), e.getMessage());
        byte[] noIhdr = png.clone();
        noIhdr[12] = 'X';
        assertEquals(8, bad(noIhdr).offset());
    }

    /**
     * Fuzz finding: a 52-byte PNG whose IHDR declares 8195x16386 pixels (under the 2^28 cap) made
     * ImageIO allocate a 134 MB raster before it found the data missing. The scanlines come out of
     * a deflate stream inside the file, which expands at most 1032:1, so the header is checked
     * against the file's length first.
     */
    @Test
    void aTinyPngCannotDeclareAHugeRaster() throws IOException {
        byte[] png = random(28, 28, 3).toPng();
        byte[] huge = png.clone();
        java.nio.ByteBuffer.wrap(huge).putInt(16, 8195).putInt(20, 16386);
        MalformedDataException e = bad(huge);
        assertEquals(16, e.offset());
        assertTrue(e.getMessage().contains("more than its " + png.length + " bytes can hold"), e.getMessage());
        // the largest picture a file of this length may hold still goes to the decoder (and fails there, as damaged)
        java.nio.ByteBuffer.wrap(huge).putInt(16, 28).putInt(20, 29);
        assertTrue(bad(huge).getMessage().contains("PNG"));
    }
}
