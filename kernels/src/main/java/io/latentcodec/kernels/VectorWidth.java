package io.latentcodec.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species of the kernels, fixed once per JVM so C2 sees them as constants (a species
 * read from an instance field would leave every vector boxed). Loaded only when the vector path
 * is enabled.
 */
final class VectorWidth {
    /** Lane states: 64-bit lanes at the chosen width (8 at 512 bits). */
    static final VectorSpecies<Long> LONGS;
    /** Doubles with as many lanes as {@link #LONGS}, for the encoder's division. */
    static final VectorSpecies<Double> DOUBLES;
    /** 32-bit values with as many lanes as {@link #LONGS} (half the width): starts, frequencies, words. */
    static final VectorSpecies<Integer> INTS_HALF;
    /** 32-bit lanes at the full width (16 at 512 bits), for the static byte codec's 32-bit states. */
    static final VectorSpecies<Integer> INTS;

    static {
        int bits = Simd.requestedBits();
        if (bits == 0) {
            bits = preferredBits();
        }
        VectorShape full = VectorShape.forBitSize(bits);
        VectorShape half = VectorShape.forBitSize(bits / 2);
        LONGS = LongVector.SPECIES_PREFERRED.withShape(full);
        DOUBLES = DoubleVector.SPECIES_PREFERRED.withShape(full);
        INTS_HALF = IntVector.SPECIES_PREFERRED.withShape(half);
        INTS = IntVector.SPECIES_PREFERRED.withShape(full);
    }

    private VectorWidth() {
    }

    static int preferredBits() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize();
    }

    static int bits() {
        return LONGS.vectorBitSize();
    }
}
