package io.latentcodec.kernels;

/**
 * Picks, once, whether the vector kernels run and at which width. System property
 * {@code latentcodec.simd}: {@code auto} (default: the preferred species, if the Vector API module
 * is present and the preferred width is at least 256 bits), {@code scalar}, {@code 256} or
 * {@code 512}. On these AVX-512 machines {@code auto} means 512 bits; {@code -XX:UseAVX=2}
 * makes the preferred species 256 bits, which is how the tests run the other width.
 *
 * <p>This class never touches {@code jdk.incubator.vector} itself, so the scalar path works on a
 * JVM started without {@code --add-modules jdk.incubator.vector}.
 */
public final class Simd {
    private static final String MODE = System.getProperty("latentcodec.simd", "auto").trim().toLowerCase(java.util.Locale.ROOT);
    private static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean VECTOR = decide();

    private Simd() {
    }

    private static boolean decide() {
        switch (MODE) {
            case "scalar":
                return false;
            case "auto":
            case "256":
            case "512":
                break;
            default:
                throw new IllegalArgumentException("latentcodec.simd must be auto, scalar, 256 or 512, got '" + MODE + "'");
        }
        if (!MODULE_PRESENT) {
            if (!MODE.equals("auto")) {
                throw new IllegalStateException("latentcodec.simd=" + MODE + " needs --add-modules jdk.incubator.vector");
            }
            return false;
        }
        return !MODE.equals("auto") || VectorWidth.preferredBits() >= 256;
    }

    /** Whether {@link Message#create} and the static codec use the vector kernels. */
    public static boolean vectorEnabled() {
        return VECTOR;
    }

    /** Whether the Vector API module is present, so vector kernels can run even when {@code auto} chose scalar. */
    public static boolean vectorAvailable() {
        return MODULE_PRESENT;
    }

    /** Requested width: 0 for the preferred species, else 256 or 512. */
    static int requestedBits() {
        return switch (MODE) {
            case "256" -> 256;
            case "512" -> 512;
            default -> 0;
        };
    }

    /**
     * Width in bits of the vector species the kernels use (256 or 512): the forced width, else
     * the preferred one. Needs the Vector API module (see {@link #vectorAvailable()}).
     */
    public static int vectorBits() {
        if (!MODULE_PRESENT) {
            throw new IllegalStateException("vector kernels need --add-modules jdk.incubator.vector");
        }
        return VectorWidth.bits();
    }

    /** A one-line description, e.g. {@code vector-512} or {@code scalar}, for logs and benchmarks. */
    public static String describe() {
        return VECTOR ? "vector-" + VectorWidth.bits() : "scalar";
    }
}
