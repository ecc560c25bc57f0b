package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.cornu.testing.opmatrix.KernelPaths.JVM_CONV;
import static org.cornu.testing.opmatrix.KernelPaths.NATIVE_CONV;
import static org.cornu.testing.opmatrix.KernelPaths.ONEDNN;
import static org.cornu.testing.opmatrix.KernelPaths.DNNL;
import static org.cornu.testing.opmatrix.KernelPaths.DEFAULT;
import static org.cornu.testing.opmatrix.OpInfo.op;
import static org.cornu.testing.opmatrix.Sample.arr;

import java.util.List;
import java.util.stream.Stream;
import org.cornu.core.autodiff.Tensor;
import org.cornu.testing.opmatrix.NaiveOps;
import org.cornu.testing.opmatrix.OpInfo;
import org.cornu.testing.opmatrix.OpMatrix;
import org.cornu.testing.opmatrix.Sample;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The op matrix for convolution and pooling: conv1d/conv2d and depthwise conv2d (both paddings, strides, dilations,
 * non-square kernels, odd total padding), max and average pooling 1-D and 2-D (ties, all-zero
 * windows, padding), global pooling; on the JVM kernels, ND4J's native ops and oneDNN called directly, in float32 and
 * float64, against plain-Java references.
 */
class ConvOpsMatrixTest {

    private static Sample conv(String name, long[] xs, long[] ks, boolean bias, int[] s, boolean same, int[] dil, long seed) {
        INDArray x = rand(seed, -1, 1, xs), k = rand(seed + 1, -1, 1, ks);
        Sample sm = bias ? Sample.of(name, x, k, rand(seed + 2, -1, 1, ks[ks.length - 1])) : Sample.of(name, x, k);
        return sm.arg("s", s).arg("same", same).arg("dil", dil);
    }

    static final OpInfo CONV2D = op("conv2d", (in, s) -> ConvOps.conv2d(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null,
                    s.get("s"), s.get("same"), s.get("dil")))
            .reference((in, s) -> NaiveOps.conv2d(in[0], in[1], in.length > 2 ? in[2] : null, s.get("s"), s.get("same"), s.get("dil")))
            .paths(JVM_CONV, NATIVE_CONV, ONEDNN, DNNL)
            .samples(
                    conv("valid 3x3 stride 1, bias", new long[] {2, 5, 5, 2}, new long[] {3, 3, 2, 3}, true, new int[] {1, 1}, false, new int[] {1, 1}, 1),
                    conv("same 3x2 kernel (1 row on top, no column on the left)", new long[] {1, 4, 5, 2}, new long[] {3, 2, 2, 2}, true,
                            new int[] {1, 1}, true, new int[] {1, 1}, 11),
                    conv("same 4x2 stride 2: odd total padding (1 top, 2 bottom)", new long[] {2, 5, 6, 2}, new long[] {4, 2, 2, 3}, true,
                            new int[] {2, 2}, true, new int[] {1, 1}, 21),
                    conv("same 2x3 stride 2: padding on the left only, none on top", new long[] {1, 6, 5, 3}, new long[] {2, 3, 3, 2}, false,
                            new int[] {2, 2}, true, new int[] {1, 1}, 31),
                    conv("same dilation (2, 1), no bias", new long[] {2, 6, 5, 2}, new long[] {2, 3, 2, 2}, false, new int[] {1, 1}, true,
                            new int[] {2, 1}, 41),
                    conv("valid stride (2, 1) dilation (1, 2)", new long[] {1, 7, 7, 2}, new long[] {3, 2, 2, 3}, true, new int[] {2, 1}, false,
                            new int[] {1, 2}, 51),
                    conv("same dilation (1, 2): width taps skip columns next to padding", new long[] {2, 5, 6, 2}, new long[] {3, 2, 2, 2}, true,
                            new int[] {1, 1}, true, new int[] {1, 2}, 45),
                    conv("16 channels: 32-value runs (the buffer im2col), same", new long[] {1, 4, 4, 16}, new long[] {2, 2, 16, 2}, true,
                            new int[] {1, 1}, true, new int[] {1, 1}, 47),
                    conv("8x8x4 -> 16, 3x3 same: Winograd on the direct oneDNN path", new long[] {1, 8, 8, 4},
                            new long[] {3, 3, 4, 16}, true, new int[] {1, 1}, true, new int[] {1, 1}, 49),
                    conv("batch 1, 1x1 pointwise", new long[] {1, 3, 4, 3}, new long[] {1, 1, 3, 2}, true, new int[] {1, 1}, false,
                            new int[] {1, 1}, 61),
                    Sample.of("all-zero input", Nd4j.zeros(DataType.DOUBLE, 2, 4, 4, 2), rand(71, -1, 1, 3, 3, 2, 2), rand(72, -1, 1, 2))
                            .arg("s", new int[] {1, 1}).arg("same", true).arg("dil", new int[] {1, 1}));

    /** Conv1D as the layer computes it: a (1, k) 2-D convolution over (batch, 1, steps, channels). */
    static Tensor conv1d(List<Tensor> in, Sample s) {
        long[] xs = in.get(0).shape(), ks = in.get(1).shape();
        Tensor x4 = Ops.reshape(in.get(0), xs[0], 1, xs[1], xs[2]);
        Tensor k4 = Ops.reshape(in.get(1), 1, ks[0], ks[1], ks[2]);
        int st = s.get("s"), d = s.get("dil");
        Tensor z = ConvOps.conv2d(x4, k4, in.size() > 2 ? in.get(2) : null, new int[] {1, st}, s.get("same"), new int[] {1, d});
        long[] zs = z.shape();
        return Ops.reshape(z, zs[0], zs[2], zs[3]);
    }

    static INDArray conv1dRef(INDArray[] in, Sample s) {
        long[] xs = in[0].shape(), ks = in[1].shape();
        int st = s.get("s"), d = s.get("dil");
        INDArray z = NaiveOps.conv2d(in[0].reshape(xs[0], 1, xs[1], xs[2]), in[1].reshape(1, ks[0], ks[1], ks[2]),
                in.length > 2 ? in[2] : null, new int[] {1, st}, s.get("same"), new int[] {1, d});
        return z.reshape(z.size(0), z.size(2), z.size(3));
    }

    private static Sample conv1(String name, long[] xs, long[] ks, boolean bias, int s, boolean same, int dil, long seed) {
        INDArray x = rand(seed, -1, 1, xs), k = rand(seed + 1, -1, 1, ks);
        Sample sm = bias ? Sample.of(name, x, k, rand(seed + 2, -1, 1, ks[2])) : Sample.of(name, x, k);
        return sm.arg("s", s).arg("same", same).arg("dil", dil);
    }

    static final OpInfo CONV1D = op("conv1d", ConvOpsMatrixTest::conv1d)
            .reference(ConvOpsMatrixTest::conv1dRef)
            .paths(JVM_CONV, NATIVE_CONV, ONEDNN, DNNL)
            .samples(
                    conv1("same k=3 (one step padded on the left)", new long[] {2, 6, 2}, new long[] {3, 2, 3}, true, 1, true, 1, 101),
                    conv1("same k=4 stride 2: odd total padding (1 left, 2 right)", new long[] {2, 7, 2}, new long[] {4, 2, 2}, true, 2, true, 1, 111),
                    conv1("valid dilation 2", new long[] {1, 8, 3}, new long[] {3, 3, 2}, false, 1, false, 2, 121),
                    conv1("length-1 sequence, same k=3", new long[] {2, 1, 2}, new long[] {3, 2, 2}, true, 1, true, 1, 131),
                    conv1("batch 1, valid stride 3", new long[] {1, 9, 2}, new long[] {2, 2, 4}, true, 3, false, 1, 141));

    private static Sample pool(String name, INDArray x, int[] p, int[] s, boolean same) {
        return Sample.of(name, x).arg("p", p).arg("s", s).arg("same", same);
    }

    /** Max pooling samples whose windows have ties: the gradient goes to each window's first maximum. */
    private static Sample ties(String name, INDArray x, int[] p, int[] s, boolean same) {
        return pool(name, x, p, s, same).gradsByRule((in, w) -> new INDArray[] {NaiveOps.maxPool2dGrad(in[0], w, p, s, same)});
    }

    /** Relu outputs: about half zeros, so many windows tie at 0 and some are all zero. */
    private static INDArray reluLike(long seed, long... shape) {
        return NaiveOpsHolder.relu(rand(seed, -1, 1, shape));
    }

    /** Integer values 0..2: ties at the maximum in most windows. */
    private static INDArray smallInts(long seed, long... shape) {
        INDArray r = rand(seed, 0, 3, shape);
        return NaiveOps.map(r, Math::floor);
    }

    static final OpInfo MAX_POOL_2D = op("max_pool2d", (in, s) -> ConvOps.maxPool2d(in.get(0), s.get("p"), s.get("s"), s.get("same")))
            .reference((in, s) -> NaiveOps.pool2d(in[0], s.get("p"), s.get("s"), s.get("same"), true))
            .paths(JVM_CONV, NATIVE_CONV, ONEDNN, DNNL)
            .samples(
                    pool("distinct values, 2x2 valid", rand(201, -1, 1, 2, 4, 4, 3), new int[] {2, 2}, new int[] {2, 2}, false),
                    pool("distinct values, 3x2 same stride 2 (odd total padding)", rand(202, -1, 1, 1, 5, 6, 2), new int[] {3, 2},
                            new int[] {2, 2}, true),
                    ties("ties in every window (values 0..2), 2x2 stride 1", smallInts(203, 2, 4, 4, 2), new int[] {2, 2}, new int[] {1, 1}, false),
                    ties("relu zeros: tied and all-zero windows, 3x3 same stride 2", reluLike(204, 2, 5, 5, 2), new int[] {3, 3},
                            new int[] {2, 2}, true),
                    ties("all-zero input, 2x3 valid stride (1, 2)", Nd4j.zeros(DataType.DOUBLE, 1, 4, 7, 2), new int[] {2, 3},
                            new int[] {1, 2}, false),
                    ties("a tie at the window's first and last cell", arr(new double[] {5, 1, 2, 5, 0, 0, 0, 0, 3, 3, 3, 3, 1, 1, 1, 1}, 1, 4, 4, 1),
                            new int[] {2, 2}, new int[] {2, 2}, false));

    static final OpInfo AVG_POOL_2D = op("avg_pool2d", (in, s) -> ConvOps.avgPool2d(in.get(0), s.get("p"), s.get("s"), s.get("same")))
            .reference((in, s) -> NaiveOps.pool2d(in[0], s.get("p"), s.get("s"), s.get("same"), false))
            .paths(JVM_CONV, NATIVE_CONV, ONEDNN, DNNL)
            .samples(
                    pool("2x2 valid", rand(301, -1, 1, 2, 4, 4, 3), new int[] {2, 2}, new int[] {2, 2}, false),
                    pool("3x2 same stride 2 (windows over padding count real cells only)", rand(302, -1, 1, 1, 5, 6, 2), new int[] {3, 2},
                            new int[] {2, 2}, true),
                    pool("all-zero windows", reluLike(303, 2, 4, 4, 2), new int[] {2, 2}, new int[] {1, 1}, true),
                    pool("batch 1, 3x3 stride 1 same", rand(304, -1, 1, 1, 3, 3, 1), new int[] {3, 3}, new int[] {1, 1}, true));

    /** 1-D pooling as the layers compute it: (batch, 1, steps, channels). */
    private static OpInfo pool1d(String name, boolean max) {
        OpInfo.Call call = (in, s) -> {
            long[] xs = in.get(0).shape();
            Tensor x4 = Ops.reshape(in.get(0), xs[0], 1, xs[1], xs[2]);
            int p = s.get("p1"), st = s.get("s1");
            Tensor z = max ? ConvOps.maxPool2d(x4, new int[] {1, p}, new int[] {1, st}, s.get("same"))
                    : ConvOps.avgPool2d(x4, new int[] {1, p}, new int[] {1, st}, s.get("same"));
            return Ops.reshape(z, xs[0], z.shape()[2], xs[2]);
        };
        OpInfo.Reference ref = (in, s) -> {
            long[] xs = in[0].shape();
            int p = s.get("p1"), st = s.get("s1");
            INDArray z = NaiveOps.pool2d(in[0].reshape(xs[0], 1, xs[1], xs[2]), new int[] {1, p}, new int[] {1, st}, s.get("same"), max);
            return z.reshape(xs[0], z.size(2), xs[2]);
        };
        return op(name, call).reference(ref).paths(JVM_CONV, NATIVE_CONV, ONEDNN, DNNL);
    }

    private static Sample pool1(String name, INDArray x, int p, int s, boolean same, boolean tied) {
        Sample sm = Sample.of(name, x).arg("p1", p).arg("s1", s).arg("same", same);
        if (!tied) return sm;
        return sm.gradsByRule((in, w) -> {
            long[] xs = in[0].shape();
            INDArray g = NaiveOps.maxPool2dGrad(in[0].reshape(xs[0], 1, xs[1], xs[2]), w.reshape(w.size(0), 1, w.size(1), w.size(2)),
                    new int[] {1, p}, new int[] {1, s}, same);
            return new INDArray[] {g.reshape(xs)};
        });
    }

    static final OpInfo MAX_POOL_1D = pool1d("max_pool1d", true).samples(
            pool1("distinct, pool 2", rand(401, -1, 1, 2, 6, 2), 2, 2, false, false),
            pool1("ties (values 0..2), pool 3 stride 1 same", smallInts(402, 2, 7, 2), 3, 1, true, true),
            pool1("relu zeros, pool 2 stride 2 same, odd length", reluLike(403, 2, 7, 3), 2, 2, true, true),
            pool1("length-1 sequence, same", rand(404, -1, 1, 2, 1, 2), 2, 1, true, false));

    static final OpInfo AVG_POOL_1D = pool1d("avg_pool1d", false).samples(
            pool1("pool 2", rand(411, -1, 1, 2, 6, 2), 2, 2, false, false),
            pool1("pool 3 stride 2 same, odd total padding", rand(412, -1, 1, 1, 6, 2), 3, 2, true, false),
            pool1("length-1 sequence, same", rand(413, -1, 1, 2, 1, 2), 2, 1, true, false));

    /** Global max pooling: TensorFlow's reduce_max shares the gradient equally among tied maxima. */
    static final OpInfo GLOBAL_MAX = op("global_max_pool", (in, s) -> ConvOps.globalMaxPool(in.get(0)))
            .reference((in, s) -> globalRef(in[0], true))
            .paths(DEFAULT)
            .samples(
                    Sample.of("distinct, 2-D", rand(501, -1, 1, 2, 3, 3, 2)),
                    Sample.of("distinct, 1-D", rand(502, -1, 1, 3, 5, 2)),
                    Sample.of("ties share the gradient (and an all-zero channel)", arr(new double[] {1, 0, 2, 0, 2, 0, 1, 0, -1, 5, -1, 5}, 2, 3, 2))
                            .gradsByRule((in, w) -> new INDArray[] {arr(new double[] {0, w.getDouble(0, 1) / 3, w.getDouble(0, 0) / 2, w.getDouble(0, 1) / 3, w.getDouble(0, 0) / 2,
                                    w.getDouble(0, 1) / 3,
                                    w.getDouble(1, 0), 0, 0, w.getDouble(1, 1) / 2, 0, w.getDouble(1, 1) / 2}, 2, 3, 2)}));

    static final OpInfo GLOBAL_AVG = op("global_avg_pool", (in, s) -> ConvOps.globalAvgPool(in.get(0)))
            .reference((in, s) -> globalRef(in[0], false))
            .paths(DEFAULT)
            .samples(Sample.of("2-D", rand(511, -1, 1, 2, 3, 3, 2)), Sample.of("1-D, batch 1", rand(512, -1, 1, 1, 4, 3)));

    static INDArray globalRef(INDArray x, boolean max) {
        long n = x.size(0), c = x.size(x.rank() - 1), sp = x.length() / (n * c);
        INDArray x3 = x.reshape('c', n, sp, c);
        return max ? x3.max(1) : x3.mean(1);
    }

    /** Keras's depthwise kernel (kh, kw, c, m) as the block-diagonal ordinary kernel (kh, kw, c, c*m) it equals. */
    private static INDArray blockDiagonal(INDArray k) {
        long kh = k.size(0), kw = k.size(1), c = k.size(2), m = k.size(3);
        INDArray full = Nd4j.zeros(k.dataType(), kh, kw, c, c * m);
        for (long i = 0; i < kh; i++) {
            for (long j = 0; j < kw; j++) {
                for (long ci = 0; ci < c; ci++) {
                    for (long q = 0; q < m; q++) full.putScalar(new long[] {i, j, ci, ci * m + q}, k.getDouble(i, j, ci, q));
                }
            }
        }
        return full;
    }

    private static Sample depthwise(String name, long[] xs, long[] ks, int[] s, boolean same, int[] dil, long seed) {
        return Sample.of(name, rand(seed, -1, 1, xs), rand(seed + 1, -1, 1, ks)).arg("s", s).arg("same", same).arg("dil", dil);
    }

    static final OpInfo DEPTHWISE_CONV2D = op("depthwise_conv2d", (in, s) -> ConvOps.depthwiseConv2d(in.get(0), in.get(1), s.get("s"),
                    s.get("same"), s.get("dil")))
            .reference((in, s) -> NaiveOps.conv2d(in[0], blockDiagonal(in[1]), null, s.get("s"), s.get("same"), s.get("dil")))
            .paths(JVM_CONV, NATIVE_CONV, DNNL)
            .samples(
                    depthwise("valid 3x3, multiplier 1", new long[] {2, 5, 5, 3}, new long[] {3, 3, 3, 1}, new int[] {1, 1}, false,
                            new int[] {1, 1}, 401),
                    depthwise("same 3x3 stride 2 (odd total padding), multiplier 2", new long[] {1, 6, 5, 2}, new long[] {3, 3, 2, 2},
                            new int[] {2, 2}, true, new int[] {1, 1}, 411),
                    depthwise("same 3x2 dilation (2, 1), multiplier 3", new long[] {2, 6, 5, 2}, new long[] {3, 2, 2, 3},
                            new int[] {1, 1}, true, new int[] {2, 1}, 421),
                    depthwise("batch 1, 16 channels (MobileNet-like), same 3x3", new long[] {1, 4, 4, 16}, new long[] {3, 3, 16, 1},
                            new int[] {1, 1}, true, new int[] {1, 1}, 431));

    static final OpInfo[] ALL = {CONV2D, DEPTHWISE_CONV2D, CONV1D, MAX_POOL_2D, AVG_POOL_2D, MAX_POOL_1D, AVG_POOL_1D, GLOBAL_MAX, GLOBAL_AVG};

    @TestFactory
    Stream<DynamicNode> matrix() {
        return OpMatrix.tests(ALL);
    }

    /** Relu without Cornu's kernels. */
    static final class NaiveOpsHolder {
        static INDArray relu(INDArray x) {
            return NaiveOps.map(x, v -> Math.max(v, 0));
        }
    }
}
