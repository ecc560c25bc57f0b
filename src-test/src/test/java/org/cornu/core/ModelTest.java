package org.cornu.core;

import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.testing.Fixtures.Mse;
import org.cornu.testing.Fixtures.PlainSgd;
import org.cornu.core.callbacks.Callback;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.Flatten;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sequential and functional models: graph, names, summary, training loop semantics and errors. */
class ModelTest {
    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(7);
    }

    /** y = 2 x0 - 3 x1 + 1, exactly linear. */
    private static INDArray[] linearData(int n) {
        INDArray x = rand(1, -1, 1, n, 2).castTo(DataType.FLOAT);
        INDArray y = x.getColumn(0).mul(2).sub(x.getColumn(1).mul(3)).add(1).reshape(n, 1);
        return new INDArray[] {x, y};
    }

    @Test
    void namesAreUniqueAsKeras() {
        Dense a = new Dense(2);
        Dense b = new Dense(2);
        Flatten f = new Flatten();
        assertEquals("dense", a.name());
        assertEquals("dense_1", b.name());
        assertEquals("flatten", f.name());
        assertEquals("simple_rnn", Cornu.toSnakeCase("SimpleRNN"));
        assertEquals("conv2d", Cornu.toSnakeCase("Conv2D"));
        assertEquals("max_pooling2d", Cornu.toSnakeCase("MaxPooling2D"));
        assertEquals("sequential", new Sequential().name());
    }

    @Test
    void mnistDenseSummaryHasKerasCounts() {
        Sequential model = new Sequential(new Dense(512, "relu").inputShape(784), new Dense(10, "softmax"));
        assertEquals(407_050, model.countParams());
        String s = model.summaryString();
        assertTrue(s.contains("Model: \"sequential\""), s);
        assertTrue(s.contains("dense (Dense)"), s);
        assertTrue(s.contains("(None, 512)"), s);
        assertTrue(s.contains("401,920"), s);
        assertTrue(s.contains("5,130"), s);
        assertTrue(s.contains("Total params: 407,050 (1.55 MB)"), s);
        assertTrue(s.contains("Trainable params: 407,050 (1.55 MB)"), s);
        assertTrue(s.contains("Non-trainable params: 0 (0.00 B)"), s);
        assertEquals(2, model.layers().size());
        assertEquals(Shape.of(-1, 784), model.input().shape());
        assertEquals(Shape.of(-1, 10), model.output().shape());
        assertEquals(Shape.of(-1, 512), model.layers().get(0).output().shape());
    }

    @Test
    void frozenLayersCountAsNonTrainable() {
        Dense d = new Dense(4).inputShape(3);
        Sequential model = new Sequential(d, new Dense(1));
        d.trainable(false);
        assertEquals(5, model.trainableWeights().stream().mapToLong(w -> w.value().length()).sum());
        assertTrue(model.summaryString().contains("Non-trainable params: 16 (64.00 B)"));
    }

    @Test
    void deferredBuildFromData() {
        Sequential model = new Sequential(new Dense(3), new Dense(1));
        INDArray p = model.predict(Nd4j.rand(DataType.FLOAT, 5, 4));
        assertArrayEquals(new long[] {5, 1}, p.shape());
        assertEquals(4 * 3 + 3 + 3 + 1, model.countParams());
    }

    @Test
    void fitLearnsALinearFunction() {
        INDArray[] d = linearData(256);
        Sequential model = new Sequential(new Dense(1).inputShape(2));
        model.compile(new PlainSgd(0.1), new Mse());
        History h = model.fit(d[0], d[1], Fit.epochs(60).batchSize(16).verbose(0));
        List<Double> loss = h.get("loss");
        assertEquals(60, loss.size());
        assertTrue(loss.get(59) < 1e-4, "final loss " + loss.get(59));
        INDArray k = model.layers().get(0).getWeights().get(0);
        INDArray b = model.layers().get(0).getWeights().get(1);
        assertEquals(2.0, k.getDouble(0), 1e-2);
        assertEquals(-3.0, k.getDouble(1), 1e-2);
        assertEquals(1.0, b.getDouble(0), 1e-2);
    }

    @Test
    void validationSplitHoldsOutTheLastFractionBeforeShuffling() {
        INDArray[] d = linearData(100);
        Sequential model = new Sequential(new Dense(1).inputShape(2));
        model.compile(new PlainSgd(0.05), new Mse());
        List<Integer> steps = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void setParams(Map<String, Object> params) {
                steps.add((Integer) params.get("steps"));
            }
        };
        History h = model.fit(d[0], d[1], Fit.epochs(1).batchSize(10).validationSplit(0.2).callbacks(spy).verbose(0));
        // floor(100 * 0.8) = 80 training samples -> 8 steps of 10
        assertEquals(List.of(8), steps);
        // val_loss is the loss of the final weights on rows 80..99
        INDArray xv = d[0].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(80, 100), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray yv = d[1].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(80, 100), org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertEquals(model.evaluate(xv, yv, Evaluate.verbose(0))[0], h.last("val_loss"), 1e-6);
        assertEquals(List.of("loss", "val_loss"), new ArrayList<>(h.history().keySet()));
    }

    @Test
    void sampleWeightsFollowSumOverBatchSize() {
        Sequential model = new Sequential(new Dense(1).inputShape(1).kernelInitializer("ones").useBias(false));
        model.compile(new PlainSgd(0.0), new Mse());
        INDArray x = Nd4j.create(new float[] {1, 2}, new long[] {2, 1});
        INDArray y = Nd4j.create(new float[] {0, 0}, new long[] {2, 1});
        // per-sample losses 1 and 4; weights (1, 0): (1*1 + 0*4) / 2 = 0.5
        double[] r = model.testOnBatch(new INDArray[] {x}, new INDArray[] {y}, Nd4j.create(new float[] {1, 0}, new long[] {2}));
        assertEquals(0.5, r[0], 1e-6);
        assertEquals(2.5, model.testOnBatch(x, y)[0], 1e-6);
    }

    @Test
    void classWeightEqualsTheMatchingSampleWeights() {
        INDArray c = org.cornu.core.training.DataAdapter.classWeights(Nd4j.create(new float[][] {{1, 0}, {0, 1}, {0, 1}}), Map.of(0, 2.0, 1, 0.5));
        assertArrayEquals(new double[] {2, 0.5, 0.5}, c.castTo(DataType.DOUBLE).toDoubleVector(), 1e-12);
        INDArray s = org.cornu.core.training.DataAdapter.classWeights(Nd4j.create(new float[] {3, 1}, new long[] {2}), Map.of(3, 4.0));
        assertArrayEquals(new double[] {4, 1}, s.castTo(DataType.DOUBLE).toDoubleVector(), 1e-12);
    }

    @Test
    void regularizationIsAddedToTheLoss() {
        Sequential model = new Sequential(new Dense(2).inputShape(2).kernelRegularizer("l2").kernelInitializer("ones"));
        model.compile(new PlainSgd(0.0), new Mse());
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 3, 2);
        // outputs are 0 = targets; the loss is 0.01 * sum(W^2) = 0.01 * 4
        assertEquals(0.04, model.evaluate(x, y, Evaluate.verbose(0))[0], 1e-7);
    }

    @Test
    void functionalModelWithTwoInputsAndTwoOutputs() {
        KerasTensor a = Input.of("a", 3);
        KerasTensor b = Input.of("b", 2);
        KerasTensor h = new Dense(8, "relu").apply(new Concatenate().apply(a, b));
        KerasTensor o1 = new Dense(1).name("price").apply(h);
        KerasTensor o2 = new Dense(1).name("score").apply(h);
        Model model = new Model(List.of(a, b), List.of(o1, o2));
        assertEquals("functional", model.name());
        assertEquals(6, model.layers().size()); // 2 inputs, concatenate, dense, 2 heads
        assertTrue(model.layers().get(0) instanceof InputLayer);
        model.compile(new PlainSgd(0.01), List.of(new Mse(), new Mse()), new double[] {1.0, 0.5});
        INDArray xa = Nd4j.rand(DataType.FLOAT, 20, 3);
        INDArray xb = Nd4j.rand(DataType.FLOAT, 20, 2);
        INDArray y1 = Nd4j.rand(DataType.FLOAT, 20, 1);
        INDArray y2 = Nd4j.rand(DataType.FLOAT, 20, 1);
        History hist = model.fit(new INDArray[] {xa, xb}, new INDArray[] {y1, y2}, Fit.epochs(2).batchSize(5).verbose(0));
        assertEquals(List.of("loss", "price_loss", "score_loss"), new ArrayList<>(hist.history().keySet()));
        // total = price_loss + 0.5 * score_loss (no regularization) for the evaluation of fixed weights
        Map<String, Double> ev = model.evaluateAsMap(new INDArray[] {xa, xb}, new INDArray[] {y1, y2}, Evaluate.batchSize(20).verbose(0));
        assertEquals(ev.get("price_loss") + 0.5 * ev.get("score_loss"), ev.get("loss"), 1e-5);
        INDArray[] p = model.predictAll(new INDArray[] {xa, xb}, Predict.batchSize(7));
        assertArrayEquals(new long[] {20, 1}, p[0].shape());
        assertArrayEquals(new long[] {20, 1}, p[1].shape());
        assertTrue(model.summaryString().contains("Connected to"));
    }

    @Test
    void modelsNestAsLayers() {
        Sequential inner = new Sequential(new Dense(4, "relu").inputShape(3), new Dense(2));
        KerasTensor in = Input.of(3);
        Model outer = new Model(in, new Dense(1).apply(inner.apply(in)));
        assertEquals(3 * 4 + 4 + 4 * 2 + 2 + 2 + 1, outer.countParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3);
        INDArray direct = outer.getLayer(2).apply(inner.predict(x));
        assertEquals(direct, outer.predict(x));
    }

    @Test
    void predictInBatchesEqualsOneBatch() {
        Sequential model = new Sequential(new Dense(5, "tanh").inputShape(4), new Dense(3, "softmax"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 37, 4);
        assertTrue(model.predict(x, 8).equalsWithEps(model.predictOnBatch(x), 1e-6));
    }

    @Test
    void setSeedMakesTrainingRepeatable() {
        INDArray[] d = linearData(64);
        List<INDArray> w1 = trainOnce(d);
        List<INDArray> w2 = trainOnce(d);
        for (int i = 0; i < w1.size(); i++) assertEquals(w1.get(i), w2.get(i));
    }

    private static List<INDArray> trainOnce(INDArray[] d) {
        Cornu.setSeed(99);
        Sequential m = new Sequential(new Dense(4, "relu").inputShape(2), new Dropout(0.3), new Dense(1));
        m.compile(new PlainSgd(0.05), new Mse());
        m.fit(d[0], d[1], Fit.epochs(3).batchSize(8).verbose(0));
        return m.getWeights();
    }

    @Test
    void getAndSetWeightsRoundTrip() {
        Sequential a = new Sequential(new Dense(3).inputShape(2), new Dense(1));
        Sequential b = new Sequential(new Dense(3).inputShape(2), new Dense(1));
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2);
        assertNotEquals(a.predict(x), b.predict(x));
        b.setWeights(a.getWeights());
        assertEquals(a.predict(x), b.predict(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.setWeights(List.of(Nd4j.zeros(2, 3))));
        assertTrue(e.getMessage().contains("expects 4 weights"), e.getMessage());
    }

    @Test
    void trainOnBatchUpdatesWeights() {
        INDArray[] d = linearData(32);
        Sequential m = new Sequential(new Dense(1).inputShape(2));
        m.compile(new PlainSgd(0.1), new Mse());
        double first = m.testOnBatch(d[0], d[1])[0];
        for (int i = 0; i < 20; i++) m.trainOnBatch(d[0], d[1]);
        assertTrue(m.testOnBatch(d[0], d[1])[0] < first / 2);
        assertEquals(20, m.optimizer().iterations());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void featureMismatchNamesTheLayerAndBothShapes() {
        Sequential model = new Sequential(new Dense(512, "relu").inputShape(784), new Dense(10, "softmax"));
        model.compile(new PlainSgd(0.1), new Mse());
        INDArray x = Nd4j.zeros(DataType.FLOAT, 64, 785);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 64, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.fit(x, y, Fit.batchSize(32).verbose(0)));
        assertEquals("Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape to have value 784, "
                + "but received input with shape (32, 785)", e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> model.predict(x, 16));
        assertTrue(p.getMessage().contains("value 784") && p.getMessage().contains("(16, 785)"), p.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> model.predict(Nd4j.zeros(DataType.FLOAT, 4, 28, 28)));
        assertTrue(r.getMessage().contains("expected shape=(None, 784), found shape=(4, 28, 28)"), r.getMessage());
    }

    @Test
    void connectingIncompatibleLayersNamesTheLayer() {
        Dense d = new Dense(4).inputShape(3);
        d.build(Shape.batchOf(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.apply(Input.of(5)));
        assertEquals("Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape to have value 3, "
                + "but received input with shape (None, 5)", e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> new Dense(4).apply(Nd4j.zeros(DataType.FLOAT, 3)));
        assertTrue(r.getMessage().contains("expected min_ndim=2, found ndim=1"), r.getMessage());
    }

    @Test
    void targetShapeMismatchIsReported() {
        Sequential model = new Sequential(new Dense(10, "softmax").inputShape(4));
        model.compile(new PlainSgd(0.1), new Mse());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(Nd4j.zeros(DataType.FLOAT, 8, 4), Nd4j.zeros(DataType.FLOAT, 8, 9), Fit.verbose(0)));
        assertTrue(e.getMessage().contains("target.shape=(None, 9), output.shape=(None, 10)"), e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> model.fit(Nd4j.zeros(DataType.FLOAT, 8, 4), Nd4j.zeros(DataType.FLOAT, 7, 10), Fit.verbose(0)));
        assertTrue(c.getMessage().contains("'x' sizes: 8") && c.getMessage().contains("'y' sizes: 7"), c.getMessage());
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new Dense(3, "rellu"));
        assertTrue(a.getMessage().startsWith("Could not interpret activation identifier: 'rellu'. Valid names: "), a.getMessage());
        assertTrue(a.getMessage().contains("relu") && a.getMessage().contains("softmax"), a.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> new Dense(3).kernelInitializer("glorot"));
        assertTrue(i.getMessage().contains("glorot_uniform"), i.getMessage());
        Sequential m = new Sequential(new Dense(1).inputShape(2));
        IllegalArgumentException mm = assertThrows(IllegalArgumentException.class, () -> m.compile(new PlainSgd(0.1), new Mse(), "accuracyy"));
        assertTrue(mm.getMessage().contains("Could not interpret metric identifier: 'accuracyy'") && mm.getMessage().contains("accuracy"),
                mm.getMessage());
    }

    @Test
    void fitBeforeCompileIsAnError() {
        Sequential m = new Sequential(new Dense(1).inputShape(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.fit(Nd4j.zeros(2, 2), Nd4j.zeros(2, 1)));
        assertTrue(e.getMessage().contains("compile()"));
    }
}
