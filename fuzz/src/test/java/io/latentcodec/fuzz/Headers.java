package io.latentcodec.fuzz;

import io.latentcodec.engine.container.Container;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** Forging container headers: what a malicious writer (not a random bit flip) can do, so the checks behind the checksum get tested. */
final class Headers {
    private Headers() {
    }

    /**
     * Recomputes the header checksum of a container whose header bytes were edited, in place, as
     * {@code Container} defines it (CRC32C of bytes 0..11 and of the header after the prefix). A
     * no-op on files too short to hold the header their length field declares.
     */
    static void reseal(byte[] file) {
        if (file.length < Container.PREFIX_BYTES) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long h = b.getInt(8) & 0xFFFF_FFFFL;
        if (h > file.length - Container.PREFIX_BYTES) {
            return;
        }
        CRC32C c = new CRC32C();
        c.update(file, 0, 12);
        c.update(file, Container.PREFIX_BYTES, (int) h);
        b.putInt(12, (int) c.getValue());
    }
}
