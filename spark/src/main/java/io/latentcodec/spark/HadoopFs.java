package io.latentcodec.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/** The file system of a path, as the jobs use it. */
final class HadoopFs {
    private HadoopFs() {
    }

    /**
     * {@code p}'s file system; for local paths the raw one, without Hadoop's {@code .NAME.crc}
     * sidecar files: every file the jobs write carries its own CRC32C in the manifest or inside it,
     * and a directory of restored images should hold the images alone.
     */
    static FileSystem of(Path p, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }
}
