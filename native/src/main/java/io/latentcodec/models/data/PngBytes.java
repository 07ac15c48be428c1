package io.latentcodec.models.data;

import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * An image's PNG bytes, made in memory only. {@code ImageIO.write(img, "png", stream)} caches
 * through a temporary file in {@code java.io.tmpdir} by default, so a full disk or {@code ulimit -f}
 * there broke a write that never touches the disk ("I/O error writing PNG file!"); here the cache
 * is memory, and the one failure left is that the JDK has no PNG writer.
 */
public final class PngBytes {
    private PngBytes() {
    }

    public static byte[] of(RenderedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream s = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(img, "png", s)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("PNG in memory", e); // a memory stream does not fail
        }
        return out.toByteArray();
    }
}
