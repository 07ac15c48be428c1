package io.latentcodec.engine.vbq;

import io.latentcodec.kernels.dist.CategoricalTable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What VBQ needs besides the network, shipped in the model directory as {@code vbq-tables.bin}:
 * the quantization grid in latent space, and the entropy models of the chosen points.
 *
 * <h2>The grid</h2>
 * Depth r = 0..R has the points {@code xi = (2k + 1) / 2^(r+1)} of the prior's CDF space; with
 * {@code G = 2^(R+1)} every point is {@code j / G} for an integer {@code 0 < j < G}, and j's depth is
 * {@code R - trailingZeros(j)}. Channel c's prior CDF F_c is the aggregate posterior of that channel
 * on the training photos (see {@link VbqFit}); {@link #value(int, int)} is {@code F_c^-1(j / G)} as a
 * float32, stored, so encoder and decoder map a point to the same latent value by a table lookup
 * (no float arithmetic at decode time). Values increase strictly with j.
 *
 * <h2>Entropy models</h2>
 * A point is coded as its depth (a categorical per channel, one table per lambda bucket: the depth
 * distribution is what lambda moves) and then its index k at that depth in r raw bits (uniform: under
 * F_c the posterior means are spread evenly in CDF space). Lambda buckets are the stored lambdas
 * {@code l_0 < l_1 < ...}; a lambda picks the bucket whose value is nearest on a log scale (switching
 * at the geometric means {@code sqrt(l_i l_(i+1))}). The uniform-quantization ablation has its own
 * per-channel symbol tables per step size.
 *
 * <h2>File layout (big-endian, java.io.DataOutput)</h2>
 * <pre>
 *  "LVBQ" u32 | version u8 = 1 | R u8 | channels u16
 *  lambda buckets u16 = nl | nl x f64 lambda
 *  channels x (G - 1) x f32: F_c^-1(j / G) for j = 1..G-1
 *  nl x channels x (R + 1) x u32: depth counts on the training photos (the tables add 1 to each)
 *  uniform steps u16 = nu | per step: f64 step, u16 half-range Q, channels x (2Q + 1) x u32 counts of q = -Q..Q
 * </pre>
 */
public final class VbqTables {
    public static final String FILE = "vbq-tables.bin";
    static final int MAGIC = 0x4C564251; // "LVBQ"
    static final int VERSION = 2;
    /** Precision of the categorical tables: the depth and uniform-symbol models. */
    public static final int PRECISION = 16;
    public static final int MAX_DEPTH = 16;

    private final int depth;
    private final int channels;
    private final double[] lambdas;
    private final double[] lambdaSwitch;
    /** Per channel G + 1 entries: [0] = -inf, [1..G-1] the grid, [G] = +inf. */
    private final float[][] values;
    private final float[] flat;
    private final long[][][] depthCounts;
    private final CategoricalTable[][] depthTables;
    /** -log2 p(depth r) per bucket, [c * (R+1) + r]: the encoder's cost model. */
    private final double[][] depthBits;
    private final double[] steps;
    private final int[] halfRange;
    private final long[][][] uniformCounts;
    private final CategoricalTable[][] uniformTables;
    private final long[][][] indexCounts;
    /** [channel][r], r >= 1; null: raw index bits. */
    private final CategoricalTable[][] indexTables;
    /** Code length in bits of each point's index, [c * (G+1) + j] (0 at the sentinels j = 0 and G). */
    private final float[] indexBits;
    private final byte[] sha256;

    /**
     * @param values        per channel, the G - 1 grid values F_c^-1(j / G), j = 1..G-1, strictly increasing and finite
     * @param depthCounts   [bucket][channel][r]
     * @param uniformCounts [step][channel][q + Q]
     */
    public VbqTables(int depth, double[] lambdas, float[][] values, long[][][] depthCounts, double[] steps, int[] halfRange,
                     long[][][] uniformCounts) {
        this(depth, lambdas, values, depthCounts, steps, halfRange, uniformCounts, null, true);
    }

    /**
     * With an index model: {@code indexCounts[c][r]} holds the counts of the 2^r indices at depth r
     * (r = 1..R; entry 0 unused, may be null), or {@code indexCounts} is null for raw index bits.
     */
    public VbqTables(int depth, double[] lambdas, float[][] values, long[][][] depthCounts, double[] steps, int[] halfRange,
                     long[][][] uniformCounts, long[][][] indexCounts) {
        this(depth, lambdas, values, depthCounts, steps, halfRange, uniformCounts, indexCounts, true);
    }

    /**
     * As above; {@code smoothing} false builds the tables from the counts as they are (symbols never
     * counted cannot be coded): for models counted from the very symbols they will code, carried in a stream.
     */
    public VbqTables(int depth, double[] lambdas, float[][] values, long[][][] depthCounts, double[] steps, int[] halfRange,
                     long[][][] uniformCounts, boolean smoothing) {
        this(depth, lambdas, values, depthCounts, steps, halfRange, uniformCounts, null, smoothing);
    }

    private VbqTables(int depth, double[] lambdas, float[][] values, long[][][] depthCounts, double[] steps, int[] halfRange,
                      long[][][] uniformCounts, long[][][] indexCounts, boolean smoothing) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("depth R must be 1.." + MAX_DEPTH + ", got " + depth);
        }
        this.depth = depth;
        this.channels = values.length;
        int g = 1 << (depth + 1);
        if (channels < 1 || lambdas.length < 1 || depthCounts.length != lambdas.length || steps.length != halfRange.length
                || uniformCounts.length != steps.length) {
            throw new IllegalArgumentException("inconsistent table sizes");
        }
        for (int i = 0; i < lambdas.length; i++) {
            if (!(lambdas[i] > 0) || Double.isInfinite(lambdas[i]) || i > 0 && !(lambdas[i] > lambdas[i - 1])) {
                throw new IllegalArgumentException("lambdas must be positive, finite and increasing");
            }
        }
        this.lambdas = lambdas.clone();
        this.lambdaSwitch = new double[lambdas.length - 1];
        for (int i = 0; i + 1 < lambdas.length; i++) {
            lambdaSwitch[i] = Math.sqrt(lambdas[i] * lambdas[i + 1]);
        }
        this.values = new float[channels][];
        for (int c = 0; c < channels; c++) {
            if (values[c].length != g - 1) {
                throw new IllegalArgumentException("channel " + c + " has " + values[c].length + " grid values, expected " + (g - 1));
            }
            float[] v = new float[g + 1];
            v[0] = Float.NEGATIVE_INFINITY;
            v[g] = Float.POSITIVE_INFINITY;
            for (int j = 1; j < g; j++) {
                v[j] = values[c][j - 1];
                if (!Float.isFinite(v[j]) || j > 1 && !(v[j] > v[j - 1])) {
                    throw new IllegalArgumentException("grid of channel " + c + " is not finite and strictly increasing at j = " + j);
                }
            }
            this.values[c] = v;
        }
        this.flat = new float[channels * (g + 1)];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(this.values[c], 0, flat, c * (g + 1), g + 1);
        }
        this.depthCounts = depthCounts;
        this.depthTables = new CategoricalTable[lambdas.length][channels];
        this.depthBits = new double[lambdas.length][channels * (depth + 1)];
        for (int b = 0; b < lambdas.length; b++) {
            if (depthCounts[b].length != channels) {
                throw new IllegalArgumentException("depth counts of bucket " + b + " have " + depthCounts[b].length + " channels");
            }
            for (int c = 0; c < channels; c++) {
                long[] counts = smoothed(depthCounts[b][c], depth + 1, smoothing);
                CategoricalTable t = CategoricalTable.fromCounts(PRECISION, counts);
                depthTables[b][c] = t;
                // StrictMath: the costs steer the encoder's choices, so its files are the same on every JVM
                for (int r = 0; r <= depth; r++) {
                    depthBits[b][c * (depth + 1) + r] = t.frequency(r) == 0 ? 64 : PRECISION - StrictMath.log(t.frequency(r)) / StrictMath.log(2);
                }
            }
        }
        this.steps = steps.clone();
        this.halfRange = halfRange.clone();
        this.uniformCounts = uniformCounts;
        this.uniformTables = new CategoricalTable[steps.length][channels];
        for (int s = 0; s < steps.length; s++) {
            if (!(steps[s] > 0) || halfRange[s] < 1 || 2 * halfRange[s] + 1 > 1 << 14 || uniformCounts[s].length != channels) {
                throw new IllegalArgumentException("bad uniform step " + steps[s] + " / half-range " + halfRange[s]);
            }
            for (int c = 0; c < channels; c++) {
                uniformTables[s][c] = CategoricalTable.fromCounts(PRECISION, smoothed(uniformCounts[s][c], 2 * halfRange[s] + 1, smoothing));
            }
        }
        this.indexCounts = indexCounts;
        this.indexTables = indexCounts == null ? null : new CategoricalTable[channels][depth + 1];
        this.indexBits = new float[channels * (g + 1)];
        for (int c = 0; c < channels; c++) {
            if (indexCounts != null && indexCounts[c].length != depth + 1) {
                throw new IllegalArgumentException("index counts of channel " + c + " cover " + (indexCounts[c].length - 1) + " depths");
            }
            for (int r = 1; r <= depth; r++) {
                if (indexCounts != null) {
                    indexTables[c][r] = CategoricalTable.fromCounts(PRECISION, smoothed(indexCounts[c][r], 1 << r, true));
                }
            }
            for (int j = 1; j < g; j++) {
                int r = depth - Integer.numberOfTrailingZeros(j);
                int k = j >>> (Integer.numberOfTrailingZeros(j) + 1);
                indexBits[c * (g + 1) + j] = r == 0 || indexTables == null ? r
                        : (float) (PRECISION - StrictMath.log(indexTables[c][r].frequency(k)) / StrictMath.log(2));
            }
        }
        this.sha256 = sha(toBytes());
    }

    /** Counts plus one for every symbol (every point stays codable) unless told otherwise, checked for length and sign. */
    private static long[] smoothed(long[] counts, int n, boolean smoothing) {
        if (counts.length != n) {
            throw new IllegalArgumentException("expected " + n + " counts, got " + counts.length);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("negative count");
            }
            out[i] = counts[i] + (smoothing ? 1 : 0);
        }
        if (!smoothing && java.util.Arrays.stream(out).allMatch(x -> x == 0)) {
            out[0] = 1; // an empty column: any table will do
        }
        return out;
    }

    /** R: the deepest grid. */
    public int depth() {
        return depth;
    }

    /** G = 2^(R+1): points are j / G, 0 < j < G. */
    public int gridSize() {
        return 1 << (depth + 1);
    }

    public int channels() {
        return channels;
    }

    /** F_c^-1(j / G); j = 0 gives -inf and j = G +inf (search sentinels). */
    public float value(int c, int j) {
        return values[c][j];
    }

    /** Every channel's grid with sentinels, channel after channel (G + 1 each), for the vector kernel (read only). */
    float[] flatGrid() {
        return flat;
    }

    /** Channel c's grid with its sentinels, G + 1 entries (read only). */
    float[] grid(int c) {
        return values[c];
    }

    public double[] lambdas() {
        return lambdas.clone();
    }

    public double lambda(int bucket) {
        return lambdas[bucket];
    }

    public int lambdaBuckets() {
        return lambdas.length;
    }

    /** The bucket of a lambda: the stored lambda nearest on a log scale. */
    public int lambdaBucket(double lambda) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        int b = 0;
        while (b < lambdaSwitch.length && lambda >= lambdaSwitch[b]) {
            b++;
        }
        return b;
    }

    public CategoricalTable depthTable(int bucket, int c) {
        return depthTables[bucket][c];
    }

    /** The encoder's depth costs in bits, [c * (R+1) + r] (read only). */
    double[] depthBits(int bucket) {
        return depthBits[bucket];
    }

    long[][] depthCounts(int bucket) {
        return depthCounts[bucket];
    }

    public double[] steps() {
        return steps.clone();
    }

    public int uniformSteps() {
        return steps.length;
    }

    public double step(int s) {
        return steps[s];
    }

    public int halfRange(int s) {
        return halfRange[s];
    }

    public CategoricalTable uniformTable(int s, int c) {
        return uniformTables[s][c];
    }

    /** Whether indices are coded with learned tables (else r raw bits at depth r). */
    public boolean hasIndexModel() {
        return indexTables != null;
    }

    /** The index table of channel c at depth r >= 1 (only with an index model). */
    public CategoricalTable indexTable(int c, int r) {
        return indexTables[c][r];
    }

    /** Index code lengths per point, [c * (G+1) + j] (read only). */
    float[] indexBits() {
        return indexBits;
    }

    /** SHA-256 of the file bytes (part of the VBQ model fingerprint). */
    public byte[] sha256() {
        return sha256.clone();
    }

    private static byte[] sha(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(depth);
            out.writeShort(channels);
            out.writeShort(lambdas.length);
            for (double l : lambdas) {
                out.writeDouble(l);
            }
            int g = gridSize();
            for (int c = 0; c < channels; c++) {
                for (int j = 1; j < g; j++) {
                    out.writeFloat(values[c][j]);
                }
            }
            for (long[][] bucket : depthCounts) {
                for (long[] ch : bucket) {
                    for (long n : ch) {
                        out.writeInt((int) Math.min(n, 0xFFFF_FFFFL));
                    }
                }
            }
            out.writeShort(steps.length);
            // (uniform steps follow; the index model comes last)
            for (int s = 0; s < steps.length; s++) {
                out.writeDouble(steps[s]);
                out.writeShort(halfRange[s]);
                for (long[] ch : uniformCounts[s]) {
                    for (long n : ch) {
                        out.writeInt((int) Math.min(n, 0xFFFF_FFFFL));
                    }
                }
            }
            out.writeByte(indexCounts == null ? 0 : 1);
            if (indexCounts != null) {
                for (long[][] ch : indexCounts) {
                    for (int r = 1; r <= depth; r++) {
                        for (long n : ch[r]) {
                            out.writeInt((int) Math.min(n, 0xFFFF_FFFFL));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, toBytes());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a table file; IllegalArgumentException naming what is wrong. */
    public static VbqTables read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    public static VbqTables parse(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a VBQ table file (bad magic)");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("VBQ table version " + version + ", this build reads " + VERSION);
            }
            int depth = in.readUnsignedByte();
            int channels = in.readUnsignedShort();
            if (depth < 1 || depth > MAX_DEPTH || channels < 1) {
                throw new IllegalArgumentException("bad depth " + depth + " or channels " + channels);
            }
            int nl = in.readUnsignedShort();
            double[] lambdas = new double[nl];
            for (int i = 0; i < nl; i++) {
                lambdas[i] = in.readDouble();
            }
            int g = 1 << (depth + 1);
            if ((long) channels * (g - 1) * 4 > b.length) {
                throw new IllegalArgumentException("file too short for " + channels + " grids of " + (g - 1));
            }
            float[][] values = new float[channels][g - 1];
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < g - 1; j++) {
                    values[c][j] = in.readFloat();
                }
            }
            long[][][] depthCounts = new long[nl][channels][depth + 1];
            for (long[][] bucket : depthCounts) {
                for (long[] ch : bucket) {
                    for (int r = 0; r <= depth; r++) {
                        ch[r] = in.readInt() & 0xFFFF_FFFFL;
                    }
                }
            }
            int nu = in.readUnsignedShort();
            double[] steps = new double[nu];
            int[] half = new int[nu];
            long[][][] uniform = new long[nu][][];
            for (int s = 0; s < nu; s++) {
                steps[s] = in.readDouble();
                half[s] = in.readUnsignedShort();
                if (2 * half[s] + 1 > 1 << 14) {
                    throw new IllegalArgumentException("uniform half-range " + half[s] + " too large");
                }
                uniform[s] = new long[channels][2 * half[s] + 1];
                for (long[] ch : uniform[s]) {
                    for (int q = 0; q < ch.length; q++) {
                        ch[q] = in.readInt() & 0xFFFF_FFFFL;
                    }
                }
            }
            int hasIndex = in.readUnsignedByte();
            long[][][] index = null;
            if (hasIndex > 1) {
                throw new IllegalArgumentException("bad index-model flag " + hasIndex);
            }
            if (hasIndex == 1) {
                index = new long[channels][depth + 1][];
                for (long[][] ch : index) {
                    for (int r = 1; r <= depth; r++) {
                        ch[r] = new long[1 << r];
                        for (int k = 0; k < ch[r].length; k++) {
                            ch[r][k] = in.readInt() & 0xFFFF_FFFFL;
                        }
                    }
                }
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after the VBQ tables");
            }
            return new VbqTables(depth, lambdas, values, depthCounts, steps, half, uniform, index);
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException("VBQ table file truncated", e);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
