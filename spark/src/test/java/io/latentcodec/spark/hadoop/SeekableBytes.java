package io.latentcodec.spark.hadoop;

import org.apache.hadoop.fs.Seekable;

import java.io.ByteArrayInputStream;

/** A byte array as a seekable stream, as Hadoop's file systems give one (the split reader's tests and fuzz targets). */
public final class SeekableBytes extends ByteArrayInputStream implements Seekable {
    public SeekableBytes(byte[] b) {
        super(b);
    }

    @Override
    public void seek(long p) {
        pos = (int) Math.min(p, count);
    }

    @Override
    public long getPos() {
        return pos;
    }

    @Override
    public boolean seekToNewSource(long targetPos) {
        return false;
    }
}
