package org.cornu.core.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.cornu.core.FastPaths;
import org.cornu.core.kernels.Dnnl;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.kernels.Gemm;
import org.cornu.core.kernels.SparseInput;
import org.cornu.core.kernels.RowKernels;
import org.cornu.core.kernels.ZeroColumns;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * Differentiable primitives. Each computes its value with ND4J kernels and, while a
 * {@link Tape} records and an input needs a gradient, records its backward made of
 * ND4J ops. Inputs are never modified, except by the {@code ...InPlace} variants, which
 * a caller uses only on tensors it owns.
 */
public final class Ops {
    private Ops() {}

    // ------------------------------------------------------------------ helpers

    private static Tensor out(INDArray v, Tensor... parents) {
        boolean rg = Tape.needsGrad(parents);
        return new Tensor(v, rg);
    }

    /**
     * Sums {@code g} down to {@code shape}, undoing numpy broadcasting.
     *
     * @param g the gradient
     * @param shape the shape of the operand that was broadcast
     * @return the summed gradient, of {@code shape}
     */
    public static INDArray unbroadcast(INDArray g, long[] shape) {
        long[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        INDArray r = g;
        if (lead > 0) {
            int[] axes = new int[lead];
            for (int i = 0; i < lead; i++) axes[i] = i;
            r = r.sum(axes);
        }
        long[] rs = r.shape();
        int n = 0;
        int[] axes = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1 && rs[i] != 1) axes[n++] = i;
        }
        if (n > 0) {
            r = r.sum(true, Arrays.copyOf(axes, n));
        }
        return r.reshape(shape);
    }

    private static long[] broadcastShape(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            long da = i < n - a.length ? 1 : a[i - (n - a.length)];
            long db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("Shapes " + Shape.format(a) + " and " + Shape.format(b)
                        + " cannot be broadcast together");
            }
            s[i] = da == 1 ? db : da;
        }
        return s;
    }

    private static INDArray bcast(String op, INDArray a, INDArray b) {
        if (Arrays.equals(a.shape(), b.shape())) {
            return switch (op) {
                case "add" -> a.add(b);
                case "sub" -> a.sub(b);
                case "mul" -> a.mul(b);
                default -> a.div(b);
            };
        }
        INDArray z = Nd4j.createUninitialized(a.dataType(), broadcastShape(a.shape(), b.shape()));
        switch (op) {
            case "add" -> Nd4j.exec(new AddOp(a, b, z));
            case "sub" -> Nd4j.exec(new SubOp(a, b, z));
            case "mul" -> Nd4j.exec(new MulOp(a, b, z));
            default -> Nd4j.exec(new DivOp(a, b, z));
        }
        return z;
    }

    // ------------------------------------------------------------------ arithmetic

    /**
     * {@code a + b} with numpy broadcasting.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the result
     */
    public static Tensor add(Tensor a, Tensor b) {
        Tensor o = out(bcast("add", a.value(), b.value()), a, b);
        return Tape.push(o, g -> {
            a.accumulate(unbroadcast(g, a.value().shape()));
            b.accumulate(unbroadcast(g, b.value().shape()));
        });
    }

    /**
     * {@code a - b} with numpy broadcasting.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the result
     */
    public static Tensor sub(Tensor a, Tensor b) {
        Tensor o = out(bcast("sub", a.value(), b.value()), a, b);
        return Tape.push(o, g -> {
            a.accumulate(unbroadcast(g, a.value().shape()));
            if (b.requiresGrad()) b.accumulate(unbroadcast(g.neg(), b.value().shape()));
        });
    }

    /**
     * {@code a * b} with numpy broadcasting.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the result
     */
    public static Tensor mul(Tensor a, Tensor b) {
        Tensor o = out(bcast("mul", a.value(), b.value()), a, b);
        return Tape.push(o, g -> {
            if (a.requiresGrad()) a.accumulate(unbroadcast(bcast("mul", g, b.value()), a.value().shape()));
            if (b.requiresGrad()) b.accumulate(unbroadcast(bcast("mul", g, a.value()), b.value().shape()));
        });
    }

    /**
     * {@code a / b} with numpy broadcasting.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the result
     */
    public static Tensor div(Tensor a, Tensor b) {
        Tensor o = out(bcast("div", a.value(), b.value()), a, b);
        return Tape.push(o, g -> {
            if (a.requiresGrad()) a.accumulate(unbroadcast(bcast("div", g, b.value()), a.value().shape()));
            if (b.requiresGrad()) {
                // d(a/b)/db = -a/b^2 = -out/b
                INDArray gb = bcast("mul", g, o.value()).negi();
                b.accumulate(unbroadcast(bcast("div", gb, b.value()), b.value().shape()));
            }
        });
    }

    /**
     * {@code x + c}.
     *
     * @param x the input
     * @param c the scalar
     * @return the result
     */
    public static Tensor addScalar(Tensor x, double c) {
        Tensor o = out(x.value().add(c), x);
        return Tape.push(o, x::accumulate);
    }

    /**
     * {@code x * c}.
     *
     * @param x the input
     * @param c the scalar
     * @return the result
     */
    public static Tensor mulScalar(Tensor x, double c) {
        Tensor o = out(scaled(x.value(), c), x);
        return Tape.push(o, g -> x.accumulate(scaled(g, c)));
    }

    /** {@code c * a} in a new array: a JVM pass for dense C-order arrays (a loss's scalar mean), else ND4J's {@code mul}. */
    private static INDArray scaled(INDArray a, double c) {
        if (!Elementwise.fusable(a)) return a.mul(c);
        INDArray r = Nd4j.createUninitialized(a.dataType(), a.shape());
        Elementwise.scale(a, c, r);
        return r;
    }

    /**
     * {@code c - x}.
     *
     * @param c the scalar
     * @param x the input
     * @return the result
     */
    public static Tensor rsubScalar(double c, Tensor x) {
        Tensor o = out(x.value().rsub(c), x);
        return Tape.push(o, g -> x.accumulate(g.neg()));
    }

    /**
     * {@code -x}.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor neg(Tensor x) {
        return mulScalar(x, -1);
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product of two 2-D tensors.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the product
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Tensor o = out(Gemm.gemm(a.value(), b.value(), false, false), a, b);
        return Tape.push(o, g -> {
            if (a.requiresGrad()) a.accumulate(Gemm.gemm(g, b.value(), false, true));
            if (b.requiresGrad()) b.accumulate(Gemm.gemm(a.value(), g, true, false));
        });
    }

    /**
     * {@code x @ kernel + bias} over the last axis of {@code x} (any rank >= 2); {@code bias} may
     * be null. The kernel is chosen here: multi-hot rows (mostly zeros, no gradient wanted for
     * {@code x}) go through {@link SparseInput} ({@link org.cornu.core.FastPaths#SPARSE_INPUT}),
     * float32 inputs whose batch leaves whole columns zero through {@link ZeroColumns}
     * ({@link org.cornu.core.FastPaths#ZERO_COLUMNS}), everything else through {@link #linearGemm}.
     *
     * @param x the input
     * @param kernel the kernel, shape {@code (inputs, units)}
     * @param bias the bias, shape {@code (units,)}, or null
     * @return the output, shape {@code (batch, units)}
     */
    public static Tensor linear(Tensor x, Tensor kernel, Tensor bias) {
        Tensor z = SparseInput.linear(x, kernel, bias);
        if (z == null) z = ZeroColumns.linear(x, kernel, bias);
        return z != null ? z : linearGemm(x, kernel, bias);
    }

    /**
     * The general kernel of {@link #linear}: one gemm with the bias added in place (the reference
     * that the other kernels of {@code linear} are tested against).
     *
     * @param x the input
     * @param kernel the kernel, shape {@code (inputs, units)}
     * @param bias the bias, shape {@code (units,)}, or null
     * @return the output, shape {@code (batch, units)}
     */
    public static Tensor linearGemm(Tensor x, Tensor kernel, Tensor bias) {
        long[] xs = x.value().shape();
        long in = xs[xs.length - 1];
        long units = kernel.value().size(1);
        INDArray x2 = xs.length == 2 ? x.value() : x.value().reshape('c', x.value().length() / in, in);
        long rows = x2.size(0);
        INDArray z;
        if (bias == null) {
            z = Gemm.gemm(x2, kernel.value(), false, false);
        } else {
            // z = ones (x) bias + x @ kernel: two gemms beat gemm + ND4J's row-vector broadcast
            z = Nd4j.createUninitialized(x2.dataType(), rows, units);
            Gemm.broadcastRows(z, bias.value());
            Gemm.gemm(x2, kernel.value(), z, false, false, 1.0, 1.0);
        }
        long[] os = xs.clone();
        os[os.length - 1] = units;
        INDArray zo = xs.length == 2 ? z : z.reshape('c', os);
        Tensor o = bias == null ? out(zo, x, kernel) : out(zo, x, kernel, bias);
        return Tape.push(o, g -> {
            INDArray g2 = xs.length == 2 ? g : g.reshape('c', g.length() / units, units);
            if (kernel.requiresGrad()) kernel.accumulate(Gemm.gemm(x2, g2, true, false));
            if (bias != null && bias.requiresGrad()) {
                // column sums as ones^T @ g: faster than ND4J's sum over dimension 0
                bias.accumulate(Gemm.columnSums(g2, units));
            }
            if (x.requiresGrad()) {
                INDArray gx = Gemm.gemm(g2, kernel.value(), false, true);
                x.accumulate(xs.length == 2 ? gx : gx.reshape('c', xs));
            }
        });
    }

    // ------------------------------------------------------------------ activations

    /**
     * {@code max(x, 0)}.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor relu(Tensor x) {
        return reluImpl(x, false);
    }

    /**
     * Relu computed in the input's own buffer; only for a tensor the caller owns.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor reluInPlace(Tensor x) {
        return reluImpl(x, true);
    }

    /**
     * Float32 relus of at least this many elements run as oneDNN's eltwise kernels (one native pass
     * each way: the convnet's 1.38M-element map 0.18-0.27 ms forward against 0.62-0.96 ms on the
     * JVM); smaller ones stay on the JVM loops. A dense layer's 128 x 512 gained little (9-11 against
     * 18-20 µs) and, with two threads, oneDNN's OpenMP threads fought OpenBLAS's spinning ones:
     * the MNIST dense epoch took 4.6-5.2 s against 2.0-2.4 s.
     */
    static final long NATIVE_RELU_MIN = 1 << 18;

    private static Tensor reluImpl(Tensor x, boolean inPlace) {
        Dnnl.Relu relu = x.value().length() >= NATIVE_RELU_MIN && Dnnl.applies(x.value()) ? Dnnl.relu(x.value().length()) : null;
        if (relu != null) return reluDnnl(x, relu, inPlace);
        INDArray v;
        if (Elementwise.fusable(x.value())) {
            v = inPlace ? x.value() : Nd4j.createUninitialized(x.value().dataType(), x.value().shape());
            RowKernels.relu(x.value(), v);
        } else {
            v = Transforms.relu(x.value(), !inPlace);
        }
        Tensor o = reluOutput(out(v, x), x);
        return Tape.push(o, g -> {
            INDArray gx = Nd4j.createUninitialized(g.dataType(), g.shape());
            reluGradient(o.value(), g, gx);
            x.accumulate(gx);
        });
    }

    /** {@code o} (relu of {@code x}), marked as such when it is recorded for a gradient (see {@link ConvOps#maxPool2d}). */
    private static Tensor reluOutput(Tensor o, Tensor x) {
        return o.requiresGrad() ? o.withReluOf(x) : o;
    }

    /**
     * Relu's backward from its output, {@code gx = out > 0 ? g : 0}, on the kernel relu itself would
     * take for an array of this size (oneDNN's from {@link #NATIVE_RELU_MIN} elements of float32).
     *
     * @param out relu's output (or any array whose sign decides, as a max pooling of it)
     * @param g the gradient
     * @param gx written
     */
    static void reluGradient(INDArray out, INDArray g, INDArray gx) {
        Dnnl.Relu relu = out.length() >= NATIVE_RELU_MIN && Dnnl.applies(out) ? Dnnl.relu(out.length()) : null;
        if (relu != null) {
            FastPaths.DNNL.countRun();
            relu.backward(out, Dnnl.operand(g), gx);
        } else if (Elementwise.fusable(out, g, gx)) {
            reluBackward(out, g, gx);
        } else {
            Nd4j.exec(new ThresholdReluBp(out, g, gx, 0.0));
        }
    }

    private static Tensor reluDnnl(Tensor x, Dnnl.Relu relu, boolean inPlace) {
        FastPaths.DNNL.countRun();
        long n = x.value().length();
        INDArray v = inPlace ? x.value() : Nd4j.createUninitialized(DataType.FLOAT, x.value().shape());
        relu.forward(x.value(), v);
        Tensor o = reluOutput(out(v, x), x);
        return Tape.push(o, g -> {
            INDArray gc = Dnnl.operand(g);
            INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, g.shape());
            java.util.Objects.requireNonNullElse(Dnnl.relu(n), relu).backward(o.value(), gc, gx);
            x.accumulate(gx);
        });
    }

    /** {@code gx = out > 0 ? g : 0} in one JVM pass (10x ND4J's threshold_relu_bp here). */
    private static void reluBackward(INDArray out, INDArray g, INDArray gx) {
        if (out.dataType() == DataType.DOUBLE) {
            java.nio.DoubleBuffer o = Elementwise.doubles(out), gi = Elementwise.doubles(g), r = Elementwise.doubles(gx);
            Elementwise.forRange(out.length(), (from, to) -> {
                for (int i = from; i < to; i++) r.put(i, o.get(i) > 0 ? gi.get(i) : 0.0);
            });
        } else {
            // bulk copies into heap arrays: the loop then vectorizes (3.5 ns -> well under 1 ns per element)
            int n = (int) out.length();
            float[] o = Elementwise.scratch(0, n), gi = Elementwise.scratch(1, n);
            Elementwise.floats(out).get(0, o, 0, n);
            Elementwise.floats(g).get(0, gi, 0, n);
            // branch-free (C2 does not vectorize the conditional form, and relu's zeros make its branch
            // unpredictable): relu outputs are >= 0, so o / max(o, MIN_VALUE) is exactly 1 for o > 0 and 0 for o == 0
            for (int i = 0; i < n; i++) gi[i] *= o[i] / Math.max(o[i], Float.MIN_VALUE);
            Elementwise.floats(gx).put(0, gi, 0, n);
        }
    }

    /**
     * {@code 1 / (1 + exp(-x))}; remembers {@code x} as logits for binary crossentropy.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor sigmoid(Tensor x) {
        INDArray v;
        if (Elementwise.fusable(x.value())) {
            v = Nd4j.createUninitialized(x.value().dataType(), x.value().shape());
            RowKernels.sigmoid(x.value(), v);
        } else {
            v = Transforms.sigmoid(x.value(), true);
        }
        Tensor o = out(v, x);
        o.withLogits(x, "sigmoid");
        return Tape.push(o, g -> {
            INDArray s = o.value();
            x.accumulate(g.mul(s).muli(s.rsub(1.0)));
        });
    }

    /**
     * Hyperbolic tangent.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor tanh(Tensor x) {
        return tanhImpl(x, false);
    }

    /**
     * Tanh computed in the input's own buffer; only for a tensor the caller owns.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor tanhInPlace(Tensor x) {
        return tanhImpl(x, true);
    }

    private static Tensor tanhImpl(Tensor x, boolean inPlace) {
        Tensor o = out(Transforms.tanh(x.value(), !inPlace), x);
        return Tape.push(o, g -> {
            INDArray t = o.value();
            x.accumulate(g.mul(t.mul(t).rsubi(1.0)));
        });
    }

    /**
     * Softmax over {@code axis}; remembers {@code x} as logits for categorical crossentropy.
     *
     * @param x the input
     * @param axis the axis, negative from the end
     * @return the result
     */
    public static Tensor softmax(Tensor x, int axis) {
        int ax = axis < 0 ? x.rank() + axis : axis;
        INDArray v = Nd4j.createUninitialized(x.value().dataType(), x.value().shape());
        boolean last = ax == x.rank() - 1;
        int width = (int) x.value().size(ax);
        if (last && Elementwise.fusable(x.value(), v)) {
            RowKernels.softmax(x.value(), v, width);
        } else {
            Nd4j.exec(new SoftMax(x.value(), v, ax));
        }
        Tensor o = out(v, x);
        if (last) {
            o.withLogits(x, "softmax");
        }
        return Tape.push(o, g -> {
            INDArray y = o.value();
            if (last && Elementwise.fusable(y, g)) {
                INDArray gx = Nd4j.createUninitialized(y.dataType(), y.shape());
                RowKernels.softmaxBackward(y, g, gx, width);
                x.accumulate(gx);
                return;
            }
            INDArray dot = g.mul(y).sum(true, ax);
            x.accumulate(bcast("sub", g, dot).muli(y));
        });
    }

    /**
     * Log of softmax over the last axis, computed stably.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor logSoftmax(Tensor x) {
        int ax = x.rank() - 1;
        INDArray v;
        if (Elementwise.fusable(x.value())) {
            v = Nd4j.createUninitialized(x.value().dataType(), x.value().shape());
            RowKernels.logSoftmax(x.value(), v, (int) x.value().size(ax));
        } else {
            v = Nd4j.exec(new LogSoftMax(x.value(), ax))[0];
        }
        Tensor o = out(v, x);
        return Tape.push(o, g -> {
            INDArray sm = Transforms.exp(o.value(), true);
            x.accumulate(bcast("sub", g, bcast("mul", sm, g.sum(true, ax))));
        });
    }

    /**
     * Exponential linear unit: {@code x} if {@code x > 0} else {@code alpha * (exp(x) - 1)}.
     *
     * @param x the input
     * @param alpha the scale of the negative part
     * @return the result
     */
    public static Tensor elu(Tensor x, double alpha) {
        INDArray pos = x.value().gt(0).castTo(x.value().dataType());
        INDArray e = Transforms.exp(x.value(), true).subi(1.0).muli(alpha);
        INDArray v = x.value().mul(pos).addi(e.muli(pos.rsub(1.0)));
        Tensor o = out(v, x);
        return Tape.push(o, g -> {
            // x > 0: 1; else out + alpha
            INDArray d = o.value().add(alpha).muli(pos.rsub(1.0)).addi(pos);
            x.accumulate(g.mul(d));
        });
    }

    /**
     * Scaled exponential linear unit with Keras's constants.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor selu(Tensor x) {
        final double alpha = 1.6732632423543772848170429916717;
        final double scale = 1.0507009873554804934193349852946;
        return mulScalar(elu(x, alpha), scale);
    }

    /**
     * {@code log(1 + exp(x))}, stable for large {@code |x|}.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor softplus(Tensor x) {
        // max(x,0) + log1p(exp(-|x|))
        INDArray v = Transforms.relu(x.value(), true).addi(
                Transforms.log1p(Transforms.exp(Transforms.abs(x.value(), true).negi(), false), false));
        Tensor o = out(v, x);
        return Tape.push(o, g -> x.accumulate(g.mul(Transforms.sigmoid(x.value(), true))));
    }

    /**
     * {@code x / (1 + |x|)}.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor softsign(Tensor x) {
        INDArray den = Transforms.abs(x.value(), true).addi(1.0);
        Tensor o = out(x.value().div(den), x);
        return Tape.push(o, g -> x.accumulate(g.div(den.mul(den))));
    }

    /**
     * {@code x * sigmoid(x)} (also called silu).
     *
     * @param x the input
     * @return the result
     */
    public static Tensor swish(Tensor x) {
        INDArray s = Transforms.sigmoid(x.value(), true);
        Tensor o = out(x.value().mul(s), x);
        return Tape.push(o, g -> {
            // s * (1 + x * (1 - s))
            INDArray d = s.rsub(1.0).muli(x.value()).addi(1.0).muli(s);
            x.accumulate(g.mul(d));
        });
    }

    /**
     * Gaussian error linear unit. Exact ({@code x * Phi(x)} with erf) unless
     * {@code approximate}, which uses Keras's tanh formula.
     *
     * @param x the input
     * @param approximate true for the tanh approximation (Keras's default false)
     * @return the result
     */
    public static Tensor gelu(Tensor x, boolean approximate) {
        INDArray xv = x.value();
        if (!approximate) {
            INDArray erf = Nd4j.createUninitialized(xv.dataType(), xv.shape());
            Nd4j.exec(new Erf(xv.mul(1.0 / Math.sqrt(2.0)), erf));
            INDArray cdf = erf.addi(1.0).muli(0.5);
            Tensor o = out(xv.mul(cdf), x);
            return Tape.push(o, g -> {
                INDArray pdf = Transforms.exp(xv.mul(xv).muli(-0.5), false).muli(1.0 / Math.sqrt(2 * Math.PI));
                x.accumulate(g.mul(pdf.muli(xv).addi(cdf)));
            });
        }
        final double c = Math.sqrt(2.0 / Math.PI);
        // inner = c * (x + 0.044715 x^3); out = 0.5 x (1 + tanh(inner))
        INDArray x3 = xv.mul(xv).muli(xv);
        INDArray t = Transforms.tanh(x3.mul(0.044715).addi(xv).muli(c), false);
        Tensor o = out(t.add(1.0).muli(xv).muli(0.5), x);
        return Tape.push(o, g -> {
            INDArray dinner = xv.mul(xv).muli(3 * 0.044715).addi(1.0).muli(c);
            INDArray sech2 = t.mul(t).rsubi(1.0);
            INDArray d = t.add(1.0).muli(0.5).addi(sech2.muli(dinner).muli(xv).muli(0.5));
            x.accumulate(g.mul(d));
        });
    }

    /**
     * {@code x} if {@code x > 0} else {@code negativeSlope * x}.
     *
     * @param x the input
     * @param negativeSlope the slope for {@code x < 0}
     * @return the result
     */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        INDArray pos = x.value().gt(0).castTo(x.value().dataType());
        INDArray d = pos.mul(1 - negativeSlope).addi(negativeSlope);
        Tensor o = out(x.value().mul(d), x);
        return Tape.push(o, g -> x.accumulate(g.mul(d)));
    }

    // ------------------------------------------------------------------ elementwise math

    /**
     * Elementwise {@code exp(x)}.
     *
     * @param x the input
     * @return the result, of {@code x}'s shape
     */
    public static Tensor exp(Tensor x) {
        Tensor o = out(Transforms.exp(x.value(), true), x);
        return Tape.push(o, g -> x.accumulate(g.mul(o.value())));
    }

    /**
     * Elementwise natural logarithm.
     *
     * @param x the input, positive
     * @return the result, of {@code x}'s shape
     */
    public static Tensor log(Tensor x) {
        Tensor o = out(Transforms.log(x.value(), true), x);
        return Tape.push(o, g -> x.accumulate(g.div(x.value())));
    }

    /**
     * Elementwise square root.
     *
     * @param x the input, non-negative
     * @return the result, of {@code x}'s shape
     */
    public static Tensor sqrt(Tensor x) {
        Tensor o = out(Transforms.sqrt(x.value(), true), x);
        return Tape.push(o, g -> x.accumulate(g.div(o.value()).muli(0.5)));
    }

    /**
     * Elementwise {@code x * x}.
     *
     * @param x the input
     * @return the result, of {@code x}'s shape
     */
    public static Tensor square(Tensor x) {
        Tensor o = out(x.value().mul(x.value()), x);
        return Tape.push(o, g -> x.accumulate(g.mul(x.value()).muli(2.0)));
    }

    /**
     * Elementwise {@code |x|}.
     *
     * @param x the input
     * @return the result, of {@code x}'s shape
     */
    public static Tensor abs(Tensor x) {
        Tensor o = out(Transforms.abs(x.value(), true), x);
        return Tape.push(o, g -> x.accumulate(g.mul(Transforms.sign(x.value(), true))));
    }

    /**
     * Elementwise {@code max(x, c)}; the gradient goes to {@code x} where {@code x > c}.
     *
     * @param x the input
     * @param c the scalar
     * @return the result
     */
    public static Tensor maximum(Tensor x, double c) {
        INDArray mask = x.value().gt(c).castTo(x.value().dataType());
        Tensor o = out(Transforms.max(x.value(), c, true), x);
        return Tape.push(o, g -> x.accumulate(g.mul(mask)));
    }

    /**
     * Elementwise {@code min(x, c)}; the gradient goes to {@code x} where {@code x < c}.
     *
     * @param x the input
     * @param c the scalar
     * @return the result
     */
    public static Tensor minimum(Tensor x, double c) {
        INDArray mask = x.value().lt(c).castTo(x.value().dataType());
        Tensor o = out(Transforms.min(x.value(), c, true), x);
        return Tape.push(o, g -> x.accumulate(g.mul(mask)));
    }

    /**
     * Elementwise {@code min(a, b)} with numpy broadcasting; the gradient goes to {@code a} where
     * {@code a <= b}, else to {@code b}.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the result
     */
    public static Tensor minimum(Tensor a, Tensor b) {
        return select(a, b, false);
    }

    /**
     * Elementwise {@code max(a, b)} with numpy broadcasting; the gradient goes to {@code a} where
     * {@code a >= b}, else to {@code b}.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the result
     */
    public static Tensor maximum(Tensor a, Tensor b) {
        return select(a, b, true);
    }

    private static Tensor select(Tensor a, Tensor b, boolean max) {
        long[] s = broadcastShape(a.value().shape(), b.value().shape());
        INDArray av = broadcastTo(a.value(), s), bv = broadcastTo(b.value(), s);
        INDArray d = av.sub(bv);
        INDArray mask = (max ? d.gte(0) : d.lte(0)).castTo(av.dataType());
        INDArray v = av.mul(mask).addi(bv.mul(mask.rsub(1.0)));
        Tensor o = out(v, a, b);
        return Tape.push(o, g -> {
            if (a.requiresGrad()) a.accumulate(unbroadcast(g.mul(mask), a.value().shape()));
            if (b.requiresGrad()) b.accumulate(unbroadcast(g.mul(mask.rsub(1.0)), b.value().shape()));
        });
    }

    /** {@code x} broadcast (numpy rules) to {@code shape}, as a new C-order array. */
    private static INDArray broadcastTo(INDArray x, long[] shape) {
        if (Arrays.equals(x.shape(), shape)) return x;
        long[] xs = new long[shape.length];
        int lead = shape.length - x.rank();
        for (int i = 0; i < shape.length; i++) xs[i] = i < lead ? 1 : x.size(i - lead);
        return x.reshape(xs).broadcast(shape).dup('c');
    }

    /**
     * Clips {@code x} to {@code [lo, hi]}; the gradient passes only inside the interval, as in Keras.
     *
     * @param x the input
     * @param lo the lower bound
     * @param hi the upper bound
     * @return the result
     */
    public static Tensor clip(Tensor x, double lo, double hi) {
        INDArray mask = x.value().gte(lo).castTo(x.value().dataType()).muli(x.value().lte(hi).castTo(x.value().dataType()));
        INDArray v = Transforms.min(Transforms.max(x.value(), lo, true), hi, false);
        Tensor o = out(v, x);
        return Tape.push(o, g -> x.accumulate(g.mul(mask)));
    }

    // ------------------------------------------------------------------ reductions

    /**
     * Sum of all elements, a scalar.
     *
     * @param x the input
     * @return the sum
     */
    public static Tensor sum(Tensor x) {
        INDArray xv = x.value();
        // a JVM pass for dense C-order arrays (a loss's 128 per-sample values: two ND4J calls fewer per step)
        boolean jvm = Elementwise.fusable(xv);
        Tensor o = out(jvm ? Nd4j.scalar(xv.dataType(), Elementwise.sum(xv)) : xv.sum(), x);
        return Tape.push(o, g -> {
            if (!jvm) {
                x.accumulate(Nd4j.valueArrayOf(xv.shape(), g.getDouble(0), xv.dataType()));
                return;
            }
            INDArray gx = Nd4j.createUninitialized(xv.dataType(), xv.shape());
            Elementwise.fill(gx, g.getDouble(0));
            x.accumulate(gx);
        });
    }

    /**
     * Sum over {@code axis} (negative counts from the end).
     *
     * @param x the input
     * @param axis the axis, negative from the end
     * @param keepDims true to keep the reduced axis with size 1
     * @return the sum
     */
    public static Tensor sum(Tensor x, int axis, boolean keepDims) {
        int ax = axis < 0 ? x.rank() + axis : axis;
        Tensor o = out(x.value().sum(keepDims, ax), x);
        return Tape.push(o, g -> {
            long[] keep = x.value().shape().clone();
            keep[ax] = 1;
            x.accumulate(g.reshape(keep).broadcast(x.value().shape()));
        });
    }

    /**
     * Mean of all elements, a scalar.
     *
     * @param x the input
     * @return the mean
     */
    public static Tensor mean(Tensor x) {
        return mulScalar(sum(x), 1.0 / x.value().length());
    }

    /**
     * Mean over {@code axis}.
     *
     * @param x the input
     * @param axis the axis, negative from the end
     * @param keepDims true to keep the reduced axis with size 1
     * @return the mean
     */
    public static Tensor mean(Tensor x, int axis, boolean keepDims) {
        int ax = axis < 0 ? x.rank() + axis : axis;
        return mulScalar(sum(x, ax, keepDims), 1.0 / x.value().size(ax));
    }

    // ------------------------------------------------------------------ shape

    /**
     * Reshape (C order); one dimension may be -1.
     *
     * @param x the input
     * @param shape the new shape; one size may be -1
     * @return the result
     */
    public static Tensor reshape(Tensor x, long... shape) {
        INDArray v = x.value().reshape('c', shape);
        Tensor o = out(v, x);
        long[] s = x.value().shape();
        return Tape.push(o, g -> x.accumulate(g.reshape('c', s)));
    }

    /**
     * Concatenation along {@code axis}.
     *
     * @param axis the axis, negative from the end
     * @param xs the tensors, equal in every other axis
     * @return the result
     */
    public static Tensor concat(int axis, Tensor... xs) {
        int ax = axis < 0 ? xs[0].rank() + axis : axis;
        INDArray[] vs = new INDArray[xs.length];
        for (int i = 0; i < xs.length; i++) vs[i] = xs[i].value();
        Tensor o = out(Nd4j.concat(ax, vs), xs);
        return Tape.push(o, g -> {
            long start = 0;
            for (Tensor t : xs) {
                long n = t.value().size(ax);
                if (t.requiresGrad()) {
                    INDArrayIndex[] idx = new INDArrayIndex[g.rank()];
                    for (int d = 0; d < idx.length; d++) idx[d] = NDArrayIndex.all();
                    idx[ax] = NDArrayIndex.interval(start, start + n);
                    t.accumulate(g.get(idx).dup());
                }
                start += n;
            }
        });
    }

    /**
     * Permutes the axes of {@code x}: output axis {@code i} is input axis {@code perm[i]} (numpy's transpose).
     *
     * @param x the input
     * @param perm the input axis for each output axis
     * @return the result
     */
    public static Tensor transpose(Tensor x, int... perm) {
        int r = x.rank();
        if (perm.length != r) {
            throw new IllegalArgumentException("transpose: perm " + Arrays.toString(perm) + " does not match rank " + r);
        }
        int[] inv = new int[r];
        boolean[] seen = new boolean[r];
        boolean identity = true;
        for (int i = 0; i < r; i++) {
            if (perm[i] < 0 || perm[i] >= r || seen[perm[i]]) {
                throw new IllegalArgumentException("transpose: perm " + Arrays.toString(perm) + " is not a permutation of 0.." + (r - 1));
            }
            seen[perm[i]] = true;
            inv[perm[i]] = i;
            identity &= perm[i] == i;
        }
        if (identity) return x;
        Tensor o = out(x.value().permute(perm).dup('c'), x);
        return Tape.push(o, g -> x.accumulate(g.permute(inv).dup('c')));
    }

    /**
     * The slice {@code x[begin[0]:end[0], begin[1]:end[1], ...]} (one interval per axis,
     * {@code end} exclusive); the gradient is zero outside the slice.
     *
     * @param x the input
     * @param begin the first index on each axis
     * @param end the index after the last on each axis
     * @return the result
     */
    public static Tensor slice(Tensor x, long[] begin, long[] end) {
        long[] xs = x.value().shape();
        INDArrayIndex[] idx = new INDArrayIndex[xs.length];
        for (int d = 0; d < xs.length; d++) {
            if (begin[d] < 0 || end[d] > xs[d] || begin[d] >= end[d]) {
                throw new IllegalArgumentException("slice: interval [" + begin[d] + ", " + end[d] + ") of axis " + d
                        + " is empty or outside shape " + Shape.format(xs));
            }
            idx[d] = NDArrayIndex.interval(begin[d], end[d]);
        }
        Tensor o = out(x.value().get(idx).dup('c'), x);
        return Tape.push(o, g -> {
            INDArray gx = Nd4j.zeros(g.dataType(), xs);
            gx.get(idx).assign(g);
            x.accumulate(gx);
        });
    }

    /**
     * Batched matrix product of {@code (batch, m, k)} and {@code (batch, k, n)}: {@code (batch, m, n)}.
     *
     * @param a the first operand
     * @param b the second operand
     * @return the product
     */
    public static Tensor batchMatmul(Tensor a, Tensor b) {
        long[] as = a.value().shape(), bs = b.value().shape();
        if (as.length != 3 || bs.length != 3 || as[0] != bs[0] || as[2] != bs[1]) {
            throw new IllegalArgumentException("batchMatmul expects (batch, m, k) and (batch, k, n); got "
                    + Shape.format(as) + " and " + Shape.format(bs));
        }
        Tensor o = out(Nd4j.matmul(a.value(), b.value()), a, b);
        return Tape.push(o, g -> {
            if (a.requiresGrad()) a.accumulate(Nd4j.matmul(g, b.value(), false, true, false));
            if (b.requiresGrad()) b.accumulate(Nd4j.matmul(a.value(), g, true, false, false));
        });
    }

    /**
     * Casts to a float type; the gradient is cast back.
     *
     * @param x the input
     * @param type the float type
     * @return the result
     */
    public static Tensor cast(Tensor x, DataType type) {
        if (x.value().dataType() == type) return x;
        Tensor o = out(x.value().castTo(type), x);
        DataType orig = x.value().dataType();
        return Tape.push(o, g -> x.accumulate(g.castTo(orig)));
    }

    // ------------------------------------------------------------------ dropout

    /**
     * Inverted dropout: zeroes a fraction {@code rate} of the entries and scales the rest
     * by {@code 1 / (1 - rate)}. The caller applies it only in training.
     *
     * @param x the input
     * @param rate the fraction of entries dropped, in [0, 1)
     * @param rng the random generator
     * @return the result
     */
    public static Tensor dropout(Tensor x, double rate, Random rng) {
        if (rate <= 0) return x;
        INDArray mask = Nd4j.createUninitialized(x.value().dataType(), x.value().shape());
        Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - rate), rng);
        mask.muli(1.0 / (1.0 - rate));
        Tensor o = out(x.value().mul(mask), x);
        return Tape.push(o, g -> x.accumulate(g.mul(mask)));
    }

    // ------------------------------------------------------------------ fused losses

    /**
     * Per-sample categorical crossentropy from logits over the last axis:
     * {@code -sum(y * log_softmax(z))}. Gradient {@code softmax(z) * sum(y) - y}.
     *
     * @param logits the logits
     * @param yTrue the targets
     * @return the per-sample losses
     */
    public static Tensor softmaxCrossEntropy(Tensor logits, INDArray yTrue) {
        int ax = logits.rank() - 1;
        INDArray yc = yTrue.dataType() == logits.value().dataType() ? yTrue : yTrue.castTo(logits.value().dataType());
        if (Elementwise.fusable(logits.value(), yc)) {
            int width = (int) logits.value().size(ax);
            long[] ps = java.util.Arrays.copyOf(logits.value().shape(), ax);
            INDArray per = Nd4j.createUninitialized(logits.value().dataType(), ps);
            INDArray sm = Nd4j.createUninitialized(logits.value().dataType(), logits.value().shape());
            RowKernels.softmaxCrossEntropy(logits.value(), yc, per, sm, width);
            Tensor o = out(per, logits);
            return Tape.push(o, g -> {
                INDArray gz = Nd4j.createUninitialized(sm.dataType(), sm.shape());
                INDArray gc = Elementwise.fusable(g) ? g : g.dup('c');
                RowKernels.softmaxCrossEntropyBackward(sm, yc, gc, gz, width);
                logits.accumulate(gz);
            });
        }
        INDArray lsm = Nd4j.exec(new LogSoftMax(logits.value(), ax))[0];
        INDArray y = yTrue.dataType() == lsm.dataType() ? yTrue : yTrue.castTo(lsm.dataType());
        INDArray per = lsm.mul(y).sum(ax).negi();
        Tensor o = out(per, logits);
        return Tape.push(o, g -> {
            long[] keep = logits.value().shape().clone();
            keep[ax] = 1;
            INDArray sm = Transforms.exp(lsm, true);
            INDArray d = bcast("mul", sm, y.sum(true, ax)).subi(y);
            logits.accumulate(bcast("mul", d, g.reshape(keep)));
        });
    }

    /**
     * Elementwise binary crossentropy from logits:
     * {@code max(z, 0) - z * y + log(1 + exp(-|z|))}. Gradient {@code sigmoid(z) - y}.
     *
     * @param logits the logits
     * @param yTrue the targets
     * @return the per-sample losses
     */
    public static Tensor sigmoidCrossEntropy(Tensor logits, INDArray yTrue) {
        INDArray z = logits.value();
        INDArray y = yTrue.dataType() == z.dataType() ? yTrue : yTrue.castTo(z.dataType());
        if (Elementwise.fusable(z, y)) {
            INDArray v = Nd4j.createUninitialized(z.dataType(), z.shape());
            RowKernels.sigmoidCrossEntropy(z, y, v);
            Tensor o = out(v, logits);
            return Tape.push(o, g -> {
                INDArray gz = Nd4j.createUninitialized(z.dataType(), z.shape());
                RowKernels.sigmoidCrossEntropyBackward(z, y, Elementwise.fusable(g) ? g : g.dup('c'), gz);
                logits.accumulate(gz);
            });
        }
        INDArray v = Transforms.relu(z, true).subi(z.mul(y))
                .addi(Transforms.log1p(Transforms.exp(Transforms.abs(z, true).negi(), false), false));
        Tensor o = out(v, logits);
        return Tape.push(o, g -> logits.accumulate(Transforms.sigmoid(z, true).subi(y).muli(g)));
    }

    // ------------------------------------------------------------------ additions for losses

    /**
     * {@code log(1 + x)}, accurate for small {@code x}.
     *
     * @param x the input
     * @return the result
     */
    public static Tensor log1p(Tensor x) {
        Tensor o = out(Transforms.log1p(x.value(), true), x);
        return Tape.push(o, g -> x.accumulate(g.div(x.value().add(1.0))));
    }

    /**
     * Removes the size-1 axis {@code axis}. A sigmoid output keeps its logits (reshaped
     * alike), so binary crossentropy can still work from them.
     *
     * @param x the input
     * @param axis the size-1 axis to remove
     * @return the result
     */
    public static Tensor squeeze(Tensor x, int axis) {
        int ax = axis < 0 ? x.rank() + axis : axis;
        long[] s = x.value().shape();
        if (s[ax] != 1) {
            throw new IllegalArgumentException("Cannot squeeze axis " + axis + " of shape " + Shape.format(s)
                    + ": its size is " + s[ax] + ", not 1");
        }
        long[] ns = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != ax) ns[j++] = s[i];
        return reshapeKeepingSigmoidLogits(x, ns);
    }

    /**
     * Inserts a size-1 axis at {@code axis}; a sigmoid output keeps its logits as {@link #squeeze} does.
     *
     * @param x the input
     * @param axis where the new axis goes
     * @return the result
     */
    public static Tensor expandDims(Tensor x, int axis) {
        long[] s = x.value().shape();
        int ax = axis < 0 ? s.length + 1 + axis : axis;
        long[] ns = new long[s.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) ns[i] = i == ax ? 1 : s[j++];
        return reshapeKeepingSigmoidLogits(x, ns);
    }

    private static Tensor reshapeKeepingSigmoidLogits(Tensor x, long[] shape) {
        Tensor o = reshape(x, shape);
        if ("sigmoid".equals(x.logitsKind()) && x.logits() != null) {
            o.withLogits(reshape(x.logits(), shape), "sigmoid");
        }
        return o;
    }

    /**
     * Elementwise Huber function: {@code 0.5 x^2} where {@code |x| <= delta}, else
     * {@code delta * |x| - 0.5 delta^2}. Its derivative is {@code clip(x, -delta, delta)}.
     *
     * @param x the input
     * @param delta where the loss turns from quadratic to linear
     * @return the elementwise loss
     */
    public static Tensor huber(Tensor x, double delta) {
        // with c = clip(x, -delta, delta): huber(x) = c * (x - c / 2)
        INDArray c = Transforms.min(Transforms.max(x.value(), -delta, true), delta, false);
        INDArray v = c.mul(-0.5).addi(x.value()).muli(c);
        Tensor o = out(v, x);
        return Tape.push(o, g -> x.accumulate(g.mul(c)));
    }

    /**
     * L2 normalization over {@code axis} as Keras's {@code normalize}:
     * {@code x * min(1 / ||x||, 1 / epsilon)}.
     *
     * @param x the input
     * @param axis the axis, negative from the end
     * @param epsilon the small constant that guards against division by zero or log of zero
     * @return the result
     */
    public static Tensor l2Normalize(Tensor x, int axis, double epsilon) {
        int ax = axis < 0 ? x.rank() + axis : axis;
        INDArray xv = x.value();
        INDArray norm = Transforms.sqrt(xv.mul(xv).sum(true, ax), false);
        // rows whose norm exceeds epsilon depend on the norm; the others are scaled by a constant
        INDArray live = norm.gt(epsilon).castTo(xv.dataType());
        INDArray inv = Transforms.max(norm, epsilon, true).rdivi(1.0);
        Tensor o = out(bcast("mul", xv, inv), x);
        return Tape.push(o, g -> {
            INDArray dot = g.mul(o.value()).sum(true, ax).muli(live);
            INDArray t = g.sub(bcast("mul", o.value(), dot));
            x.accumulate(bcast("mul", t, inv));
        });
    }

    /**
     * Per-sample categorical crossentropy of probabilities, as Keras computes it without
     * logits: each row is divided by its sum over {@code axis}, clipped to
     * {@code [epsilon, 1 - epsilon]}, and {@code -sum(y * log(p))} taken over {@code axis}. The
     * gradient stops where the clip is active, as {@code clip_by_value}'s does.
     *
     * @param probs the probabilities
     * @param yTrue the targets
     * @param axis the axis, negative from the end
     * @param epsilon the small constant that guards against division by zero or log of zero
     * @return the per-sample losses
     */
    public static Tensor probCrossEntropy(Tensor probs, INDArray yTrue, int axis, double epsilon) {
        int ax = axis < 0 ? probs.rank() + axis : axis;
        INDArray p = probs.value();
        DataType dt = p.dataType();
        INDArray y = yTrue.dataType() == dt ? yTrue : yTrue.castTo(dt);
        INDArray s = p.sum(true, ax);
        INDArray q = bcast("div", p, s);
        INDArray c = Transforms.min(Transforms.max(q, epsilon, true), 1.0 - epsilon, false);
        INDArray per = Transforms.log(c, true).muli(y).sum(ax).negi();
        Tensor o = out(per, probs);
        return Tape.push(o, g -> {
            long[] keep = p.shape().clone();
            keep[ax] = 1;
            // d/dq = -y / c inside the clip interval, 0 outside; then through q = p / s
            INDArray inside = q.gte(epsilon).castTo(dt).muli(q.lte(1.0 - epsilon).castTo(dt));
            INDArray gq = y.div(c).muli(inside).negi();
            INDArray proj = gq.mul(q).sum(true, ax);
            INDArray gp = bcast("sub", gq, proj);
            gp = bcast("div", gp, s);
            probs.accumulate(bcast("mul", gp, g.reshape(keep)));
        });
    }

    /**
     * Elementwise binary crossentropy of probabilities, as Keras computes it without logits:
     * {@code p} clipped to {@code [epsilon, 1 - epsilon]}, then
     * {@code -(y log p + (1 - y) log(1 - p))}. The gradient stops where the clip is active.
     *
     * @param probs the probabilities
     * @param yTrue the targets
     * @param epsilon the small constant that guards against division by zero or log of zero
     * @return the per-element losses
     */
    public static Tensor binaryProbCrossEntropy(Tensor probs, INDArray yTrue, double epsilon) {
        INDArray p = probs.value();
        DataType dt = p.dataType();
        INDArray y = yTrue.dataType() == dt ? yTrue : yTrue.castTo(dt);
        INDArray c = Transforms.min(Transforms.max(p, epsilon, true), 1.0 - epsilon, false);
        INDArray oneMinusC = c.rsub(1.0);
        INDArray v = Transforms.log(c, true).muli(y)
                .addi(Transforms.log(oneMinusC, true).muli(y.rsub(1.0))).negi();
        Tensor o = out(v, probs);
        return Tape.push(o, g -> {
            // d/dc = (c - y) / (c (1 - c)), zero where the clip is active
            INDArray inside = p.gte(epsilon).castTo(dt).muli(p.lte(1.0 - epsilon).castTo(dt));
            INDArray d = c.sub(y).divi(c.mul(oneMinusC)).muli(inside).muli(g);
            probs.accumulate(d);
        });
    }
}
