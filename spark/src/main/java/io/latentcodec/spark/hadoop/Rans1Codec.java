package io.latentcodec.spark.hadoop;

/**
 * {@link RansCodec} writing order 1 (each byte in the context of the one before it: slower,
 * smaller on text). Same extension and format; either class reads both orders.
 */
public class Rans1Codec extends RansCodec {
    @Override
    protected int order() {
        return 1;
    }
}
