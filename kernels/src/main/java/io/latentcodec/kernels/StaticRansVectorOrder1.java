package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

import static io.latentcodec.kernels.StaticRans.L;
import static io.latentcodec.kernels.StaticRans.LANES;
import static io.latentcodec.kernels.StaticRans.LE_LONG;
import static io.latentcodec.kernels.StaticRans.PRECISION;
import static io.latentcodec.kernels.StaticRans.RENORM_SHIFT;

/**
 * Vector API kernels of {@link StaticRans} order 1, same bytes as {@link StaticRansScalar}.
 *
 * <p>Lane j codes segment j ({@code [j seg, (j + 1) seg)}, {@code seg = ceil(n / 32)}), so one
 * step touches 32 bytes {@code seg} apart. The kernels move {@value #BLOCK} steps at a time
 * through a staging block laid out step-major ({@code block[row * 32 + lane]}): the encoder
 * transposes input into it and loads a step's symbols and contexts as two byte vectors; the
 * decoder stores a step's symbols into it and transposes them out. Eight bytes of a lane move
 * per long load or store.
 *
 * <p>They run the steps where all 32 lanes are active ({@code t < n - 31 seg}); the scalar
 * reference runs the few at the end where the last segment is short. Per step and vector:
 * <ul>
 * <li>Encode: gather {@code freq | start << 16} at {@code ctx << 8 | s}; renormalise and divide as
 * order 0 does (float quotient made exact by two masked corrections).
 * <li>Decode: gather the slot at {@code base[ctx] + (x mod 2^12)}, then {@code base[s]} for the
 * next step. A context without a table points at a trap table of valid slots, so the loop stays
 * in bounds; a block that touched it ends in {@link CorruptInputException}.
 * </ul>
 */
final class StaticRansVectorOrder1 {
    private static final VectorSpecies<Integer> IS = VectorWidth.INTS;
    private static final int V = IS.length();
    private static final VectorSpecies<Short> SS = VectorSpecies.of(short.class, VectorShape.forBitSize(V * 16));
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(V * 8));
    /** V 16-bit words seen as 2V bytes (see {@link StaticRansVector}). */
    private static final VectorSpecies<Byte> WS = VectorSpecies.of(byte.class, VectorShape.forBitSize(V * 16));
    private static final int NV = LANES / V;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int SLOT_MASK = (1 << PRECISION) - 1;
    /** Steps per staging block: 64 rows of 32 bytes, 2 KiB, stays in L1 beside the tables. */
    static final int BLOCK = 64;

    private StaticRansVectorOrder1() {
    }

    /** Steps at which all 32 lanes are active: {@code n - 31 seg} (at most 0 for short inputs, which go scalar). */
    static long fullSteps(long n) {
        return n - (LANES - 1) * StaticRansScalar.segment(n);
    }

    static long encode(MemorySegment in, long n, Order1Tables t, int[] heads, MemorySegment out, long wordsAt) {
        final long seg = StaticRansScalar.segment(n);
        final long full = fullSteps(n);
        final int[] enc = StaticRansScalar.encodeTable(t.freq, t.start);
        long top = StaticRansScalar.encode1Steps(in, n, enc, heads, out, wordsAt, Math.max(full, 0), seg, 0);
        if (full <= 0) {
            return top;
        }
        final byte[] block = new byte[(BLOCK + 1) * LANES]; // row 0: contexts of the block's first step
        final int[] idx = new int[V];
        for (long hi = full; hi > 0; hi -= BLOCK) {
            long lo = Math.max(0, hi - BLOCK);
            if (lo == 0) {
                Arrays.fill(block, 0, LANES, (byte) 0); // step 0 codes in context 0
                transposeIn(in, seg, 0, (int) hi, block, 1);
            } else {
                transposeIn(in, seg, lo - 1, (int) (hi - lo + 1), block, 0);
            }
            for (int r = (int) (hi - lo); r >= 1; r--) { // row r holds step lo + r - 1
                for (int v = 0; v < NV; v++) { // ascending vectors: words leave in lane order
                    int at = r * LANES + v * V;
                    IntVector sym = (IntVector) ByteVector.fromArray(BS, block, at).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
                    IntVector ctx = (IntVector) ByteVector.fromArray(BS, block, at - LANES).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
                    ctx.lanewise(VectorOperators.LSHL, 8).or(sym).intoArray(idx, 0);
                    IntVector e = IntVector.fromArray(IS, enc, 0, idx, 0);
                    IntVector f = e.and(0xFFFF);
                    IntVector x = IntVector.fromArray(IS, heads, v * V);
                    // renormalise: lanes with x >= f 2^19 emit their low 16 bits, then x >>= 16
                    VectorMask<Integer> emit = x.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, f);
                    x.compress(emit).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes()
                            .intoMemorySegment(out, wordsAt + 2 * top, LE);
                    top += emit.trueCount();
                    x = x.lanewise(VectorOperators.LSHR, 16, emit);
                    // q = floor(x / f) from a float division (x < 2^31, q < 2^19: off by at most one), made exact
                    IntVector q = (IntVector) ((FloatVector) x.convert(VectorOperators.I2F, 0))
                            .div((FloatVector) f.convert(VectorOperators.I2F, 0)).convert(VectorOperators.F2I, 0);
                    IntVector rm = x.sub(q.mul(f));
                    VectorMask<Integer> under = rm.compare(VectorOperators.LT, 0);
                    q = q.sub(1, under);
                    rm = rm.add(f, under);
                    VectorMask<Integer> over = rm.compare(VectorOperators.GE, f);
                    q = q.add(1, over);
                    rm = rm.sub(f, over);
                    // x' = C(s, x) = q 2^12 + (x mod f) + start
                    x = q.lanewise(VectorOperators.LSHL, PRECISION).add(rm).add(e.lanewise(VectorOperators.LSHR, 16));
                    x.intoArray(heads, v * V);
                }
            }
        }
        return top;
    }

    /** Decodes n bytes; returns the number of words left unread (0 for an intact stream). */
    static long decode(MemorySegment in, long wordsAt, long words, Order1Tables t, int[] heads, MemorySegment out, long n) {
        final long seg = StaticRansScalar.segment(n);
        final long full = fullSteps(n);
        final int[] slots = t.slotTables(PRECISION);
        final int[] base = t.slotBases(PRECISION);
        if (full <= 0) {
            return StaticRansScalar.decode1Steps(in, wordsAt, words, slots, base, heads, out, n, 0, seg);
        }
        // absent contexts read a trap table: in bounds, and detected per block
        final int trap = slots.length;
        final int[] trapped = Arrays.copyOf(slots, slots.length + (1 << PRECISION));
        final int[] vbase = base.clone();
        for (int c = 0; c < 256; c++) {
            vbase[c] = base[c] < 0 ? trap : base[c];
        }
        final int[] cbase = new int[LANES];
        Arrays.fill(cbase, vbase[0]); // step 0 decodes in context 0, which every non-empty stream has
        final byte[] block = new byte[BLOCK * LANES];
        final int[] idx = new int[V];
        long top = words;
        for (long lo = 0; lo < full; lo += BLOCK) {
            int rows = (int) Math.min(BLOCK, full - lo);
            IntVector reach = IntVector.zero(IS); // largest slot base used: the trap's, if any lane met it
            for (int r = 0; r < rows; r++) {
                for (int v = NV - 1; v >= 0; v--) { // descending vectors: the higher lanes own the higher words
                    IntVector x = IntVector.fromArray(IS, heads, v * V);
                    IntVector cb = IntVector.fromArray(IS, cbase, v * V);
                    reach = reach.max(cb);
                    cb.add(x.and(SLOT_MASK)).intoArray(idx, 0);
                    IntVector e = IntVector.fromArray(IS, trapped, 0, idx, 0);
                    // x = D(x) = f floor(x / 2^12) + (cf - start), f = ((e >> 8) & 0xFFF) + 1
                    x = e.lanewise(VectorOperators.LSHR, 8).and(0xFFF).add(1)
                            .mul(x.lanewise(VectorOperators.LSHR, PRECISION))
                            .add(e.lanewise(VectorOperators.LSHR, 20));
                    VectorMask<Integer> refill = x.compare(VectorOperators.LT, L);
                    int c = refill.trueCount();
                    if (c > 0) {
                        if (c > top) {
                            throw StaticRans.wordUnderflow(wordsAt);
                        }
                        long at = top - c;
                        ShortVector w = (at + V <= words
                                ? ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * at, LE)
                                : ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * at, LE, WS.indexInRange(0, 2 * (words - at))))
                                .reinterpretAsShorts();
                        IntVector wi = ((IntVector) w.convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0)).expand(refill);
                        x = x.lanewise(VectorOperators.LSHL, 16, refill).or(wi);
                        top = at;
                    }
                    x.intoArray(heads, v * V);
                    ((ByteVector) e.convertShape(VectorOperators.I2B, BS, 0)).intoArray(block, r * LANES + v * V);
                    e.and(0xFF).intoArray(idx, 0);
                    IntVector.fromArray(IS, vbase, 0, idx, 0).intoArray(cbase, v * V);
                }
            }
            if (reach.reduceLanes(VectorOperators.MAX) == trap) {
                throw new CorruptInputException(wordsAt + 2 * top,
                        "a decoded context byte has no order-1 table: the stream is damaged");
            }
            transposeOut(block, rows, out, seg, lo);
        }
        return StaticRansScalar.decode1Steps(in, wordsAt, top, slots, base, heads, out, n, full, seg);
    }

    /** {@code block[(row0 + k) * 32 + j] = in[j seg + step + k]} for k in [0, count), all 32 lanes. */
    private static void transposeIn(MemorySegment in, long seg, long step, int count, byte[] block, int row0) {
        for (int j = 0; j < LANES; j++) {
            long from = j * seg + step;
            int k = 0;
            for (; k + 8 <= count; k += 8) {
                long w = in.get(LE_LONG, from + k);
                int at = (row0 + k) * LANES + j;
                for (int b = 0; b < 8; b++) {
                    block[at + b * LANES] = (byte) (w >>> 8 * b);
                }
            }
            for (; k < count; k++) {
                block[(row0 + k) * LANES + j] = in.get(ValueLayout.JAVA_BYTE, from + k);
            }
        }
    }

    /** {@code out[j seg + step + k] = block[k * 32 + j]} for k in [0, rows), all 32 lanes. */
    private static void transposeOut(byte[] block, int rows, MemorySegment out, long seg, long step) {
        for (int j = 0; j < LANES; j++) {
            long to = j * seg + step;
            int k = 0;
            for (; k + 8 <= rows; k += 8) {
                long w = 0;
                int at = k * LANES + j;
                for (int b = 0; b < 8; b++) {
                    w |= (block[at + b * LANES] & 0xFFL) << 8 * b;
                }
                out.set(LE_LONG, to + k, w);
            }
            for (; k < rows; k++) {
                out.set(ValueLayout.JAVA_BYTE, to + k, block[k * LANES + j]);
            }
        }
    }
}
