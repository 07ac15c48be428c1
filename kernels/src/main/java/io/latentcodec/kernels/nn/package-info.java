/**
 * Deterministic neural-network inference: the forward passes whose floats an entropy coder depends
 * on, computed so that the result is a function of the weights and the input alone.
 *
 * <h2>Read me first: the rules every kernel here keeps</h2>
 * <ul>
 * <li><b>Only operations Java defines bit for bit.</b> float {@code + - * /}, {@link Math#sqrt},
 * comparisons, {@code min}/{@code max} written as comparisons, int/float conversions and
 * exponent-field arithmetic. No {@code Math.exp}/{@code log}/{@code pow}/{@code tanh} (their last
 * bit may differ between the interpreter, a C2 intrinsic and another CPU) and no Vector API
 * transcendental ({@code EXP}, {@code LOG}: platform intrinsics with no such promise).
 * <li><b>Never FMA.</b> Every product is rounded before it is added ({@code acc + x * w}, and
 * {@code acc.add(w.mul(x))} in vector code): Java never fuses these, so the bits are the same with
 * or without FMA hardware ({@code -XX:-UseFMA}), and CPUs without FMA do not fall back to a slow
 * software {@code Math.fma}.
 * <li><b>One fixed summation order, independent of vector width.</b> A dense output is one
 * sequential sum {@code (((+0 + x_0 w_0) + x_1 w_1) + ...) + b}: from +0, over inputs in ascending
 * order, the bias added last; vector
 * code puts lanes on <em>outputs</em> (broadcast one input, load a row of weights), never on the
 * summed index, so 128-, 256- and 512-bit species and the scalar twin give the same bits. Skipping
 * an input whose value is exactly zero is exact (its products are +-0, and a sum that starts at +0
 * never becomes -0, so adding +-0 leaves it unchanged) and is allowed.
 * <li><b>Scalar twin.</b> Each vector kernel has a scalar reference that the tests compare bit for
 * bit at every species, and {@code -Dlatentcodec.simd=scalar} selects it.
 * </ul>
 */
package io.latentcodec.kernels.nn;
