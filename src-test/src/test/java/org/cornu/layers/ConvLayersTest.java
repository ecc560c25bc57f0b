package org.cornu.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Sequential;
import org.cornu.core.Shape;
import org.cornu.core.callbacks.History;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conv2D and pooling layers: Keras shapes, parameter counts, configs, errors, training through fit. */
class ConvLayersTest {

    /** The course notes' MNIST convnet. */
    static Sequential courseConvnet() {
        return new Sequential(
                new Conv2D(32, 3, "relu").inputShape(28, 28, 1),
                new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"),
                new MaxPooling2D(2),
                new Conv2D(128, 3, "relu"),
                new Flatten(),
                new Dense(10, "softmax"));
    }

    @Test
    void courseConvnetHasKerasShapesAndCounts() {
        Sequential m = courseConvnet();
        // conv 3*3*1*32+32 = 320; 28->26 ->13; conv 3*3*32*64+64 = 18,496; 13->11 ->5;
        // conv 3*3*64*128+128 = 73,856; 5->3: 3*3*128 = 1152; dense 1152*10+10 = 11,530
        assertEquals(320 + 18_496 + 73_856 + 11_530, m.countParams());
        assertEquals(104_202, m.countParams());
        String s = m.summaryString();
        assertTrue(s.contains("(None, 26, 26, 32)"), s);
        assertTrue(s.contains("(None, 13, 13, 32)"), s);
        assertTrue(s.contains("(None, 11, 11, 64)"), s);
        assertTrue(s.contains("(None, 5, 5, 64)"), s);
        assertTrue(s.contains("(None, 3, 3, 128)"), s);
        assertTrue(s.contains("(None, 1152)"), s);
        assertTrue(s.contains("18,496"), s);
        assertTrue(s.contains("73,856"), s);
        assertTrue(s.contains("Total params: 104,202"), s);
    }

    @Test
    void bookConvnetHasKerasCounts() {
        // Deep Learning with Python 8.1: 320 + 18,496 + 36,928 (3*3*64*64+64) + 36,928 (576*64+64) + 650 = 93,322
        Sequential m = new Sequential(
                new Conv2D(32, 3, "relu").inputShape(28, 28, 1), new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"), new MaxPooling2D(2),
                new Conv2D(64, 3, "relu"), new Flatten(),
                new Dense(64, "relu"), new Dense(10, "softmax"));
        assertEquals(93_322, m.countParams());
        assertTrue(m.summaryString().contains("(None, 3, 3, 64)"));
    }

    @Test
    void outputShapesFollowKerasFormulas() {
        Shape in = Shape.of(-1, 28, 27, 3);
        assertEquals(Shape.of(-1, 26, 25, 8), new Conv2D(8, 3).computeOutputShape(in));
        assertEquals(Shape.of(-1, 28, 27, 8), new Conv2D(8, 3).padding("same").computeOutputShape(in));
        assertEquals(Shape.of(-1, 14, 14, 8), new Conv2D(8, 3).padding("same").strides(2).computeOutputShape(in));
        assertEquals(Shape.of(-1, 13, 13, 8), new Conv2D(8, 3).strides(2).computeOutputShape(in));       // floor(25/2)+1, floor(24/2)+1
        assertEquals(Shape.of(-1, 24, 23, 8), new Conv2D(8, 3).dilationRate(2).computeOutputShape(in));  // 28-5+1
        assertEquals(Shape.of(-1, 14, 13, 3), new MaxPooling2D(2).computeOutputShape(in));
        assertEquals(Shape.of(-1, 14, 14, 3), new MaxPooling2D(2).padding("same").computeOutputShape(in));
        assertEquals(Shape.of(-1, 26, 25, 3), new AveragePooling2D(3).strides(1).computeOutputShape(in));
        assertEquals(Shape.of(-1, 9, 9, 3), new AveragePooling2D(3).computeOutputShape(in));
        assertEquals(Shape.of(-1, 3), new GlobalMaxPooling2D().computeOutputShape(in));
        assertEquals(Shape.of(-1, 1, 1, 3), new GlobalAveragePooling2D().keepdims(true).computeOutputShape(in));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 28, 27, 3);
        assertArrayEquals(new long[] {2, 14, 14, 8}, new Conv2D(8, 3).padding("same").strides(2).apply(x).shape());
        assertArrayEquals(new long[] {2, 14, 13, 3}, new MaxPooling2D(2).apply(x).shape());
        assertArrayEquals(new long[] {2, 3}, new GlobalAveragePooling2D().apply(x).shape());
    }

    @Test
    void oneDimensionalLayersFollowKerasShapes() {
        Shape in = Shape.of(-1, 10, 4);
        assertEquals(Shape.of(-1, 8, 6), new Conv1D(6, 3).computeOutputShape(in));
        assertEquals(Shape.of(-1, 10, 6), new Conv1D(6, 3).padding("causal").computeOutputShape(in));
        assertEquals(Shape.of(-1, 5, 6), new Conv1D(6, 3).padding("same").strides(2).computeOutputShape(in));
        assertEquals(Shape.of(-1, 5, 4), new MaxPooling1D().computeOutputShape(in));
        assertEquals(Shape.of(-1, 4, 4), new MaxPooling1D(3).padding("same").computeOutputShape(in));
        Conv1D c = new Conv1D(6, 3);
        c.build(in);
        assertArrayEquals(new long[] {3, 4, 6}, c.kernel().value().shape());
        assertEquals(3 * 4 * 6 + 6, c.countParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 10, 4);
        assertArrayEquals(new long[] {2, 10, 6}, new Conv1D(6, 3).padding("causal").apply(x).shape());
        assertArrayEquals(new long[] {2, 5, 4}, new MaxPooling1D().apply(x).shape());
        assertTrue(new Conv1D(1, 1).name().startsWith("conv1d"));
        assertTrue(new MaxPooling1D().name().startsWith("max_pooling1d"));
        assertEquals(List.of(3), new Conv1D(6, 3).getConfig().get("kernel_size"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv1D(6, 3).name("c1d").apply(Nd4j.rand(DataType.FLOAT, 2, 10, 4, 1)));
        assertTrue(e.getMessage().contains("\"c1d\"") && e.getMessage().contains("expected ndim=3"), e.getMessage());
    }

    @Test
    void kernelShapeAndInitializersAreKeras() {
        Conv2D c = new Conv2D(4, new int[] {3, 2}, "relu");
        c.build(Shape.of(-1, 8, 8, 5));
        assertArrayEquals(new long[] {3, 2, 5, 4}, c.kernel().value().shape());
        assertArrayEquals(new long[] {4}, c.bias().value().shape());
        assertEquals(0, c.bias().value().amaxNumber().doubleValue());
        // glorot_uniform: limit sqrt(6 / (fan_in + fan_out)), fan_in = 3*2*5, fan_out = 3*2*4
        double limit = Math.sqrt(6.0 / (30 + 24));
        assertTrue(c.kernel().value().amaxNumber().doubleValue() <= limit);
        assertEquals(3 * 2 * 5 * 4 + 4, c.countParams());
    }

    @Test
    void namesAndConfigsAreKeras() {
        assertTrue(new Conv2D(1, 1).name().startsWith("conv2d"));
        assertTrue(new MaxPooling2D().name().startsWith("max_pooling2d"));
        assertTrue(new AveragePooling2D().name().startsWith("average_pooling2d"));
        assertTrue(new GlobalAveragePooling2D().name().startsWith("global_average_pooling2d"));
        assertTrue(new GlobalMaxPooling2D().name().startsWith("global_max_pooling2d"));
        Map<String, Object> c = new Conv2D(32, 3, "relu").strides(2).padding("SAME").getConfig();
        assertEquals(32, c.get("filters"));
        assertEquals(List.of(3, 3), c.get("kernel_size"));
        assertEquals(List.of(2, 2), c.get("strides"));
        assertEquals("same", c.get("padding"));
        assertEquals(List.of(1, 1), c.get("dilation_rate"));
        assertEquals("channels_last", c.get("data_format"));
        assertEquals("relu", c.get("activation"));
        Map<String, Object> p = new MaxPooling2D(3).getConfig();
        assertEquals(List.of(3, 3), p.get("pool_size"));
        assertEquals(List.of(3, 3), p.get("strides"));
        assertEquals("valid", p.get("padding"));
        for (String n : List.of("Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D")) {
            assertTrue(Registry.has(Registry.Kind.LAYER, n), n);
        }
    }

    @Test
    void badInputsNameTheLayerAndShapes() {
        Conv2D c = new Conv2D(4, 3).name("c1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.apply(Nd4j.rand(DataType.FLOAT, 2, 8, 8)));
        assertTrue(e.getMessage().contains("\"c1\"") && e.getMessage().contains("expected ndim=4")
                && e.getMessage().contains("(2, 8, 8)"), e.getMessage());
        c.apply(Nd4j.rand(DataType.FLOAT, 2, 8, 8, 3));
        e = assertThrows(IllegalArgumentException.class, () -> c.apply(Nd4j.rand(DataType.FLOAT, 2, 8, 8, 2)));
        assertTrue(e.getMessage().contains("\"c1\"") && e.getMessage().contains("axis -1")
                && e.getMessage().contains("value 3") && e.getMessage().contains("(2, 8, 8, 2)"), e.getMessage());
        MaxPooling2D p = new MaxPooling2D().name("p1");
        e = assertThrows(IllegalArgumentException.class, () -> p.apply(Nd4j.rand(DataType.FLOAT, 2, 8, 8)));
        assertTrue(e.getMessage().contains("\"p1\"") && e.getMessage().contains("expected ndim=4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 5).name("c2").computeOutputShape(Shape.of(-1, 4, 9, 1)));
        assertTrue(e.getMessage().contains("c2") && e.getMessage().contains("negative"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3).padding("full"));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3).strides(2).dilationRate(2));
        assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(2).dataFormat("channels_first"));
        assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(0));
    }

    @Test
    void smallConvnetTrainsThroughFitForSeveralEpochs() {
        // label = whether the bright pixel is in the top half; learnable by a convnet
        Cornu.setSeed(7);
        int n = 256;
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, 8, 8, 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 1);
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            int row = r.nextInt(8), col = r.nextInt(8);
            x.putScalar(new long[] {i, row, col, 0}, 1f);
            y.putScalar(i, 0, row < 4 ? 1f : 0f);
        }
        Sequential m = new Sequential(
                new Conv2D(8, 3, "relu").padding("same").inputShape(8, 8, 1),
                new MaxPooling2D(2),
                new Conv2D(8, 3, "relu").padding("same").strides(2),
                new AveragePooling2D(2).padding("same"),
                new BatchNormalization(),
                new GlobalMaxPooling2D(),
                new Dense(1, "sigmoid"));
        assertEquals(80 + 584 + 4 * 8 + 9, m.countParams());
        assertTrue(m.summaryString().contains("Non-trainable params: 16 "), m.summaryString());
        m.compile("rmsprop", "binary_crossentropy", "accuracy");
        History h = m.fit(x, y, Fit.epochs(3).batchSize(32).verbose(0));
        assertEquals(3, h.history().get("loss").size());
        assertTrue(h.history().get("loss").get(2) < h.history().get("loss").get(0), h.history().toString());
        // moving statistics moved away from their initial 0 / 1 through the steps, and stayed valid
        BatchNormalization bn = (BatchNormalization) m.layers().get(4);
        assertTrue(bn.movingMean().value().amaxNumber().doubleValue() > 0, bn.movingMean().value().toString());
        assertTrue(Math.abs(bn.movingVariance().value().getDouble(0) - 1) > 1e-4);
        INDArray p = m.predict(x);
        assertArrayEquals(new long[] {n, 1}, p.shape());
    }
}
