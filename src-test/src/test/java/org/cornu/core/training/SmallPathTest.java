package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.utils.Utils;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.FastPaths;
import org.cornu.core.Fit;
import org.cornu.core.Metric;
import org.cornu.core.Registry;
import org.cornu.core.Sequential;
import org.cornu.testing.Float64Test;
import org.cornu.testing.GradCheck;

/**
 * The small-batch JVM path gives the same training as the tape path (which the gradient
 * checks cover): same weights, losses and metrics after several epochs, in float64.
 */
class SmallPathTest extends Float64Test {
    @AfterEach
    void enable() {
        FastPaths.SMALL_MODEL.setEnabled(true);
    }

    private record Run(History history, List<INDArray> weights, double[] eval) {}

    private static Run train(boolean small, Supplier<Sequential> build, Object opt, Object loss, String metric,
                             INDArray x, INDArray y, INDArray sw, int batch) {
        FastPaths.SMALL_MODEL.setEnabled(small);
        Cornu.setSeed(17);
        Sequential m = build.get();
        m.compile(Registry.optimizer(opt), Registry.loss(loss), metric);
        FitOptions f = Fit.epochs(3).batchSize(batch).verbose(0).validationData(x, y);
        if (sw != null) f.sampleWeight(sw);
        History h = m.fit(x, y, f);
        return new Run(h, m.getWeights(), m.evaluate(x, y, Evaluate.batchSize(batch).verbose(0)));
    }

    private static void assertSame(Run a, Run b) {
        for (int i = 0; i < a.weights().size(); i++) {
            assertEquals(0.0, a.weights().get(i).sub(b.weights().get(i)).norm2Number().doubleValue(), 1e-10, "weight " + i);
        }
        for (Map.Entry<String, List<Double>> e : a.history().history().entrySet()) {
            List<Double> other = b.history().get(e.getKey());
            for (int i = 0; i < e.getValue().size(); i++) assertEquals(e.getValue().get(i), other.get(i), 1e-10, e.getKey());
        }
        for (int i = 0; i < a.eval().length; i++) assertEquals(a.eval()[i], b.eval()[i], 1e-10);
    }

    private static void compare(Supplier<Sequential> build, Object opt, Object loss, String metric,
                                INDArray x, INDArray y, INDArray sw, int batch) {
        long before = FastPaths.SMALL_MODEL.runs();
        Run tape = train(false, build, opt, loss, metric, x, y, sw, batch);
        assertEquals(before, FastPaths.SMALL_MODEL.runs(), "the tape run must not use the JVM path");
        Run jvm = train(true, build, opt, loss, metric, x, y, sw, batch);
        long steps = 3L * ((x.size(0) + batch - 1) / batch);
        assertEquals(before + steps, FastPaths.SMALL_MODEL.runs(), "every step of the second run is on the JVM path");
        assertSame(tape, jvm);
    }

    @Test
    void regressionWithMseMaeRmspropMatchesTheTape() {
        INDArray x = GradCheck.rand(1, -1, 1, 30, 13);
        INDArray y = GradCheck.rand(2, 0, 5, 30, 1);
        Supplier<Sequential> b = () -> new Sequential(new Dense(16, "relu").inputShape(13), new Dense(8, "tanh"), new Dense(1));
        compare(b, "rmsprop", "mse", "mae", x, y, null, 1);
        compare(b, "rmsprop", "mae", "mse", x, y, GradCheck.rand(3, 0, 2, 30), 4);
    }

    @Test
    void softmaxCrossentropyAdamMatchesTheTape() {
        INDArray x = GradCheck.rand(4, -1, 1, 24, 6);
        INDArray labels = Nd4j.createFromArray(new int[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3});
        INDArray y = Utils.toCategorical(labels, 4).castTo(DataType.DOUBLE);
        Supplier<Sequential> b = () -> new Sequential(new Dense(10, "sigmoid").inputShape(6), new Dense(4, "softmax"));
        compare(b, "adam", "categorical_crossentropy", "accuracy", x, y, null, 5);
        compare(b, "sgd", "sparse_categorical_crossentropy", "accuracy", x, labels.castTo(DataType.DOUBLE), null, 3);
    }

    @Test
    void sigmoidBinaryCrossentropyMatchesTheTape() {
        INDArray x = GradCheck.rand(5, -1, 1, 20, 5);
        INDArray y = GradCheck.rand(6, 0, 1, 20, 1).gt(0.5).castTo(DataType.DOUBLE);
        Supplier<Sequential> b = () -> new Sequential(new Dense(7, "relu").inputShape(5), new Dense(1, "sigmoid"));
        compare(b, new org.cornu.optimizers.SGD(0.1).momentum(0.9).nesterov(true), "binary_crossentropy", "accuracy", x, y,
                GradCheck.rand(7, 0.5, 1.5, 20), 2);
    }

    /** Whether one training step of {@code m} at batch {@code batch} on {@code x} runs on the small-model path. */
    private static boolean takesSmallPath(Sequential m, int batch, INDArray x, INDArray y) {
        long before = FastPaths.SMALL_MODEL.runs();
        m.fit(x, y, Fit.epochs(1).batchSize(batch).stepsPerEpoch(1).verbose(0));
        long ran = FastPaths.SMALL_MODEL.runs() - before;
        org.junit.jupiter.api.Assertions.assertTrue(ran <= 1);
        return ran == 1;
    }

    @Test
    void appliesOnlyWhereItCan() {
        Sequential dense = new Sequential(new Dense(64, "relu").inputShape(13), new Dense(64, "relu"), new Dense(1));
        dense.compile("rmsprop", "mse", "mae");
        INDArray x13 = GradCheck.rand(1, -1, 1, 512, 13), y1 = GradCheck.rand(2, -1, 1, 512, 1);
        org.junit.jupiter.api.Assertions.assertTrue(takesSmallPath(dense, 1, x13, y1), "the book's Boston model at batch 1");
        org.junit.jupiter.api.Assertions.assertTrue(takesSmallPath(dense, 16, x13, y1), "and at batch 16");
        org.junit.jupiter.api.Assertions.assertFalse(takesSmallPath(dense, 512, x13, y1), "large batches go to ND4J's gemm");
        Sequential mnist = new Sequential(new Dense(512, "relu").inputShape(784), new Dense(10, "softmax"));
        mnist.compile("rmsprop", "categorical_crossentropy");
        INDArray y10 = Nd4j.zeros(DataType.DOUBLE, 128, 10);
        y10.getColumn(3).assign(1);
        org.junit.jupiter.api.Assertions.assertFalse(takesSmallPath(mnist, 128, GradCheck.rand(3, 0, 1, 128, 784), y10));
        INDArray x4 = GradCheck.rand(4, -1, 1, 8, 4), y4 = GradCheck.rand(5, -1, 1, 8, 1);
        Sequential drop = new Sequential(new Dense(8, "relu").inputShape(4), new Dropout(0.5), new Dense(1));
        drop.compile("rmsprop", "mse");
        org.junit.jupiter.api.Assertions.assertFalse(takesSmallPath(drop, 1, x4, y4), "dropout is not on the JVM path");
        Sequential reg = new Sequential(new Dense(8, "relu").inputShape(4).kernelRegularizer("l2"), new Dense(1));
        reg.compile("rmsprop", "mse");
        org.junit.jupiter.api.Assertions.assertFalse(takesSmallPath(reg, 1, x4, y4), "regularizers are not on the JVM path");
        Sequential elu = new Sequential(new Dense(8, "elu").inputShape(4), new Dense(1));
        elu.compile("rmsprop", "mse");
        org.junit.jupiter.api.Assertions.assertFalse(takesSmallPath(elu, 1, x4, y4), "elu is not on the JVM path");
        Sequential plain = new Sequential(new Dense(8, "relu").inputShape(4), new Dense(1));
        plain.compile("rmsprop", "mse");
        org.junit.jupiter.api.Assertions.assertTrue(takesSmallPath(plain, 1, x4, y4), "the same model without them is");
    }

    @Test
    void lstmHeadMatchesTheTape() {
        // the time-series model (one step of 6 values) and a longer sequence, with and without bias
        INDArray x1 = GradCheck.rand(8, -1, 1, 40, 1, 6);
        INDArray y1 = GradCheck.rand(9, -1, 1, 40, 24);
        Supplier<Sequential> ts = () -> new Sequential(new org.cornu.layers.LSTM(16).inputShape(1, 6)
                .biasInitializer("random_normal"), new Dense(24));
        compare(ts, "rmsprop", "mse", "mae", x1, y1, null, 8);
        INDArray x2 = GradCheck.rand(10, -1, 1, 18, 5, 3);
        INDArray y2 = GradCheck.rand(11, 0, 1, 18, 1).gt(0.5).castTo(DataType.DOUBLE);
        Supplier<Sequential> seq = () -> new Sequential(new org.cornu.layers.LSTM(4).useBias(false).inputShape(5, 3),
                new Dense(3, "tanh"), new Dense(1, "sigmoid"));
        compare(seq, "adam", "binary_crossentropy", "accuracy", x2, y2, GradCheck.rand(12, 0.5, 1.5, 18), 4);
    }

    @Test
    void simpleRnnAndFlattenHeadsMatchTheTape() {
        // the time-series example's other two models
        INDArray x = GradCheck.rand(13, -1, 1, 36, 1, 6);
        INDArray y = GradCheck.rand(14, -1, 1, 36, 24);
        compare(() -> new Sequential(new org.cornu.layers.SimpleRNN(16).inputShape(1, 6), new Dense(24)), "adam", "mse", "mae", x, y, null, 8);
        compare(() -> new Sequential(new org.cornu.layers.Flatten().inputShape(1, 6), new Dense(16, "relu"), new Dense(24)),
                "adam", "mse", "mae", x, y, null, 8);
        INDArray xs = GradCheck.rand(15, -1, 1, 20, 4, 2);
        INDArray ys = GradCheck.rand(16, -1, 1, 20, 1);
        compare(() -> new Sequential(new org.cornu.layers.SimpleRNN(5).activation("relu").inputShape(4, 2), new Dense(1)),
                "rmsprop", "mse", "mae", xs, ys, null, 5);
    }

    @Test
    void recurrentLayersThePathLeavesToTheTape() {
        Supplier<List<Sequential>> models = () -> List.of(
                new Sequential(new org.cornu.layers.LSTM(4).returnSequences(true).inputShape(3, 2), new org.cornu.layers.Flatten(), new Dense(1)),
                new Sequential(new org.cornu.layers.LSTM(4).goBackwards(true).inputShape(3, 2), new Dense(1)),
                new Sequential(new org.cornu.layers.LSTM(4).dropout(0.2).inputShape(3, 2), new Dense(1)),
                new Sequential(new org.cornu.layers.GRU(4).inputShape(3, 2), new Dense(1)),
                new Sequential(new org.cornu.layers.Masking(0.0).inputShape(3, 2), new org.cornu.layers.LSTM(4), new Dense(1)),
                new Sequential(new Dense(4).inputShape(3, 2), new org.cornu.layers.LSTM(4), new Dense(1)));
        INDArray x = GradCheck.rand(6, -1, 1, 4, 3, 2), y = GradCheck.rand(7, -1, 1, 4, 1);
        for (Sequential m : models.get()) {
            m.compile("rmsprop", "mse");
            org.junit.jupiter.api.Assertions.assertFalse(takesSmallPath(m, 4, x, y), m.layers().toString());
        }
        Sequential plain = new Sequential(new org.cornu.layers.LSTM(4).inputShape(3, 2), new Dense(1));
        plain.compile("rmsprop", "mse");
        org.junit.jupiter.api.Assertions.assertTrue(takesSmallPath(plain, 4, x, y));
        // a Sequential built without an input shape takes its sequence length from the data
        Sequential unbuilt = new Sequential(new org.cornu.layers.LSTM(4), new Dense(1));
        unbuilt.compile("rmsprop", "mse");
        org.junit.jupiter.api.Assertions.assertTrue(takesSmallPath(unbuilt, 4, x, y));
        long before = FastPaths.SMALL_MODEL.runs();
        try {
            plain.fit(GradCheck.rand(8, -1, 1, 4, 4, 2), y, Fit.epochs(1).batchSize(4).verbose(0));
        } catch (IllegalArgumentException e) {
            // the tape path may refuse the other length; either way the small path must not take it
        }
        assertEquals(before, FastPaths.SMALL_MODEL.runs(), "other sequence lengths go to the tape");
    }
}
