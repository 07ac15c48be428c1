package io.latentcodec.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a locally autoregressive likelihood: a small MLP, shared by all pixels, that
 * corrects the decoder's raw parameters of a pixel from already coded neighbours.
 *
 * <pre>
 *   p(x | z) = prod over pixels j in raster order of p(x_j | theta_j)
 *   r_j      = the decoder's E raw values of pixel j (its maps)           (z only)
 *   n_j      = x at (row(j) + dy, col(j) + dx) for each causal offset of {@code neighbours},
 *              0 outside the image, scaled by 1/255 (8-bit) or 1 (binary)
 *   s_j      = the decoder's E raw values at (row(j) + dy, col(j) + dx) for each offset of
 *              {@code rawOffsets} (any direction: they depend on z only), 0 outside the image
 *   f_j      = [r_j, n_j, s_j]                                              (E + K + E R features)
 *   theta_j  = bound(r_j + relu(f_j W_h + b_h) W_out + b_out)   when E = P (residual, then the
 *                                                                likelihood's bounding)
 *            = bound(relu(f_j W_h + b_h) W_out + b_out)         otherwise (the maps are features)
 * </pre>
 *
 * Causal means every neighbour points to an earlier pixel in raster order: {@code dy < 0}, or
 * {@code dy == 0} and {@code dx < 0}. Training sees the neighbours as shifted copies of x (all
 * pixels at once); coding runs {@link ContextNet} pixel by pixel on decoded values. The raw values
 * at neighbouring offsets let the net compare what z predicted there with what the pixels were.
 *
 * @param width      image width in pixels (rows = dataDim / width)
 * @param hidden     hidden units of the context MLP
 * @param neighbours the causal offsets of x, in feature order
 * @param rawOffsets the offsets (not (0, 0)) whose raw values are features too, in feature order; may be empty
 * @param maps       E, the decoder's maps per pixel; 0 means one per parameter of the likelihood (E = P, residual)
 */
public record ContextSpec(int width, int hidden, List<Offset> neighbours, List<Offset> rawOffsets, int maps) {
    /** Most hidden units and neighbours a manifest may ask for. */
    public static final int MAX_HIDDEN = 1024;
    public static final int MAX_NEIGHBOURS = 64;

    /** The pixel at {@code (row + dy, col + dx)}. */
    public record Offset(int dy, int dx) {
        public Offset {
            if (Math.abs(dy) > 64 || Math.abs(dx) > 64) {
                throw new IllegalArgumentException("offset (" + dy + ", " + dx + ") is more than 64 pixels away");
            }
        }

        /** Whether it points to an earlier pixel in raster order. */
        public boolean causal() {
            return dy < 0 || dy == 0 && dx < 0;
        }
    }

    public ContextSpec {
        if (width < 1 || width > Architecture.MAX_DIM) {
            throw new IllegalArgumentException("context width must be 1.." + Architecture.MAX_DIM + ", got " + width);
        }
        if (hidden < 1 || hidden > MAX_HIDDEN) {
            throw new IllegalArgumentException("context hidden units must be 1.." + MAX_HIDDEN + ", got " + hidden);
        }
        if (neighbours == null || neighbours.isEmpty() || neighbours.size() > MAX_NEIGHBOURS) {
            throw new IllegalArgumentException("a context needs 1.." + MAX_NEIGHBOURS + " neighbours, got "
                    + (neighbours == null ? "none" : neighbours.size()));
        }
        neighbours = List.copyOf(neighbours);
        if (neighbours.stream().distinct().count() != neighbours.size()) {
            throw new IllegalArgumentException("context neighbours repeat: " + neighbours);
        }
        for (Offset o : neighbours) {
            if (!o.causal()) {
                throw new IllegalArgumentException("neighbour (" + o.dy() + ", " + o.dx() + ") is not causal: it must lie in an earlier row, "
                        + "or earlier in the same row");
            }
        }
        if (maps < 0 || maps > MAX_NEIGHBOURS) {
            throw new IllegalArgumentException("context maps must be 0 (one per parameter) .. " + MAX_NEIGHBOURS + ", got " + maps);
        }
        rawOffsets = List.copyOf(rawOffsets == null ? List.of() : rawOffsets);
        if (rawOffsets.size() > MAX_NEIGHBOURS || rawOffsets.stream().distinct().count() != rawOffsets.size()
                || rawOffsets.contains(new Offset(0, 0))) {
            throw new IllegalArgumentException("raw offsets must be at most " + MAX_NEIGHBOURS + ", distinct, and not (0, 0): " + rawOffsets);
        }
    }

    /** A residual context (one map per parameter) without raw values at other offsets. */
    public ContextSpec(int width, int hidden, List<Offset> neighbours) {
        this(width, hidden, neighbours, List.of(), 0);
    }

    /** E for a likelihood of {@code params} parameters. */
    public int maps(int params) {
        return maps == 0 ? params : maps;
    }

    /** Whether the net's outputs are added to the decoder's maps (E = P). */
    public boolean residual(int params) {
        return maps(params) == params;
    }

    /** The 3 x 3 square around a pixel, (0, 0) left out: (-1,-1) (-1,0) (-1,1) (0,-1) (0,1) (1,-1) (1,0) (1,1). */
    public static List<Offset> square() {
        List<Offset> r = new ArrayList<>();
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (dy != 0 || dx != 0) {
                    r.add(new Offset(dy, dx));
                }
            }
        }
        return r;
    }

    /**
     * A causal window: {@code left} pixels to the left in the same row, then each of the {@code up}
     * rows above from {@code left} pixels left to {@code right} pixels right. {@code window(2, 2, 2)}
     * is 12 neighbours: (0,-1) (0,-2) (-1,-2) .. (-1,2) (-2,-2) .. (-2,2).
     */
    public static List<Offset> window(int left, int right, int up) {
        List<Offset> n = new ArrayList<>();
        for (int dx = -1; dx >= -left; dx--) {
            n.add(new Offset(0, dx));
        }
        for (int dy = -1; dy >= -up; dy--) {
            for (int dx = -left; dx <= right; dx++) {
                n.add(new Offset(dy, dx));
            }
        }
        return n;
    }

    /** The shipped models' context: {@code window(2, 2, 2)} (12 neighbours). */
    public static ContextSpec standard(int width, int hidden) {
        return new ContextSpec(width, hidden, window(2, 2, 2));
    }

    /** Number of inputs of the context MLP for a likelihood with {@code params} parameters: E + K + E R. */
    public int inputs(int params) {
        int e = maps(params);
        return e + neighbours.size() + e * rawOffsets.size();
    }

    /** Rows of the image for {@code dataDim} pixels; IllegalArgumentException if the width does not divide it. */
    public int rows(int dataDim) {
        if (dataDim % width != 0) {
            throw new IllegalArgumentException("context width " + width + " does not divide " + dataDim + " pixels");
        }
        return dataDim / width;
    }

    /**
     * A short identifier: {@code ar-w28-h32-n} then the neighbours as {@code dy:dx} joined by commas,
     * then (when there are raw offsets) {@code -r} and those; {@code ar-e4-w28...} when E is given (not 0).
     */
    public String id() {
        StringBuilder b = new StringBuilder("ar-").append(maps == 0 ? "" : "e" + maps + "-").append("w").append(width).append("-h")
                .append(hidden).append("-n");
        append(b, neighbours);
        if (!rawOffsets.isEmpty()) {
            append(b.append("-r"), rawOffsets);
        }
        return b.toString();
    }

    private static void append(StringBuilder b, List<Offset> offsets) {
        for (int i = 0; i < offsets.size(); i++) {
            Offset o = offsets.get(i);
            b.append(i == 0 ? "" : ",").append(o.dy()).append(':').append(o.dx());
        }
    }
}
