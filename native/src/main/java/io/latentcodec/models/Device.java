package io.latentcodec.models;

import java.util.Locale;

/**
 * Where TensorFlow runs a model: the choice a user makes ({@code --device cpu|gpu|auto}) and, as
 * {@link VaeModel#device()}, what a loaded model actually uses (CPU or GPU, never AUTO).
 *
 * <ul>
 *   <li>{@code CPU}: TensorFlow is told to create no GPU device.</li>
 *   <li>{@code GPU}: TensorFlow must place the model on a GPU, else loading fails with a message
 *       (a GPU needs the CUDA build of TensorFlow: {@code mvn -Pgpu}, Linux x86-64, NVIDIA driver).</li>
 *   <li>{@code AUTO}: TensorFlow's own placement: the GPU when its CUDA build finds one, else the CPU.</li>
 * </ul>
 * Floats from a CPU and a GPU differ, so data coded on one must be decoded on the same kind.
 */
public enum Device {
    CPU, GPU, AUTO;

    /** Parses {@code cpu}, {@code gpu} or {@code auto} (any case). */
    public static Device parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "gpu" -> GPU;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("unknown device '" + s + "'; use cpu, gpu or auto");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
