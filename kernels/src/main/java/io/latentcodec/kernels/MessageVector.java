package io.latentcodec.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * {@link Message} with the Vector API: a block of {@code V} lanes (8 at 512 bits) per vector
 * operation, same bytes as {@link MessageScalar}.
 *
 * <p>Each kernel is guard, vector body, masked last block (a lane count that is not a multiple
 * of V is handled by {@code indexInRange} masks, not by a scalar tail, so one loop serves all).
 * The loops stay flat on purpose: split into helpers, C2 stopped inlining and boxed the vectors.
 * <ul>
 * <li>Push divides in doubles: {@code x < f 2^39} after renormalisation, so the quotient is below
 * 2^39 and the double quotient is off by at most one; two masked corrections make it exact.
 * <li>Words leave by {@code compress} of the renormalising lanes plus one full store at the top
 * (the tail keeps {@link Tail#SLACK} free words above its top), and come back by one full load
 * at {@code top - count} plus {@code expand}.
 * </ul>
 */
final class MessageVector extends Message {
    private static final VectorSpecies<Long> LS = VectorWidth.LONGS;
    private static final VectorSpecies<Double> DS = VectorWidth.DOUBLES;
    private static final VectorSpecies<Integer> IS = VectorWidth.INTS_HALF;
    private static final int V = LS.length();

    MessageVector(int lanes, long seed) {
        super(lanes, seed);
    }

    @Override
    public String implementation() {
        return "vector-" + LS.vectorBitSize();
    }

    @Override
    public void push(int precision, int[] start, int[] freq, int offset, int count) {
        int rounds = checkPush(precision, start, freq, offset, count);
        final int n = head.length;
        final int shift = PRECISION_MAX - precision;
        final int limit = 1 << precision;
        final long[] head = this.head;
        final Tail tail = this.tail;
        for (int r = rounds - 1; r >= 0; r--) {
            int k0 = offset + r * n;
            int m = Math.min(n, offset + count - k0);
            tail.ensure(m);
            final MemorySegment seg = tail.seg;
            final long base = tail.base;
            long top = tail.top;
            for (int j = 0; j < m; j += V) { // ascending blocks: words leave in lane order
                VectorMask<Long> in = LS.indexInRange(j, m);
                VectorMask<Integer> inI = in.cast(IS);
                IntVector fi = IntVector.fromArray(IS, freq, k0 + j, inI);
                IntVector si = IntVector.fromArray(IS, start, k0 + j, inI);
                // guard: 1 <= f and 0 <= s <= 2^p - f on every active lane
                VectorMask<Integer> bad = fi.compare(VectorOperators.LT, 1)
                        .or(si.compare(VectorOperators.LT, 0))
                        .or(si.compare(VectorOperators.GT, IntVector.broadcast(IS, limit).sub(fi)))
                        .and(inI);
                if (bad.anyTrue()) {
                    int lane = bad.firstTrue();
                    tail.top = top;
                    throw badInterval(precision, k0 + j + lane - offset, start[k0 + j + lane], freq[k0 + j + lane]);
                }
                LongVector f = ((LongVector) fi.convertShape(VectorOperators.I2L, LS, 0)).lanewise(VectorOperators.LSHL, shift);
                LongVector s = ((LongVector) si.convertShape(VectorOperators.I2L, LS, 0)).lanewise(VectorOperators.LSHL, shift);
                LongVector x = LongVector.fromArray(LS, head, j, in);
                // renormalise: lanes with x >= f 2^39 emit their low word, then x >>= 32
                VectorMask<Long> emit = x.lanewise(VectorOperators.LSHR, RENORM_SHIFT).compare(VectorOperators.GE, f).and(in);
                IntVector words = (IntVector) x.convertShape(VectorOperators.L2I, IS, 0);
                words.compress(emit.cast(IS)).intoMemorySegment(seg, (top - base) * Integer.BYTES, ByteOrder.nativeOrder());
                top += emit.trueCount();
                x = x.lanewise(VectorOperators.LSHR, 32, emit);
                // q = floor(x / f): double quotient, exact to within one since q < 2^39
                DoubleVector xd = (DoubleVector) x.convert(VectorOperators.L2D, 0);
                DoubleVector fd = (DoubleVector) f.convert(VectorOperators.L2D, 0);
                LongVector q = (LongVector) xd.div(fd).convert(VectorOperators.D2L, 0);
                LongVector rem = x.sub(q.mul(f));
                VectorMask<Long> under = rem.compare(VectorOperators.LT, 0);
                q = q.sub(1L, under);
                rem = rem.add(f, under);
                VectorMask<Long> over = rem.compare(VectorOperators.GE, f);
                q = q.add(1L, over);
                rem = rem.sub(f, over);
                // x' = C(s, x) = q 2^24 + (x mod f) + start
                x = q.lanewise(VectorOperators.LSHL, PRECISION_MAX).add(rem).add(s);
                x.intoArray(head, j, in);
            }
            tail.top = top;
        }
    }

    @Override
    public void pop(int precision, int count, CdfInverse inverse) {
        checkPrecision(precision);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        final int n = head.length;
        final int shift = PRECISION_MAX - precision;
        final long[] head = this.head;
        final int[] cf = this.cf;
        final int[] start = this.start;
        final int[] freq = this.freq;
        final Tail tail = this.tail;
        for (int k0 = 0; k0 < count; k0 += n) {
            int m = Math.min(n, count - k0);
            for (int j = 0; j < m; j += V) { // cf = (x mod 2^24) >> (24 - p)
                VectorMask<Long> in = LS.indexInRange(j, m);
                LongVector x = LongVector.fromArray(LS, head, j, in);
                LongVector c = x.and(MASK).lanewise(VectorOperators.LSHR, shift);
                ((IntVector) c.convertShape(VectorOperators.L2I, IS, 0)).intoArray(cf, j, in.cast(IS));
            }
            inverse.invert(k0, m, cf, start, freq);
            MemorySegment seg = tail.seg;
            long base = tail.base;
            long top = tail.top;
            for (int j = (m - 1) / V * V; j >= 0; j -= V) { // descending blocks
                VectorMask<Long> in = LS.indexInRange(j, m);
                VectorMask<Integer> inI = in.cast(IS);
                IntVector fi = IntVector.fromArray(IS, freq, j, inI);
                IntVector si = IntVector.fromArray(IS, start, j, inI);
                IntVector ci = IntVector.fromArray(IS, cf, j, inI);
                // guard: 1 <= f and s <= cf < s + f on every active lane
                VectorMask<Integer> bad = fi.compare(VectorOperators.LT, 1)
                        .or(si.compare(VectorOperators.LT, 0))
                        .or(si.compare(VectorOperators.GT, ci))
                        .or(ci.sub(si).compare(VectorOperators.GE, fi))
                        .and(inI);
                if (bad.anyTrue()) {
                    int lane = bad.firstTrue();
                    tail.top = top;
                    throw badInverse(k0 + j + lane, cf[j + lane], start[j + lane], freq[j + lane]);
                }
                LongVector f = ((LongVector) fi.convertShape(VectorOperators.I2L, LS, 0)).lanewise(VectorOperators.LSHL, shift);
                LongVector s = ((LongVector) si.convertShape(VectorOperators.I2L, LS, 0)).lanewise(VectorOperators.LSHL, shift);
                LongVector x = LongVector.fromArray(LS, head, j, in);
                // x = D(x) = f floor(x / 2^24) + (x mod 2^24) - start
                x = f.mul(x.lanewise(VectorOperators.LSHR, PRECISION_MAX)).add(x.and(MASK)).sub(s);
                VectorMask<Long> refill = x.compare(VectorOperators.LT, L).and(in);
                int c = refill.trueCount();
                if (c > 0) {
                    if (top - c >= tail.low) {
                        // the c topmost words, lowest first, go to the refilling lanes in ascending order
                        IntVector w = IntVector.fromMemorySegment(IS, seg, (top - c - base) * Integer.BYTES, ByteOrder.nativeOrder());
                        LongVector wl = (LongVector) w.expand(refill.cast(IS)).convertShape(VectorOperators.ZERO_EXTEND_I2L, LS, 0);
                        x = x.lanewise(VectorOperators.LSHL, 32, refill).or(wl);
                        top -= c;
                        x.intoArray(head, j, in);
                    } else {
                        x.intoArray(head, j, in);
                        tail.top = top;
                        refillWithClean(j, refill.toLong());
                        seg = tail.seg;
                        base = tail.base;
                        top = tail.top;
                    }
                } else {
                    x.intoArray(head, j, in);
                }
            }
            tail.top = top;
        }
    }

    /** Cold path: lanes of the block at {@code j} whose refill reaches below the real words, one at a time, descending. */
    private void refillWithClean(int j, long lanesMask) {
        for (int lane = 63 - Long.numberOfLeadingZeros(lanesMask); lane >= 0; lane--) {
            if ((lanesMask & (1L << lane)) != 0) {
                head[j + lane] = (head[j + lane] << 32) | (tail.pop() & 0xFFFF_FFFFL);
            }
        }
    }
}
