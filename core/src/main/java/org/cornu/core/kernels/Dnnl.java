package org.cornu.core.kernels;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.layer_normalization_backward;
import org.bytedeco.dnnl.layer_normalization_forward;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Float32 convolution, pooling, batch and layer normalization, large relus on channels_last
 * arrays and matrix products ({@link Matmul}, for {@link Gemm}) through oneDNN called directly (JavaCPP's {@code org.bytedeco:dnnl} presets, oneDNN 2.5.2, the
 * same JavaCPP 1.5.7 as ND4J M2.1 and sharing its OpenMP runtime, so {@code Cornu.setNumThreads}
 * sets its threads too), instead of through ND4J's {@code conv2d}/{@code maxpool2d} ops and their
 * {@code _bp} twins or Cornu's JVM loops. Each op asks for a plan (primitives made once per shape
 * and thread, kept for the 64 most recent shapes) and falls back to its other kernels where
 * oneDNN is missing (another platform or backend) or refuses a problem.
 *
 * <p>What that buys, measured on this 2-vCPU AMD EPYC (AVX-512) machine, one thread, batch 64,
 * the book's MNIST convnet:
 * <ul>
 *   <li>each shape's primitives are created once per thread and cached, where ND4J creates them
 *       on every call;</li>
 *   <li>each pass picks its own algorithm and layout: for the 13x13x32 -> 64 layer the Winograd
 *       forward and backward-weights take 1.3 and 1.4 ms in oneDNN's blocked layout against 2.8
 *       and 3.0 ms for the direct kernels on NHWC; its backward-data runs the direct kernel on
 *       NHWC (2.9 ms, Winograd's 2.5 plus two reorders of 0.2 each);</li>
 *   <li>max pooling keeps its argmax workspace from the forward, where ND4J's
 *       {@code maxpool2d_bp} runs the forward again;</li>
 *   <li>the first layer's backward computes no input gradient.</li>
 * </ul>
 * Arrays stay NHWC (kernels HWIO) at the boundary; where a pass wants oneDNN's blocked layout the
 * operands are reordered into plan-owned buffers and back.
 *
 * <p>Off with {@code -Dcornu.dnnl=false} ({@link FastPaths#DNNL}); then ND4J's oneDNN-backed ops
 * or Cornu's JVM kernels run. Float64 never comes here (oneDNN computes in float32).
 */
public final class Dnnl {
    private static final Logger LOG = LoggerFactory.getLogger(Dnnl.class);
    private static final engine ENGINE = start();
    /** Plans kept per thread; the least recently used is dropped past this many. */
    private static final int PLANS = 64;

    private Dnnl() {}

    private static engine start() {
        if (!Nd4j.getBackend().getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("cpu")) return null;
        try {
            engine e = new engine(engine.kind.cpu, 0);
            LOG.debug("oneDNN {} ready for convolution, pooling, normalization and products", version());
            return e;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("oneDNN (org.bytedeco:dnnl) unavailable, convolution, pooling and normalization stay on ND4J/JVM kernels and products on OpenBLAS: {}", e.toString());
            return null;
        }
    }

    private static String version() {
        org.bytedeco.dnnl.dnnl_version_t v = org.bytedeco.dnnl.global.dnnl.dnnl_version();
        return v.major() + "." + v.minor() + "." + v.patch();
    }

    /**
     * Whether oneDNN loaded here (a CPU backend on a platform its presets ship for).
     *
     * @return true when the direct kernels can run
     */
    public static boolean present() {
        return ENGINE != null;
    }

    /**
     * Whether the direct oneDNN kernels should take these arrays: oneDNN loaded, the switch is on,
     * and every array is float32, dense and C-ordered.
     *
     * @param arrays the operands (nulls are ignored)
     * @return true to run them here
     */
    public static boolean applies(INDArray... arrays) {
        if (ENGINE == null || !FastPaths.DNNL.enabled()) return false;
        for (INDArray a : arrays) {
            if (a == null) continue;
            if (a.dataType() != DataType.FLOAT || !Elementwise.fusable(a)) return false;
        }
        return true;
    }

    /**
     * {@code a} as the kernels here read it: itself when it is float32, dense and C-ordered, else a
     * float32 C-order copy (a gradient that arrives in another type or layout).
     *
     * @param a the array
     * @return {@code a} or its copy
     */
    public static INDArray operand(INDArray a) {
        return a.dataType() == DataType.FLOAT && Elementwise.fusable(a) ? a : a.castTo(DataType.FLOAT).dup('c');
    }

    /**
     * The address of element 0 of a dense float array: a view's data buffer already points at its
     * own offset, so only the array's offset past the buffer's is added (as a new address, since
     * JavaCPP would add a pointer's position to a {@code void*} in bytes).
     */
    private static Pointer address(INDArray a) {
        FloatPointer p = new FloatPointer(a.data().addressPointer());
        long past = a.offset() - a.data().offset();
        return past == 0 ? p : p.getPointer(past);
    }

    /** The address of a direct float buffer's position 0. */
    private static Pointer address(java.nio.FloatBuffer b) {
        if (!b.isDirect()) throw new IllegalArgumentException("oneDNN reads direct buffers only");
        return new FloatPointer(b.position() == 0 ? b : b.slice());
    }

    /**
     * How a pass runs: oneDNN's direct kernel on NHWC, its direct kernel on a blocked layout (where
     * Winograd is refused), or Winograd.
     */
    enum Kind { NHWC, BLOCKED, WINOGRAD }

    private static final class Local {
        final stream strm = new stream(ENGINE);
        final Map<String, Object> plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> e) {
                return size() > PLANS;
            }
        };
    }

    private static final java.util.concurrent.atomic.AtomicLong STAMPS = new java.util.concurrent.atomic.AtomicLong();
    private static final ThreadLocal<Local> LOCAL = ThreadLocal.withInitial(Local::new);

    /**
     * One argument of a primitive: the memory the primitive reads or writes, and, when its
     * layout differs from the caller's, a plan-owned buffer in the primitive's layout with the
     * reorder between them.
     */
    private static final class Arg {
        final memory user;
        final memory inner;
        final primitive toInner;
        final primitive toUser;

        Arg(memory.desc userDesc, memory.desc innerDesc, boolean in) {
            this(userDesc, innerDesc, in, null);
        }

        /** With {@code share} another argument whose buffer in the same layout this one reuses. */
        Arg(memory.desc userDesc, memory.desc innerDesc, boolean in, Arg share) {
            user = new memory(userDesc, ENGINE, (Pointer) null);
            if (userDesc.equals(innerDesc)) {
                inner = user;
                toInner = null;
                toUser = null;
            } else {
                inner = share != null && share.toInner != null && share.inner.get_desc().equals(innerDesc)
                        ? share.inner : new memory(innerDesc, ENGINE);
                toInner = in ? new reorder(new reorder.primitive_desc(ENGINE, userDesc, ENGINE, innerDesc)) : null;
                toUser = in ? null : new reorder(new reorder.primitive_desc(ENGINE, innerDesc, ENGINE, userDesc));
            }
        }

        /** Points at the caller's array and, for an input in another layout, reorders it in. */
        void in(stream s, INDArray a) {
            user.set_data_handle(address(a));
            if (toInner != null) ((reorder) toInner).execute(s, user, inner);
        }

        /** Points at the caller's output array. */
        void out(INDArray a) {
            user.set_data_handle(address(a));
        }

        /** Reorders an output in another layout back into the caller's array. */
        void back(stream s) {
            if (toUser != null) ((reorder) toUser).execute(s, inner, user);
        }
    }

    /** Marks a problem oneDNN refused, so that it is not asked again. */
    private static final Object REFUSED = new Object();

    /**
     * The calling thread's plan under {@code key}, made on first use; null when oneDNN refuses the
     * problem (the caller then takes another kernel), which is logged once per thread and shape.
     */
    private static Object plan(String key, java.util.function.Supplier<Object> make) {
        Local l = LOCAL.get();
        Object p = l.plans.get(key);
        if (p == null) {
            try {
                p = make.get();
            } catch (RuntimeException e) {
                LOG.debug("oneDNN refused {}, another kernel takes it: {}", key, e.toString());
                p = REFUSED;
            }
            l.plans.put(key, p);
        }
        return p == REFUSED ? null : p;
    }

    private static memory.desc desc(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, memory.data_type.f32, tag);
    }

    /**
     * The cached plan of a 2-D convolution on {@code (n, h, w, c)} inputs and {@code (kh, kw, c, o)}
     * kernels, for the calling thread.
     *
     * @param xs the input shape {@code (n, h, w, c)}
     * @param ks the kernel shape {@code (kh, kw, c, o)}
     * @param strides {@code {sh, sw}}
     * @param pads {@code {top, bottom, left, right}}
     * @param dilation {@code {dh, dw}} (Keras's rates; 1 is none)
     * @param bias whether a bias is added
     * @return the plan, or null when oneDNN refuses the problem
     */
    public static Conv conv(long[] xs, long[] ks, int[] strides, int[] pads, int[] dilation, boolean bias) {
        String key = "conv" + Arrays.toString(xs) + Arrays.toString(ks) + Arrays.toString(strides) + Arrays.toString(pads)
                + Arrays.toString(dilation) + bias;
        return (Conv) plan(key, () -> new Conv(xs, ks, strides, pads, dilation, bias, false));
    }

    /**
     * The cached plan of a 2-D depthwise convolution (oneDNN's grouped convolution, one group per
     * input channel) on {@code (n, h, w, c)} inputs and Keras's {@code (kh, kw, c, multiplier)}
     * kernels, output channel {@code ci * multiplier + q}, without bias, for the calling thread.
     *
     * @param xs the input shape {@code (n, h, w, c)}
     * @param ks the kernel shape {@code (kh, kw, c, multiplier)}
     * @param strides {@code {sh, sw}}
     * @param pads {@code {top, bottom, left, right}}
     * @param dilation {@code {dh, dw}} (Keras's rates; 1 is none)
     * @return the plan, or null when oneDNN refuses the problem
     */
    public static Conv depthwise(long[] xs, long[] ks, int[] strides, int[] pads, int[] dilation) {
        String key = "depthwise" + Arrays.toString(xs) + Arrays.toString(ks) + Arrays.toString(strides) + Arrays.toString(pads)
                + Arrays.toString(dilation);
        return (Conv) plan(key, () -> new Conv(xs, ks, strides, pads, dilation, false, true));
    }

    /**
     * A convolution's three passes, each a oneDNN primitive made once: the forward with its bias,
     * the input gradient (made on first use; a first layer never asks for it) and the kernel and
     * bias gradients.
     */
    public static final class Conv {
        private final memory.desc xU, kU, bU, yU;
        private final long[] xDims, kDims, yDims;
        private final long[] str, dil, padL, padR;
        private final boolean hasBias;
        private final convolution_forward fwd;
        private final Arg fx, fk, fy;
        private final memory fb;
        private final IntMemoryMap fArgs = new IntMemoryMap();
        private final convolution_backward_weights bw;
        private final Arg wx, wgy, wgk;
        private final memory wgb;
        private final IntMemoryMap wArgs = new IntMemoryMap();
        private convolution_backward_data bd;
        private Arg dgy, dk, dgx;
        private final IntMemoryMap dArgs = new IntMemoryMap();
        private final String impl;
        /** The forward whose input the buffer shared with bwdW holds (stamps are unique across plans and threads). */
        private long xStamp = -1;

        Conv(long[] xs, long[] ks, int[] strides, int[] pads, int[] dilation, boolean bias, boolean depthwise) {
            long n = xs[0], h = xs[1], w = xs[2], c = xs[3], kh = ks[0], kw = ks[1];
            long o = depthwise ? ks[2] * ks[3] : ks[3];
            long oh = (h + pads[0] + pads[1] - ((kh - 1) * dilation[0] + 1)) / strides[0] + 1;
            long ow = (w + pads[2] + pads[3] - ((kw - 1) * dilation[1] + 1)) / strides[1] + 1;
            xDims = new long[] {n, c, h, w};
            yDims = new long[] {n, o, oh, ow};
            xU = desc(xDims, memory.format_tag.nhwc);
            if (depthwise) {
                // groups (c), outputs per group (multiplier m), inputs per group (1), kh, kw over Keras's
                // (kh, kw, c, m) in C order: group stride m, output stride 1, row kw*c*m, column c*m
                long m = ks[3];
                kDims = new long[] {c, m, 1, kh, kw};
                kU = new memory.desc(kDims, memory.data_type.f32, new long[] {m, 1, m, kw * c * m, c * m});
            } else {
                kDims = new long[] {o, c, kh, kw};
                kU = desc(kDims, memory.format_tag.hwio);
            }
            bU = desc(new long[] {o}, memory.format_tag.x);
            yU = desc(yDims, memory.format_tag.nhwc);
            str = new long[] {strides[0], strides[1]};
            dil = new long[] {dilation[0] - 1, dilation[1] - 1};
            padL = new long[] {pads[0], pads[2]};
            padR = new long[] {pads[1], pads[3]};
            hasBias = bias;
            boolean small = c * kh * kw < 32 || o < 16;
            boolean wino = !depthwise && kh == 3 && kw == 3 && strides[0] == 1 && strides[1] == 1 && dilation[0] == 1 && dilation[1] == 1
                    && !small && oh * ow >= 64;
            // measured per pass (see the class comment): the forward and kernel gradient in Winograd where it
            // applies to a large enough map, else the direct kernel on NHWC (no reorders)
            Kind kind = wino ? Kind.WINOGRAD : Kind.NHWC;

            convolution_forward.primitive_desc fpd = forwardPd(kind);
            fwd = new convolution_forward(fpd);
            fx = new Arg(xU, fpd.src_desc(), true);
            fk = new Arg(kU, fpd.weights_desc(), true);
            fy = new Arg(yU, fpd.dst_desc(), false);
            fb = new memory(bU, ENGINE, (Pointer) null);
            fArgs.put(DNNL_ARG_SRC, fx.inner);
            fArgs.put(DNNL_ARG_WEIGHTS, fk.inner);
            if (hasBias) fArgs.put(DNNL_ARG_BIAS, fb);
            fArgs.put(DNNL_ARG_DST, fy.inner);

            convolution_backward_weights.primitive_desc wpd = weightsPd(kind);
            bw = new convolution_backward_weights(wpd);
            // the backward-weights pass reads the forward's reordered input when the layouts agree
            wx = new Arg(xU, wpd.src_desc(), true, fx);
            wgy = new Arg(yU, wpd.diff_dst_desc(), true);
            wgk = new Arg(kU, wpd.diff_weights_desc(), false);
            wgb = new memory(bU, ENGINE, (Pointer) null);
            wArgs.put(DNNL_ARG_SRC, wx.inner);
            wArgs.put(DNNL_ARG_DIFF_DST, wgy.inner);
            wArgs.put(DNNL_ARG_DIFF_WEIGHTS, wgk.inner);
            if (hasBias) wArgs.put(DNNL_ARG_DIFF_BIAS, wgb);
            impl = "fwd " + info(fpd.impl_info_str()) + ", bwd weights " + info(wpd.impl_info_str());
            LOG.debug("oneDNN convolution {} -> {}: {}", Arrays.toString(xs), Arrays.toString(ks), impl);
        }

        private static String info(BytePointer p) {
            return p == null ? "?" : p.getString();
        }

        private static algorithm algorithm(Kind k) {
            return k == Kind.WINOGRAD ? algorithm.convolution_winograd : algorithm.convolution_direct;
        }

        /** The caller's NHWC layout for a direct NHWC pass, else whatever layout the primitive prefers. */
        private static memory.desc act(memory.desc user, long[] dims, Kind k) {
            return k == Kind.NHWC ? user : desc(dims, memory.format_tag.any);
        }

        private memory.desc anyWeights() {
            return desc(kDims, memory.format_tag.any);
        }

        private convolution_forward.primitive_desc forwardPd(Kind k) {
            try {
                convolution_forward.desc d = hasBias
                        ? new convolution_forward.desc(prop_kind.forward_training, algorithm(k), act(xU, xDims, k), anyWeights(), bU, act(yU, yDims, k),
                                str, dil, padL, padR)
                        : new convolution_forward.desc(prop_kind.forward_training, algorithm(k), act(xU, xDims, k), anyWeights(), act(yU, yDims, k),
                                str, dil, padL, padR);
                return new convolution_forward.primitive_desc(d, ENGINE);
            } catch (RuntimeException e) {
                if (k == Kind.WINOGRAD) return forwardPd(Kind.BLOCKED);
                throw e;
            }
        }

        private convolution_backward_weights.primitive_desc weightsPd(Kind k) {
            try {
                convolution_backward_weights.desc d = hasBias
                        ? new convolution_backward_weights.desc(algorithm(k), act(xU, xDims, k), anyWeights(), bU, act(yU, yDims, k), str, dil, padL, padR)
                        : new convolution_backward_weights.desc(algorithm(k), act(xU, xDims, k), anyWeights(), act(yU, yDims, k), str, dil, padL, padR);
                return new convolution_backward_weights.primitive_desc(d, ENGINE, forwardPd(k));
            } catch (RuntimeException e) {
                if (k == Kind.WINOGRAD) return weightsPd(Kind.BLOCKED);
                throw e;
            }
        }

        /** The input-gradient pass: always the direct kernel on NHWC (see {@link #backwardData}). */
        private convolution_backward_data.primitive_desc dataPd() {
            convolution_backward_data.desc d = new convolution_backward_data.desc(algorithm.convolution_direct, xU, anyWeights(), yU,
                    str, dil, padL, padR);
            return new convolution_backward_data.primitive_desc(d, ENGINE, forwardPd(Kind.NHWC));
        }

        /**
         * {@code y = conv(x, k) + b}.
         *
         * @param x the input {@code (n, h, w, c)}
         * @param k the kernel {@code (kh, kw, c, o)}
         * @param b the bias {@code (o)}, or null for a plan without one
         * @param y the output {@code (n, oh, ow, o)}, written
         * @return this forward's stamp, for {@link #backwardWeights}
         */
        public long forward(INDArray x, INDArray k, INDArray b, INDArray y) {
            stream s = LOCAL.get().strm;
            fx.in(s, x);
            xStamp = STAMPS.incrementAndGet();
            fk.in(s, k);
            if (hasBias) fb.set_data_handle(address(b));
            fy.out(y);
            fwd.execute(s, fArgs);
            fy.back(s);
            s._wait();
            return xStamp;
        }

        /**
         * The kernel and bias gradients, written (not added) into {@code gk} and {@code gb}.
         *
         * @param x the forward's input
         * @param gy the output gradient
         * @param gk the kernel gradient, written
         * @param gb the bias gradient, written (null for a plan without bias)
         * @param stamp what {@link #forward} returned for {@code x}
         */
        public void backwardWeights(INDArray x, INDArray gy, INDArray gk, INDArray gb, long stamp) {
            stream s = LOCAL.get().strm;
            // the forward's reordered input, unless another forward of this plan has overwritten it since
            if (wx.inner != fx.inner || stamp != xStamp) wx.in(s, x);
            wgy.in(s, gy);
            wgk.out(gk);
            if (hasBias) wgb.set_data_handle(address(gb));
            bw.execute(s, wArgs);
            wgk.back(s);
            s._wait();
        }

        /**
         * The input gradient, written (not added) into {@code gx}.
         *
         * @param gy the output gradient
         * @param k the kernel
         * @param gx the input gradient, written
         */
        public void backwardData(INDArray gy, INDArray k, INDArray gx) {
            if (bd == null) {
                // the direct kernel on NHWC: as fast as Winograd's 2.7 ms at the book's second layer, without its
                // two reorders (0.4 ms)
                convolution_backward_data.primitive_desc dpd = dataPd();
                bd = new convolution_backward_data(dpd);
                dgy = new Arg(yU, dpd.diff_dst_desc(), true);
                dk = new Arg(kU, dpd.weights_desc(), true);
                dgx = new Arg(xU, dpd.diff_src_desc(), false);
                dArgs.put(DNNL_ARG_DIFF_DST, dgy.inner);
                dArgs.put(DNNL_ARG_WEIGHTS, dk.inner);
                dArgs.put(DNNL_ARG_DIFF_SRC, dgx.inner);
                LOG.debug("oneDNN convolution backward data: {}", info(dpd.impl_info_str()));
            }
            stream s = LOCAL.get().strm;
            dgy.in(s, gy);
            dk.in(s, k);
            dgx.out(gx);
            bd.execute(s, dArgs);
            dgx.back(s);
            s._wait();
        }

        /**
         * oneDNN's names of the kernels chosen, for logs and tests.
         *
         * @return e.g. {@code "fwd jit_wino_4x3:avx512_core, bwd weights ..."}
         */
        public String implementation() {
            return impl;
        }
    }

    /**
     * The cached float32 matrix product {@code c = alpha a @ b + beta c} for the calling thread, with
     * {@code a} read as an {@code (m, k)} matrix and {@code b} as a {@code (k, n)} one through their
     * element strides (a transposed operand is its array with the strides swapped), {@code c}
     * row-major with row stride {@code ldc}.
     *
     * @param m rows of {@code a} and {@code c}
     * @param n columns of {@code b} and {@code c}
     * @param k columns of {@code a}, rows of {@code b}
     * @param aStrides {@code a}'s element strides {@code {row, column}}
     * @param bStrides {@code b}'s element strides {@code {row, column}}
     * @param ldc {@code c}'s row stride
     * @param alpha factor on the product
     * @param beta factor on {@code c}'s old values
     * @return the plan, or null when oneDNN refuses the problem or has only its reference kernel for it
     */
    public static Matmul matmul(long m, long n, long k, long[] aStrides, long[] bStrides, long ldc, float alpha, float beta) {
        if (ENGINE == null || !FastPaths.DNNL_MATMUL.enabled()) return null;
        String key = "mm" + m + "," + n + "," + k + "," + aStrides[0] + "," + aStrides[1] + "," + bStrides[0] + "," + bStrides[1]
                + "," + ldc + "," + alpha + "," + beta;
        return (Matmul) plan(key, () -> new Matmul(m, n, k, aStrides, bStrides, ldc, alpha, beta));
    }

    /**
     * A matrix product as oneDNN's matmul primitive (its brgemm kernels on AVX-512), made once per
     * shape, strides and factors: {@code alpha} as the output scale and {@code beta} as a sum post-op.
     */
    public static final class Matmul {
        private final matmul prim;
        private final memory am, bm, cm;
        private final IntMemoryMap args = new IntMemoryMap();
        private final String impl;

        Matmul(long m, long n, long k, long[] as, long[] bs, long ldc, float alpha, float beta) {
            memory.desc ad = new memory.desc(new long[] {m, k}, memory.data_type.f32, as.clone());
            memory.desc bd = new memory.desc(new long[] {k, n}, memory.data_type.f32, bs.clone());
            memory.desc cd = new memory.desc(new long[] {m, n}, memory.data_type.f32, new long[] {ldc, 1});
            primitive_attr attr = new primitive_attr();
            if (alpha != 1f) attr.set_output_scales(0, new float[] {alpha});
            if (beta != 0f) {
                post_ops po = new post_ops();
                po.append_sum(beta, memory.data_type.undef);
                attr.set_post_ops(po);
            }
            matmul.primitive_desc pd = new matmul.primitive_desc(new matmul.desc(ad, bd, cd), attr, ENGINE);
            impl = Conv.info(pd.impl_info_str());
            if (impl.startsWith("ref")) throw new IllegalStateException("only the reference kernel (" + impl + ")");
            prim = new matmul(pd);
            am = new memory(ad, ENGINE, (Pointer) null);
            bm = new memory(bd, ENGINE, (Pointer) null);
            cm = new memory(cd, ENGINE, (Pointer) null);
            args.put(DNNL_ARG_SRC, am);
            args.put(DNNL_ARG_WEIGHTS, bm);
            args.put(DNNL_ARG_DST, cm);
        }

        /**
         * Runs the product on these arrays (their shapes and strides as the plan's).
         *
         * @param a the first operand
         * @param b the second operand
         * @param c the output, overwritten or, with {@code beta} nonzero, added to
         */
        public void run(INDArray a, INDArray b, INDArray c) {
            run(address(a), address(b), address(c));
        }

        /**
         * Runs the product on direct float buffers, each read from its position 0 (the plan's
         * strides index from there).
         *
         * @param a the first operand
         * @param b the second operand
         * @param c the output, overwritten or, with {@code beta} nonzero, added to
         */
        public void run(java.nio.FloatBuffer a, java.nio.FloatBuffer b, java.nio.FloatBuffer c) {
            run(address(a), address(b), address(c));
        }

        private void run(Pointer a, Pointer b, Pointer c) {
            stream s = LOCAL.get().strm;
            am.set_data_handle(a);
            bm.set_data_handle(b);
            cm.set_data_handle(c);
            prim.execute(s, args);
            s._wait();
        }

        /**
         * The kernel oneDNN chose.
         *
         * @return its name, e.g. {@code brg:avx512_core}
         */
        public String implementation() {
            return impl;
        }
    }

    /**
     * The cached relu of {@code n} contiguous floats, for the calling thread.
     *
     * @param n the element count
     * @return the plan, or null when oneDNN refuses the problem
     */
    public static Relu relu(long n) {
        String key = "relu" + n;
        return (Relu) plan(key, () -> new Relu(n));
    }

    /**
     * {@code max(x, 0)} and its gradient as oneDNN's vectorized eltwise kernels, in one pass over
     * native memory each (the JVM loops copy to the heap and back).
     */
    public static final class Relu {
        private final eltwise_forward fwd;
        private final eltwise_backward bwd;
        private final memory x, y, dst, g, gx;
        private final IntMemoryMap fArgs = new IntMemoryMap(), bArgs = new IntMemoryMap();

        Relu(long n) {
            memory.desc d = desc(new long[] {n}, memory.format_tag.a);
            eltwise_forward.primitive_desc fpd = new eltwise_forward.primitive_desc(
                    new eltwise_forward.desc(prop_kind.forward_training, algorithm.eltwise_relu_use_dst_for_bwd, d, 0f, 0f), ENGINE);
            eltwise_backward.primitive_desc bpd = new eltwise_backward.primitive_desc(
                    new eltwise_backward.desc(algorithm.eltwise_relu_use_dst_for_bwd, d, d, 0f, 0f), ENGINE, fpd);
            fwd = new eltwise_forward(fpd);
            bwd = new eltwise_backward(bpd);
            x = new memory(d, ENGINE, (Pointer) null);
            y = new memory(d, ENGINE, (Pointer) null);
            dst = new memory(d, ENGINE, (Pointer) null);
            g = new memory(d, ENGINE, (Pointer) null);
            gx = new memory(d, ENGINE, (Pointer) null);
            fArgs.put(DNNL_ARG_SRC, x);
            fArgs.put(DNNL_ARG_DST, y);
            bArgs.put(DNNL_ARG_DST, dst);
            bArgs.put(DNNL_ARG_DIFF_DST, g);
            bArgs.put(DNNL_ARG_DIFF_SRC, gx);
        }

        /**
         * {@code out = max(in, 0)}; {@code out} may be {@code in}.
         *
         * @param in the input
         * @param out the output, written
         */
        public void forward(INDArray in, INDArray out) {
            stream s = LOCAL.get().strm;
            x.set_data_handle(address(in));
            y.set_data_handle(address(out));
            fwd.execute(s, fArgs);
            s._wait();
        }

        /**
         * {@code gIn = out > 0 ? gOut : 0}.
         *
         * @param out the forward's output
         * @param gOut the output gradient
         * @param gIn the input gradient, written (may be {@code gOut})
         */
        public void backward(INDArray out, INDArray gOut, INDArray gIn) {
            stream s = LOCAL.get().strm;
            dst.set_data_handle(address(out));
            g.set_data_handle(address(gOut));
            gx.set_data_handle(address(gIn));
            bwd.execute(s, bArgs);
            s._wait();
        }
    }

    /**
     * The cached batch normalization of an {@code (n, c)} matrix over its rows, for the calling thread.
     *
     * @param n the rows
     * @param c the channels
     * @param epsilon added to the variance
     * @param scale whether a scale (gamma) multiplies the result
     * @param shift whether an offset (beta) is added
     * @param givenStats true to normalize with given statistics (Keras's inference mode), false
     *        with the batch's own (training mode)
     * @return the plan, or null when oneDNN refuses the problem
     */
    public static Norm batchNorm(long n, long c, float epsilon, boolean scale, boolean shift, boolean givenStats) {
        String key = "bnorm" + n + "x" + c + "e" + epsilon + scale + shift + givenStats;
        return (Norm) plan(key, () -> new Norm(false, n, c, epsilon, scale, shift, givenStats));
    }

    /**
     * The cached layer normalization of each row of an {@code (n, c)} matrix, for the calling thread.
     *
     * @param n the rows
     * @param c the columns normalized together
     * @param epsilon added to the variance
     * @param scale whether a scale (gamma) multiplies the result
     * @param shift whether an offset (beta) is added
     * @return the plan, or null when oneDNN refuses the problem
     */
    public static Norm layerNorm(long n, long c, float epsilon, boolean scale, boolean shift) {
        String key = "lnorm" + n + "x" + c + "e" + epsilon + scale + shift;
        return (Norm) plan(key, () -> new Norm(true, n, c, epsilon, scale, shift, false));
    }

    /**
     * Batch or layer normalization forward and backward as oneDNN's kernels, on a dense
     * {@code (n, c)} matrix: batch normalization over its rows (described to oneDNN as NHWC with
     * 1x1 maps, the layout its JIT kernels take), layer normalization over each row. Measured here
     * against Cornu's fused JVM kernels, forward and backward: the book convnet's first feature map
     * (43,264 x 32) 1.7 against 17.7 ms; a Transformer's (6400, 256) 1.2 against 17.4 ms.
     * Statistics are float32 sums, the variance biased, as Keras's.
     */
    public static final class Norm {
        private final primitive fwd, bwd;
        private final memory x, y, mean, var, gamma, beta, gx, gy, dGamma, dBeta;
        private final IntMemoryMap fArgs = new IntMemoryMap(), bArgs = new IntMemoryMap();
        private final boolean scale, shift;

        Norm(boolean layer, long n, long c, float epsilon, boolean scale, boolean shift, boolean givenStats) {
            this.scale = scale;
            this.shift = shift;
            memory.desc d = layer ? desc(new long[] {n, c}, memory.format_tag.ab) : desc(new long[] {n, c, 1, 1}, memory.format_tag.nhwc);
            int flags = (scale ? normalization_flags.use_scale.value : 0) | (shift ? normalization_flags.use_shift.value : 0)
                    | (givenStats ? normalization_flags.use_global_stats.value : 0);
            int training = prop_kind.forward_training.value;
            int backward = (scale || shift ? prop_kind.backward : prop_kind.backward_data).value;
            if (layer) {
                layer_normalization_forward.primitive_desc fpd = new layer_normalization_forward.primitive_desc(
                        new layer_normalization_forward.desc(training, d, epsilon, flags), ENGINE);
                fwd = new layer_normalization_forward(fpd);
                bwd = new layer_normalization_backward(new layer_normalization_backward.primitive_desc(
                        new layer_normalization_backward.desc(backward, d, d, epsilon, flags), ENGINE, fpd));
            } else {
                batch_normalization_forward.primitive_desc fpd = new batch_normalization_forward.primitive_desc(
                        new batch_normalization_forward.desc(training, d, epsilon, flags), ENGINE);
                fwd = new batch_normalization_forward(fpd);
                bwd = new batch_normalization_backward(new batch_normalization_backward.primitive_desc(
                        new batch_normalization_backward.desc(backward, d, d, epsilon, flags), ENGINE, fpd));
            }
            // one mean and variance per row (layer) or per channel (batch)
            memory.desc stats = desc(new long[] {layer ? n : c}, memory.format_tag.a);
            memory.desc cd = desc(new long[] {c}, memory.format_tag.a);
            x = new memory(d, ENGINE, (Pointer) null);
            y = new memory(d, ENGINE, (Pointer) null);
            gx = new memory(d, ENGINE, (Pointer) null);
            gy = new memory(d, ENGINE, (Pointer) null);
            mean = new memory(stats, ENGINE, (Pointer) null);
            var = new memory(stats, ENGINE, (Pointer) null);
            gamma = new memory(cd, ENGINE, (Pointer) null);
            beta = new memory(cd, ENGINE, (Pointer) null);
            dGamma = new memory(cd, ENGINE, (Pointer) null);
            dBeta = new memory(cd, ENGINE, (Pointer) null);
            fArgs.put(DNNL_ARG_SRC, x);
            fArgs.put(DNNL_ARG_DST, y);
            fArgs.put(DNNL_ARG_MEAN, mean);
            fArgs.put(DNNL_ARG_VARIANCE, var);
            bArgs.put(DNNL_ARG_SRC, x);
            bArgs.put(DNNL_ARG_DIFF_DST, gy);
            bArgs.put(DNNL_ARG_MEAN, mean);
            bArgs.put(DNNL_ARG_VARIANCE, var);
            bArgs.put(DNNL_ARG_DIFF_SRC, gx);
            if (scale) {
                fArgs.put(DNNL_ARG_SCALE, gamma);
                bArgs.put(DNNL_ARG_SCALE, gamma);
                bArgs.put(DNNL_ARG_DIFF_SCALE, dGamma);
            }
            if (shift) {
                fArgs.put(DNNL_ARG_SHIFT, beta);
                bArgs.put(DNNL_ARG_SHIFT, beta);
                bArgs.put(DNNL_ARG_DIFF_SHIFT, dBeta);
            }
        }

        private void params(INDArray g, INDArray b) {
            if (scale) gamma.set_data_handle(address(g));
            if (shift) beta.set_data_handle(address(b));
        }

        /**
         * The normalized output; with computed statistics {@code m} and {@code v} receive them, with
         * given ones (batch normalization's inference mode) they are read.
         *
         * @param xa the input {@code (n, c)}
         * @param g the scale {@code (c)}, or null for a plan without
         * @param b the offset {@code (c)}, or null for a plan without
         * @param ya the output, written
         * @param m the means (per channel for batch, per row for layer normalization)
         * @param v the (biased) variances, shaped as {@code m}
         */
        public void forward(INDArray xa, INDArray g, INDArray b, INDArray ya, INDArray m, INDArray v) {
            stream s = LOCAL.get().strm;
            x.set_data_handle(address(xa));
            y.set_data_handle(address(ya));
            mean.set_data_handle(address(m));
            var.set_data_handle(address(v));
            params(g, b);
            fwd.execute(s, fArgs);
            s._wait();
        }

        /**
         * The input, scale and offset gradients, written (not added).
         *
         * @param xa the forward's input
         * @param gya the output gradient
         * @param m the forward's means
         * @param v the forward's variances
         * @param g the scale, or null for a plan without
         * @param b the offset, or null for a plan without
         * @param gxa the input gradient, written
         * @param dg the scale gradient, written (null for a plan without)
         * @param db the offset gradient, written (null for a plan without)
         */
        public void backward(INDArray xa, INDArray gya, INDArray m, INDArray v, INDArray g, INDArray b, INDArray gxa, INDArray dg,
                INDArray db) {
            stream s = LOCAL.get().strm;
            x.set_data_handle(address(xa));
            gy.set_data_handle(address(gya));
            mean.set_data_handle(address(m));
            var.set_data_handle(address(v));
            gx.set_data_handle(address(gxa));
            params(g, b);
            if (scale) dGamma.set_data_handle(address(dg));
            if (shift) dBeta.set_data_handle(address(db));
            bwd.execute(s, bArgs);
            s._wait();
        }
    }

    /**
     * The cached plan of a 2-D max or average pooling on {@code (n, h, w, c)}, for the calling thread.
     *
     * @param xs the input shape
     * @param pool {@code {ph, pw}}
     * @param strides {@code {sh, sw}}
     * @param pads {@code {top, bottom, left, right}}
     * @param max true for max pooling, false for average over the real (unpadded) cells
     * @return the plan, or null when oneDNN refuses the problem
     */
    public static Pool pool(long[] xs, int[] pool, int[] strides, int[] pads, boolean max) {
        String key = "pool" + Arrays.toString(xs) + Arrays.toString(pool) + Arrays.toString(strides) + Arrays.toString(pads) + max;
        return (Pool) plan(key, () -> new Pool(xs, pool, strides, pads, max));
    }

    /** A pooling's forward (keeping max pooling's argmax workspace) and backward, made once. */
    public static final class Pool {
        private final pooling_forward fwd;
        private final pooling_backward bwd;
        private final memory x, y, gy, gx, ws;
        private final IntMemoryMap fArgs = new IntMemoryMap(), bArgs = new IntMemoryMap();
        private final long wsBytes;

        Pool(long[] xs, int[] pool, int[] strides, int[] pads, boolean max) {
            long n = xs[0], h = xs[1], w = xs[2], c = xs[3];
            long oh = (h + pads[0] + pads[1] - pool[0]) / strides[0] + 1;
            long ow = (w + pads[2] + pads[3] - pool[1]) / strides[1] + 1;
            memory.desc xd = desc(new long[] {n, c, h, w}, memory.format_tag.nhwc);
            memory.desc yd = desc(new long[] {n, c, oh, ow}, memory.format_tag.nhwc);
            algorithm alg = max ? algorithm.pooling_max : algorithm.pooling_avg_exclude_padding;
            long[] k = {pool[0], pool[1]}, s = {strides[0], strides[1]}, pl = {pads[0], pads[2]}, pr = {pads[1], pads[3]};
            pooling_forward.primitive_desc fpd = new pooling_forward.primitive_desc(
                    new pooling_forward.desc(prop_kind.forward_training, alg, xd, yd, s, k, pl, pr), ENGINE);
            pooling_backward.primitive_desc bpd = new pooling_backward.primitive_desc(
                    new pooling_backward.desc(alg, xd, yd, s, k, pl, pr), ENGINE, fpd);
            fwd = new pooling_forward(fpd);
            bwd = new pooling_backward(bpd);
            x = new memory(xd, ENGINE, (Pointer) null);
            y = new memory(yd, ENGINE, (Pointer) null);
            gy = new memory(yd, ENGINE, (Pointer) null);
            gx = new memory(xd, ENGINE, (Pointer) null);
            memory.desc wd = fpd.workspace_desc();
            wsBytes = wd.get_size();
            ws = wsBytes == 0 ? null : new memory(wd, ENGINE, (Pointer) null);
            fArgs.put(DNNL_ARG_SRC, x);
            fArgs.put(DNNL_ARG_DST, y);
            bArgs.put(DNNL_ARG_DIFF_DST, gy);
            bArgs.put(DNNL_ARG_DIFF_SRC, gx);
            if (ws != null) {
                fArgs.put(DNNL_ARG_WORKSPACE, ws);
                bArgs.put(DNNL_ARG_WORKSPACE, ws);
            }
        }

        /**
         * The bytes of the workspace that max pooling's forward fills and its backward reads (0 for average).
         *
         * @return the size in bytes
         */
        public long workspaceBytes() {
            return wsBytes;
        }

        /**
         * The pooled output.
         *
         * @param xa the input
         * @param ya the output, written
         * @param wsa the workspace ({@link #workspaceBytes} bytes, any type), or null when it is 0
         */
        public void forward(INDArray xa, INDArray ya, INDArray wsa) {
            stream s = LOCAL.get().strm;
            x.set_data_handle(address(xa));
            y.set_data_handle(address(ya));
            if (ws != null) ws.set_data_handle(new BytePointer(wsa.data().addressPointer()));
            fwd.execute(s, fArgs);
            s._wait();
        }

        /**
         * The input gradient, written (not added) into {@code gxa}.
         *
         * @param gya the output gradient
         * @param wsa the forward's workspace, or null when it is 0 bytes
         * @param gxa the input gradient, written
         */
        public void backward(INDArray gya, INDArray wsa, INDArray gxa) {
            stream s = LOCAL.get().strm;
            gy.set_data_handle(address(gya));
            gx.set_data_handle(address(gxa));
            if (ws != null) ws.set_data_handle(new BytePointer(wsa.data().addressPointer()));
            bwd.execute(s, bArgs);
            s._wait();
        }
    }
}
