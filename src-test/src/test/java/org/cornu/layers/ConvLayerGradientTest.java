package org.cornu.layers;

import org.cornu.core.autodiff.StatelessScope;
import static org.cornu.testing.GradCheck.check;
import static org.cornu.testing.GradCheck.rand;
import static org.cornu.layers.LayerGradientTest.checkLayer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.testing.Float64Test;

/** Convolution and pooling layers: input and weight gradients against central differences (float64). */
class ConvLayerGradientTest extends Float64Test {

    /** Distinct values in [-1, 1] in a shuffled order: max pooling has a unique winner per window. */
    static INDArray distinct(long seed, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        double[] a = Nd4j.linspace(-1, 1, n).castTo(DataType.DOUBLE).toDoubleVector();
        java.util.Random r = new java.util.Random(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Nd4j.create(a, shape, DataType.DOUBLE);
    }

    @ParameterizedTest(name = "padding={0} strides={1} dilation={2} activation={3}")
    @CsvSource({"valid,1,1,linear", "same,1,1,tanh", "valid,2,1,linear", "same,2,1,sigmoid", "same,1,2,linear",
            "valid,1,2,tanh", "same,3,1,linear"})
    void conv2d(String padding, int strides, int dilation, String act) {
        Conv2D c = new Conv2D(3, 3, act).padding(padding).strides(strides).dilationRate(dilation)
                .biasInitializer("random_normal");
        checkLayer(c, rand(11, -1, 1, 2, 7, 6, 2));
    }

    @Test
    void conv2dRectangularKernelNoBias() {
        Conv2D c = new Conv2D(2, new int[] {2, 3}, null).useBias(false).strides(2, 1).padding("same");
        checkLayer(c, rand(12, -1, 1, 2, 5, 6, 3));
    }

    @ParameterizedTest(name = "{0} padding={1} pool={2} strides={3}")
    @CsvSource({"max,valid,2,0", "max,same,2,0", "max,valid,3,2", "max,same,3,2", "max,same,2,1",
            "avg,valid,2,0", "avg,same,2,0", "avg,valid,3,2", "avg,same,3,2", "avg,same,2,1"})
    void pooling(String kind, String padding, int pool, int strides) {
        var p = kind.equals("max") ? new MaxPooling2D(pool).padding(padding) : new AveragePooling2D(pool).padding(padding);
        if (strides > 0) p.strides(strides);
        checkLayer(p, distinct(13, 2, 5, 7, 3));
    }

    @Test
    void globalPooling() {
        checkLayer(new GlobalMaxPooling2D(), distinct(14, 2, 3, 4, 3));
        checkLayer(new GlobalAveragePooling2D(), distinct(15, 2, 3, 4, 3));
        checkLayer(new GlobalAveragePooling2D().keepdims(true), distinct(16, 2, 3, 4, 3));
    }

    @ParameterizedTest(name = "padding={0} strides={1} dilation={2}")
    @CsvSource({"valid,1,1", "same,1,1", "causal,1,1", "valid,2,1", "same,2,1", "causal,2,1", "causal,1,2", "same,1,2"})
    void conv1d(String padding, int strides, int dilation) {
        Conv1D c = new Conv1D(3, 3, "tanh").padding(padding).strides(strides).dilationRate(dilation)
                .biasInitializer("random_normal");
        checkLayer(c, rand(21, -1, 1, 2, 9, 2));
    }

    @Test
    void causalConv1dMatchesNestedLoops() {
        // out[b, t, f] = bias[f] + sum_{a, c} x[b, t - (k - 1 - a) * d, c] * kernel[a, c, f], zero before t = 0
        int k = 3, d = 2, steps = 7, cin = 2, f = 2;
        Conv1D c = new Conv1D(f, k).padding("causal").dilationRate(d).biasInitializer("random_normal");
        INDArray x = rand(22, -1, 1, 1, steps, cin);
        INDArray y = c.apply(x);
        assertArrayEquals(new long[] {1, steps, f}, y.shape());
        INDArray w = c.kernel().value(), b = c.bias().value();
        for (int t = 0; t < steps; t++)
            for (int q = 0; q < f; q++) {
                double s = b.getDouble(q);
                for (int a = 0; a < k; a++) {
                    int src = t - (k - 1 - a) * d;
                    if (src < 0) continue;
                    for (int ch = 0; ch < cin; ch++) s += x.getDouble(0, src, ch) * w.getDouble(a, ch, q);
                }
                assertEquals(s, y.getDouble(0, t, q), 1e-12);
            }
    }

    @ParameterizedTest(name = "padding={0} pool={1} strides={2}")
    @CsvSource({"valid,2,0", "same,2,0", "valid,3,2", "same,3,2", "same,2,1"})
    void maxPooling1d(String padding, int pool, int strides) {
        MaxPooling1D p = new MaxPooling1D(pool).padding(padding);
        if (strides > 0) p.strides(strides);
        checkLayer(p, distinct(23, 2, 7, 3));
    }

    @ParameterizedTest(name = "rank={0}")
    @CsvSource({"2", "4"})
    void batchNormalizationTrainingGradients(int rank) {
        // input, gamma and beta against central differences; the moving statistics get no gradient
        BatchNormalization bn = new BatchNormalization().gammaInitializer("random_normal").betaInitializer("random_normal");
        INDArray x = rank == 2 ? rand(31, -2, 2, 6, 3) : rand(31, -2, 2, 2, 3, 2, 3);
        bn.build(Shape.of(x.shape()).with(0, Shape.NONE));
        Weight gamma = bn.gamma(), beta = bn.beta();
        INDArray wt = rand(7, -1, 1, x.shape());
        check(t -> {
            try (StatelessScope scope = new StatelessScope(List.of(gamma, beta), t.subList(1, 3))) {
                return Ops.mul(bn.invoke(List.of(t.get(0)), true).get(0), Tensor.constant(wt));
            }
        }, 1e-6, x, gamma.value(), beta.value());
    }

    @Test
    void batchNormalizationValuesAndMovingStatistics() {
        INDArray x = Nd4j.create(new double[][] {{1, 10}, {3, 20}, {5, 60}}); // means 3, 30; biased variances 8/3, 1400/3
        BatchNormalization bn = new BatchNormalization().momentum(0.9);
        bn.build(Shape.of(-1, 2));
        INDArray y = bn.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        double eps = 1e-3;
        assertEquals((1 - 3) / Math.sqrt(8.0 / 3 + eps), y.getDouble(0, 0), 1e-12);
        assertEquals((60 - 30) / Math.sqrt(1400.0 / 3 + eps), y.getDouble(2, 1), 1e-12);
        assertEquals(0.1 * 3, bn.movingMean().value().getDouble(0), 1e-12);
        assertEquals(0.1 * 30, bn.movingMean().value().getDouble(1), 1e-12);
        assertEquals(0.9 + 0.1 * 8.0 / 3, bn.movingVariance().value().getDouble(0), 1e-12);
        assertEquals(0.9 + 0.1 * 1400.0 / 3, bn.movingVariance().value().getDouble(1), 1e-12);
        // inference: the moving statistics, unchanged by the call
        INDArray mm = bn.movingMean().value().dup(), mv = bn.movingVariance().value().dup();
        INDArray z = bn.invoke(List.of(Tensor.constant(x)), false).get(0).value();
        assertEquals((5 - mm.getDouble(0)) / Math.sqrt(mv.getDouble(0) + eps), z.getDouble(2, 0), 1e-12);
        assertEquals(mm, bn.movingMean().value());
        // a frozen layer runs in inference mode even when training (Keras 3)
        bn.trainable(false);
        INDArray f = bn.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        assertEquals(z, f);
        assertEquals(mv, bn.movingVariance().value());
    }

    @Test
    void rescalingZeroPaddingUpSamplingGradients() {
        checkLayer(new Rescaling(1.0 / 255, -0.5), rand(41, -1, 1, 2, 3, 2));
        checkLayer(new ZeroPadding2D(1, 2, 0, 3), rand(42, -1, 1, 2, 3, 2, 2));
        checkLayer(new UpSampling2D(2, 3), rand(43, -1, 1, 2, 2, 3, 2));
    }

    @Test
    void zeroPaddingAndUpSamplingValues() {
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 2, 2, 1}, DataType.DOUBLE);
        INDArray p = new ZeroPadding2D(1, 0, 0, 2).apply(x); // one row on top, two columns on the right
        assertArrayEquals(new long[] {1, 3, 4, 1}, p.shape());
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}, p.reshape(12).toDoubleVector(), 0);
        INDArray u = new UpSampling2D(2, 1).apply(x); // each row twice
        assertArrayEquals(new long[] {1, 4, 2, 1}, u.shape());
        assertArrayEquals(new double[] {1, 2, 1, 2, 3, 4, 3, 4}, u.reshape(8).toDoubleVector(), 0);
        INDArray r = new Rescaling(2, 1).apply(x);
        assertArrayEquals(new double[] {3, 5, 7, 9}, r.reshape(4).toDoubleVector(), 0);
    }
}
