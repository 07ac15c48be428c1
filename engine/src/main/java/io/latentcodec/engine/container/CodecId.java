package io.latentcodec.engine.container;

import java.util.Locale;

/** The codecs a container can hold; the id is the byte at offset 5 of the file. */
public enum CodecId {
    /** Static order-0 rANS of bytes. */
    RANS0(1),
    /** Static order-1 rANS of bytes. */
    RANS1(2),
    /** Bits-back ANS of images with a VAE (lossless). */
    BITSBACK(3),
    /** Variable-bitrate lossy coding with a VAE (Bayesian arithmetic coding / VBQ). */
    VBQ(4);

    private final int id;

    CodecId(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The name used on the command line: {@code rans0}, {@code bitsback}, ... */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CodecId byId(int id) {
        for (CodecId c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    public static CodecId byName(String name) {
        for (CodecId c : values()) {
            if (c.cliName().equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown codec '" + name + "' (known: rans0, rans1, bitsback, vbq)");
    }
}
