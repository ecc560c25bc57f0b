package org.cornu.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.cornu.core.Cornu;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.callbacks.History;
import org.cornu.core.FastPaths;
import org.cornu.core.Metric;
import org.cornu.core.Sequential;
import org.cornu.core.training.JvmMetric;
import org.cornu.layers.Dense;
import org.cornu.testing.GradCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Metrics at their edges, with values worked by hand from Keras 3's definitions: predictions
 * exactly at the threshold ({@code binary_accuracy}, precision and recall count
 * {@code y_pred > threshold} as positive), ties in argmax (the first maximum wins) and in top-k
 * (TensorFlow's {@code in_top_k}: classes tied with the k-th score are in), batches of one class,
 * sample weights (a weighted mean); and the tape form ({@code updateState} on arrays, in float32
 * and float64) equal to the JVM form ({@code updateStateJvm}) that the small-model path uses
 * (at thresholds exact in float32: Keras casts the threshold to the predictions' dtype, which the
 * JVM form, given doubles, cannot).
 */
class MetricEdgesTest {
    @AfterEach
    void restore() {
        FastPaths.SMALL_MODEL.setEnabled(true);
        Cornu.setFloatx("float32");
    }

    private static INDArray a(DataType dt, double[] v, long... shape) {
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dt);
    }

    /** The tape form's result on one batch. */
    private static double tape(Metric m, INDArray yTrue, INDArray yPred, INDArray sw) {
        m.resetState();
        m.updateState(yTrue, yPred, sw);
        return m.result();
    }

    /** The JVM form's result on the same batch (no sample weights: the small path has none either). */
    private static double jvm(Metric m, INDArray yTrue, INDArray yPred) {
        m.resetState();
        JvmMetric j = (JvmMetric) m;
        assertTrue(j.supportsJvm(), m.name() + " has a JVM form");
        int n = (int) yPred.size(0);
        j.updateStateJvm(yTrue.castTo(DataType.DOUBLE).dup('c').data().asDouble(), (int) (yTrue.length() / n),
                yPred.castTo(DataType.DOUBLE).dup('c').data().asDouble(), (int) (yPred.length() / n), n);
        return m.result();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void binaryAccuracyCountsOnlyPredictionsAboveTheThresholdAsPositive(String dtype) {
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        // predictions exactly at 0.5 are negative: they match targets 0 and miss targets 1
        INDArray y = a(dt, new double[] {0, 1, 1, 0, 0, 1}, 6, 1);
        INDArray p = a(dt, new double[] {0.5, 0.5, 0.75, 0.25, 0.5, 0.5000001}, 6, 1);
        // matches: 1, 0, 1, 1, 1, 1
        assertEquals(5.0 / 6, tape(new BinaryAccuracy(), y, p, null), 1e-12);
        assertEquals(5.0 / 6, jvm(new BinaryAccuracy(), y, p), 1e-12);
        // another threshold, exactly representable: 0.25 is negative, 0.75 positive
        BinaryAccuracy q = new BinaryAccuracy().threshold(0.25);
        INDArray y2 = a(dt, new double[] {1, 0, 1}, 3, 1), p2 = a(dt, new double[] {0.25, 0.25, 0.75}, 3, 1);
        assertEquals(2.0 / 3, tape(q, y2, p2, null), 1e-12);
        assertEquals(2.0 / 3, jvm(q, y2, p2), 1e-12);
        // sample weights: per-sample values (0, 1, 1) weighted (2, 1, 1) -> 2 / 4
        assertEquals(0.5, tape(q, y2, p2, a(dt, new double[] {2, 1, 1}, 3)), 1e-12);
        // Keras casts the threshold to the predictions' dtype: a float32 prediction equal to float32(0.3) is not above it
        if (dt == DataType.FLOAT) {
            INDArray p4 = a(dt, new double[] {0.3f, 0.3f}, 2, 1), y4 = a(dt, new double[] {0, 1}, 2, 1);
            assertEquals(0.5, tape(new BinaryAccuracy().threshold(0.3), y4, p4, null), 1e-12);
        }
        // per-sample value over the last axis: row 0 predicts (0, 0, 1) against (1, 0, 1): 2 of 3; row 1: 3 of 3
        INDArray y3 = a(dt, new double[] {1, 0, 1, 0, 0, 0}, 2, 3), p3 = a(dt, new double[] {0.5, 0.5, 0.9, 0.1, 0.5, 0.0}, 2, 3);
        assertEquals((2.0 / 3 + 1.0) / 2, tape(new BinaryAccuracy(), y3, p3, null), 1e-12);
        assertEquals((2.0 / 3 + 1.0) / 2, jvm(new BinaryAccuracy(), y3, p3), 1e-12);
    }

    /**
     * A model whose predictions are exactly 0.5 (sigmoid of a zero kernel and bias): binary accuracy
     * is the fraction of targets equal to 0, on the small-model path (JVM metric) and on the tape.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void binaryAccuracyAtTheThresholdIsTheSameOnBothPaths(String dtype) {
        Cornu.setFloatx(dtype);
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        INDArray x = GradCheck.rand(5, -1, 1, 8, 3).castTo(dt);
        INDArray y = a(dt, new double[] {0, 1, 1, 0, 1, 1, 1, 0}, 8, 1); // three zeros
        for (boolean small : new boolean[] {false, true}) {
            FastPaths.SMALL_MODEL.setEnabled(small);
            long runs = FastPaths.SMALL_MODEL.runs();
            Sequential m = new Sequential(new Dense(1, "sigmoid").kernelInitializer("zeros").inputShape(3));
            // learning rate 0: the predictions stay exactly 0.5 through the epoch
            m.compile(new org.cornu.optimizers.SGD(0.0), "binary_crossentropy", "binary_accuracy");
            History h = m.fit(x, y, Fit.epochs(1).batchSize(4).verbose(0).shuffle(false));
            assertEquals(small, FastPaths.SMALL_MODEL.runs() > runs, "path taken");
            assertEquals(Math.log(2), h.get("loss").get(0), 1e-6, "loss at p = 0.5");
            assertEquals(3.0 / 8, h.get("binary_accuracy").get(0), 1e-12, (small ? "small path" : "tape") + ": accuracy");
            assertEquals(3.0 / 8, m.evaluate(x, y, Evaluate.batchSize(4).verbose(0))[1], 1e-12, "evaluate");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void precisionAndRecallCountOnlyPredictionsAboveTheThreshold(String dtype) {
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        INDArray y = a(dt, new double[] {1, 1, 0, 0, 1}, 5, 1), p = a(dt, new double[] {0.5, 0.75, 0.5, 0.75, 0.25}, 5, 1);
        // positives predicted: only the two 0.75s -> tp 1, fp 1, fn 2
        assertEquals(0.5, tape(new Precision(), y, p, null), 1e-12);
        assertEquals(1.0 / 3, tape(new Recall(), y, p, null), 1e-12);
        // with weights (1, 2, 3, 4, 5): tp 2, fp 4, fn 1 + 5
        INDArray w = a(dt, new double[] {1, 2, 3, 4, 5}, 5);
        assertEquals(2.0 / 6, tape(new Precision(), y, p, w), 1e-12);
        assertEquals(2.0 / 8, tape(new Recall(), y, p, w), 1e-12);
        // a batch with no positive predicted: precision 0 (Keras divides by max(tp + fp, eps)... 0/0 -> 0)
        assertEquals(0.0, tape(new Precision(), y, a(dt, new double[] {0.5, 0.5, 0.5, 0.5, 0.5}, 5, 1), null), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void argmaxTiesGoToTheFirstMaximum(String dtype) {
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        INDArray p = a(dt, new double[] {0.4, 0.4, 0.2, 0.1, 0.45, 0.45, 1. / 3, 1. / 3, 1. / 3}, 3, 3);
        // argmax per row: 0, 1, 0
        INDArray oneHot = a(dt, new double[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, 3, 3);
        assertEquals(1.0 / 3, tape(new CategoricalAccuracy(), oneHot, p, null), 1e-12);
        assertEquals(1.0 / 3, jvm(new CategoricalAccuracy(), oneHot, p), 1e-12);
        INDArray labels = a(dt, new double[] {1, 1, 0}, 3, 1);
        assertEquals(2.0 / 3, tape(new SparseCategoricalAccuracy(), labels, p, null), 1e-12);
        assertEquals(2.0 / 3, jvm(new SparseCategoricalAccuracy(), labels, p), 1e-12);
        // weights (0, 0, 2): only the last row counts
        assertEquals(1.0, tape(new SparseCategoricalAccuracy(), labels, p, a(dt, new double[] {0, 0, 2}, 3)), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void topKCountsClassesTiedWithTheKthScore(String dtype) {
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        INDArray p = a(dt, new double[] {0.1, 0.3, 0.3, 0.3, 0.5, 0.2, 0.2, 0.1}, 2, 4);
        INDArray labels = a(dt, new double[] {3, 3}, 2);
        // row 0: class 3 (0.3) ties the best score -> in the top 1; row 1: class 3 (0.1) is last -> in the top 4 only
        assertEquals(0.5, tape(new SparseTopKCategoricalAccuracy(1), labels, p, null), 1e-12);
        assertEquals(0.5, tape(new SparseTopKCategoricalAccuracy(3), labels, p, null), 1e-12);
        assertEquals(1.0, tape(new SparseTopKCategoricalAccuracy(4), labels, p, null), 1e-12);
        // row 1 class 1 (0.2) ties class 2 at rank 2-3: in the top 2
        INDArray oneHot = a(dt, new double[] {1, 0, 0, 0, 0, 0, 1, 0}, 2, 4);
        assertEquals(0.5, tape(new TopKCategoricalAccuracy(2), oneHot, p, null), 1e-12);
        assertEquals(0.0, tape(new TopKCategoricalAccuracy(1), oneHot, p, null), 1e-12);
        assertEquals(1.0, tape(new TopKCategoricalAccuracy(4), oneHot, p, null), 1e-12);
    }

    /** Random batches and edge batches (one class only, predictions at 0, 0.5 and 1): the tape and JVM forms agree. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"float32", "float64"})
    void tapeAndJvmFormsAgree(String dtype) {
        DataType dt = dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        List<Supplier<Metric>> ms = List.of(BinaryAccuracy::new, () -> new BinaryAccuracy().threshold(0.25), CategoricalAccuracy::new,
                SparseCategoricalAccuracy::new, MeanSquaredError::new, MeanAbsoluteError::new);
        INDArray prob = GradCheck.rand(81, 0, 1, 7, 3).castTo(dt);
        INDArray edge = a(dt, new double[] {0, 0.5, 1, 0.5, 0.5, 0.5, 1, 0, 0, 0.25, 0.25, 0.25}, 4, 3);
        INDArray[] preds = {prob, edge};
        for (INDArray p : preds) {
            int n = (int) p.size(0);
            double[] ones = new double[n * 3], zeros = new double[n * 3], mixed = new double[n * 3], sparse1 = new double[n], sparseMixed = new double[n];
            for (int i = 0; i < n; i++) {
                ones[i * 3] = 1;
                mixed[i * 3 + i % 3] = 1;
                sparseMixed[i] = i % 3;
                sparse1[i] = 2;
            }
            for (double[] t : new double[][] {ones, zeros, mixed}) {
                for (Supplier<Metric> s : ms) {
                    Metric probe = s.get();
                    boolean sparse = probe instanceof SparseCategoricalAccuracy;
                    if (sparse) continue;
                    INDArray y = a(dt, t, n, 3);
                    assertEquals(tape(s.get(), y, p, null), jvm(s.get(), y, p), 1e-6, probe.name() + " on " + java.util.Arrays.toString(t));
                }
            }
            for (double[] t : new double[][] {sparse1, sparseMixed}) {
                INDArray y = a(dt, t, n, 1);
                assertEquals(tape(new SparseCategoricalAccuracy(), y, p, null), jvm(new SparseCategoricalAccuracy(), y, p), 1e-12);
            }
        }
    }

    @Test
    void allOneClassBatches() {
        // every target 1, every prediction above 0.5: accuracy 1, precision 1, recall 1; every prediction below: 0, 0, 0
        INDArray y = Nd4j.ones(DataType.FLOAT, 4, 1);
        INDArray hi = a(DataType.FLOAT, new double[] {0.6, 0.9, 0.51, 1}, 4, 1), lo = a(DataType.FLOAT, new double[] {0.4, 0.1, 0.5, 0}, 4, 1);
        assertEquals(1.0, tape(new BinaryAccuracy(), y, hi, null), 0);
        assertEquals(1.0, tape(new Precision(), y, hi, null), 0);
        assertEquals(1.0, tape(new Recall(), y, hi, null), 0);
        assertEquals(0.0, tape(new BinaryAccuracy(), y, lo, null), 0);
        assertEquals(0.0, tape(new Recall(), y, lo, null), 0);
        assertEquals(0.0, jvm(new BinaryAccuracy(), y, lo), 0);
        // every target 0: accuracy is the fraction at or below 0.5
        INDArray y0 = Nd4j.zeros(DataType.FLOAT, 4, 1);
        assertEquals(0.5, tape(new BinaryAccuracy(), y0, lo.add(0.25), null), 1e-12); // 0.65, 0.35, 0.75, 0.25
        assertEquals(0.5, jvm(new BinaryAccuracy(), y0, lo.add(0.25)), 1e-12);
    }
}
