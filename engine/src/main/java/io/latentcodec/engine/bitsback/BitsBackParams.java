package io.latentcodec.engine.bitsback;

import io.latentcodec.CorruptInputException;
import io.latentcodec.engine.container.Container;
import io.latentcodec.kernels.Message;
import io.latentcodec.kernels.dist.GaussianBuckets;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The settings of a bits-back file, stored as the container's codec parameters so the decoder
 * reproduces the encoder exactly.
 *
 * <pre>
 *  u8  version (1 or 2)   [version 2 only: u8 flags]
 *  u16 lanes              u8 prior bits        u8 posterior precision
 *  u8  likelihood prec.   u8  likelihood id    u64 seed           u32 model batch size
 *  u32 data dim           u32 latent dim       u32 ramp start     u8 name length, then the model's name (UTF-8)
 * </pre>
 *
 * Version 1 (every model without context net; such files are byte for byte what earlier
 * releases wrote) codes the pixels of a batch image by image. Version 2 carries flags; bit 0,
 * {@link #FLAG_AUTOREGRESSIVE}: the model's likelihood is locally autoregressive and a batch's
 * pixels are coded pixel-major (all images' pixel 0, then all images' pixel 1, ...), each with
 * parameters from the model's context net; no other bit is defined. A version-1 reader refuses
 * version 2 by its version byte.
 *
 * @param lanes                rANS lanes per chain (8 fills one 512-bit vector of 63-bit states)
 * @param priorBits            the latent grid has 2^priorBits equal-mass buckets under N(0, 1)
 * @param posteriorPrecision   precision of q(z|x) over those buckets
 * @param likelihoodPrecision  precision of p(x|z) for each pixel
 * @param likelihoodId         the model's likelihood ({@code io.latentcodec.models.Likelihood} ordinal)
 * @param seed                 seed of the clean bits each chain starts from (chain c uses seed + c)
 * @param modelBatch           rows of every model call (the model's fixed batch shape)
 * @param rampStart            images in a chain's first batch; batches double up to modelBatch, so
 *                             the bits borrowed before anything is pushed stay small
 * @param modelName            the model's name, for messages and to find a shipped model when decoding
 * @param autoregressive       pixels coded pixel-major with the model's context net (version 2, flag bit 0)
 */
public record BitsBackParams(int lanes, int priorBits, int posteriorPrecision, int likelihoodPrecision, int likelihoodId,
                             long seed, int modelBatch, int dataDim, int latentDim, int rampStart, String modelName,
                             boolean autoregressive) {
    static final int VERSION = 1;
    static final int VERSION_FLAGS = 2;
    /** Flag bit 0 of version 2: locally autoregressive likelihood, pixel-major symbols. */
    public static final int FLAG_AUTOREGRESSIVE = 1;
    public static final int MAX_DIM = 1 << 20;

    public BitsBackParams {
        if (lanes < 1 || lanes > Message.MAX_LANES) {
            throw new IllegalArgumentException("lanes must be in [1, " + Message.MAX_LANES + "], got " + lanes);
        }
        if (priorBits < 1 || priorBits > GaussianBuckets.MAX_BITS) {
            throw new IllegalArgumentException("prior bits must be in [1, " + GaussianBuckets.MAX_BITS + "], got " + priorBits);
        }
        if (posteriorPrecision < priorBits || posteriorPrecision > Message.PRECISION_MAX) {
            throw new IllegalArgumentException("posterior precision must be in [prior bits, 24], got " + posteriorPrecision);
        }
        if (likelihoodPrecision < 9 || likelihoodPrecision > Message.PRECISION_MAX) {
            throw new IllegalArgumentException("likelihood precision must be in [9, 24], got " + likelihoodPrecision);
        }
        if (modelBatch < 1 || dataDim < 1 || latentDim < 1 || dataDim > MAX_DIM || latentDim > MAX_DIM
                || (long) modelBatch * Math.max(dataDim, latentDim) > 1 << 26) {
            throw new IllegalArgumentException("model shapes out of range: batch " + modelBatch + ", data " + dataDim + ", latent " + latentDim);
        }
        if (rampStart < 1 || rampStart > modelBatch) {
            throw new IllegalArgumentException("ramp start must be in [1, batch], got " + rampStart);
        }
        if (modelName.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("model name too long");
        }
    }

    /** Parameters of a model without context net (version 1). */
    public BitsBackParams(int lanes, int priorBits, int posteriorPrecision, int likelihoodPrecision, int likelihoodId,
                          long seed, int modelBatch, int dataDim, int latentDim, int rampStart, String modelName) {
        this(lanes, priorBits, posteriorPrecision, likelihoodPrecision, likelihoodId, seed, modelBatch, dataDim, latentDim, rampStart,
                modelName, false);
    }

    public byte[] toBytes() {
        byte[] name = modelName.getBytes(StandardCharsets.UTF_8);
        int head = autoregressive ? 2 : 1;
        ByteBuffer b = ByteBuffer.allocate(head + 2 + 4 * 1 + 8 + 4 * 4 + 1 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        if (autoregressive) {
            b.put((byte) VERSION_FLAGS).put((byte) FLAG_AUTOREGRESSIVE);
        } else {
            b.put((byte) VERSION);
        }
        b.putShort((short) lanes).put((byte) priorBits).put((byte) posteriorPrecision);
        b.put((byte) likelihoodPrecision).put((byte) likelihoodId).putLong(seed).putInt(modelBatch);
        b.putInt(dataDim).putInt(latentDim).putInt(rampStart).put((byte) name.length).put(name);
        return b.array();
    }

    /** Reads the parameters of a container; anything out of range is corrupt input. */
    public static BitsBackParams fromBytes(byte[] params) {
        long at = Container.PREFIX_BYTES + Container.FINGERPRINT_BYTES;
        try {
            ByteBuffer b = ByteBuffer.wrap(params).order(ByteOrder.LITTLE_ENDIAN);
            int version = b.get() & 0xFF;
            if (version != VERSION && version != VERSION_FLAGS) {
                throw new CorruptInputException(at, "bits-back parameters version " + version + " is not supported");
            }
            boolean ar = false;
            if (version == VERSION_FLAGS) {
                int flags = b.get() & 0xFF;
                if (flags != FLAG_AUTOREGRESSIVE) {
                    throw new CorruptInputException(at, "bits-back parameters flags 0x" + Integer.toHexString(flags) + " are not supported");
                }
                ar = true;
            }
            int lanes = b.getShort() & 0xFFFF;
            int priorBits = b.get() & 0xFF;
            int postPrec = b.get() & 0xFF;
            int likPrec = b.get() & 0xFF;
            int likId = b.get() & 0xFF;
            long seed = b.getLong();
            int batch = b.getInt();
            int dataDim = b.getInt();
            int latentDim = b.getInt();
            int ramp = b.getInt();
            byte[] name = new byte[b.get() & 0xFF];
            b.get(name);
            if (b.hasRemaining()) {
                throw new CorruptInputException(at, "bits-back parameters have " + b.remaining() + " trailing bytes");
            }
            return new BitsBackParams(lanes, priorBits, postPrec, likPrec, likId, seed, batch, dataDim, latentDim, ramp,
                    new String(name, StandardCharsets.UTF_8), ar);
        } catch (BufferUnderflowException e) {
            throw new CorruptInputException(at, "bits-back parameters truncated");
        } catch (IllegalArgumentException e) { // a value the constructor refuses
            throw new CorruptInputException(at, "bad bits-back parameters: " + e.getMessage());
        }
    }
}
