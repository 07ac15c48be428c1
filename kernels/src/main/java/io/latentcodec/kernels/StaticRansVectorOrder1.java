package io.latentcodec.kernels;

import io.latentcodec.CorruptInputException;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
 * <li>Decode: gather the slot at {@code id(ctx) << 12 | (x mod 2^12)}, contexts numbered densely
 * ({@link Order1Tables#denseSlots}); a slot holds the id of its symbol, which is the next step's
 * context, so one gather per step; ids become bytes as the block is transposed out. A damaged
 * stream that reaches an absent context decodes garbage in bounds and fails the final checks.
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

    /*
     * The drivers below move blocks; the row kernels code one block. Keeping the kernels small and
     * called once per block lets C2 compile them as whole methods after a few hundred blocks,
     * instead of on-stack replacement of one long loop (whose vectors the OSR entry boxes).
     */

    static long encode(MemorySegment in, long n, Order1Tables t, int[] heads, MemorySegment out, long wordsAt) {
        final long seg = StaticRansScalar.segment(n);
        final long full = fullSteps(n);
        final int[] enc = StaticRansScalar.encodeTable(t.freq, t.start);
        long top = StaticRansScalar.encode1Steps(in, n, enc, heads, out, wordsAt, Math.max(full, 0), seg, 0);
        if (full <= 0) {
            return top;
        }
        final byte[] block = new byte[(BLOCK + 1) * LANES]; // row 0: contexts of the block's first step
        for (long hi = full; hi > 0; hi -= BLOCK) {
            long lo = Math.max(0, hi - BLOCK);
            if (lo == 0) {
                Arrays.fill(block, 0, LANES, (byte) 0); // step 0 codes in context 0
                transposeIn(in, seg, 0, (int) hi, block, 1);
            } else {
                transposeIn(in, seg, lo - 1, (int) (hi - lo + 1), block, 0);
            }
            int rows = (int) (hi - lo);
            top = NV == 2 ? encodeRowsWide(block, rows, enc, heads, out, wordsAt, top)
                    : encodeRows(block, rows, enc, heads, out, wordsAt, top);
        }
        return top;
    }

    /** Codes rows {@code rows .. 1} of a block (row r: step {@code lo + r - 1}, row r - 1 its contexts), states in {@code heads}. */
    private static long encodeRows(byte[] block, int rows, int[] enc, int[] heads, MemorySegment out, long wordsAt, long top) {
        final int[] idx = new int[V];
        for (int r = rows; r >= 1; r--) {
            for (int v = 0; v < NV; v++) { // ascending vectors: words leave in lane order
                IntVector e = gatherEncode(block, r * LANES + v * V, enc, idx);
                IntVector x = IntVector.fromArray(IS, heads, v * V);
                VectorMask<Integer> emit = emitMask(x, e);
                top = emit(x, emit, out, wordsAt, top);
                x = encodeStep(x.lanewise(VectorOperators.LSHR, 16, emit), e);
                x.intoArray(heads, v * V);
            }
        }
        return top;
    }

    /** {@link #encodeRows} at 512 bits: both state vectors in registers for the whole block. */
    private static long encodeRowsWide(byte[] block, int rows, int[] enc, int[] heads, MemorySegment out, long wordsAt, long top) {
        final int[] idx = new int[V];
        IntVector xa = IntVector.fromArray(IS, heads, 0);
        IntVector xb = IntVector.fromArray(IS, heads, V);
        for (int r = rows; r >= 1; r--) {
            IntVector ea = gatherEncode(block, r * LANES, enc, idx);
            IntVector eb = gatherEncode(block, r * LANES + V, enc, idx);
            VectorMask<Integer> emitA = emitMask(xa, ea);
            VectorMask<Integer> emitB = emitMask(xb, eb);
            top = emit(xa, emitA, out, wordsAt, top);
            top = emit(xb, emitB, out, wordsAt, top);
            xa = encodeStep(xa.lanewise(VectorOperators.LSHR, 16, emitA), ea);
            xb = encodeStep(xb.lanewise(VectorOperators.LSHR, 16, emitB), eb);
        }
        xa.intoArray(heads, 0);
        xb.intoArray(heads, V);
        return top;
    }

    /** {@code enc[ctx << 8 | s]} for the V lanes at {@code block[at]} (symbols) and {@code block[at - 32]} (contexts). */
    private static IntVector gatherEncode(byte[] block, int at, int[] enc, int[] idx) {
        IntVector sym = (IntVector) ByteVector.fromArray(BS, block, at).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
        IntVector ctx = (IntVector) ByteVector.fromArray(BS, block, at - LANES).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
        ctx.lanewise(VectorOperators.LSHL, 8).or(sym).intoArray(idx, 0);
        return IntVector.fromArray(IS, enc, 0, idx, 0);
    }

    /** Lanes that must emit a word before coding: {@code x >= f 2^19}. */
    private static VectorMask<Integer> emitMask(IntVector x, IntVector e) {
        return x.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, e.and(0xFFFF));
    }

    /** Appends the low 16 bits of the emitting lanes, in lane order; returns the new word count. */
    private static long emit(IntVector x, VectorMask<Integer> emit, MemorySegment out, long wordsAt, long top) {
        x.compress(emit).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes().intoMemorySegment(out, wordsAt + 2 * top, LE);
        return top + emit.trueCount();
    }

    /** {@code x' = C(s, x) = floor(x/f) 2^12 + (x mod f) + start} for renormalised x, with {@code e = f | start << 16}. */
    private static IntVector encodeStep(IntVector x, IntVector e) {
        IntVector f = e.and(0xFFFF);
        // q from a float division (x < 2^31, q < 2^19: off by at most one), made exact by two masked steps
        IntVector q = (IntVector) ((FloatVector) x.convert(VectorOperators.I2F, 0))
                .div((FloatVector) f.convert(VectorOperators.I2F, 0)).convert(VectorOperators.F2I, 0);
        IntVector rm = x.sub(q.mul(f));
        VectorMask<Integer> under = rm.compare(VectorOperators.LT, 0);
        q = q.sub(1, under);
        rm = rm.add(f, under);
        VectorMask<Integer> over = rm.compare(VectorOperators.GE, f);
        q = q.add(1, over);
        rm = rm.sub(f, over);
        return q.lanewise(VectorOperators.LSHL, PRECISION).add(rm).add(e.lanewise(VectorOperators.LSHR, 16));
    }

    /** Decodes n bytes; returns the number of words left unread (0 for an intact stream). */
    static long decode(MemorySegment in, long wordsAt, long words, Order1Tables t, int[] heads, MemorySegment out, long n) {
        final long seg = StaticRansScalar.segment(n);
        final long full = fullSteps(n);
        if (full <= 0) {
            return StaticRansScalar.decode1(in, wordsAt, words, t, heads, out, n);
        }
        final int[] id = t.denseIds();
        final int[] slots = t.denseSlots(PRECISION, id);
        final byte[] symbol = new byte[256]; // id -> byte
        for (int c = 0; c < 256; c++) {
            symbol[id[c]] = (byte) c;
        }
        final int trap = t.count();
        final int[] ctx = new int[LANES];
        Arrays.fill(ctx, id[0]); // step 0 decodes in context 0, which every non-empty stream has
        final byte[] block = new byte[BLOCK * LANES];
        long top = words;
        for (long lo = 0; lo < full; lo += BLOCK) {
            int rows = (int) Math.min(BLOCK, full - lo);
            top = NV == 2 ? decodeRowsWide(in, wordsAt, words, top, slots, trap, heads, ctx, block, rows)
                    : decodeRows(in, wordsAt, words, top, slots, trap, heads, ctx, block, rows);
            transposeOut(block, rows, symbol, out, seg, lo);
        }
        return decodeLastSteps(in, wordsAt, top, t, heads, out, n, full);
    }

    /**
     * The steps from {@code full} on, where the last segment has ended (at most 30 of them, on
     * fewer than 32 lanes): the scalar order, each symbol found by binary search in its context's
     * cumulative frequencies, so no second slot table is built for a few hundred bytes.
     */
    private static long decodeLastSteps(MemorySegment in, long wordsAt, long top, Order1Tables t, int[] heads,
                                        MemorySegment out, long n, long full) {
        long seg = StaticRansScalar.segment(n);
        for (long step = full; step < seg; step++) {
            int active = StaticRansScalar.activeLanes(n, seg, step);
            for (int j = active - 1; j >= 0; j--) {
                long i = j * seg + step;
                int c = out.get(ValueLayout.JAVA_BYTE, i - 1) & 0xFF; // step >= full >= 1
                if (!t.present[c]) {
                    throw new CorruptInputException(wordsAt + 2 * top,
                            "decoded context byte " + c + " has no order-1 table: the stream is damaged");
                }
                int x = heads[j];
                int slot = x & SLOT_MASK;
                int lo = c << 8, hi = lo + 255; // largest s with start <= slot and freq > 0
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (t.start[mid] <= slot) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                while (t.freq[lo] == 0) { // symbols of zero frequency share the start of the next one
                    lo--;
                }
                int f = t.freq[lo];
                x = f * (x >>> PRECISION) + slot - t.start[lo]; // x = D(x)
                if (x < L) {
                    if (top == 0) {
                        throw StaticRans.wordUnderflow(wordsAt);
                    }
                    top--;
                    x = x << 16 | (in.get(StaticRans.LE_SHORT, wordsAt + 2 * top) & 0xFFFF);
                }
                heads[j] = x;
                out.set(ValueLayout.JAVA_BYTE, i, (byte) lo);
            }
        }
        return top;
    }

    /** Decodes {@code rows} steps into {@code block[row * 32 + lane]}; states and contexts in and out through the arrays; returns the new top. */
    private static long decodeRows(MemorySegment in, long wordsAt, long words, long top, int[] slots, int trap, int[] heads, int[] ctx,
                                   byte[] block, int rows) {
        final int[] idx = new int[V];
        for (int r = 0; r < rows; r++) {
            for (int v = NV - 1; v >= 0; v--) { // descending vectors: the higher lanes own the higher words
                IntVector x = IntVector.fromArray(IS, heads, v * V);
                IntVector e = gatherSlots(IntVector.fromArray(IS, ctx, v * V), x, slots, trap, idx);
                x = decodeStep(x, e);
                VectorMask<Integer> refill = x.compare(VectorOperators.LT, L);
                int c = refill.trueCount();
                if (c > top) {
                    throw StaticRans.wordUnderflow(wordsAt);
                }
                top -= c;
                x = x.lanewise(VectorOperators.LSHL, 16, refill).or(words(in, wordsAt, words, top).expand(refill));
                x.intoArray(heads, v * V);
                ((ByteVector) e.convertShape(VectorOperators.I2B, BS, 0)).intoArray(block, r * LANES + v * V);
                e.and(0xFF).intoArray(ctx, v * V);
            }
        }
        return top;
    }

    /** {@link #decodeRows} at 512 bits: states and contexts of both vectors in registers for the whole block. */
    private static long decodeRowsWide(MemorySegment in, long wordsAt, long words, long top, int[] slots, int trap, int[] heads, int[] ctx,
                                       byte[] block, int rows) {
        final int[] idx = new int[V];
        IntVector xa = IntVector.fromArray(IS, heads, 0);
        IntVector xb = IntVector.fromArray(IS, heads, V);
        IntVector ca = IntVector.fromArray(IS, ctx, 0);
        IntVector cb = IntVector.fromArray(IS, ctx, V);
        for (int r = 0; r < rows; r++) {
            IntVector ea = gatherSlots(ca, xa, slots, trap, idx);
            IntVector eb = gatherSlots(cb, xb, slots, trap, idx);
            xa = decodeStep(xa, ea);
            xb = decodeStep(xb, eb);
            VectorMask<Integer> rb = xb.compare(VectorOperators.LT, L);
            VectorMask<Integer> ra = xa.compare(VectorOperators.LT, L);
            int nb = rb.trueCount();
            int na = ra.trueCount();
            if (nb + na > top) {
                throw StaticRans.wordUnderflow(wordsAt);
            }
            long atb = top - nb;
            top = atb - na;
            xb = xb.lanewise(VectorOperators.LSHL, 16, rb).or(words(in, wordsAt, words, atb).expand(rb));
            xa = xa.lanewise(VectorOperators.LSHL, 16, ra).or(words(in, wordsAt, words, top).expand(ra));
            ((ByteVector) ea.convertShape(VectorOperators.I2B, BS, 0)).intoArray(block, r * LANES);
            ((ByteVector) eb.convertShape(VectorOperators.I2B, BS, 0)).intoArray(block, r * LANES + V);
            ca = ea.and(0xFF);
            cb = eb.and(0xFF);
        }
        xa.intoArray(heads, 0);
        xb.intoArray(heads, V);
        ca.intoArray(ctx, 0);
        cb.intoArray(ctx, V);
        return top;
    }

    /** The slots at {@code min(ctx, trap) << 12 | (x mod 2^12)} (ctx: a context id). */
    private static IntVector gatherSlots(IntVector ctx, IntVector x, int[] slots, int trap, int[] idx) {
        ctx.min(trap).lanewise(VectorOperators.LSHL, PRECISION).or(x.and(SLOT_MASK)).intoArray(idx, 0);
        return IntVector.fromArray(IS, slots, 0, idx, 0);
    }

    /** {@code x = D(x) = f floor(x / 2^12) + (cf - start)}, {@code f = ((e >> 8) & 0xFFF) + 1}. */
    private static IntVector decodeStep(IntVector x, IntVector e) {
        return e.lanewise(VectorOperators.LSHR, 8).and(0xFFF).add(1).mul(x.lanewise(VectorOperators.LSHR, PRECISION))
                .add(e.lanewise(VectorOperators.LSHR, 20));
    }

    /** V words from word {@code at} on, zero-extended to ints (those past the last word read as 0). */
    private static IntVector words(MemorySegment in, long wordsAt, long words, long at) {
        ByteVector b = at + V <= words ? ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * at, LE)
                : ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * at, LE, WS.indexInRange(0, 2 * (words - at)));
        return (IntVector) b.reinterpretAsShorts().convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0);
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

    /** {@code out[j seg + step + k] = symbol[block[k * 32 + j]]} for k in [0, rows), all 32 lanes. */
    private static void transposeOut(byte[] block, int rows, byte[] symbol, MemorySegment out, long seg, long step) {
        for (int j = 0; j < LANES; j++) {
            long to = j * seg + step;
            int k = 0;
            for (; k + 8 <= rows; k += 8) {
                long w = 0;
                int at = k * LANES + j;
                for (int b = 0; b < 8; b++) {
                    w |= (symbol[block[at + b * LANES] & 0xFF] & 0xFFL) << 8 * b;
                }
                out.set(LE_LONG, to + k, w);
            }
            for (; k < rows; k++) {
                out.set(ValueLayout.JAVA_BYTE, to + k, symbol[block[k * LANES + j] & 0xFF]);
            }
        }
    }
}
