package io.latentcodec.spark.hadoop;

import io.latentcodec.engine.bytes.ChunkedBytes;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.SplitCompressionInputStream;
import org.apache.hadoop.io.compress.SplittableCompressionCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The static rANS codec as a Hadoop {@link CompressionCodec}, extension {@code .rans}: Spark
 * ({@code saveAsTextFile(path, RansCodec.class)}, {@code textFile}), MapReduce and the Hadoop tools
 * read and write these files directly, and {@code ./latentcodec decompress} reads them too.
 *
 * <p>A stream is a sequence of ordinary {@code rans0}/{@code rans1} containers, one per chunk
 * ({@code latentcodec.rans.chunk} bytes, default 4 MiB), each flagged when another follows (see
 * docs/format.md): a writer holds one chunk, a reader one chunk and its stream. Configuration:
 * {@code latentcodec.rans.order} (0 or 1; this class defaults to 0, {@link Rans1Codec} to 1).
 * Reading needs no configuration: each container names its order. Compressor and decompressor
 * objects are not used (the codec works on whole chunks): their types are null, as for codecs
 * that are streams only.
 *
 * <p>Splittable by container: a split reads the containers whose first byte it holds (see
 * {@link RansInputStream}), so {@code textFile} over one large {@code .rans} file runs one task
 * per split. A file {@code ./latentcodec compress} wrote is one container, so one split reads it all.
 */
public class RansCodec implements SplittableCompressionCodec, Configurable {
    public static final String ORDER = "latentcodec.rans.order";
    public static final String CHUNK = "latentcodec.rans.chunk";
    public static final int DEFAULT_CHUNK = 4 << 20;
    private Configuration conf = new Configuration(false);

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    /** The order this codec writes. */
    protected int order() {
        int order = conf.getInt(ORDER, 0);
        if (order != 0 && order != 1) {
            throw new IllegalArgumentException(ORDER + " must be 0 or 1, got " + order);
        }
        return order;
    }

    int chunk() {
        int chunk = conf.getInt(CHUNK, DEFAULT_CHUNK);
        if (chunk < 1 || chunk > ChunkedBytes.MAX_CHUNK) {
            throw new IllegalArgumentException(CHUNK + " must be in [1, " + ChunkedBytes.MAX_CHUNK + "], got " + chunk);
        }
        return chunk;
    }

    @Override
    public CompressionOutputStream createOutputStream(OutputStream out) {
        return new RansOutputStream(out, order(), chunk());
    }

    @Override
    public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor) {
        return createOutputStream(out);
    }

    @Override
    public Class<? extends Compressor> getCompressorType() {
        return null;
    }

    @Override
    public Compressor createCompressor() {
        return null;
    }

    @Override
    public CompressionInputStream createInputStream(InputStream in) throws IOException {
        return new RansInputStream(in);
    }

    @Override
    public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor) throws IOException {
        return createInputStream(in);
    }

    /** {@inheritDoc} Both read modes read whole containers: a container is the unit of a split. */
    @Override
    public SplitCompressionInputStream createInputStream(InputStream seekableIn, Decompressor decompressor, long start, long end,
            READ_MODE readMode) throws IOException {
        return new RansInputStream(seekableIn, start, end);
    }

    @Override
    public Class<? extends Decompressor> getDecompressorType() {
        return null;
    }

    @Override
    public Decompressor createDecompressor() {
        return null;
    }

    @Override
    public String getDefaultExtension() {
        return ".rans";
    }
}
