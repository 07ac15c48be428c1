package io.latentcodec.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static io.latentcodec.kernels.StaticRans.L;
import static io.latentcodec.kernels.StaticRans.LANES;
import static io.latentcodec.kernels.StaticRans.PRECISION;
import static io.latentcodec.kernels.StaticRans.RENORM_SHIFT;

/**
 * Vector API kernels of {@link StaticRans} order 0: the 32 lanes as {@code 32 / V} vectors of V
 * 32-bit states (two at 512 bits), same bytes as {@link StaticRansScalar}.
 * <ul>
 * <li>Encode: one gather of {@code freq | start << 16} and one of {@code 1/freq} per vector; the
 * quotient {@code x / f < 2^19} comes from a float multiply, off by at most one (relative error
 * below 2^-22), and two masked corrections make it exact. Words leave by {@code compress} and a
 * full store at the top (the output keeps {@link StaticRans#SLACK_BYTES} spare).
 * <li>Decode: one gather from the packed slot table gives symbol, frequency and {@code cf - start};
 * refills take the {@code c} topmost words with one load and {@code expand}; vectors of higher
 * lanes go first because they own the higher words.
 * </ul>
 * Gathers take their indices from an {@code int[]}: the Vector API intrinsifies that form.
 */
final class StaticRansVector {
    private static final VectorSpecies<Integer> IS = VectorWidth.INTS;
    private static final int V = IS.length();
    private static final VectorSpecies<Float> FS = VectorSpecies.of(float.class, VectorShape.forBitSize(V * 32));
    private static final VectorSpecies<Short> SS = VectorSpecies.of(short.class, VectorShape.forBitSize(V * 16));
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(V * 8));
    /** V 16-bit words seen as 2V bytes: words move as byte vectors, whose loads and stores C2 intrinsifies on
     *  byte[]-backed segments too (a ShortVector store into a byte[] segment fell back to Java code). */
    private static final VectorSpecies<Byte> WS = VectorSpecies.of(byte.class, VectorShape.forBitSize(V * 16));
    /** Vectors per block of 32 lanes. */
    private static final int NV = LANES / V;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int SLOT_MASK = (1 << PRECISION) - 1;

    private StaticRansVector() {
    }

    static long encode0(MemorySegment in, long n, int[] freq, int[] start, int[] heads, MemorySegment out, long wordsAt) {
        final int[] enc = StaticRansScalar.encodeTable(freq, start);
        final float[] rcp = new float[256];
        for (int s = 0; s < 256; s++) {
            rcp[s] = freq[s] > 0 ? 1.0f / freq[s] : 0f;
        }
        final long blocks = n / LANES;
        final int rem = (int) (n % LANES);
        long top = 0;
        for (int j = 0; j < rem; j++) { // the partial last block: coded first, by the scalar reference
            top = StaticRansScalar.encodeOne(enc, in.get(java.lang.foreign.ValueLayout.JAVA_BYTE, blocks * LANES + j) & 0xFF,
                    heads, j, out, wordsAt, top);
        }
        final int[] idx = new int[V];
        if (NV == 2) { // 512 bits: both state vectors stay in registers across blocks
            IntVector xa = IntVector.fromArray(IS, heads, 0);
            IntVector xb = IntVector.fromArray(IS, heads, V);
            for (long b = blocks - 1; b >= 0; b--) {
                long i0 = b * LANES;
                IntVector sa = (IntVector) ByteVector.fromMemorySegment(BS, in, i0, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
                IntVector sb = (IntVector) ByteVector.fromMemorySegment(BS, in, i0 + V, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
                sa.intoArray(idx, 0);
                IntVector ea = IntVector.fromArray(IS, enc, 0, idx, 0);
                sb.intoArray(idx, 0);
                IntVector eb = IntVector.fromArray(IS, enc, 0, idx, 0);
                IntVector fa = ea.and(0xFFFF);
                IntVector fb = eb.and(0xFFFF);
                FloatVector ffa = (FloatVector) fa.convert(VectorOperators.I2F, 0);
                FloatVector ffb = (FloatVector) fb.convert(VectorOperators.I2F, 0);
                VectorMask<Integer> emitA = xa.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, fa);
                VectorMask<Integer> emitB = xb.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, fb);
                xa.compress(emitA).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes().intoMemorySegment(out, wordsAt + 2 * top, LE);
                top += emitA.trueCount();
                xb.compress(emitB).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes().intoMemorySegment(out, wordsAt + 2 * top, LE);
                top += emitB.trueCount();
                xa = xa.lanewise(VectorOperators.LSHR, 16, emitA);
                xb = xb.lanewise(VectorOperators.LSHR, 16, emitB);
                IntVector qa = (IntVector) ((FloatVector) xa.convert(VectorOperators.I2F, 0)).div(ffa).convert(VectorOperators.F2I, 0);
                IntVector qb = (IntVector) ((FloatVector) xb.convert(VectorOperators.I2F, 0)).div(ffb).convert(VectorOperators.F2I, 0);
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
        for (long b = blocks - 1; b >= 0; b--) {
            for (int v = 0; v < NV; v++) { // ascending vectors: words leave in lane order
                IntVector sym = (IntVector) ByteVector.fromMemorySegment(BS, in, b * LANES + v * V, LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2I, IS, 0);
                sym.intoArray(idx, 0);
                IntVector e = IntVector.fromArray(IS, enc, 0, idx, 0);
                FloatVector r = FloatVector.fromArray(FS, rcp, 0, idx, 0);
                IntVector f = e.and(0xFFFF);
                IntVector x = IntVector.fromArray(IS, heads, v * V);
                // renormalise: lanes with x >= f 2^19 emit their low 16 bits, then x >>= 16
                VectorMask<Integer> emit = x.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, f);
                x.compress(emit).convertShape(VectorOperators.I2S, SS, 0).reinterpretAsBytes()
                        .intoMemorySegment(out, wordsAt + 2 * top, LE);
                top += emit.trueCount();
                x = x.lanewise(VectorOperators.LSHR, 16, emit);
                // q = floor(x / f) from x * (1/f) in floats, then exact by one masked step each way
                IntVector q = (IntVector) ((FloatVector) x.convert(VectorOperators.I2F, 0)).mul(r).convert(VectorOperators.F2I, 0);
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

    static long decode0(MemorySegment in, long wordsAt, long words, int[] slots, int[] heads, MemorySegment out, long n) {
        final long blocks = n / LANES;
        final int rem = (int) (n % LANES);
        final int[] idx = new int[V];
        long top = words;
        if (NV == 2) { // 512 bits: both state vectors stay in registers across blocks
            IntVector xa = IntVector.fromArray(IS, heads, 0);
            IntVector xb = IntVector.fromArray(IS, heads, V);
            final int[] idxb = new int[V];
            for (long b = 0; b < blocks; b++) {
                xa.and(SLOT_MASK).intoArray(idx, 0);
                xb.and(SLOT_MASK).intoArray(idxb, 0);
                IntVector ea = IntVector.fromArray(IS, slots, 0, idx, 0);
                IntVector eb = IntVector.fromArray(IS, slots, 0, idxb, 0);
                xa = ea.lanewise(VectorOperators.LSHR, 8).and(0xFFF).add(1).mul(xa.lanewise(VectorOperators.LSHR, PRECISION))
                        .add(ea.lanewise(VectorOperators.LSHR, 20));
                xb = eb.lanewise(VectorOperators.LSHR, 8).and(0xFFF).add(1).mul(xb.lanewise(VectorOperators.LSHR, PRECISION))
                        .add(eb.lanewise(VectorOperators.LSHR, 20));
                VectorMask<Integer> rb = xb.compare(VectorOperators.LT, L);
                VectorMask<Integer> ra = xa.compare(VectorOperators.LT, L);
                int cb = rb.trueCount();
                int ca = ra.trueCount();
                if (cb + ca > top) {
                    throw StaticRans.wordUnderflow(wordsAt);
                }
                long atb = top - cb;
                long ata = atb - ca;
                if (atb + V <= words) { // both loads stay inside the words (ata <= atb)
                    ShortVector wb = ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * atb, LE).reinterpretAsShorts();
                    ShortVector wa = ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * ata, LE).reinterpretAsShorts();
                    xb = xb.lanewise(VectorOperators.LSHL, 16, rb).or(((IntVector) wb.convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0)).expand(rb));
                    xa = xa.lanewise(VectorOperators.LSHL, 16, ra).or(((IntVector) wa.convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0)).expand(ra));
                } else {
                    ShortVector wb = ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * atb, LE, WS.indexInRange(0, 2 * (words - atb))).reinterpretAsShorts();
                    ShortVector wa = ByteVector.fromMemorySegment(WS, in, wordsAt + 2 * ata, LE, WS.indexInRange(0, 2 * (words - ata))).reinterpretAsShorts();
                    xb = xb.lanewise(VectorOperators.LSHL, 16, rb).or(((IntVector) wb.convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0)).expand(rb));
                    xa = xa.lanewise(VectorOperators.LSHL, 16, ra).or(((IntVector) wa.convertShape(VectorOperators.ZERO_EXTEND_S2I, IS, 0)).expand(ra));
                }
                top = ata;
                ea.convertShape(VectorOperators.I2B, BS, 0).intoMemorySegment(out, b * LANES, LE);
                eb.convertShape(VectorOperators.I2B, BS, 0).intoMemorySegment(out, b * LANES + V, LE);
            }
            xa.intoArray(heads, 0);
            xb.intoArray(heads, V);
        } else {
        for (long b = 0; b < blocks; b++) {
            for (int v = NV - 1; v >= 0; v--) { // descending vectors: the higher lanes own the higher words
                IntVector x = IntVector.fromArray(IS, heads, v * V);
                x.and(SLOT_MASK).intoArray(idx, 0);
                IntVector e = IntVector.fromArray(IS, slots, 0, idx, 0);
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
                e.convertShape(VectorOperators.I2B, BS, 0).intoMemorySegment(out, b * LANES + v * V, LE);
            }
        }
        }
        for (int j = rem - 1; j >= 0; j--) { // the partial last block, decoded last, by the scalar reference
            top = StaticRansScalar.decodeOne(slots, 0, heads, j, in, wordsAt, top, out, blocks * LANES + j);
        }
        return top;
    }
}
