package org.cornu.core;

import static org.cornu.core.GradCheck.rand;
import static org.cornu.core.LayerGradientTest.checkLayer;

import org.cornu.layers.AveragePooling2D;
import org.cornu.layers.Conv2D;
import org.cornu.layers.GlobalAveragePooling2D;
import org.cornu.layers.GlobalMaxPooling2D;
import org.cornu.layers.MaxPooling2D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
}
