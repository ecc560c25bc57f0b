package org.cornu.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cornu.core.Metric;
import org.cornu.core.Registry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Metric values over two batches (state kept between them), with sample weights, and after
 * reset, against numbers computed by hand or with python3 + numpy following Keras 3's metric
 * functions ({@code keras/src/metrics}, epsilon 1e-7).
 */
class MoreMetricsTest {
    static final double TOL = 1e-12;

    static INDArray a(double[][] v) {
        return Nd4j.createFromArray(v);
    }

    // batch 1: y = [[1, 2], [0.5, -1]], p = [[1.5, 1], [0, 0]], weights [1, 2]
    static final INDArray Y1 = a(new double[][] {{1.0, 2.0}, {0.5, -1.0}});
    static final INDArray P1 = a(new double[][] {{1.5, 1.0}, {0.0, 0.0}});
    static final INDArray W1 = Nd4j.createFromArray(1.0, 2.0);
    // batch 2: y = [[2, 2], [1, 4], [-2, 1]], p = [[2.5, 1], [1, 3], [-1, 1.5]], weights [0.5, 1, 3]
    static final INDArray Y2 = a(new double[][] {{2.0, 2.0}, {1.0, 4.0}, {-2.0, 1.0}});
    static final INDArray P2 = a(new double[][] {{2.5, 1.0}, {1.0, 3.0}, {-1.0, 1.5}});
    static final INDArray W2 = Nd4j.createFromArray(0.5, 1.0, 3.0);

    /** batch 1 alone, both batches, both batches weighted; then reset. */
    static void twoBatches(Metric m, double b1, double both, double weighted) {
        m.updateState(Y1, P1, null);
        assertEquals(b1, m.result(), TOL, m.name() + " batch 1");
        m.updateState(Y2, P2, null);
        assertEquals(both, m.result(), TOL, m.name() + " batches 1 and 2");
        m.resetState();
        assertEquals(0.0, m.result(), 0.0, m.name() + " after reset");
        m.updateState(Y1, P1, W1);
        m.updateState(Y2.castTo(DataType.FLOAT), P2.castTo(DataType.FLOAT), W2);
        assertEquals(weighted, m.result(), 1e-7, m.name() + " weighted");
    }

    @Test
    void regressionMetrics() {
        // per-sample mean over the last axis, then the (weighted) mean over all samples seen
        twoBatches(new MeanAbsoluteError(), 0.75, 0.7, 0.7166666666666667);
        twoBatches(new MeanSquaredError(), 0.625, 0.6, 0.6083333333333333);
        twoBatches(new MeanAbsolutePercentageError(), 75.0, 50.0, 57.5);
    }

    @Test
    void rootMeanSquaredErrorIsTheRootOfTheRunningMean() {
        // sqrt(0.6) over both batches, not the mean of the per-batch roots (0.7771660154340341)
        twoBatches(new RootMeanSquaredError(), Math.sqrt(0.625), 0.7745966692414834, 0.779957263786506);
        // Keras docstring: [[0, 1], [0, 0]] against [[1, 1], [0, 0]] gives 0.5; weights [1, 0] give 0.70710677
        RootMeanSquaredError m = new RootMeanSquaredError();
        m.updateState(a(new double[][] {{0, 1}, {0, 0}}), a(new double[][] {{1, 1}, {0, 0}}), null);
        assertEquals(0.5, m.result(), TOL);
        m.resetState();
        m.updateState(a(new double[][] {{0, 1}, {0, 0}}), a(new double[][] {{1, 1}, {0, 0}}), Nd4j.createFromArray(1.0, 0.0));
        assertEquals(Math.sqrt(0.5), m.result(), TOL);
    }

    @Test
    void topKCategoricalAccuracy() {
        // Keras docstring (k = 1): 0.5, and 0.3 with weights [0.7, 0.3]
        INDArray y = a(new double[][] {{0, 0, 1}, {0, 1, 0}});
        INDArray p = a(new double[][] {{0.1, 0.9, 0.8}, {0.05, 0.95, 0}});
        TopKCategoricalAccuracy m = new TopKCategoricalAccuracy(1);
        m.updateState(y, p, null);
        assertEquals(0.5, m.result(), TOL);
        m.resetState();
        m.updateState(y, p, Nd4j.createFromArray(0.7, 0.3));
        assertEquals(0.3, m.result(), TOL);
        // k = 2 finds both; default k = 5 with 3 classes always matches
        TopKCategoricalAccuracy k2 = new TopKCategoricalAccuracy(2);
        k2.updateState(y, p, null);
        assertEquals(1.0, k2.result(), TOL);
        assertEquals(5, new TopKCategoricalAccuracy().k());
        // second batch: class 0 of [0.2, 0.5, 0.3] is third, so over three samples 1/3 are in the top 1
        m.resetState();
        m.updateState(y, p, null);
        m.updateState(a(new double[][] {{1, 0, 0}}), a(new double[][] {{0.2, 0.5, 0.3}}), null);
        assertEquals(1.0 / 3, m.result(), TOL);
        // ties with the k-th value count as in the top k (TensorFlow's in_top_k)
        TopKCategoricalAccuracy tie = new TopKCategoricalAccuracy(1);
        tie.updateState(a(new double[][] {{0, 1, 0}}), a(new double[][] {{0.4, 0.4, 0.2}}), null);
        assertEquals(1.0, tie.result(), TOL);
    }

    @Test
    void sparseTopKCategoricalAccuracy() {
        // Keras docstring (k = 1): labels [2, 1] give 0.5, and 0.3 with weights [0.7, 0.3]
        INDArray p = a(new double[][] {{0.1, 0.9, 0.8}, {0.05, 0.95, 0}});
        SparseTopKCategoricalAccuracy m = new SparseTopKCategoricalAccuracy(1);
        m.updateState(Nd4j.createFromArray(2, 1), p, null);
        assertEquals(0.5, m.result(), TOL);
        m.resetState();
        m.updateState(a(new double[][] {{2}, {1}}), p, Nd4j.createFromArray(0.7, 0.3));
        assertEquals(0.3, m.result(), TOL);
        SparseTopKCategoricalAccuracy k2 = new SparseTopKCategoricalAccuracy(2);
        k2.updateState(Nd4j.createFromArray(2L, 1L), p, null);
        k2.updateState(Nd4j.createFromArray(0L), a(new double[][] {{0.2, 0.5, 0.3}}), null);
        assertEquals(2.0 / 3, k2.result(), TOL);
    }

    @Test
    void precisionAndRecallCount() {
        // Keras docstrings: y = [0, 1, 1, 1], p = [1, 0, 1, 1]: tp 2, fp 1, fn 1
        INDArray y = Nd4j.createFromArray(0.0, 1.0, 1.0, 1.0);
        INDArray p = Nd4j.createFromArray(1.0, 0.0, 1.0, 1.0);
        Precision pr = new Precision();
        Recall rc = new Recall();
        pr.updateState(y, p, null);
        rc.updateState(y, p, null);
        assertEquals(2, pr.truePositives());
        assertEquals(1, pr.falsePositives());
        assertEquals(1, pr.falseNegatives());
        assertEquals(0, pr.trueNegatives());
        assertEquals(2.0 / 3, pr.result(), TOL);
        assertEquals(2.0 / 3, rc.result(), TOL);
        // second batch, (N, 1) shaped: y = [1, 0, 1], p = [0.7, 0.2, 0.4] at threshold 0.5: tp 1, tn 1, fn 1
        INDArray y2 = a(new double[][] {{1}, {0}, {1}});
        INDArray p2 = a(new double[][] {{0.7}, {0.2}, {0.4}});
        pr.updateState(y2, p2, null);
        rc.updateState(y2, p2, null);
        assertEquals(3.0 / 4, pr.result(), TOL); // tp 3, fp 1
        assertEquals(3.0 / 5, rc.result(), TOL); // tp 3, fn 2
        // Keras docstrings: weights [0, 0, 1, 0] give 1.0 for both
        pr.resetState();
        rc.resetState();
        assertEquals(0.0, pr.result(), 0.0);
        pr.updateState(y, p, Nd4j.createFromArray(0.0, 0.0, 1.0, 0.0));
        rc.updateState(y, p, Nd4j.createFromArray(0.0, 0.0, 1.0, 0.0));
        assertEquals(1.0, pr.result(), TOL);
        assertEquals(1.0, rc.result(), TOL);
        // weighted counts: p above 0.5 is positive; weights 2, 3, 0.5, 1
        Precision wp = new Precision();
        wp.updateState(Nd4j.createFromArray(1, 0, 1, 0), Nd4j.createFromArray(0.9, 0.6, 0.5, 0.1),
                Nd4j.createFromArray(2.0, 3.0, 0.5, 1.0));
        assertEquals(2.0, wp.truePositives(), TOL);
        assertEquals(3.0, wp.falsePositives(), TOL);
        assertEquals(0.5, wp.falseNegatives(), TOL); // 0.5 is not above the threshold
        assertEquals(2.0 / 5, wp.result(), TOL);
        // another threshold, and a class id over one-hot rows
        Recall r7 = new Recall().thresholds(0.7);
        r7.updateState(Nd4j.createFromArray(1, 1, 1), Nd4j.createFromArray(0.9, 0.6, 0.75), null);
        assertEquals(2.0 / 3, r7.result(), TOL);
        Precision c1 = new Precision().classId(1);
        c1.updateState(a(new double[][] {{0, 1}, {1, 0}, {0, 1}}), a(new double[][] {{0.2, 0.8}, {0.4, 0.6}, {0.9, 0.1}}), null);
        assertEquals(1, c1.truePositives());
        assertEquals(1, c1.falsePositives());
        assertEquals(1, c1.falseNegatives());
        // top_k = 1: only each row's highest prediction can be positive (threshold minus infinity)
        Precision top1 = new Precision().topK(1);
        top1.updateState(a(new double[][] {{0, 1, 1}, {1, 0, 0}}), a(new double[][] {{0.1, 0.3, 0.2}, {0.5, 0.9, 0.8}}), null);
        assertEquals(1, top1.truePositives());
        assertEquals(1, top1.falsePositives());
    }

    @Test
    void crossentropyMetrics() {
        // categorical: Keras docstring batch (0.0513, 2.3026) then y = [1, 0, 0], p = [0.7, 0.2, 0.1]
        CategoricalCrossentropy cce = new CategoricalCrossentropy();
        cce.updateState(a(new double[][] {{0, 1, 0}, {0, 0, 1}}), a(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}}), null);
        assertEquals(1.176939193690798, cce.result(), TOL);
        cce.updateState(a(new double[][] {{1, 0, 0}}), a(new double[][] {{0.7, 0.2, 0.1}}), null);
        assertEquals(0.9035177771067762, cce.result(), TOL);
        // sparse: the same two batches as integer labels
        SparseCategoricalCrossentropy scce = new SparseCategoricalCrossentropy();
        scce.updateState(Nd4j.createFromArray(1, 2), a(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}}), null);
        scce.updateState(a(new double[][] {{0}}), a(new double[][] {{0.7, 0.2, 0.1}}), null);
        assertEquals(0.9035177771067762, scce.result(), TOL);
        SparseCategoricalCrossentropy logits = new SparseCategoricalCrossentropy().fromLogits(true);
        logits.updateState(Nd4j.createFromArray(0, 2), a(new double[][] {{2.0, 1.0, 0.1}, {0.5, 2.5, -1.0}}), null);
        assertEquals(2.0351041117000612, logits.result(), TOL);
        assertThrows(IllegalArgumentException.class,
                () -> scce.updateState(Nd4j.createFromArray(3), a(new double[][] {{0.7, 0.2, 0.1}}), null));
        // binary: Keras docstring batch (0.916, 0.714) then y = [1, 1], p = [0.9, 0.3]
        BinaryCrossentropy bce = new BinaryCrossentropy();
        bce.updateState(a(new double[][] {{0, 1}, {0, 0}}), a(new double[][] {{0.6, 0.4}, {0.4, 0.6}}), null);
        bce.updateState(a(new double[][] {{1, 1}}), a(new double[][] {{0.9, 0.3}}), null);
        assertEquals(0.7615051898953697, bce.result(), TOL);
        bce.resetState();
        bce.updateState(a(new double[][] {{0, 1}, {0, 0}}), a(new double[][] {{0.6, 0.4}, {0.4, 0.6}}), Nd4j.createFromArray(1.0, 3.0));
        bce.updateState(a(new double[][] {{1, 1}}), a(new double[][] {{0.9, 0.3}}), Nd4j.createFromArray(2.0));
        assertEquals(4.366298585318136 / 6, bce.result(), TOL);
    }

    @Test
    void namesAndAliasesResolve() {
        assertInstanceOf(MeanAbsoluteError.class, Registry.metric("mae"));
        assertInstanceOf(MeanSquaredError.class, Registry.metric("MSE"));
        assertInstanceOf(RootMeanSquaredError.class, Registry.metric("rmse"));
        assertInstanceOf(RootMeanSquaredError.class, Registry.metric("root_mean_squared_error"));
        assertInstanceOf(MeanAbsolutePercentageError.class, Registry.metric("mape"));
        assertInstanceOf(TopKCategoricalAccuracy.class, Registry.metric("top_k_categorical_accuracy"));
        assertInstanceOf(SparseTopKCategoricalAccuracy.class, Registry.metric("sparse_top_k_categorical_accuracy"));
        assertInstanceOf(Precision.class, Registry.metric("precision"));
        assertInstanceOf(Recall.class, Registry.metric("Recall"));
        assertInstanceOf(org.cornu.core.metrics.AUC.class, Registry.metric("AUC"));
        assertInstanceOf(BinaryCrossentropy.class, Registry.metric("binary_crossentropy"));
        assertInstanceOf(CategoricalCrossentropy.class, Registry.metric("categorical_crossentropy"));
        assertInstanceOf(SparseCategoricalCrossentropy.class, Registry.metric("sparse_categorical_crossentropy"));
        assertEquals("root_mean_squared_error", Registry.metric("rmse").name());
        // resolved metrics are named as the user named them; accuracy resolution is unchanged
        long[] ys = {32, 10};
        assertEquals("mae", Metrics.resolve("mae", null, ys, ys).name());
        assertEquals("rmse", Metrics.resolve("rmse", null, ys, ys).name());
        Metric acc = Metrics.resolve("acc", null, new long[] {32, 3}, new long[] {32, 3});
        assertEquals("acc", acc.name());
        acc.updateState(a(new double[][] {{0, 1, 0}, {1, 0, 0}}), a(new double[][] {{0.1, 0.8, 0.1}, {0.2, 0.7, 0.1}}), null);
        assertEquals(0.5, acc.result(), TOL);
        assertTrue(Metrics.isKnown("auc") && Metrics.isKnown("AUC") && Metrics.isKnown("rmse"));
        assertTrue(Metrics.knownNames().contains("precision"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Registry.metric("presicion"));
        assertTrue(e.getMessage().contains("Valid names:") && e.getMessage().contains("precision")
                && e.getMessage().contains("mae"), e.getMessage());
    }
}
