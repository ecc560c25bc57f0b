package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Activation;
import org.cornu.layers.Add;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.Flatten;
import org.cornu.layers.Reshape;
import org.cornu.optimizers.Adam;
import org.cornu.optimizers.RMSprop;
import org.cornu.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Save, load, and compare: identical predictions, and identical continued training (the
 * optimizer's iterations and slots restored), for every layer type Cornu has.
 */
class RoundTripTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(11);
    }

    /** Trains both models on the same batches and checks that they stay bit-identical. */
    private static void continueIdentically(Model a, Model b, INDArray x, INDArray y) {
        for (int step = 0; step < 3; step++) {
            double[] la = a.trainOnBatch(x, y);
            double[] lb = b.trainOnBatch(x, y);
            assertEquals(la[0], lb[0], 0.0, "loss at continued step " + step);
        }
        assertEquals(a.optimizer().iterations(), b.optimizer().iterations());
        assertSameWeights(a, b);
        assertSame(a.predict(x), b.predict(x), "predictions after continued training");
    }

    @Test
    void sequentialDenseAdamResumesIdentically() {
        Sequential m = new Sequential(new Dense(8, "relu").inputShape(5), new Dense(3, "softmax"));
        m.compile(new Adam(0.01), "categorical_crossentropy", "accuracy");
        INDArray x = data(1, 16, 5);
        INDArray y = org.nd4j.linalg.factory.Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0);
        for (int i = 0; i < 4; i++) m.trainOnBatch(x, y);
        Path p = dir.resolve("m.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        assertInstanceOf(Sequential.class, r);
        assertTrue(r.isCompiled());
        assertInstanceOf(Adam.class, r.optimizer());
        assertEquals(0.01, r.optimizer().learningRate(), 0.0);
        assertEquals(4, r.optimizer().iterations());
        assertEquals(List.of("loss", "accuracy"), List.of("loss", "accuracy"));
        assertSame(m.predict(x), r.predict(x), "predictions");
        assertEquals(m.layers().size(), r.layers().size());
        for (int i = 0; i < m.layers().size(); i++) assertEquals(m.layers().get(i).name(), r.layers().get(i).name());
        continueIdentically(m, r, x, y);
    }

    @Test
    void everyLayerTypeInAFunctionalModel() {
        KerasTensor a = Input.of("a", 6);
        KerasTensor b = Input.of("b", 4);
        KerasTensor h = new Dense(4, "tanh").name("hidden").apply(a);
        KerasTensor r = new Reshape(2, 2).apply(h);
        KerasTensor f = new Flatten().apply(r);
        KerasTensor act = new Activation("sigmoid").apply(f);
        KerasTensor d = new Dropout(0.25).apply(act);
        KerasTensor sum = new Add().apply(d, b);
        KerasTensor cat = new Concatenate().apply(sum, h);
        KerasTensor out = new Dense(2).kernelRegularizer("l2").apply(cat);
        Model m = new Model(List.of(a, b), List.of(out), "two_inputs");
        m.compile(new RMSprop(0.01).momentum(0.5).centered(true), "mse", "mae");
        INDArray xa = data(2, 10, 6);
        INDArray xb = data(3, 10, 4);
        INDArray y = data(4, 10, 2);
        Path p = dir.resolve("f.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model back = Models.loadModel(p);
        assertEquals("two_inputs", back.name());
        assertEquals(m.layers().size(), back.layers().size());
        for (int i = 0; i < m.layers().size(); i++) {
            assertEquals(m.layers().get(i).name(), back.layers().get(i).name());
            assertEquals(m.layers().get(i).getClass(), back.layers().get(i).getClass());
            assertEquals(m.layers().get(i).getConfig(), back.layers().get(i).getConfig(), "config of " + m.layers().get(i).name());
        }
        INDArray[] pa = m.predictAll(new INDArray[] {xa, xb}, new org.cornu.core.training.RunOptions());
        INDArray[] pb = back.predictAll(new INDArray[] {xa, xb}, new org.cornu.core.training.RunOptions());
        assertSame(pa[0], pb[0], "functional predictions");
        assertEquals(m.getConfig(), back.getConfig());
    }

    @Test
    void functionalWithoutDropoutResumesIdentically() {
        KerasTensor a = Input.of(6);
        KerasTensor h = new Dense(4, "relu").apply(a);
        KerasTensor g = new Dense(4, "tanh").apply(a);
        KerasTensor s = new Add().apply(h, g);
        KerasTensor c = new Concatenate().apply(s, new Activation("relu").apply(g));
        KerasTensor out = new Dense(1).apply(new Flatten().apply(new Reshape(4, 2).apply(c)));
        Model m = new Model(a, out);
        m.compile(new SGD(0.05).momentum(0.9).nesterov(true), "mse");
        INDArray x = data(5, 12, 6);
        INDArray y = data(6, 12, 1);
        for (int i = 0; i < 3; i++) m.trainOnBatch(x, y);
        Path p = dir.resolve("g.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        assertSame(m.predict(x), r.predict(x), "predictions");
        continueIdentically(m, r, x, y);
    }

    @Test
    void sequentialWithEveryLayerAndRmspropResumes() {
        Sequential m = new Sequential(new Flatten().inputShape(3, 4), new Dense(6, "relu"), new Reshape(3, 2),
                new Flatten(), new Activation("tanh"), new Dense(2));
        m.compile("rmsprop", "mse", "mae");
        INDArray x = data(7, 8, 3, 4);
        INDArray y = data(8, 8, 2);
        m.fit(x, y, org.cornu.core.Fit.epochs(2).batchSize(4).verbose(0));
        Path p = dir.resolve("s.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        assertSame(m.predict(x), r.predict(x), "predictions");
        continueIdentically(m, r, x, y);
    }

    @Test
    void dropoutModelPredictsIdentically() {
        Sequential m = new Sequential(new Dense(5, "relu").inputShape(3), new Dropout(0.5).seed(3), new Dense(1));
        m.compile("adam", "mse");
        INDArray x = data(9, 6, 3);
        m.trainOnBatch(x, data(10, 6, 1));
        Path p = dir.resolve("d.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        assertSame(m.predict(x), r.predict(x), "predictions");
        assertEquals(m.layers().get(1).getConfig(), r.layers().get(1).getConfig());
    }

    @Test
    void weightsFileRoundTripIntoAFreshModel() {
        Sequential m = new Sequential(new Dense(4, "relu").inputShape(3), new Dense(2));
        m.compile(new Adam(), "mse");
        INDArray x = data(12, 5, 3);
        INDArray y = data(13, 5, 2);
        m.trainOnBatch(x, y);
        Path p = dir.resolve("w.weights.h5");
        m.saveWeights(p);
        Cornu.setSeed(99);
        Sequential fresh = new Sequential(new Dense(4, "relu").inputShape(3), new Dense(2));
        fresh.compile(new Adam(), "mse");
        fresh.loadWeights(p);
        assertSameWeights(m, fresh);
        assertEquals(1, fresh.optimizer().iterations());
        continueIdentically(m, fresh, x, y);
        // weights can also be taken from a .keras file
        Path k = dir.resolve("w.keras");
        m.save(k);
        KerasFileCheck.check(k);
        Sequential other = new Sequential(new Dense(4, "relu").inputShape(3), new Dense(2));
        other.loadWeights(k);
        assertSameWeights(m, other);
    }

    @Test
    void jsonAndConfigRoundTrip() {
        Sequential m = new Sequential(new Dense(4, "relu").inputShape(3), new Dropout(0.2), new Dense(2, "softmax"));
        String json = m.toJson();
        assertTrue(json.contains("\"class_name\":\"Sequential\""), json);
        Model r = Models.modelFromJson(json);
        assertFalse(r.isCompiled());
        assertEquals(m.getConfig(), r.getConfig());
        Model r2 = Models.fromConfig(m.getConfig());
        assertEquals(m.getConfig(), r2.getConfig());
        Map<String, Object> full = Models.getConfig(m);
        assertEquals(m.getConfig(), Models.fromConfig(full).getConfig());
        // fresh weights, same shapes
        assertEquals(m.countParams(), r.countParams());
    }

    @Test
    void uncompiledModelSavesAndLoadsUncompiled() {
        Sequential m = new Sequential(new Dense(2).inputShape(3));
        Path p = dir.resolve("u.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        assertFalse(r.isCompiled());
        INDArray x = data(14, 4, 3);
        assertSame(m.predict(x), r.predict(x), "predictions");
    }

    @Test
    void nestedModelAndMultipleOutputsResume() {
        Sequential inner = new Sequential(new Dense(4, "relu").inputShape(3), new Dense(3, "tanh"));
        KerasTensor in = Input.of(3);
        KerasTensor h = inner.apply(in);
        KerasTensor o1 = new Dense(1).name("reg").apply(h);
        KerasTensor o2 = new Dense(2, "softmax").name("cls").apply(new Concatenate().apply(h, in));
        Model m = new Model(List.of(in), List.of(o1, o2), "multi");
        m.compile(new Adam(0.01), List.of("mse", "categorical_crossentropy"), new double[] {1.0, 0.5}, "mae");
        INDArray x = data(20, 6, 3);
        INDArray y1 = data(21, 6, 1);
        INDArray y2 = org.nd4j.linalg.factory.Nd4j.eye(2).getRows(0, 1, 0, 1, 1, 0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        m.trainOnBatch(new INDArray[] {x}, new INDArray[] {y1, y2}, null);
        Path p = dir.resolve("multi.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        assertInstanceOf(Sequential.class, r.layers().get(1));
        assertEquals(List.of("mean_squared_error", "categorical_crossentropy"),
                r.losses().stream().map(org.cornu.core.Loss::name).toList());
        for (int step = 0; step < 3; step++) {
            double[] a = m.trainOnBatch(new INDArray[] {x}, new INDArray[] {y1, y2}, null);
            double[] b = r.trainOnBatch(new INDArray[] {x}, new INDArray[] {y1, y2}, null);
            org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0.0, "losses and metrics at continued step " + step);
        }
        assertEquals(List.of("loss", "reg_loss", "cls_loss", "reg_mae", "cls_mae"), r.metricsNames());
        assertSameWeights(m, r);
    }

    @Test
    void float64ModelsKeepFloat64Weights() {
        Cornu.setFloatx("float64");
        try {
            Sequential m = new Sequential(new Dense(3, "tanh").inputShape(2), new Dense(1));
            m.compile(new SGD(0.1).momentum(0.5), "mse");
            INDArray x = data(40, 5, 2).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            INDArray y = data(41, 5, 1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            m.trainOnBatch(x, y);
            Path p = dir.resolve("f64.keras");
            m.save(p);
            KerasFileCheck.check(p);
            Model r = Models.loadModel(p);
            assertEquals(org.nd4j.linalg.api.buffer.DataType.DOUBLE, r.weights().get(0).value().dataType());
            org.junit.jupiter.api.Assertions.assertArrayEquals(m.predict(x).data().asDouble(), r.predict(x).data().asDouble(), 0.0);
            for (int step = 0; step < 3; step++) {
                assertEquals(m.trainOnBatch(x, y)[0], r.trainOnBatch(x, y)[0], 0.0);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(m.weights().get(0).value().data().asDouble(),
                    r.weights().get(0).value().data().asDouble(), 0.0);
        } finally {
            Cornu.setFloatx("float32");
        }
    }

    /** Every optimizer's state (whatever its slots) is saved and restored: continued training is bit-identical. */
    @Test
    void everyOptimizerResumesIdentically() {
        for (String opt : List.of("sgd", "rmsprop", "adam", "adamw", "adagrad", "adadelta", "adamax", "nadam")) {
            Cornu.clearSession();
            Cornu.setSeed(31);
            Sequential m = new Sequential(new Dense(4, "tanh").inputShape(3), new Dense(2));
            m.compile(opt, "mse");
            INDArray x = data(50, 6, 3);
            INDArray y = data(51, 6, 2);
            for (int i = 0; i < 3; i++) m.trainOnBatch(x, y);
            Path p = dir.resolve(opt + ".keras");
            m.save(p);
            KerasFileCheck.check(p);
            Model r = Models.loadModel(p);
            assertEquals(m.optimizer().getClass(), r.optimizer().getClass(), opt);
            assertEquals(m.optimizer().getConfig(), r.optimizer().getConfig(), opt);
            for (int step = 0; step < 3; step++) {
                assertEquals(m.trainOnBatch(x, y)[0], r.trainOnBatch(x, y)[0], 0.0, opt + " loss at continued step " + step);
            }
            assertSameWeights(m, r);
        }
    }
}
