package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.FastPaths;
import org.cornu.core.Fit;
import org.cornu.core.Predict;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Dense;
import org.cornu.layers.LSTM;
import org.cornu.layers.SimpleRNN;
import org.cornu.optimizers.SGD;
import org.cornu.testing.GradCheck;
import org.cornu.testing.opmatrix.NaiveOps;
import org.cornu.testing.opmatrix.Tolerance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole-step paths against the tape, over several shapes and both dtypes: the small-model
 * path (Dense chains with and without bias, LSTM and SimpleRNN heads of several sequence lengths,
 * an LSTM large enough that the tape runs the float32 LSTM kernel), the sparse-input path and the
 * small predict path. Each pair of runs trains the same model from the same seed with each path
 * forced on and off (their counters prove which ran) and must give the same weights, history and
 * evaluation to the dtype's tolerance. One SGD step of each path is also checked against central
 * differences of a plain-Java model.
 */
class WholeStepMatrixTest {
    @AfterEach
    void restore() {
        for (FastPaths p : new FastPaths[] {FastPaths.SMALL_MODEL, FastPaths.SMALL_PREDICT, FastPaths.SPARSE_INPUT, FastPaths.FLOAT32_LSTM}) {
            p.setEnabled(true);
        }
        Cornu.setFloatx("float32");
    }

    private record Run(History history, List<INDArray> weights, double[] eval) {}

    private static Run train(Supplier<Sequential> build, String opt, String loss, String metric, INDArray x, INDArray y, int batch) {
        Cornu.setSeed(23);
        Sequential m = build.get();
        m.compile(opt, loss, metric);
        History h = m.fit(x, y, Fit.epochs(2).batchSize(batch).verbose(0).shuffle(false));
        return new Run(h, m.getWeights(), m.evaluate(x, y, Evaluate.batchSize(batch).verbose(0)));
    }

    private static void assertClose(String what, double[] a, double[] b, Tolerance tol) {
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
            assertTrue(tol.accepts(a[i], b[i]), what + " element " + i + ": " + a[i] + " vs " + b[i]);
        }
    }

    private static void assertSame(Run fast, Run tape, DataType dt) {
        // float32: two epochs of updates on the same data, each path rounding on its own
        Tolerance tol = Tolerance.backward(dt);
        for (int i = 0; i < tape.weights().size(); i++) {
            assertClose("weight " + i, fast.weights().get(i).castTo(DataType.DOUBLE).data().asDouble(),
                    tape.weights().get(i).castTo(DataType.DOUBLE).data().asDouble(), tol);
        }
        for (Map.Entry<String, List<Double>> e : tape.history().history().entrySet()) {
            List<Double> o = fast.history().get(e.getKey());
            assertClose(e.getKey(), o.stream().mapToDouble(Double::doubleValue).toArray(),
                    e.getValue().stream().mapToDouble(Double::doubleValue).toArray(), tol);
        }
        assertClose("evaluate", fast.eval(), tape.eval(), tol);
    }

    record Case(String name, String dtype, Supplier<Sequential> model, long[] xShape, int outputs, String loss, String metric, int batch) {
        @Override
        public String toString() {
            return name + " " + dtype;
        }
    }

    static Stream<Arguments> smallModelCases() {
        List<Arguments> cs = new ArrayList<>();
        for (String dt : new String[] {"float32", "float64"}) {
            cs.add(Arguments.of(new Case("dense 5-8-4-1, bias, batch 1", dt,
                    () -> new Sequential(new Dense(8, "relu").inputShape(5), new Dense(4, "tanh"), new Dense(1)), new long[] {9, 5}, 1, "mse", "mae", 1)));
            cs.add(Arguments.of(new Case("dense 6-5-3 softmax, no bias, batch 4 (partial last batch)", dt,
                    () -> new Sequential(new Dense(5, "sigmoid").useBias(false).inputShape(6), new Dense(3, "softmax").useBias(false)),
                    new long[] {10, 6}, 3, "categorical_crossentropy", "accuracy", 4)));
            cs.add(Arguments.of(new Case("dense 7-6-2 relu, inputs with zeros, batch 3 (partial last batch)", dt,
                    () -> new Sequential(new Dense(6, "relu").inputShape(7), new Dense(2)), new long[] {8, 7}, 2, "mse", "mae", 3)));
            for (int t : new int[] {1, 3, 6}) {
                cs.add(Arguments.of(new Case("lstm(4) head, T=" + t + ", bias", dt,
                        () -> new Sequential(new LSTM(4).biasInitializer("random_normal").inputShape(t, 3), new Dense(2)),
                        new long[] {8, t, 3}, 2, "mse", "mae", 4)));
            }
            cs.add(Arguments.of(new Case("lstm(3) head, T=4, no bias, batch 1", dt,
                    () -> new Sequential(new LSTM(3).useBias(false).inputShape(4, 2), new Dense(1, "sigmoid")),
                    new long[] {5, 4, 2}, 1, "binary_crossentropy", "accuracy", 1)));
            cs.add(Arguments.of(new Case("simple_rnn(5) head, T=3", dt,
                    () -> new Sequential(new SimpleRNN(5).inputShape(3, 2), new Dense(1)), new long[] {6, 3, 2}, 1, "mse", "mae", 3)));
        }
        // batch * 4 * units^2 >= 65536: the tape runs the float32 LSTM kernel, the small path its double recurrence
        cs.add(Arguments.of(new Case("lstm(32) head, T=2, batch 16 (tape: float32 LSTM kernel)", "float32",
                () -> new Sequential(new LSTM(32).inputShape(2, 2), new Dense(1)), new long[] {32, 2, 2}, 1, "mse", "mae", 16)));
        return cs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallModelCases")
    void smallModelPathEqualsTheTape(Case c) {
        Cornu.setFloatx(c.dtype());
        DataType dt = c.dtype().equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        INDArray x = GradCheck.rand(c.name().hashCode(), -1, 1, c.xShape()).castTo(dt);
        // about half the inputs zero (the paths skip zero inputs), one sample all zeros
        if (c.name().contains("with zeros")) {
            x.muli(GradCheck.rand(5, 0, 1, c.xShape()).gt(0.5).castTo(dt));
            x.getRow(1).assign(0);
        }
        INDArray y;
        if (c.loss().equals("categorical_crossentropy")) {
            y = Nd4j.zeros(dt, c.xShape()[0], c.outputs());
            for (int i = 0; i < c.xShape()[0]; i++) y.putScalar(i, i % c.outputs(), 1);
        } else if (c.loss().equals("binary_crossentropy")) {
            y = GradCheck.rand(3, 0, 1, c.xShape()[0], 1).gt(0.5).castTo(dt);
        } else {
            y = GradCheck.rand(4, -1, 1, c.xShape()[0], c.outputs()).castTo(dt);
        }
        FastPaths.SMALL_MODEL.setEnabled(false);
        FastPaths.FLOAT32_LSTM.resetRuns();
        long before = FastPaths.SMALL_MODEL.runs();
        Run tape = train(c.model(), "adam", c.loss(), c.metric(), x, y, c.batch());
        assertEquals(before, FastPaths.SMALL_MODEL.runs(), "the tape run must not take the small path");
        if (c.name().contains("float32 LSTM kernel")) assertTrue(FastPaths.FLOAT32_LSTM.runs() > 0, "the tape ran the float32 LSTM kernel");
        FastPaths.SMALL_MODEL.setEnabled(true);
        Run fast = train(c.model(), "adam", c.loss(), c.metric(), x, y, c.batch());
        long steps = 2L * ((c.xShape()[0] + c.batch() - 1) / c.batch());
        assertTrue(FastPaths.SMALL_MODEL.runs() - before >= steps, "every training step took the small path");
        assertSame(fast, tape, dt);
    }

    /**
     * One SGD step (learning rate 1, one batch) of an LSTM head, mse: the weight change is minus the
     * gradient, which must equal central differences of the same model written in plain Java
     * ({@link NaiveOps#rnn}, {@link NaiveOps#linear}); on the small path and on the tape.
     */
    @ParameterizedTest(name = "T={0}")
    @ValueSource(ints = {1, 2, 4})
    void oneSgdStepOfAnLstmHeadIsTheDifferencedGradient(int t) {
        Cornu.setFloatx("float64");
        int b = 3, in = 2, u = 3;
        INDArray x = GradCheck.rand(40 + t, -1, 1, b, t, in), y = GradCheck.rand(50 + t, -1, 1, b, 1);
        for (boolean small : new boolean[] {true, false}) {
            FastPaths.SMALL_MODEL.setEnabled(small);
            Cornu.setSeed(5);
            Sequential m = new Sequential(new LSTM(u).biasInitializer("random_normal").inputShape(t, in), new Dense(1));
            m.compile(new SGD(1.0), "mse");
            List<INDArray> w0 = new ArrayList<>();
            for (INDArray w : m.getWeights()) w0.add(w.dup());
            long runs = FastPaths.SMALL_MODEL.runs();
            m.fit(x, y, Fit.epochs(1).batchSize(b).verbose(0).shuffle(false));
            assertEquals(small ? runs + 1 : runs, FastPaths.SMALL_MODEL.runs(), "path taken");
            List<INDArray> w1 = m.getWeights();
            double h = 1e-6;
            for (int k = 0; k < w0.size(); k++) {
                INDArray w = w0.get(k);
                for (long e = 0; e < w.length(); e++) {
                    double v = w.getDouble(e);
                    w.putScalar(e, v + h);
                    double fp = lstmHeadLoss(x, y, w0, t);
                    w.putScalar(e, v - h);
                    double fm = lstmHeadLoss(x, y, w0, t);
                    w.putScalar(e, v);
                    double numeric = (fp - fm) / (2 * h);
                    double taken = v - w1.get(k).getDouble(e);
                    assertTrue(Tolerance.FLOAT64_BACKWARD.accepts(taken, numeric),
                            (small ? "small path" : "tape") + ": weight " + k + " element " + e + ": step " + taken + " vs difference " + numeric);
                }
            }
        }
    }

    private static double lstmHeadLoss(INDArray x, INDArray y, List<INDArray> w, int t) {
        INDArray all = NaiveOps.rnn("lstm", "tanh", false, true, x, w.get(0), w.get(1), w.get(2), null);
        int u = (int) w.get(1).size(0);
        INDArray hT = all.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(t * u, t * u + u)).dup();
        INDArray p = NaiveOps.linear(hT, w.get(3), w.get(4));
        return p.sub(y).norm2Number().doubleValue() * p.sub(y).norm2Number().doubleValue() / y.length();
    }

    /** Dense on multi-hot rows: the sparse product and gather against the dense ones, both dtypes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void sparseInputPathEqualsTheDensePath(String dtype) {
        Cornu.setFloatx(dtype);
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        int n = 24, cols = 1100;
        INDArray x = GradCheck.rand(61, 0, 1, n, cols).lt(0.04).castTo(dt);
        for (int j = 0; j < cols; j++) x.putScalar(3, j, 0); // an empty row
        INDArray y = GradCheck.rand(62, 0, 1, n, 1).gt(0.5).castTo(dt);
        Supplier<Sequential> model = () -> new Sequential(new Dense(6, "relu").inputShape(cols), new Dense(1, "sigmoid"));
        FastPaths.SMALL_MODEL.setEnabled(false);
        FastPaths.SPARSE_INPUT.setEnabled(false);
        FastPaths.SPARSE_INPUT.resetRuns();
        Run dense = train(model, "rmsprop", "binary_crossentropy", "accuracy", x, y, 8);
        assertEquals(0, FastPaths.SPARSE_INPUT.runs());
        FastPaths.SPARSE_INPUT.setEnabled(true);
        Run sparse = train(model, "rmsprop", "binary_crossentropy", "accuracy", x, y, 8);
        assertTrue(FastPaths.SPARSE_INPUT.runs() > 0, "the sparse path ran");
        assertSame(sparse, dense, dt);
        // batches gathered from the dense rows, and scanned without the prefetch thread: the same training
        FastPaths.SPARSE_GATHER.setEnabled(false);
        FastPaths.SPARSE_PREFETCH.setEnabled(false);
        try {
            assertSame(train(model, "rmsprop", "binary_crossentropy", "accuracy", x, y, 8), dense, dt);
        } finally {
            FastPaths.SPARSE_GATHER.setEnabled(true);
            FastPaths.SPARSE_PREFETCH.setEnabled(true);
        }
    }

    /** predict of small Dense chains on the JVM against ND4J, both dtypes, batch sizes 1 and 5. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void smallPredictPathEqualsTheTape(String dtype) {
        Cornu.setFloatx(dtype);
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        Cornu.setSeed(8);
        Sequential m = new Sequential(new Dense(7, "relu").inputShape(4), new Dense(3, "softmax"));
        INDArray x = GradCheck.rand(71, -2, 2, 11, 4).castTo(dt);
        for (int batch : new int[] {1, 5}) {
            FastPaths.SMALL_PREDICT.setEnabled(false);
            FastPaths.SMALL_PREDICT.resetRuns();
            INDArray ref = m.predict(x, Predict.batchSize(batch).verbose(0));
            assertEquals(0, FastPaths.SMALL_PREDICT.runs());
            FastPaths.SMALL_PREDICT.setEnabled(true);
            INDArray fast = m.predict(x, Predict.batchSize(batch).verbose(0));
            assertTrue(FastPaths.SMALL_PREDICT.runs() > 0, "the small predict path ran");
            assertClose("batch " + batch, fast.castTo(DataType.DOUBLE).data().asDouble(), ref.castTo(DataType.DOUBLE).data().asDouble(),
                    Tolerance.forward(dt));
        }
    }

    /**
     * predict through a layer wide enough to read its kernel row by row ({@code SmallPredict.kernelRows},
     * rows in blocks of four) and a narrow one read whole, on rows with 0 to 9 nonzero inputs,
     * against ND4J, both dtypes, batch sizes 1 and 4.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void smallPredictOfSparseRowsThroughAWideLayerEqualsTheTape(String dtype) {
        Cornu.setFloatx(dtype);
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        Cornu.setSeed(9);
        Sequential m = new Sequential(new Dense(70, "relu").inputShape(40), new Dense(3, "softmax"));
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 10, 40);
        INDArray v = GradCheck.rand(72, -2, 2, 10, 40);
        for (int r = 0; r < 10; r++) for (int k = 0; k < r; k++) x.putScalar(r, (k * 7 + r) % 40, v.getDouble(r, k));
        x = x.castTo(dt);
        for (int batch : new int[] {1, 4}) {
            FastPaths.SMALL_PREDICT.setEnabled(false);
            INDArray ref = m.predict(x, Predict.batchSize(batch).verbose(0));
            FastPaths.SMALL_PREDICT.setEnabled(true);
            FastPaths.SMALL_PREDICT.resetRuns();
            INDArray fast = m.predict(x, Predict.batchSize(batch).verbose(0));
            assertTrue(FastPaths.SMALL_PREDICT.runs() > 0, "the small predict path ran");
            assertClose("batch " + batch, fast.castTo(DataType.DOUBLE).data().asDouble(), ref.castTo(DataType.DOUBLE).data().asDouble(),
                    Tolerance.forward(dt));
        }
    }
}
