package io.latentcodec.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <li>Decode: gather the slot at {@code ctx << 12 | (x mod 2^12)} ({@link Order1Tables#contextSlots});
 * the symbol is the next step's context, so one gather per step. A damaged stream that reaches an
 * absent context decodes garbage in bounds and fails the final checks.
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
    private static final long M8 = 0x00FF00FF00FF00FFL;
    private static final long M16 = 0x0000FFFF0000FFFFL;
    private static final long M32 = 0x00000000FFFFFFFFL;
    /** Little-endian longs in a byte[] (the staging block). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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

    /*
     * The row kernels are written out flat, without helper methods returning vectors: C2 stops
     * inlining at its node-count cutoff inside kernels this size, and a helper left out of line
     * boxes every vector it returns (measured: 2-3x slower).
     */

    /** Codes rows {@code rows .. 1} of a block (row r: step {@code lo + r - 1}, row r - 1 its contexts), states in {@code heads}. */
    private static long encodeRows(byte[] block, int rows, int[] enc, int[] heads, MemorySegment out, long wordsAt, long top) {
        final int[] idx = new int[V];
        for (int r = rows; r >= 1; r--) {
            for (int v = 0; v < NV; v++) { // ascending vectors: words leave in lane order
                int at = r * LANES + v * V;
                IntVector sym = (IntVector) ByteVector.fromArray(BS, block, at).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
                IntVector ctx = (IntVector) ByteVector.fromArray(BS, block, at - LANES).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
                ctx.lanewise(VectorOperators.LSHL, 8).or(sym).intoArray(idx, 0);
                IntVector e = IntVector.fromArray(IS, enc, 0, idx, 0); // freq | start << 16 at ctx << 8 | s
                IntVector f = e.and(0xFFFF);
                IntVector x = IntVector.fromArray(IS, heads, v * V);
                // renormalise: lanes with x >= f 2^19 emit their low 16 bits, then x >>= 16
                VectorMask<Integer> emit = x.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, f);
                x.compress(emit).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes().intoMemorySegment(out, wordsAt + 2 * top, LE);
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
        return top;
    }

    /** {@link #encodeRows} at 512 bits: both state vectors in registers for the whole block. */
    private static long encodeRowsWide(byte[] block, int rows, int[] enc, int[] heads, MemorySegment out, long wordsAt, long top) {
        final int[] idx = new int[V];
        IntVector xa = IntVector.fromArray(IS, heads, 0);
        IntVector xb = IntVector.fromArray(IS, heads, V);
        for (int r = rows; r >= 1; r--) {
            int at = r * LANES;
            IntVector sa = (IntVector) ByteVector.fromArray(BS, block, at).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
            IntVector sb = (IntVector) ByteVector.fromArray(BS, block, at + V).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
            IntVector pa = (IntVector) ByteVector.fromArray(BS, block, at - LANES).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
            IntVector pb = (IntVector) ByteVector.fromArray(BS, block, at - LANES + V).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
            pa.lanewise(VectorOperators.LSHL, 8).or(sa).intoArray(idx, 0);
            IntVector ea = IntVector.fromArray(IS, enc, 0, idx, 0);
            pb.lanewise(VectorOperators.LSHL, 8).or(sb).intoArray(idx, 0);
            IntVector eb = IntVector.fromArray(IS, enc, 0, idx, 0);
            IntVector fa = ea.and(0xFFFF);
            IntVector fb = eb.and(0xFFFF);
            VectorMask<Integer> emitA = xa.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, fa);
            VectorMask<Integer> emitB = xb.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, fb);
            xa.compress(emitA).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes().intoMemorySegment(out, wordsAt + 2 * top, LE);
            top += emitA.trueCount();
            xb.compress(emitB).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes().intoMemorySegment(out, wordsAt + 2 * top, LE);
            top += emitB.trueCount();
            xa = xa.lanewise(VectorOperators.LSHR, 16, emitA);
            xb = xb.lanewise(VectorOperators.LSHR, 16, emitB);
            IntVector qa = (IntVector) ((FloatVector) xa.convert(VectorOperators.I2F, 0)).div((FloatVector) fa.convert(VectorOperators.I2F, 0))
                    .convert(VectorOperators.F2I, 0);
            IntVector qb = (IntVector) ((FloatVector) xb.convert(VectorOperators.I2F, 0)).div((FloatVector) fb.convert(VectorOperators.I2F, 0))
                    .convert(VectorOperators.F2I, 0);
            IntVector ma = xa.sub(qa.mul(fa));
            IntVector mb = xb.sub(qb.mul(fb));
            VectorMask<Integer> ua = ma.compare(VectorOperators.LT, 0);
            VectorMask<Integer> ub = mb.compare(VectorOperators.LT, 0);
            qa = qa.sub(1, ua);
            qb = qb.sub(1, ub);
            ma = ma.add(fa, ua);
            mb = mb.add(fb, ub);
            VectorMask<Integer> oa = ma.compare(VectorOperators.GE, fa);
            VectorMask<Integer> ob = mb.compare(VectorOperators.GE, fb);
            qa = qa.add(1, oa);
            qb = qb.add(1, ob);
            ma = ma.sub(fa, oa);
            mb = mb.sub(fb, ob);
            xa = qa.lanewise(VectorOperators.LSHL, PRECISION).add(ma).add(ea.lanewise(VectorOperators.LSHR, 16));
            xb = qb.lanewise(VectorOperators.LSHL, PRECISION).add(mb).add(eb.lanewise(VectorOperators.LSHR, 16));
        }
        xa.intoArray(heads, 0);
        xb.intoArray(heads, V);
        return top;
    }

    /** Decodes n bytes; returns the number of words left unread (0 for an intact stream). */
    static long decode(MemorySegment in, long wordsAt, long words, Order1Tables t, int[] heads, MemorySegment out, long n) {
        final long seg = StaticRansScalar.segment(n);
        final long full = fullSteps(n);
        if (full <= 0) {
            return StaticRansScalar.decode1(in, wordsAt, words, t, heads, out, n);
        }
        final int[] slots = t.contextSlots(PRECISION);
        final int trap = t.lastContext() + 1;
        final int[] ctx = new int[LANES]; // step 0 decodes in context 0, which every non-empty stream has
        final byte[] block = new byte[BLOCK * LANES];
        long top = words;
        for (long lo = 0; lo < full; lo += BLOCK) {
            int rows = (int) Math.min(BLOCK, full - lo);
            top = NV == 2 ? decodeRowsWide(in, wordsAt, words, top, slots, trap, heads, ctx, block, rows)
                    : decodeRows(in, wordsAt, words, top, slots, trap, heads, ctx, block, rows);
            transposeOut(block, rows, out, seg, lo);
        }
        // the short last steps: the scalar reference on the same table
        return StaticRansScalar.decode1Steps(in, wordsAt, top, slots, t.contextBases(PRECISION), heads, out, n, full, seg);
    }


    /** Decodes {@code rows} steps into {@code block[row * 32 + lane]} (context ids); states and contexts in and out through the arrays; returns the new top. */
    private static long decodeRows(MemorySegment in, long wordsAt, long words, long top, int[] slots, int trap, int[] heads, int[] ctx,
                                   byte[] block, int rows) {
        final int[] idx = new int[V];
        for (int r = 0; r < rows; r++) {
            for (int v = NV - 1; v >= 0; v--) { // descending vectors: the higher lanes own the higher words
                IntVector x = IntVector.fromArray(IS, heads, v * V);
                // slot at min(ctx, trap) << 12 | (x mod 2^12)
                IntVector.fromArray(IS, ctx, v * V).min(trap).lanewise(VectorOperators.LSHL, PRECISION).or(x.and(SLOT_MASK)).intoArray(idx, 0);
                IntVector e = IntVector.fromArray(IS, slots, 0, idx, 0);
                // x = D(x) = f floor(x / 2^12) + (cf - start), f = ((e >> 8) & 0xFFF) + 1
                x = e.lanewise(VectorOperators.LSHR, 8).and(0xFFF).add(1).mul(x.lanewise(VectorOperators.LSHR, PRECISION))
                        .add(e.lanewise(VectorOperators.LSHR, 20));
                VectorMask<Integer> refill = x.compare(VectorOperators.LT, L);
                int c = refill.trueCount();
                if (c > 0) {
                    if (c > top) {
                        throw StaticRans.wordUnderflow(wordsAt);
                    }
                    top -= c;
                    IntVector w = top + V <= words
                            ? (IntVector) ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * top, LE).reinterpretAsShorts()
                                    .convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0)
                            : (IntVector) ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * top, LE, WS.indexInRange(0, 2 * (words - top)))
                                    .reinterpretAsShorts().convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0);
                    x = x.lanewise(VectorOperators.LSHL, 16, refill).or(w.expand(refill));
                }
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
        final int[] idxb = new int[V];
        IntVector xa = IntVector.fromArray(IS, heads, 0);
        IntVector xb = IntVector.fromArray(IS, heads, V);
        IntVector ca = IntVector.fromArray(IS, ctx, 0);
        IntVector cb = IntVector.fromArray(IS, ctx, V);
        for (int r = 0; r < rows; r++) {
            ca.min(trap).lanewise(VectorOperators.LSHL, PRECISION).or(xa.and(SLOT_MASK)).intoArray(idx, 0);
            cb.min(trap).lanewise(VectorOperators.LSHL, PRECISION).or(xb.and(SLOT_MASK)).intoArray(idxb, 0);
            IntVector ea = IntVector.fromArray(IS, slots, 0, idx, 0);
            IntVector eb = IntVector.fromArray(IS, slots, 0, idxb, 0);
            xa = ea.lanewise(VectorOperators.LSHR, 8).and(0xFFF).add(1).mul(xa.lanewise(VectorOperators.LSHR, PRECISION))
                    .add(ea.lanewise(VectorOperators.LSHR, 20));
            xb = eb.lanewise(VectorOperators.LSHR, 8).and(0xFFF).add(1).mul(xb.lanewise(VectorOperators.LSHR, PRECISION))
                    .add(eb.lanewise(VectorOperators.LSHR, 20));
            VectorMask<Integer> rb = xb.compare(VectorOperators.LT, L);
            VectorMask<Integer> ra = xa.compare(VectorOperators.LT, L);
            int nb = rb.trueCount();
            int na = ra.trueCount();
            if (nb + na > top) {
                throw StaticRans.wordUnderflow(wordsAt);
            }
            long atb = top - nb;
            long ata = atb - na;
            if (atb + V <= words) { // both loads stay inside the words (ata <= atb)
                IntVector wb = (IntVector) ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * atb, LE).reinterpretAsShorts()
                        .convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0);
                IntVector wa = (IntVector) ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * ata, LE).reinterpretAsShorts()
                        .convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0);
                xb = xb.lanewise(VectorOperators.LSHL, 16, rb).or(wb.expand(rb));
                xa = xa.lanewise(VectorOperators.LSHL, 16, ra).or(wa.expand(ra));
            } else {
                IntVector wb = (IntVector) ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * atb, LE, WS.indexInRange(0, 2 * (words - atb)))
                        .reinterpretAsShorts().convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0);
                IntVector wa = (IntVector) ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * ata, LE, WS.indexInRange(0, 2 * (words - ata)))
                        .reinterpretAsShorts().convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0);
                xb = xb.lanewise(VectorOperators.LSHL, 16, rb).or(wb.expand(rb));
                xa = xa.lanewise(VectorOperators.LSHL, 16, ra).or(wa.expand(ra));
            }
            top = ata;
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

    /*
     * The transposes move 8 lanes x 8 steps at a time: eight long loads along one side, the 8x8
     * byte transpose in registers (three rounds swapping 1-, 2- and 4-byte blocks between rows 1,
     * 2 and 4 apart: afterwards byte k of row i is what byte i of row k was), eight long stores
     * along the other side. Written out with locals so no array stands between the rounds.
     */

    /** {@code block[(row0 + k) * 32 + j] = in[j seg + step + k]} for k in [0, count), all 32 lanes. */
    private static void transposeIn(MemorySegment in, long seg, long step, int count, byte[] block, int row0) {
        int k = 0;
        for (; k + 8 <= count; k += 8) {
            for (int g = 0; g < LANES; g += 8) { // lanes g .. g+7, steps k .. k+7
                long p = g * seg + step + k;
                long r0 = in.get(LE_LONG, p), r1 = in.get(LE_LONG, p + seg), r2 = in.get(LE_LONG, p + 2 * seg), r3 = in.get(LE_LONG, p + 3 * seg);
                long r4 = in.get(LE_LONG, p + 4 * seg), r5 = in.get(LE_LONG, p + 5 * seg), r6 = in.get(LE_LONG, p + 6 * seg), r7 = in.get(LE_LONG, p + 7 * seg);
                long t;
                t = ((r0 >>> 8) ^ r1) & M8; r1 ^= t; r0 ^= t << 8;
                t = ((r2 >>> 8) ^ r3) & M8; r3 ^= t; r2 ^= t << 8;
                t = ((r4 >>> 8) ^ r5) & M8; r5 ^= t; r4 ^= t << 8;
                t = ((r6 >>> 8) ^ r7) & M8; r7 ^= t; r6 ^= t << 8;
                t = ((r0 >>> 16) ^ r2) & M16; r2 ^= t; r0 ^= t << 16;
                t = ((r1 >>> 16) ^ r3) & M16; r3 ^= t; r1 ^= t << 16;
                t = ((r4 >>> 16) ^ r6) & M16; r6 ^= t; r4 ^= t << 16;
                t = ((r5 >>> 16) ^ r7) & M16; r7 ^= t; r5 ^= t << 16;
                t = ((r0 >>> 32) ^ r4) & M32; r4 ^= t; r0 ^= t << 32;
                t = ((r1 >>> 32) ^ r5) & M32; r5 ^= t; r1 ^= t << 32;
                t = ((r2 >>> 32) ^ r6) & M32; r6 ^= t; r2 ^= t << 32;
                t = ((r3 >>> 32) ^ r7) & M32; r7 ^= t; r3 ^= t << 32;
                int q = (row0 + k) * LANES + g;
                LONGS.set(block, q, r0);
                LONGS.set(block, q + LANES, r1);
                LONGS.set(block, q + 2 * LANES, r2);
                LONGS.set(block, q + 3 * LANES, r3);
                LONGS.set(block, q + 4 * LANES, r4);
                LONGS.set(block, q + 5 * LANES, r5);
                LONGS.set(block, q + 6 * LANES, r6);
                LONGS.set(block, q + 7 * LANES, r7);
            }
        }
        for (; k < count; k++) {
            for (int j = 0; j < LANES; j++) {
                block[(row0 + k) * LANES + j] = in.get(ValueLayout.JAVA_BYTE, j * seg + step + k);
            }
        }
    }

    /** {@code out[j seg + step + k] = block[k * 32 + j]} for k in [0, rows), all 32 lanes. */
    private static void transposeOut(byte[] block, int rows, MemorySegment out, long seg, long step) {
        int k = 0;
        for (; k + 8 <= rows; k += 8) {
            for (int g = 0; g < LANES; g += 8) {
                int q = k * LANES + g;
                long r0 = (long) LONGS.get(block, q), r1 = (long) LONGS.get(block, q + LANES);
                long r2 = (long) LONGS.get(block, q + 2 * LANES), r3 = (long) LONGS.get(block, q + 3 * LANES);
                long r4 = (long) LONGS.get(block, q + 4 * LANES), r5 = (long) LONGS.get(block, q + 5 * LANES);
                long r6 = (long) LONGS.get(block, q + 6 * LANES), r7 = (long) LONGS.get(block, q + 7 * LANES);
                long t;
                t = ((r0 >>> 8) ^ r1) & M8; r1 ^= t; r0 ^= t << 8;
                t = ((r2 >>> 8) ^ r3) & M8; r3 ^= t; r2 ^= t << 8;
                t = ((r4 >>> 8) ^ r5) & M8; r5 ^= t; r4 ^= t << 8;
                t = ((r6 >>> 8) ^ r7) & M8; r7 ^= t; r6 ^= t << 8;
                t = ((r0 >>> 16) ^ r2) & M16; r2 ^= t; r0 ^= t << 16;
                t = ((r1 >>> 16) ^ r3) & M16; r3 ^= t; r1 ^= t << 16;
                t = ((r4 >>> 16) ^ r6) & M16; r6 ^= t; r4 ^= t << 16;
                t = ((r5 >>> 16) ^ r7) & M16; r7 ^= t; r5 ^= t << 16;
                t = ((r0 >>> 32) ^ r4) & M32; r4 ^= t; r0 ^= t << 32;
                t = ((r1 >>> 32) ^ r5) & M32; r5 ^= t; r1 ^= t << 32;
                t = ((r2 >>> 32) ^ r6) & M32; r6 ^= t; r2 ^= t << 32;
                t = ((r3 >>> 32) ^ r7) & M32; r7 ^= t; r3 ^= t << 32;
                long p = g * seg + step + k;
                out.set(LE_LONG, p, r0);
                out.set(LE_LONG, p + seg, r1);
                out.set(LE_LONG, p + 2 * seg, r2);
                out.set(LE_LONG, p + 3 * seg, r3);
                out.set(LE_LONG, p + 4 * seg, r4);
                out.set(LE_LONG, p + 5 * seg, r5);
                out.set(LE_LONG, p + 6 * seg, r6);
                out.set(LE_LONG, p + 7 * seg, r7);
            }
        }
        for (; k < rows; k++) {
            for (int j = 0; j < LANES; j++) {
                out.set(ValueLayout.JAVA_BYTE, j * seg + step + k, block[k * LANES + j]);
            }
        }
    }
}
