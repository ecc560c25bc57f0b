package org.cornu.layers;

import static org.cornu.layers.LayerGradientTest.checkLayer;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cornu.core.FastPaths;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.ops.Ops;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DepthwiseConv2D and ReLU in float64: input and weight gradients against central differences,
 * the depthwise convolution against a direct loop over its definition, and the JVM kernel
 * against ND4J's native depthwise_conv2d (forward and gradients).
 */
class DepthwiseReluGradientTest extends Float64Test {

    @ParameterizedTest(name = "padding={0} strides={1} dilation={2} multiplier={3}")
    @CsvSource({"valid,1,1,1", "same,1,1,1", "valid,2,1,1", "same,2,1,2", "same,1,2,1", "valid,1,2,3", "same,3,1,1"})
    void depthwiseConv2d(String padding, int strides, int dilation, int multiplier) {
        DepthwiseConv2D d = new DepthwiseConv2D(3).padding(padding).strides(strides).dilationRate(dilation)
                .depthMultiplier(multiplier).activation("tanh").biasInitializer("random_normal");
        checkLayer(d, rand(31, -1, 1, 2, 6, 5, 3));
    }

    @Test
    void depthwiseRectangularKernelWithoutBias() {
        DepthwiseConv2D d = new DepthwiseConv2D(new int[] {2, 3}).useBias(false).strides(2, 1).padding("same");
        checkLayer(d, rand(32, -1, 1, 2, 5, 6, 2));
        assertEquals(1, d.weights().size());
    }

    /** The definition: out[b, i, j, c*m + q] = sum_{a, e} xpad[b, i*s + a*d, j*s + e*d, c] * k[a, e, c, q]. */
    static INDArray reference(INDArray x, INDArray k, int s, int d, boolean same) {
        long n = x.size(0), h = x.size(1), w = x.size(2), c = x.size(3);
        int kh = (int) k.size(0), kw = (int) k.size(1);
        long m = k.size(3);
        long eh = (long) d * (kh - 1) + 1, ew = (long) d * (kw - 1) + 1;
        long oh = same ? (h + s - 1) / s : (h - eh) / s + 1, ow = same ? (w + s - 1) / s : (w - ew) / s + 1;
        long pt = same ? Math.max(0, (oh - 1) * s + eh - h) / 2 : 0, pl = same ? Math.max(0, (ow - 1) * s + ew - w) / 2 : 0;
        INDArray o = Nd4j.zeros(DataType.DOUBLE, n, oh, ow, c * m);
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ci = 0; ci < c; ci++) {
                        for (int q = 0; q < m; q++) {
                            double acc = 0;
                            for (int a = 0; a < kh; a++) {
                                for (int e = 0; e < kw; e++) {
                                    long y = i * s + (long) a * d - pt, xx = j * s + (long) e * d - pl;
                                    if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                                    acc += x.getDouble(b, y, xx, ci) * k.getDouble(a, e, ci, q);
                                }
                            }
                            o.putScalar(new long[] {b, i, j, ci * m + q}, acc);
                        }
                    }
                }
            }
        }
        return o;
    }

    @ParameterizedTest(name = "same={0} strides={1} dilation={2} multiplier={3}")
    @CsvSource({"false,1,1,1", "true,1,1,1", "false,2,1,2", "true,2,1,1", "true,1,2,2", "false,1,2,1"})
    void jvmAndNativeKernelsMatchTheDefinition(boolean same, int s, int d, int m) {
        INDArray x = rand(33, -1, 1, 2, 7, 6, 3);
        INDArray k = rand(34, -1, 1, 3, 3, 3, m);
        INDArray g = rand(35, -1, 1, reference(x, k, s, d, same).shape());
        INDArray want = reference(x, k, s, d, same);
        INDArray[] jvm = run(x, k, g, s, d, same);
        FastPaths.JVM_CONV.setEnabled(false);
        INDArray[] nat;
        try {
            nat = run(x, k, g, s, d, same);
        } finally {
            FastPaths.JVM_CONV.setEnabled(true);
        }
        assertArrayEquals(want.shape(), jvm[0].shape());
        assertEquals(0.0, jvm[0].sub(want).amaxNumber().doubleValue(), 1e-12, "JVM forward against the definition");
        assertEquals(0.0, nat[0].sub(want).amaxNumber().doubleValue(), 1e-12, "native forward against the definition");
        assertEquals(0.0, jvm[1].sub(nat[1]).amaxNumber().doubleValue(), 1e-12, "input gradient, JVM against native");
        assertEquals(0.0, jvm[2].sub(nat[2]).amaxNumber().doubleValue(), 1e-12, "kernel gradient, JVM against native");
    }

    /** Output, input gradient and kernel gradient of sum(depthwise(x, k) * g). */
    private static INDArray[] run(INDArray x, INDArray k, INDArray g, int s, int d, boolean same) {
        Tensor tx = Tensor.variable(x), tk = Tensor.variable(k);
        Tensor z;
        try (Tape tape = Tape.record()) {
            z = ConvOps.depthwiseConv2d(tx, tk, new int[] {s, s}, same, new int[] {d, d});
            tape.backward(Ops.sum(Ops.mul(z, Tensor.constant(g))));
        }
        return new INDArray[] {z.value(), tx.grad(), tk.grad()};
    }

    @Test
    void depthwiseByHand() {
        // one 2x2 image with 2 channels, a 2x2 kernel, multiplier 2: each output is one dot product
        INDArray x = Nd4j.create(new double[] {1, 10, 2, 20, 3, 30, 4, 40}, new long[] {1, 2, 2, 2}, DataType.DOUBLE);
        INDArray k = Nd4j.create(new double[] {1, 0, 0, 1, 1, 1, 2, 0, 0, 0, 1, 3, 1, 2, 0, 1},
                new long[] {2, 2, 2, 2}, DataType.DOUBLE);
        DepthwiseConv2D d = new DepthwiseConv2D(2).depthMultiplier(2);
        d.build(org.cornu.core.Shape.of(-1, 2, 2, 2));
        d.kernel().assign(k);
        d.bias().assign(Nd4j.create(new double[] {0.5, 0, 0, -1}, new long[] {4}, DataType.DOUBLE));
        INDArray y = d.apply(x);
        assertArrayEquals(new long[] {1, 1, 1, 4}, y.shape());
        // channel 0 (values 1, 2, 3, 4) with k[.., 0, 0] = (1, 1, 0, 1): 1 + 2 + 4 = 7, + bias 0.5
        // channel 0 with k[.., 0, 1] = (0, 1, 0, 2): 2 + 8 = 10
        // channel 1 (10, 20, 30, 40) with k[.., 1, 0] = (0, 2, 1, 0): 40 + 30 = 70
        // channel 1 with k[.., 1, 1] = (1, 0, 3, 1): 10 + 90 + 40 = 140, - 1
        assertArrayEquals(new double[] {7.5, 10, 70, 139}, y.data().asDouble(), 1e-12);
    }

    // ------------------------------------------------------------------ ReLU

    @ParameterizedTest(name = "max={0} slope={1} threshold={2}")
    @CsvSource({"-1,0,0", "6,0,0", "3,0,0", "-1,0.3,0", "4,0.5,0", "-1,0,0.5", "5,0.2,0.4"})
    void reluGradients(double max, double slope, double threshold) {
        ReLU r = new ReLU().maxValue(max < 0 ? null : max).negativeSlope(slope).threshold(threshold);
        // values away from the kinks (0, threshold, max) so that central differences are exact
        double[] v = {-7.1, -2.3, -0.61, 0.27, 0.93, 1.71, 2.49, 3.55, 4.41, 5.37, 6.62, 8.8};
        checkLayer(r, Nd4j.create(v, new long[] {3, 4}, DataType.DOUBLE));
    }

    @Test
    void reluValuesAsKeras() {
        INDArray x = Nd4j.create(new double[] {-10, -5, 0, 5, 10}, new long[] {1, 5}, DataType.DOUBLE);
        // Keras's docstring: ReLU(max_value=10, negative_slope=0.5, threshold=0)
        assertArrayEquals(new double[] {-5, -2.5, 0, 5, 10},
                new ReLU().maxValue(10.0).negativeSlope(0.5).apply(x).data().asDouble(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 5, 10}, new ReLU().apply(x).data().asDouble(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 5, 6}, new ReLU(6.0).apply(x).data().asDouble(), 1e-12);
        // threshold 1, slope 0.5: x for x > 1, else 0.5 * (x - 1)
        INDArray t = Nd4j.create(new double[] {-2, 0.5, 1, 3}, new long[] {1, 4}, DataType.DOUBLE);
        assertArrayEquals(new double[] {-1.5, -0.25, 0, 3},
                new ReLU().negativeSlope(0.5).threshold(1).apply(t).data().asDouble(), 1e-12);
    }

    @Test
    void relu6GradientIsOneOnlyStrictlyBetweenZeroAndSix() {
        Tensor x = Tensor.variable(Nd4j.create(new double[] {-1, 0, 3, 6, 7}, new long[] {1, 5}, DataType.DOUBLE));
        try (Tape tape = Tape.record()) {
            Tensor y = new ReLU(6.0).invoke(List.of(x), true).get(0);
            tape.backward(Ops.sum(y));
        }
        assertArrayEquals(new double[] {0, 0, 1, 0, 0}, x.grad().data().asDouble(), 0.0);
    }
}
