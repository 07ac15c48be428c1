package io.latentcodec.engine.peers;

import com.github.luben.zstd.Zstd;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * General-purpose compressors measured beside ours, each at its strongest common setting:
 * gzip -9 (java.util.zip), bzip2 -9 (commons-compress), xz -9 (org.tukaani:xz), zstd -19 (zstd-jni).
 */
public enum GeneralPeer {
    GZIP("gzip -9"),
    BZIP2("bzip2 -9"),
    XZ("xz -9"),
    ZSTD("zstd -19");

    private final String label;

    GeneralPeer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public byte[] compress(byte[] data) {
        try {
            return switch (this) {
                case GZIP -> stream(data, out -> new GZIPOutputStream(out, 1 << 16) {
                    {
                        def.setLevel(9);
                    }
                });
                case BZIP2 -> stream(data, out -> new BZip2CompressorOutputStream(out, 9));
                case XZ -> stream(data, out -> new XZOutputStream(out, new LZMA2Options(9)));
                case ZSTD -> Zstd.compress(data, 19);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] decompress(byte[] packed, int originalLength) {
        try {
            return switch (this) {
                case GZIP -> unstream(new GZIPInputStream(new ByteArrayInputStream(packed)));
                case BZIP2 -> unstream(new BZip2CompressorInputStream(new ByteArrayInputStream(packed)));
                case XZ -> unstream(new XZInputStream(new ByteArrayInputStream(packed)));
                case ZSTD -> Zstd.decompress(packed, originalLength);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Wrapper {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] stream(byte[] data, Wrapper w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
        try (OutputStream out = w.wrap(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] unstream(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
