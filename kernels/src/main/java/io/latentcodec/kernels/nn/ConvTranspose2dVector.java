package io.latentcodec.kernels.nn;

import io.latentcodec.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * {@link ConvTranspose2d} with the Vector API. Every lane runs exactly the scalar reference's sum of
 * one output (same products, same order: filter rows, filter columns, input channels, all ascending;
 * never fused; bias last), so the bits do not depend on the width. Two layouts of the lanes:
 * <ul>
 * <li><b>Lanes on output channels</b> (when {@code out >= L}): the filter is repacked
 * {@code [kh][kw][d][c]}, one input value is broadcast and multiplies a row of filter values. The
 * register tile is 4 output pixels (the same row and column parity, so the same taps) by 4 channel
 * vectors: 16 accumulators, each filter vector loaded once per 4 pixels, 16 independent add chains.
 * Then 1 pixel by 4 vectors, then single vectors, then a scalar tail of channels.
 * <li><b>Lanes on output pixels</b> (when {@code out < L}, the decoder's last, 3-channel layer): the
 * input is transposed to planes {@code [d][row][col]}, so {@code L} neighbouring outputs of one
 * column parity read {@code L} consecutive input columns; a filter value is broadcast. 4 vectors of
 * pixels per step, then single vectors, then scalar pixels.
 * </ul>
 * The input is copied once into a zero margin wide enough for every tap, so the kernels run without
 * bounds tests: a tap outside the input multiplies +-0, which leaves the sum's bits unchanged (the
 * scalar reference skips it). Loaded only when the vector path is enabled.
 */
final class ConvTranspose2dVector {
    /** Floats at the width the rANS kernels use ({@link Simd#vectorBits()}), fixed once so C2 sees a constant. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Simd.vectorBits()));
    private static final int L = S.length();

    private ConvTranspose2dVector() {
    }

    /** Rows (or columns) of zero margin before index 0 that the taps reach. */
    static int marginBefore(ConvTranspose2d c) {
        int m = 0;
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < c.k; t++) {
                int twice = i + c.pb - t;
                if ((twice & 1) == 0) {
                    m = Math.max(m, -twice / 2);
                }
            }
        }
        return m;
    }

    /** Rows (or columns) of zero margin after index h - 1 that the taps reach (independent of h). */
    static int marginAfter(ConvTranspose2d c) {
        int m = 0;
        for (int i = 0; i < 2; i++) { // output rows 2h - 2 and 2h - 1, relative to input row h - 1
            for (int t = 0; t < c.k; t++) {
                int twice = i + c.pb - t; // 2 (o - (h - 1)) for output row 2 (h - 1) + i
                if ((twice & 1) == 0) {
                    m = Math.max(m, twice / 2);
                }
            }
        }
        return m;
    }

    static void apply(ConvTranspose2d c, float[] x, int h, int w, float[] y, boolean parallel) {
        int mb = marginBefore(c);
        int ma = marginAfter(c);
        int hp = h + mb + ma;
        int wp = w + mb + ma;
        int in = c.in;
        float[] xp = new float[hp * wp * in];
        boolean byOut = c.out >= L;
        if (byOut) { // [r][col][d] with the margin
            for (int r = 0; r < h; r++) {
                System.arraycopy(x, r * w * in, xp, ((r + mb) * wp + mb) * in, w * in);
            }
        } else { // planes [d][r][col] with the margin
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    int s = (r * w + col) * in;
                    int o = (r + mb) * wp + col + mb;
                    for (int d = 0; d < in; d++) {
                        xp[d * hp * wp + o] = x[s + d];
                    }
                }
            }
        }
        IntStream rows = IntStream.range(0, 2 * h);
        (parallel ? rows.parallel() : rows).forEach(i -> {
            if (byOut) {
                rowByOut(c, xp, wp, mb, w, y, i);
            } else {
                rowByPixel(c, xp, hp, wp, mb, w, y, i);
            }
        });
    }

    /** Taps of output index i of parity i: filter index and the input index offset relative to i >> 1. */
    private static int taps(ConvTranspose2d c, int parity, int[] t, int[] off) {
        int n = 0;
        for (int kt = 0; kt < c.k; kt++) {
            int twice = parity + c.pb - kt; // 2 (o - (i >> 1))
            if ((twice & 1) == 0) {
                t[n] = kt;
                off[n++] = twice / 2;
            }
        }
        return n;
    }

    private static void rowByOut(ConvTranspose2d c, float[] xp, int wp, int mb, int w, float[] y, int i) {
        final int k = c.k;
        final int in = c.in;
        final int out = c.out;
        final float[] f = c.fByOut;
        final float[] b = c.b;
        int[] khs = new int[k];
        int[] dr = new int[k];
        int[] kws = new int[k];
        int[] dc = new int[k];
        int nh = taps(c, i & 1, khs, dr);
        for (int a = 0; a < nh; a++) {
            dr[a] += (i >> 1) + mb; // the padded input row
        }
        for (int pc = 0; pc < 2; pc++) {
            int nw = taps(c, pc, kws, dc);
            int cb = 0;
            for (; cb + 4 * L <= out; cb += 4 * L) {
                int q = 0;
                for (; q + 4 <= w; q += 4) {
                    FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
                    FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
                    FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
                    FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
                    for (int ta = 0; ta < nh; ta++) {
                        for (int te = 0; te < nw; te++) {
                            int xb = (dr[ta] * wp + q + dc[te] + mb) * in;
                            int fb = (khs[ta] * k + kws[te]) * in * out + cb;
                            for (int d = 0; d < in; d++) {
                                int fo = fb + d * out;
                                FloatVector w0 = FloatVector.fromArray(S, f, fo);
                                FloatVector w1 = FloatVector.fromArray(S, f, fo + L);
                                FloatVector w2 = FloatVector.fromArray(S, f, fo + 2 * L);
                                FloatVector w3 = FloatVector.fromArray(S, f, fo + 3 * L);
                                float x0 = xp[xb + d];
                                float x1 = xp[xb + in + d];
                                float x2 = xp[xb + 2 * in + d];
                                float x3 = xp[xb + 3 * in + d];
                                a00 = a00.add(w0.mul(x0)); // y_c + F[kh][kw][c][d] x_d, per lane c
                                a01 = a01.add(w1.mul(x0));
                                a02 = a02.add(w2.mul(x0));
                                a03 = a03.add(w3.mul(x0));
                                a10 = a10.add(w0.mul(x1));
                                a11 = a11.add(w1.mul(x1));
                                a12 = a12.add(w2.mul(x1));
                                a13 = a13.add(w3.mul(x1));
                                a20 = a20.add(w0.mul(x2));
                                a21 = a21.add(w1.mul(x2));
                                a22 = a22.add(w2.mul(x2));
                                a23 = a23.add(w3.mul(x2));
                                a30 = a30.add(w0.mul(x3));
                                a31 = a31.add(w1.mul(x3));
                                a32 = a32.add(w2.mul(x3));
                                a33 = a33.add(w3.mul(x3));
                            }
                        }
                    }
                    int y0 = (i * 2 * w + 2 * q + pc) * out + cb;
                    int step = 2 * out; // the next output pixel of this parity
                    store(a00, a01, a02, a03, b, cb, y, y0);
                    store(a10, a11, a12, a13, b, cb, y, y0 + step);
                    store(a20, a21, a22, a23, b, cb, y, y0 + 2 * step);
                    store(a30, a31, a32, a33, b, cb, y, y0 + 3 * step);
                }
                for (; q < w; q++) {
                    FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
                    for (int ta = 0; ta < nh; ta++) {
                        for (int te = 0; te < nw; te++) {
                            int xb = (dr[ta] * wp + q + dc[te] + mb) * in;
                            int fb = (khs[ta] * k + kws[te]) * in * out + cb;
                            for (int d = 0; d < in; d++) {
                                int fo = fb + d * out;
                                float x0 = xp[xb + d];
                                a00 = a00.add(FloatVector.fromArray(S, f, fo).mul(x0));
                                a01 = a01.add(FloatVector.fromArray(S, f, fo + L).mul(x0));
                                a02 = a02.add(FloatVector.fromArray(S, f, fo + 2 * L).mul(x0));
                                a03 = a03.add(FloatVector.fromArray(S, f, fo + 3 * L).mul(x0));
                            }
                        }
                    }
                    store(a00, a01, a02, a03, b, cb, y, (i * 2 * w + 2 * q + pc) * out + cb);
                }
            }
            for (; cb + L <= out; cb += L) {
                for (int q = 0; q < w; q++) {
                    FloatVector a0 = FloatVector.zero(S);
                    for (int ta = 0; ta < nh; ta++) {
                        for (int te = 0; te < nw; te++) {
                            int xb = (dr[ta] * wp + q + dc[te] + mb) * in;
                            int fb = (khs[ta] * k + kws[te]) * in * out + cb;
                            for (int d = 0; d < in; d++) {
                                a0 = a0.add(FloatVector.fromArray(S, f, fb + d * out).mul(xp[xb + d]));
                            }
                        }
                    }
                    a0.add(FloatVector.fromArray(S, b, cb)).intoArray(y, (i * 2 * w + 2 * q + pc) * out + cb);
                }
            }
            for (; cb < out; cb++) { // channels left over: the scalar sum, in the same order
                for (int q = 0; q < w; q++) {
                    float s = 0f;
                    for (int ta = 0; ta < nh; ta++) {
                        for (int te = 0; te < nw; te++) {
                            int xb = (dr[ta] * wp + q + dc[te] + mb) * in;
                            int fb = (khs[ta] * k + kws[te]) * in * out + cb;
                            for (int d = 0; d < in; d++) {
                                s += xp[xb + d] * f[fb + d * out];
                            }
                        }
                    }
                    y[(i * 2 * w + 2 * q + pc) * out + cb] = s + b[cb];
                }
            }
        }
    }

    private static void store(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, float[] b, int cb, float[] y, int at) {
        a0.add(FloatVector.fromArray(S, b, cb)).intoArray(y, at);
        a1.add(FloatVector.fromArray(S, b, cb + L)).intoArray(y, at + L);
        a2.add(FloatVector.fromArray(S, b, cb + 2 * L)).intoArray(y, at + 2 * L);
        a3.add(FloatVector.fromArray(S, b, cb + 3 * L)).intoArray(y, at + 3 * L);
    }

    private static void rowByPixel(ConvTranspose2d c, float[] xp, int hp, int wp, int mb, int w, float[] y, int i) {
        final int k = c.k;
        final int in = c.in;
        final int out = c.out;
        final float[] f = c.f; // [kh][kw][c][d]
        final int plane = hp * wp;
        int[] khs = new int[k];
        int[] dr = new int[k];
        int[] kws = new int[k];
        int[] dc = new int[k];
        float[] lanes = new float[4 * L];
        int nh = taps(c, i & 1, khs, dr);
        for (int a = 0; a < nh; a++) {
            dr[a] += (i >> 1) + mb;
        }
        for (int pc = 0; pc < 2; pc++) {
            int nw = taps(c, pc, kws, dc);
            for (int ch = 0; ch < out; ch++) {
                float bias = c.b[ch];
                int q = 0;
                for (; q + 4 * L <= w; q += 4 * L) {
                    FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
                    for (int ta = 0; ta < nh; ta++) {
                        for (int te = 0; te < nw; te++) {
                            int xb = dr[ta] * wp + q + dc[te] + mb;
                            int fb = ((khs[ta] * k + kws[te]) * out + ch) * in;
                            for (int d = 0; d < in; d++) {
                                float wv = f[fb + d];
                                int xo = d * plane + xb;
                                a0 = a0.add(FloatVector.fromArray(S, xp, xo).mul(wv)); // per lane (pixel): y + x_d F[kh][kw][c][d]
                                a1 = a1.add(FloatVector.fromArray(S, xp, xo + L).mul(wv));
                                a2 = a2.add(FloatVector.fromArray(S, xp, xo + 2 * L).mul(wv));
                                a3 = a3.add(FloatVector.fromArray(S, xp, xo + 3 * L).mul(wv));
                            }
                        }
                    }
                    a0.add(bias).intoArray(lanes, 0);
                    a1.add(bias).intoArray(lanes, L);
                    a2.add(bias).intoArray(lanes, 2 * L);
                    a3.add(bias).intoArray(lanes, 3 * L);
                    for (int l = 0; l < 4 * L; l++) {
                        y[(i * 2 * w + 2 * (q + l) + pc) * out + ch] = lanes[l];
                    }
                }
                for (; q + L <= w; q += L) {
                    FloatVector a0 = FloatVector.zero(S);
                    for (int ta = 0; ta < nh; ta++) {
                        for (int te = 0; te < nw; te++) {
                            int xb = dr[ta] * wp + q + dc[te] + mb;
                            int fb = ((khs[ta] * k + kws[te]) * out + ch) * in;
                            for (int d = 0; d < in; d++) {
                                a0 = a0.add(FloatVector.fromArray(S, xp, d * plane + xb).mul(f[fb + d]));
                            }
                        }
                    }
                    a0.add(bias).intoArray(lanes, 0);
                    for (int l = 0; l < L; l++) {
                        y[(i * 2 * w + 2 * (q + l) + pc) * out + ch] = lanes[l];
                    }
                }
                for (; q < w; q++) { // pixels left over: the scalar sum, in the same order
                    float s = 0f;
                    for (int ta = 0; ta < nh; ta++) {
                        for (int te = 0; te < nw; te++) {
                            int xb = dr[ta] * wp + q + dc[te] + mb;
                            int fb = ((khs[ta] * k + kws[te]) * out + ch) * in;
                            for (int d = 0; d < in; d++) {
                                s += xp[d * plane + xb] * f[fb + d];
                            }
                        }
                    }
                    y[(i * 2 * w + 2 * q + pc) * out + ch] = s + bias;
                }
            }
        }
    }
}
