package org.cornu.core.ops;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.kernels.ConvKernels;
import org.cornu.core.kernels.DepthwiseKernels;
import org.cornu.core.kernels.Dnnl;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.kernels.Gemm;
import org.cornu.core.kernels.Onednn;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * Differentiable convolution and pooling primitives on channels_last tensors
 * {@code (batch, height, width, channels)}. Padding follows TensorFlow/Keras: "same" pads
 * {@code total / 2} before and the rest after (more on the bottom/right), "valid" pads nothing.
 *
 * <p>Each op picks its kernel, in this order: float32 on the CPU runs oneDNN called directly
 * ({@link Dnnl}: cached primitives, Winograd where it wins, max pooling's argmax kept between
 * forward and backward); with that switched off, ND4J's oneDNN-backed native ops ({@link Onednn});
 * otherwise (float64, or both off) convolution is im2col + one gemm in NHWC (the gemm's output is
 * already NHWC, so no transposes) and pooling a direct JVM loop; elsewhere (other layouts or
 * backends) ND4J's native {@code conv2d}, {@code maxpool2d}, {@code avgpool2d} and their
 * {@code _bp} ops run. The book's MNIST convnet epoch, one thread: 14-15 s through {@link Dnnl},
 * 20 s through ND4J's oneDNN ops, measured side by side.
 * Measured at batch 64 on the MNIST convnet shapes (2-core machine, 1 thread): ND4J M2.1's
 * native {@code conv2d_bp} took 107 ms (NHWC) / 109 ms (NCHW) for 13x13x32 -> 64 and 20 / 40 ms
 * for 28x28x1 -> 32, with NCHW no better overall, while the whole im2col path for the
 * 13x13x32 layer took about 26 ms CPU forward and backward.
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * Keras's output length of a convolution/pooling along one axis.
     *
     * @param in the input length
     * @param kernel the kernel length
     * @param stride the stride
     * @param same true for {@code "same"} padding, false for {@code "valid"}
     * @param dilation the dilation rate
     * @return the output length
     */
    public static long outputLength(long in, int kernel, int stride, boolean same, int dilation) {
        if (in < 0) return -1;
        if (same) return (in + stride - 1) / stride;
        long eff = (long) dilation * (kernel - 1) + 1;
        long n = (in - eff) / stride + 1;
        return Math.max(0, in - eff < 0 ? 0 : n);
    }

    private static Tensor out(INDArray v, Tensor... parents) {
        return new Tensor(v, Tape.needsGrad(parents));
    }

    private static long[] outShape(long[] xs, long channels, int kh, int kw, int[] strides, boolean same, int[] dil) {
        return new long[] {xs[0], outputLength(xs[1], kh, strides[0], same, dil[0]),
                outputLength(xs[2], kw, strides[1], same, dil[1]), channels};
    }

    private static int[] iargs(int kh, int kw, int[] s, boolean same, int[] d, int extra) {
        // kH, kW, sH, sW, pH, pW, dH, dW, isSameMode, extra, NHWC (1)
        return new int[] {kh, kw, s[0], s[1], 0, 0, d[0], d[1], same ? 1 : 0, extra, 1};
    }

    /**
     * 2-D convolution (cross-correlation, as Keras): {@code x (n, h, w, cin)}, {@code kernel
     * (kh, kw, cin, filters)}, optional {@code bias (filters)}; output {@code (n, oh, ow, filters)}.
     *
     * @param x the input, shape {@code (batch, height, width, channels)}
     * @param kernel the kernel, shape {@code (kh, kw, in, out)}
     * @param bias the bias, shape {@code (out,)}, or null
     * @param strides the strides {@code {sh, sw}}
     * @param same true for {@code "same"} padding, false for {@code "valid"}
     * @param dilation the dilation rates {@code {dh, dw}}
     * @return the output, shape {@code (batch, outHeight, outWidth, out)}
     */
    public static Tensor conv2d(Tensor x, Tensor kernel, Tensor bias, int[] strides, boolean same, int[] dilation) {
        // ND4J M2.1's oneDNN conv2d refuses dilated float32 kernels ("execution failed"), even when reached
        // through the native path: those run on the JVM path
        if (Dnnl.applies(x.value(), kernel.value(), bias == null ? null : bias.value())) {
            Tensor z = conv2dDnnl(x, kernel, bias, strides, same, dilation, false);
            if (z != null) return z;
        }
        boolean dilated = dilation[0] != 1 || dilation[1] != 1;
        if (!dilated && Onednn.applies(x.value(), kernel.value(), bias == null ? null : bias.value())) {
            FastPaths.ONEDNN.countRun();
            // an input that needs no gradient (a model's first layer): kernel and bias gradients only,
            // from im2col and one gemm, where conv2d_bp would also compute the unneeded input gradient
            return conv2dNative(x, kernel, bias, strides, same, dilation, !x.requiresGrad());
        }
        boolean onednnRefuses = dilated && Onednn.present() && x.value().dataType() == DataType.FLOAT
                && Elementwise.fusable(x.value()) && Elementwise.fusable(kernel.value());
        if (onednnRefuses || jvm(x.value(), kernel.value()) && (bias == null || jvm(bias.value()))) {
            return conv2dJvm(x, kernel, bias, strides, same, dilation);
        }
        return conv2dNative(x, kernel, bias, strides, same, dilation, false);
    }

    private static boolean nonEmpty(long[] shape) {
        for (long d : shape) if (d <= 0) return false;
        return true;
    }

    /**
     * TensorFlow's padding of one pooling or convolution as {@code {top, bottom, left, right}}:
     * for "same" the total is split with the smaller half before, "valid" pads nothing.
     */
    private static int[] pads(long[] xs, long[] os, int kh, int kw, int[] strides, int[] dilation, boolean same) {
        if (!same) return new int[4];
        long th = Math.max((os[1] - 1) * strides[0] + (long) (kh - 1) * dilation[0] + 1 - xs[1], 0);
        long tw = Math.max((os[2] - 1) * strides[1] + (long) (kw - 1) * dilation[1] + 1 - xs[2], 0);
        return new int[] {(int) (th / 2), (int) (th - th / 2), (int) (tw / 2), (int) (tw - tw / 2)};
    }

    /**
     * Float32 convolution (or depthwise convolution, oneDNN's grouped one) through oneDNN called
     * directly ({@link Dnnl}): one cached plan per shape,
     * the kernel and bias gradients from one backward-weights primitive, the input gradient only
     * when the input takes one; null when oneDNN refuses the problem.
     */
    private static Tensor conv2dDnnl(Tensor x, Tensor kernel, Tensor bias, int[] strides, boolean same, int[] dilation,
            boolean depthwise) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        long[] os = outShape(xs, depthwise ? ks[2] * ks[3] : ks[3], (int) ks[0], (int) ks[1], strides, same, dilation);
        int[] pads = pads(xs, os, (int) ks[0], (int) ks[1], strides, dilation, same);
        java.util.function.Supplier<Dnnl.Conv> plan = () -> depthwise ? Dnnl.depthwise(xs, ks, strides, pads, dilation)
                : Dnnl.conv(xs, ks, strides, pads, dilation, bias != null);
        Dnnl.Conv forward = nonEmpty(os) ? plan.get() : null;
        if (forward == null) return null;
        FastPaths.DNNL.countRun();
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, os);
        long stamp = forward.forward(x.value(), kernel.value(), bias == null ? null : bias.value(), z);
        Tensor o = bias == null ? out(z, x, kernel) : out(z, x, kernel, bias);
        return Tape.push(o, g -> {
            INDArray gc = Dnnl.operand(g);
            // this thread's plan (the forward's when the backward runs on the same thread)
            Dnnl.Conv here = java.util.Objects.requireNonNullElse(plan.get(), forward);
            if (kernel.requiresGrad() || bias != null && bias.requiresGrad()) {
                INDArray gk = Nd4j.createUninitialized(DataType.FLOAT, ks);
                INDArray gb = bias == null ? null : Nd4j.createUninitialized(DataType.FLOAT, ks[3]);
                here.backwardWeights(x.value(), gc, gk, gb, stamp);
                kernel.accumulate(gk);
                if (bias != null) bias.accumulate(gb);
            }
            if (x.requiresGrad()) {
                INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, xs);
                here.backwardData(gc, kernel.value(), gx);
                x.accumulate(gx);
            }
        });
    }

    /**
     * Float32 max or average pooling through oneDNN called directly, max pooling's argmax kept for the
     * backward; null when oneDNN refuses the problem.
     */
    private static Tensor pool2dDnnl(Tensor x, int[] pool, int[] strides, boolean same, boolean max) {
        long[] xs = x.value().shape();
        int[] one = {1, 1};
        long[] os = outShape(xs, xs[3], pool[0], pool[1], strides, same, one);
        int[] pads = pads(xs, os, pool[0], pool[1], strides, one, same);
        Dnnl.Pool plan = nonEmpty(os) ? Dnnl.pool(xs, pool, strides, pads, max) : null;
        if (plan == null) return null;
        FastPaths.DNNL.countRun();
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, os);
        INDArray ws = plan.workspaceBytes() == 0 ? null : Nd4j.createUninitialized(DataType.BYTE, plan.workspaceBytes());
        plan.forward(x.value(), z, ws);
        Tensor o = out(z, x);
        Tensor reluIn = max && FastPaths.RELU_POOL_FOLD.enabled() ? x.reluOf() : null;
        return Tape.push(o, g -> {
            INDArray gc = Dnnl.operand(g);
            INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, xs);
            Dnnl.Pool p = java.util.Objects.requireNonNullElse(Dnnl.pool(xs, pool, strides, pads, max), plan);
            if (reluIn != null && Tape.leavesOnly()) {
                // x = relu(r): relu's derivative at a window's maximum is (z > 0), z that maximum, and
                // every other cell gets nothing. So the pooled gradient is masked (a quarter of the map
                // for 2 x 2 windows), pooled back and sent straight to r; x's own gradient is left
                // without it, and relu's backward, which would pass over the whole map, skips this part
                FastPaths.RELU_POOL_FOLD.countRun();
                INDArray gm = Nd4j.createUninitialized(DataType.FLOAT, gc.shape());
                Ops.reluGradient(z, gc, gm);
                p.backward(gm, ws, gx);
                reluIn.accumulate(gx);
                return;
            }
            p.backward(gc, ws, gx);
            x.accumulate(gx);
        });
    }

    /** Whether the JVM kernels apply (CPU, float/double, dense C order) and are not switched off. */
    static boolean jvm(INDArray... a) {
        return FastPaths.JVM_CONV.enabled() && Elementwise.fusable(a[0]) && java.util.Arrays.stream(a).allMatch(
                v -> v.dataType() == a[0].dataType() && Elementwise.fusable(v));
    }


    private static void im2col(INDArray x, INDArray col, ConvKernels.Geo ge) {
        long work = col.length();
        // runs of kw*c (or c) contiguous values: short runs copy faster between heap arrays
        boolean shortRuns = (ge.dw() == 1 ? ge.kw() * ge.c() : ge.c()) < 32;
        if (x.dataType() == DataType.DOUBLE) {
            if (shortRuns) {
                double[] xb = heapD(x, 0), cb = scratchD(1, work);
                if (!ge.inside()) java.util.Arrays.fill(cb, 0, (int) work, 0.0);
                ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.im2col(xb, cb, ge, b0, b1));
                Elementwise.doubles(col).put(0, cb, 0, (int) work);
                return;
            }
            DoubleBuffer xb = Elementwise.doubles(x), cb = Elementwise.doubles(col);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.im2col(xb, cb, ge, b0, b1));
        } else {
            if (shortRuns) {
                float[] xb = heap(x, 0), cb = scratch(1, work);
                // padding leaves cells unwritten, which must read 0 (the scratch holds the last call's values)
                if (!ge.inside()) java.util.Arrays.fill(cb, 0, (int) work, 0f);
                ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.im2col(xb, cb, ge, b0, b1));
                Elementwise.floats(col).put(0, cb, 0, (int) work);
                return;
            }
            FloatBuffer xb = Elementwise.floats(x), cb = Elementwise.floats(col);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.im2col(xb, cb, ge, b0, b1));
        }
    }

    private static void col2im(INDArray gcol, INDArray gx, ConvKernels.Geo ge) {
        long work = gcol.length();
        if (gx.dataType() == DataType.DOUBLE) {
            double[] cb = heapD(gcol, 0), xb = scratchD(1, gx.length());
            java.util.Arrays.fill(xb, 0, (int) gx.length(), 0.0);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.col2im(cb, xb, ge, b0, b1));
            Elementwise.doubles(gx).put(0, xb, 0, (int) gx.length());
        } else {
            float[] cb = heap(gcol, 0), xb = scratch(1, gx.length());
            java.util.Arrays.fill(xb, 0, (int) gx.length(), 0f);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.col2im(cb, xb, ge, b0, b1));
            Elementwise.floats(gx).put(0, xb, 0, (int) gx.length());
        }
    }

    /**
     * Per-thread heap scratch arrays, grown on demand and reused: allocating (and zeroing)
     * fresh multi-megabyte arrays each step cost more than the loops themselves.
     */
    private static final ThreadLocal<float[][]> F_SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);
    private static final ThreadLocal<double[][]> D_SCRATCH = ThreadLocal.withInitial(() -> new double[3][0]);

    private static float[] scratch(int slot, long n) {
        float[][] s = F_SCRATCH.get();
        if (s[slot].length < n) s[slot] = new float[(int) n];
        return s[slot];
    }

    private static double[] scratchD(int slot, long n) {
        double[][] s = D_SCRATCH.get();
        if (s[slot].length < n) s[slot] = new double[(int) n];
        return s[slot];
    }

    /** The elements of a dense C-order float array copied (one bulk copy) into scratch {@code slot}. */
    private static float[] heap(INDArray a, int slot) {
        float[] r = scratch(slot, a.length());
        Elementwise.floats(a).get(0, r, 0, (int) a.length());
        return r;
    }

    private static double[] heapD(INDArray a, int slot) {
        double[] r = scratchD(slot, a.length());
        Elementwise.doubles(a).get(0, r, 0, (int) a.length());
        return r;
    }

    /**
     * im2col + one gemm: rows (n*oh*ow) by columns (kh*kw*cin) times the kernel viewed as
     * (kh*kw*cin, filters) is the NHWC output; backward is two gemms and a col2im.
     */
    private static Tensor conv2dJvm(Tensor x, Tensor kernel, Tensor bias, int[] strides, boolean same, int[] dilation) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        DataType dt = x.value().dataType();
        ConvKernels.Geo ge = ConvKernels.Geo.of(xs, (int) ks[0], (int) ks[1], strides, dilation, same);
        long rows = (long) ge.n() * ge.oh() * ge.ow(), kk = ks[0] * ks[1] * ks[2], f = ks[3];
        boolean pointwise = pointwise(ks, strides);
        INDArray col = columns(x.value(), ge, ks, strides, same, dilation);
        INDArray k2 = kernel.value().reshape('c', kk, f);
        INDArray z = Nd4j.createUninitialized(dt, rows, f);
        if (bias == null) {
            Gemm.gemm(col, k2, z, false, false, 1.0, 0.0);
        } else {
            Gemm.broadcastRows(z, bias.value());
            Gemm.gemm(col, k2, z, false, false, 1.0, 1.0);
        }
        INDArray zo = z.reshape('c', ge.n(), ge.oh(), ge.ow(), f);
        Tensor o = bias == null ? out(zo, x, kernel) : out(zo, x, kernel, bias);
        return Tape.push(o, g -> {
            INDArray g2 = g.reshape('c', rows, f);
            if (kernel.requiresGrad()) kernel.accumulate(Gemm.gemm(col, g2, true, false).reshape('c', ks));
            if (bias != null && bias.requiresGrad()) bias.accumulate(Gemm.columnSums(g2, f));
            if (x.requiresGrad()) {
                INDArray gcol = Gemm.gemm(g2, k2, false, true);
                if (pointwise) {
                    x.accumulate(gcol.reshape('c', xs));
                } else {
                    INDArray gx = Nd4j.createUninitialized(dt, xs);
                    col2im(gcol, gx, ge);
                    x.accumulate(gx);
                }
            }
        });
    }

    private static boolean pointwise(long[] ks, int[] strides) {
        return ks[0] == 1 && ks[1] == 1 && strides[0] == 1 && strides[1] == 1;
    }

    /** im2col's matrix {@code (n*oh*ow, kh*kw*cin)} of {@code x}: a reshape of it for a pointwise kernel. */
    private static INDArray columns(INDArray x, ConvKernels.Geo ge, long[] ks, int[] strides, boolean same, int[] dilation) {
        long rows = (long) ge.n() * ge.oh() * ge.ow(), kk = ks[0] * ks[1] * ks[2];
        if (pointwise(ks, strides)) return x.reshape('c', rows, kk);
        boolean padded = same || dilation[0] > 1 || dilation[1] > 1;
        DataType dt = x.dataType();
        INDArray col = padded ? Nd4j.create(dt, rows, kk) : Nd4j.createUninitialized(dt, rows, kk);
        // valid padding without dilation writes every cell of col; otherwise skipped cells stay 0
        im2col(x, col, ge);
        return col;
    }

    /**
     * The kernel and bias gradients of a convolution from im2col and one gemm, for an input that
     * needs no gradient: {@code dK = col^T g} and {@code db} the column sums of {@code g}.
     */
    private static void weightGradsJvm(Tensor x, Tensor kernel, Tensor bias, INDArray g, int[] strides, boolean same,
            int[] dilation) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        ConvKernels.Geo ge = ConvKernels.Geo.of(xs, (int) ks[0], (int) ks[1], strides, dilation, same);
        long rows = (long) ge.n() * ge.oh() * ge.ow(), f = ks[3];
        INDArray g2 = (g.isView() || g.ordering() != 'c' ? g.dup('c') : g).reshape('c', rows, f);
        if (kernel.requiresGrad()) {
            INDArray col = columns(x.value(), ge, ks, strides, same, dilation);
            kernel.accumulate(Gemm.gemm(col, g2, true, false).reshape('c', ks));
        }
        if (bias != null && bias.requiresGrad()) bias.accumulate(Gemm.columnSums(g2, f));
    }

    private static Tensor conv2dNative(Tensor x, Tensor kernel, Tensor bias, int[] strides, boolean same, int[] dilation,
            boolean jvmWeightGrads) {
        long[] ks = kernel.value().shape();
        int kh = (int) ks[0], kw = (int) ks[1];
        long[] os = outShape(x.value().shape(), ks[3], kh, kw, strides, same, dilation);
        INDArray z = Nd4j.createUninitialized(x.value().dataType(), os);
        int[] ia = {kh, kw, strides[0], strides[1], 0, 0, dilation[0], dilation[1], same ? 1 : 0, 1, 0};
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("conv2d");
        if (bias == null) b.addInputs(x.value(), kernel.value());
        else b.addInputs(x.value(), kernel.value(), bias.value());
        Nd4j.exec(b.addIntegerArguments(ia).addOutputs(z).build());
        Tensor o = bias == null ? out(z, x, kernel) : out(z, x, kernel, bias);
        return Tape.push(o, g -> {
            if (jvmWeightGrads && !x.requiresGrad()) {
                weightGradsJvm(x, kernel, bias, g, strides, same, dilation);
                return;
            }
            INDArray gx = Nd4j.createUninitialized(x.value().dataType(), x.value().shape());
            INDArray gk = Nd4j.createUninitialized(kernel.value().dataType(), ks);
            DynamicCustomOp.DynamicCustomOpsBuilder bb = DynamicCustomOp.builder("conv2d_bp");
            if (bias == null) {
                bb.addInputs(x.value(), kernel.value(), g).addOutputs(gx, gk);
            } else {
                INDArray gb = Nd4j.createUninitialized(bias.value().dataType(), bias.value().shape());
                bb.addInputs(x.value(), kernel.value(), bias.value(), g).addOutputs(gx, gk, gb);
                Nd4j.exec(bb.addIntegerArguments(ia).build());
                if (bias.requiresGrad()) bias.accumulate(gb);
                if (kernel.requiresGrad()) kernel.accumulate(gk);
                if (x.requiresGrad()) x.accumulate(gx);
                return;
            }
            Nd4j.exec(bb.addIntegerArguments(ia).build());
            if (kernel.requiresGrad()) kernel.accumulate(gk);
            if (x.requiresGrad()) x.accumulate(gx);
        });
    }

    /**
     * Depthwise 2-D convolution (Keras's {@code ops.depthwise_conv}): {@code x (n, h, w, c)},
     * {@code kernel (kh, kw, c, m)}; output {@code (n, oh, ow, c*m)}, channel {@code ci*m + q}
     * being input channel {@code ci} cross-correlated with {@code kernel[:, :, ci, q]}. No bias
     * (the layer adds it). Float32 on the CPU runs oneDNN's grouped convolution ({@link Dnnl}); else
     * on CPU (float/double, dense C order) a JVM loop
     * ({@link org.cornu.core.kernels.DepthwiseKernels}); elsewhere ND4J's native
     * {@code depthwise_conv2d} and {@code depthwise_conv2d_bp}.
     *
     * @param x the input, shape {@code (batch, height, width, channels)}
     * @param kernel the kernel, shape {@code (kh, kw, channels, multiplier)}
     * @param strides the strides {@code {sh, sw}}
     * @param same true for {@code "same"} padding, false for {@code "valid"}
     * @param dilation the dilation rates {@code {dh, dw}}
     * @return the output, shape {@code (batch, outHeight, outWidth, channels * multiplier)}
     */
    public static Tensor depthwiseConv2d(Tensor x, Tensor kernel, int[] strides, boolean same, int[] dilation) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        if (xs.length != 4 || ks.length != 4 || ks[2] != xs[3]) {
            throw new IllegalArgumentException("depthwise_conv2d: expected inputs (batch, h, w, c) and a kernel (kh, kw, c,"
                    + " depth_multiplier); got inputs " + org.cornu.core.Shape.format(xs) + " and kernel "
                    + org.cornu.core.Shape.format(ks));
        }
        if (Dnnl.applies(x.value(), kernel.value())) {
            Tensor z = conv2dDnnl(x, kernel, null, strides, same, dilation, true);
            if (z != null) return z;
        }
        if (jvm(x.value(), kernel.value())) return depthwiseJvm(x, kernel, strides, same, dilation);
        return depthwiseNative(x, kernel, strides, same, dilation);
    }

    private static Tensor depthwiseJvm(Tensor x, Tensor kernel, int[] strides, boolean same, int[] dilation) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        DataType dt = x.value().dataType();
        ConvKernels.Geo ge = ConvKernels.Geo.of(xs, (int) ks[0], (int) ks[1], strides, dilation, same);
        int m = (int) ks[3];
        INDArray z = Nd4j.createUninitialized(dt, ge.n(), ge.oh(), ge.ow(), (long) ge.c() * m);
        int zn = (int) z.length();
        long work = (long) zn * ge.kh() * ge.kw();
        if (dt == DataType.DOUBLE) {
            double[] xb = heapD(x.value(), 0), kb = kernel.value().dup('c').data().asDouble(), zb = scratchD(1, zn);
            java.util.Arrays.fill(zb, 0, zn, 0.0);
            ConvKernels.overBatch(ge.c(), work, (c0, c1) -> DepthwiseKernels.forward(xb, kb, zb, ge, m, c0, c1));
            Elementwise.doubles(z).put(0, zb, 0, zn);
        } else {
            float[] xb = heap(x.value(), 0), kb = kernel.value().dup('c').data().asFloat(), zb = scratch(1, zn);
            java.util.Arrays.fill(zb, 0, zn, 0f);
            ConvKernels.overBatch(ge.c(), work, (c0, c1) -> DepthwiseKernels.forward(xb, kb, zb, ge, m, c0, c1));
            Elementwise.floats(z).put(0, zb, 0, zn);
        }
        Tensor o = out(z, x, kernel);
        return Tape.push(o, g -> {
            boolean wantX = x.requiresGrad(), wantK = kernel.requiresGrad();
            INDArray gc = Elementwise.fusable(g) ? g : g.dup('c');
            int xn = (int) x.value().length(), kn = (int) kernel.value().length();
            if (dt == DataType.DOUBLE) {
                double[] xb = heapD(x.value(), 0), gb = heapD(gc, 2), kb = kernel.value().dup('c').data().asDouble();
                double[] gx = wantX ? scratchD(1, xn) : null, gk = wantK ? new double[kn] : null;
                if (gx != null) java.util.Arrays.fill(gx, 0, xn, 0.0);
                ConvKernels.overBatch(ge.c(), work, (c0, c1) -> DepthwiseKernels.backward(xb, kb, gb, gx, gk, ge, m, c0, c1));
                if (gk != null) kernel.accumulate(Nd4j.create(gk, ks, DataType.DOUBLE));
                if (gx != null) {
                    INDArray gxa = Nd4j.createUninitialized(dt, xs);
                    Elementwise.doubles(gxa).put(0, gx, 0, xn);
                    x.accumulate(gxa);
                }
            } else {
                float[] xb = heap(x.value(), 0), gb = heap(gc, 2), kb = kernel.value().dup('c').data().asFloat();
                float[] gx = wantX ? scratch(1, xn) : null, gk = wantK ? new float[kn] : null;
                if (gx != null) java.util.Arrays.fill(gx, 0, xn, 0f);
                ConvKernels.overBatch(ge.c(), work, (c0, c1) -> DepthwiseKernels.backward(xb, kb, gb, gx, gk, ge, m, c0, c1));
                if (gk != null) kernel.accumulate(Nd4j.create(gk, ks, DataType.FLOAT));
                if (gx != null) {
                    INDArray gxa = Nd4j.createUninitialized(dt, xs);
                    Elementwise.floats(gxa).put(0, gx, 0, xn);
                    x.accumulate(gxa);
                }
            }
        });
    }

    /** ND4J's native depthwise_conv2d (NHWC, kernel (kh, kw, c, m)) and its _bp. */
    static Tensor depthwiseNative(Tensor x, Tensor kernel, int[] strides, boolean same, int[] dilation) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        int kh = (int) ks[0], kw = (int) ks[1];
        long[] os = outShape(xs, xs[3] * ks[3], kh, kw, strides, same, dilation);
        INDArray z = Nd4j.createUninitialized(x.value().dataType(), os);
        int[] ia = {kh, kw, strides[0], strides[1], 0, 0, dilation[0], dilation[1], same ? 1 : 0, 1, 0};
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d").addInputs(x.value(), kernel.value())
                .addIntegerArguments(ia).addOutputs(z).build());
        Tensor o = out(z, x, kernel);
        return Tape.push(o, g -> {
            INDArray gx = Nd4j.createUninitialized(x.value().dataType(), xs);
            INDArray gk = Nd4j.createUninitialized(kernel.value().dataType(), ks);
            Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d_bp").addInputs(x.value(), kernel.value(), g)
                    .addIntegerArguments(ia).addOutputs(gx, gk).build());
            if (kernel.requiresGrad()) kernel.accumulate(gk);
            if (x.requiresGrad()) x.accumulate(gx);
        });
    }

    /**
     * Keras's output length of a transposed convolution along one axis
     * ({@code compute_conv_transpose_output_shape}): with {@code k' = d*(k-1) + 1}, "valid"
     * gives {@code (n-1)*s + k' + p} where {@code p} is {@code outputPadding}, or
     * {@code max(k', s) - k'} when it is negative (Keras's None); "same" gives {@code n*s}
     * without output padding and {@code (n-1)*s + k' % 2 + p} with it.
     *
     * @param in the input length, or negative when unknown
     * @param kernel the kernel length
     * @param stride the stride
     * @param same true for {@code "same"} padding, false for {@code "valid"}
     * @param outputPadding the output padding, or negative for Keras's None
     * @param dilation the dilation rate
     * @return the output length, or -1 when the input length is unknown
     */
    public static long transposeOutputLength(long in, int kernel, int stride, boolean same, int outputPadding,
                                             int dilation) {
        if (in < 0) return -1;
        long eff = (long) dilation * (kernel - 1) + 1;
        if (!same) {
            long p = outputPadding < 0 ? Math.max(eff, stride) - eff : outputPadding;
            return (in - 1) * stride + eff + p;
        }
        return outputPadding < 0 ? in * stride : (in - 1) * stride + eff % 2 + outputPadding;
    }

    /**
     * Cells cut from the start of the full transposed convolution along one axis: the full one
     * places input cell {@code i} at {@code i*s + a*d} for kernel tap {@code a}; Keras (as JAX
     * and TensorFlow) keeps the cells from {@code k' - 1 - left} on, {@code left} being the
     * padding its JAX backend puts before the stride-dilated input.
     */
    static int transposeCropBefore(int kernel, int stride, boolean same, int outputPadding, int dilation) {
        int eff = dilation * (kernel - 1) + 1;
        if (!same) return 0;
        int padLen = outputPadding < 0 ? stride + eff - 2 : eff + eff % 2 - 2 + outputPadding;
        int left = Math.min(padLen / 2 + padLen % 2, eff - 1);
        return eff - 1 - left;
    }

    /**
     * 2-D transposed convolution (Keras's {@code ops.conv_transpose}, channels_last), the
     * gradient of {@link #conv2d} with respect to its input: {@code x (n, h, w, cin)},
     * {@code kernel (kh, kw, filters, cin)} (Keras's transposed layout); output {@code (n, oh,
     * ow, filters)} with the lengths of {@link #transposeOutputLength}, where
     * {@code out[b, i*sh + a*dh - ph, j*sw + e*dw - pw, f] += x[b, i, j, c] * kernel[a, e, f, c]}
     * ({@code ph}, {@code pw} as Keras crops "same"). {@code outputPadding} is null (Keras's
     * None) or two non-negative ints below the strides. No bias (the layer adds it).
     *
     * <p>One gemm ({@code x (n*h*w, cin)} times the kernel viewed as {@code (kh*kw*filters,
     * cin)}, transposed) and a col2im scatter; the backward pass is an im2col of the output
     * gradient and two gemms, the forward and backward of {@link #conv2d} swapped. Runs on any
     * backend in float or double (the scatter loops run on heap copies); float32 on the CPU runs
     * oneDNN's convolution passes instead ({@link Dnnl}), swapped the same way.
     *
     * @param x the input, shape {@code (batch, height, width, channels)}
     * @param kernel the kernel, shape {@code (kh, kw, filters, channels)}
     * @param strides the strides {@code {sh, sw}}
     * @param same true for {@code "same"} padding, false for {@code "valid"}
     * @param outputPadding the output padding {@code {ph, pw}}, or null for Keras's None
     * @param dilation the dilation rates {@code {dh, dw}}
     * @return the output, shape {@code (batch, outHeight, outWidth, filters)}
     */
    public static Tensor convTranspose2d(Tensor x, Tensor kernel, int[] strides, boolean same, int[] outputPadding,
                                         int[] dilation) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        if (xs.length != 4 || ks.length != 4 || ks[3] != xs[3]) {
            throw new IllegalArgumentException("conv_transpose: expected inputs (batch, h, w, c) and a kernel (kh, kw,"
                    + " filters, c); got inputs " + org.cornu.core.Shape.format(xs) + " and kernel "
                    + org.cornu.core.Shape.format(ks));
        }
        DataType dt = x.value().dataType();
        if ((dt != DataType.FLOAT && dt != DataType.DOUBLE) || kernel.value().dataType() != dt) {
            throw new IllegalArgumentException("conv_transpose: expected float32 or float64 inputs and kernel of one type;"
                    + " got " + dt + " and " + kernel.value().dataType());
        }
        int kh = (int) ks[0], kw = (int) ks[1];
        int oph = outputPadding == null ? -1 : outputPadding[0], opw = outputPadding == null ? -1 : outputPadding[1];
        int oh = (int) transposeOutputLength(xs[1], kh, strides[0], same, oph, dilation[0]);
        int ow = (int) transposeOutputLength(xs[2], kw, strides[1], same, opw, dilation[1]);
        int ph = transposeCropBefore(kh, strides[0], same, oph, dilation[0]);
        int pw = transposeCropBefore(kw, strides[1], same, opw, dilation[1]);
        int f = (int) ks[2];
        if (Dnnl.applies(x.value(), kernel.value())) {
            Tensor z = convTransposeDnnl(x, kernel, strides, dilation, new long[] {xs[0], oh, ow, f}, ph, pw);
            if (z != null) return z;
        }
        // the convolution whose input gradient this is: input (n, oh, ow, f), output (n, h, w)
        ConvKernels.Geo ge = new ConvKernels.Geo((int) xs[0], oh, ow, f, kh, kw, strides[0], strides[1], dilation[0],
                dilation[1], ph, pw, (int) xs[1], (int) xs[2]);
        long rows = xs[0] * xs[1] * xs[2], kk = (long) kh * kw * f;
        INDArray x2 = x.value().dup('c').reshape('c', rows, xs[3]);
        INDArray k2 = kernel.value().dup('c').reshape('c', kk, xs[3]);
        INDArray gcol = Gemm.gemm(x2, k2, false, true);
        INDArray z = scatter(gcol, new long[] {xs[0], oh, ow, f}, ge);
        Tensor o = out(z, x, kernel);
        return Tape.push(o, g -> {
            INDArray col = gather(g, rows, kk, ge);
            if (x.requiresGrad()) x.accumulate(Gemm.gemm(col, k2, false, false).reshape('c', xs));
            if (kernel.requiresGrad()) kernel.accumulate(Gemm.gemm(col, x2, true, false).reshape('c', ks));
        });
    }

    /**
     * Float32 transposed convolution through oneDNN called directly: the backward-data pass of the
     * convolution from {@code zs} (the output here) to {@code x}'s shape, with Keras's kernel
     * (kh, kw, filters, cin) read as that convolution's (kh, kw, in, out); its backward is that
     * convolution's forward (the input gradient) and backward-weights pass. Cells after the last
     * window (an output padding) get no product, as in the JVM path. Null when oneDNN refuses.
     */
    private static Tensor convTransposeDnnl(Tensor x, Tensor kernel, int[] strides, int[] dilation, long[] zs, int ph, int pw) {
        long[] xs = x.value().shape(), ks = kernel.value().shape();
        long effH = (long) dilation[0] * (ks[0] - 1) + 1, effW = (long) dilation[1] * (ks[1] - 1) + 1;
        // the convolution's padding after: whatever makes its output xs; below 0 (an output padding's
        // unreached cells) the floor in the output length gives the same size with 0
        int[] pads = {ph, (int) Math.max(0, (xs[1] - 1) * strides[0] + effH - zs[1] - ph), pw,
                (int) Math.max(0, (xs[2] - 1) * strides[1] + effW - zs[2] - pw)};
        Dnnl.Conv plan = nonEmpty(zs) && nonEmpty(xs) ? Dnnl.conv(zs, ks, strides, pads, dilation, false) : null;
        if (plan == null) return null;
        FastPaths.DNNL.countRun();
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, zs);
        plan.backwardData(x.value(), kernel.value(), z);
        Tensor o = out(z, x, kernel);
        return Tape.push(o, g -> {
            INDArray gc = Dnnl.operand(g);
            Dnnl.Conv here = java.util.Objects.requireNonNullElse(Dnnl.conv(zs, ks, strides, pads, dilation, false), plan);
            long stamp = -1;
            if (x.requiresGrad()) {
                INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, xs);
                stamp = here.forward(gc, kernel.value(), null, gx);
                x.accumulate(gx);
            }
            if (kernel.requiresGrad()) {
                INDArray gk = Nd4j.createUninitialized(DataType.FLOAT, ks);
                here.backwardWeights(gc, x.value(), gk, null, stamp);
                kernel.accumulate(gk);
            }
        });
    }

    /** col2im of {@code gcol} into a new array of {@code shape}, on heap copies (any backend). */
    private static INDArray scatter(INDArray gcol, long[] shape, ConvKernels.Geo ge) {
        long work = gcol.length();
        int len = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
        if (gcol.dataType() == DataType.DOUBLE) {
            double[] cb = gcol.dup('c').data().asDouble(), xb = new double[len];
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.col2im(cb, xb, ge, b0, b1));
            return Nd4j.create(xb, shape, DataType.DOUBLE);
        }
        float[] cb = gcol.dup('c').data().asFloat(), xb = new float[len];
        ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.col2im(cb, xb, ge, b0, b1));
        return Nd4j.create(xb, shape, 'c');
    }

    /** im2col of {@code g} into a new {@code (rows, kk)} array, on heap copies (any backend). */
    private static INDArray gather(INDArray g, long rows, long kk, ConvKernels.Geo ge) {
        long work = rows * kk;
        if (g.dataType() == DataType.DOUBLE) {
            double[] gb = g.dup('c').data().asDouble(), cb = new double[(int) work];
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.im2col(gb, cb, ge, b0, b1));
            return Nd4j.create(cb, new long[] {rows, kk}, DataType.DOUBLE);
        }
        float[] gb = g.dup('c').data().asFloat(), cb = new float[(int) work];
        ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.im2col(gb, cb, ge, b0, b1));
        return Nd4j.create(cb, new long[] {rows, kk}, 'c');
    }

    /**
     * Max pooling over windows {@code pool} with {@code strides}; padded cells never win.
     *
     * @param x the input
     * @param pool the pool size {@code {ph, pw}}
     * @param strides the strides {@code {sh, sw}}
     * @param same true for {@code "same"} padding, false for {@code "valid"}
     * @return the pooled tensor
     */
    public static Tensor maxPool2d(Tensor x, int[] pool, int[] strides, boolean same) {
        if (Dnnl.applies(x.value())) {
            Tensor z = pool2dDnnl(x, pool, strides, same, true);
            if (z != null) return z;
        }
        if (Onednn.applies(x.value())) {
            FastPaths.ONEDNN.countRun();
            return pool2d("maxpool2d", x, pool, strides, same, 0);
        }
        if (jvm(x.value())) return maxPoolJvm(x, pool, strides, same);
        return pool2d("maxpool2d", x, pool, strides, same, 0);
    }

    /**
     * Average pooling; with "same" padding each window is divided by its count of real cells (as TF).
     *
     * @param x the input
     * @param pool the pool size {@code {ph, pw}}
     * @param strides the strides {@code {sh, sw}}
     * @param same true for {@code "same"} padding, false for {@code "valid"}
     * @return the pooled tensor
     */
    public static Tensor avgPool2d(Tensor x, int[] pool, int[] strides, boolean same) {
        if (Dnnl.applies(x.value())) {
            Tensor z = pool2dDnnl(x, pool, strides, same, false);
            if (z != null) return z;
        }
        if (Onednn.applies(x.value())) {
            FastPaths.ONEDNN.countRun();
            return pool2d("avgpool2d", x, pool, strides, same, 0);
        }
        if (jvm(x.value())) return avgPoolJvm(x, pool, strides, same);
        return pool2d("avgpool2d", x, pool, strides, same, 0);
    }

    private static Tensor maxPoolJvm(Tensor x, int[] pool, int[] strides, boolean same) {
        long[] xs = x.value().shape();
        ConvKernels.Geo ge = ConvKernels.Geo.of(xs, pool[0], pool[1], strides, new int[] {1, 1}, same);
        DataType dt = x.value().dataType();
        INDArray z = Nd4j.createUninitialized(dt, ge.n(), ge.oh(), ge.ow(), ge.c());
        int[] arg = new int[(int) z.length()];
        long work = z.length() * pool[0] * pool[1];
        if (dt == DataType.DOUBLE) {
            double[] xb = heapD(x.value(), 0), zb = scratchD(1, arg.length);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.maxPool(xb, zb, arg, ge, b0, b1));
            Elementwise.doubles(z).put(0, zb, 0, arg.length);
        } else {
            float[] xb = heap(x.value(), 0), zb = scratch(1, arg.length);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.maxPool(xb, zb, arg, ge, b0, b1));
            Elementwise.floats(z).put(0, zb, 0, arg.length);
        }
        Tensor o = out(z, x);
        return Tape.push(o, g -> {
            INDArray gc = Elementwise.fusable(g) ? g : g.dup('c');
            INDArray gx = Nd4j.createUninitialized(dt, xs);
            if (dt == DataType.DOUBLE) {
                double[] gxb = scratchD(1, gx.length());
                java.util.Arrays.fill(gxb, 0, (int) gx.length(), 0.0);
                ConvKernels.maxPoolBackward(heapD(gc, 0), gxb, arg);
                Elementwise.doubles(gx).put(0, gxb, 0, (int) gx.length());
            } else {
                float[] gxb = scratch(1, gx.length());
                java.util.Arrays.fill(gxb, 0, (int) gx.length(), 0f);
                ConvKernels.maxPoolBackward(heap(gc, 0), gxb, arg);
                Elementwise.floats(gx).put(0, gxb, 0, (int) gx.length());
            }
            x.accumulate(gx);
        });
    }

    private static Tensor avgPoolJvm(Tensor x, int[] pool, int[] strides, boolean same) {
        long[] xs = x.value().shape();
        ConvKernels.Geo ge = ConvKernels.Geo.of(xs, pool[0], pool[1], strides, new int[] {1, 1}, same);
        DataType dt = x.value().dataType();
        INDArray z = Nd4j.createUninitialized(dt, ge.n(), ge.oh(), ge.ow(), ge.c());
        long work = z.length() * pool[0] * pool[1];
        avgPoolRun(x.value(), z, ge, false, work);
        Tensor o = out(z, x);
        return Tape.push(o, g -> {
            INDArray gc = Elementwise.fusable(g) ? g : g.dup('c');
            INDArray gx = Nd4j.createUninitialized(dt, xs);
            avgPoolRun(gc, gx, ge, true, work);
            x.accumulate(gx);
        });
    }

    private static void avgPoolRun(INDArray src, INDArray dst, ConvKernels.Geo ge, boolean backward, long work) {
        if (src.dataType() == DataType.DOUBLE) {
            double[] s = heapD(src, 0), d = scratchD(1, dst.length());
            java.util.Arrays.fill(d, 0, (int) dst.length(), 0.0);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.avgPool(s, d, ge, backward, b0, b1));
            Elementwise.doubles(dst).put(0, d, 0, (int) dst.length());
        } else {
            float[] s = heap(src, 0), d = scratch(1, dst.length());
            java.util.Arrays.fill(d, 0, (int) dst.length(), 0f);
            ConvKernels.overBatch(ge.n(), work, (b0, b1) -> ConvKernels.avgPool(s, d, ge, backward, b0, b1));
            Elementwise.floats(dst).put(0, d, 0, (int) dst.length());
        }
    }

    private static Tensor pool2d(String op, Tensor x, int[] pool, int[] strides, boolean same, int extra) {
        long[] xs = x.value().shape();
        int[] one = {1, 1};
        long[] os = outShape(xs, xs[3], pool[0], pool[1], strides, same, one);
        int[] ia = iargs(pool[0], pool[1], strides, same, one, extra);
        INDArray z = Nd4j.createUninitialized(x.value().dataType(), os);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(x.value()).addIntegerArguments(ia).addOutputs(z).build());
        Tensor o = out(z, x);
        return Tape.push(o, g -> {
            INDArray gx = Nd4j.createUninitialized(x.value().dataType(), xs);
            Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(x.value(), g).addIntegerArguments(ia)
                    .addOutputs(gx).build());
            x.accumulate(gx);
        });
    }

    /**
     * Maximum over the spatial axes {@code 1 .. rank-2} of a channels_last tensor:
     * {@code (n, ..., c) -> (n, c)}; the gradient is shared equally among tied maxima (as TF).
     *
     * @param x the input
     * @return the maxima, shape {@code (batch, channels)}
     */
    public static Tensor globalMaxPool(Tensor x) {
        long[] xs = x.value().shape();
        long n = xs[0], c = xs[xs.length - 1];
        long sp = x.value().length() / Math.max(1, n * c);
        INDArray x3 = x.value().reshape('c', n, sp, c);
        INDArray z = x3.max(1);
        Tensor o = out(z, x);
        return Tape.push(o, g -> {
            // gx = g / count(ties) where x equals the max, 0 elsewhere; one pass over x on the CPU
            // (ND4J's broadcast, equal-to, cast, sum and multiply took 11% of a transformer step)
            INDArray gc = Elementwise.fusable(g) ? g : g.dup('c');
            INDArray xc = Elementwise.fusable(x3) ? x3 : x3.dup('c');
            INDArray gx = Nd4j.zeros(x3.dataType(), n, sp, c);
            if (Elementwise.fusable(xc, gx) && Elementwise.fusable(gc, z) && gc.dataType() == xc.dataType()) {
                maxPoolGradient(Elementwise.buf(xc), Elementwise.buf(z), Elementwise.buf(gc), Elementwise.buf(gx), (int) n, (int) sp, (int) c);
            } else {
                INDArray zb = z.reshape(n, 1, c);
                INDArray mask = Nd4j.createUninitialized(org.nd4j.linalg.api.buffer.DataType.BOOL, n, sp, c);
                Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.EqualTo(x3, zb.broadcast(n, sp, c), mask));
                INDArray m = mask.castTo(x3.dataType());
                INDArray cnt = m.sum(true, 1);
                INDArray gb = g.reshape(n, 1, c).div(cnt);
                gx = m.muli(gb.broadcast(n, sp, c));
            }
            x.accumulate(gx.reshape('c', xs));
        });
    }

    /** {@code gx[b, i, j] = g[b, j] / ties} where {@code x[b, i, j] == z[b, j]}; {@code gx} starts at zero. */
    private static void maxPoolGradient(Elementwise.Buf x, Elementwise.Buf z, Elementwise.Buf g, Elementwise.Buf gx, int n, int sp, int c) {
        int[] ties = new int[c];
        for (int b = 0; b < n; b++) {
            java.util.Arrays.fill(ties, 0);
            int base = b * sp * c;
            for (int i = 0; i < sp; i++) {
                for (int j = 0; j < c; j++) if (x.get(base + i * c + j) == z.get(b * c + j)) ties[j]++;
            }
            for (int i = 0; i < sp; i++) {
                for (int j = 0; j < c; j++) {
                    int at = base + i * c + j;
                    if (x.get(at) == z.get(b * c + j)) gx.set(at, g.get(b * c + j) / ties[j]);
                }
            }
        }
    }

    /**
     * Mean over the spatial axes of a channels_last tensor: {@code (n, ..., c) -> (n, c)}.
     *
     * @param x the input
     * @return the means, shape {@code (batch, channels)}
     */
    public static Tensor globalAvgPool(Tensor x) {
        long[] xs = x.value().shape();
        long n = xs[0], c = xs[xs.length - 1];
        long sp = x.value().length() / Math.max(1, n * c);
        Tensor r = Ops.reshape(x, n, sp, c);
        return Ops.mean(r, 1, false);
    }

    /**
     * Zero padding of the spatial axes 1 and 2 of {@code (n, h, w, c)}: {@code top, bottom, left, right} cells.
     *
     * @param x the input
     * @param top rows of zeros added above
     * @param bottom rows of zeros added below
     * @param left columns of zeros added on the left
     * @param right columns of zeros added on the right
     * @return the padded tensor
     */
    public static Tensor zeroPad2d(Tensor x, int top, int bottom, int left, int right) {
        long[] xs = x.value().shape();
        INDArray z = Nd4j.zeros(x.value().dataType(), xs[0], xs[1] + top + bottom, xs[2] + left + right, xs[3]);
        org.nd4j.linalg.indexing.INDArrayIndex[] inner = {org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(top, top + xs[1]),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(left, left + xs[2]), org.nd4j.linalg.indexing.NDArrayIndex.all()};
        z.get(inner).assign(x.value());
        Tensor o = out(z, x);
        return Tape.push(o, g -> x.accumulate(g.get(inner).dup('c')));
    }

    /**
     * Nearest-neighbour upsampling of {@code (n, h, w, c)} by {@code (sh, sw)}: each cell repeated into an sh x sw block.
     *
     * @param x the input
     * @param sh the factor along the height
     * @param sw the factor along the width
     * @return the upsampled tensor
     */
    public static Tensor upSample2d(Tensor x, int sh, int sw) {
        long[] xs = x.value().shape();
        long n = xs[0], h = xs[1], w = xs[2], c = xs[3];
        INDArray xc = x.value().dup('c');
        INDArray z = xc.reshape('c', n, h, 1, w, 1, c).broadcast(n, h, sh, w, sw, c).dup('c').reshape('c', n, h * sh, w * sw, c);
        Tensor o = out(z, x);
        return Tape.push(o, g -> x.accumulate(g.dup('c').reshape('c', n, h, sh, w, sw, c).sum(2, 4).reshape('c', xs)));
    }
}
