package org.cornu.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cornu.core.Loss;
import org.cornu.core.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loss values against numbers computed with python3 + numpy following Keras 3's formulas
 * (keras/src/losses/losses.py and the TensorFlow backend's crossentropies, epsilon 1e-7),
 * for example {@code bce = mean(-(y log clip(p) + (1 - y) log(1 - clip(p))), -1)}. Where Keras's
 * docstrings give a value, the test says so.
 */
class LossValuesTest {
    static final double TOL = 1e-12;

    static INDArray a(double[][] v) {
        return Nd4j.createFromArray(v);
    }

    static double value(Loss l, INDArray y, INDArray p, INDArray w) {
        return l.compute(y, Tensor.constant(p), w).value().getDouble(0);
    }

    static double[] perSample(Loss l, INDArray y, INDArray p) {
        return l.call(y, Tensor.constant(p)).value().castTo(DataType.DOUBLE).toDoubleVector();
    }

    // Keras docstring data: y_true = [[0, 1, 0], [0, 0, 1]], y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    static final INDArray CCE_Y = a(new double[][] {{0, 1, 0}, {0, 0, 1}});
    static final INDArray CCE_P = a(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});

    @Test
    void categoricalCrossentropy() {
        Loss l = new CategoricalCrossentropy();
        // Keras docstring: [0.0513, 2.303], mean 1.177, weighted [0.3, 0.7] 0.814, sum 2.354
        assertArrayEquals(new double[] {0.05129329438755058, 2.3025850929940455}, perSample(l, CCE_Y, CCE_P), TOL);
        assertEquals(1.176939193690798, value(l, CCE_Y, CCE_P, null), TOL);
        assertEquals(0.8135987767060484, value(l, CCE_Y, CCE_P, Nd4j.createFromArray(0.3, 0.7)), TOL);
        assertEquals(2.353878387381596, value(new CategoricalCrossentropy().reduction("sum"), CCE_Y, CCE_P, null), TOL);
        // rows renormalized before clipping: y_pred = [[0.2, 0.6, 0.4], [1.0, 0.5, 0.5]]
        assertEquals(1.039720770839918,
                value(l, CCE_Y, a(new double[][] {{0.2, 0.6, 0.4}, {1.0, 0.5, 0.5}}), null), TOL);
        // label smoothing 0.1: y * 0.9 + 0.1 / 3
        assertEquals(1.4591358569250876, value(new CategoricalCrossentropy().labelSmoothing(0.1), CCE_Y, CCE_P, null), TOL);
    }

    @Test
    void categoricalCrossentropyFromLogits() {
        INDArray z = a(new double[][] {{2.0, 1.0, 0.1}, {0.5, 2.5, -1.0}});
        // mean(-sum(y * log_softmax(z), -1))
        assertEquals(2.535104111700061, value(new CategoricalCrossentropy().fromLogits(true), CCE_Y, z, null), TOL);
        assertEquals(2.450104111700061,
                value(new CategoricalCrossentropy().fromLogits(true).labelSmoothing(0.1), CCE_Y, z, null), TOL);
    }

    @Test
    void sparseCategoricalCrossentropyAcceptsAnyLabelTypeAndShape() {
        Loss l = new SparseCategoricalCrossentropy();
        // Keras docstring: y_true = [1, 2] gives 1.177
        assertEquals(1.176939193690798, value(l, Nd4j.createFromArray(1, 2), CCE_P, null), TOL);
        assertEquals(1.176939193690798, value(l, Nd4j.createFromArray(1L, 2L), CCE_P, null), TOL);
        assertEquals(1.176939193690798, value(l, a(new double[][] {{1}, {2}}), CCE_P, null), TOL);
        assertEquals(1.176939193690798, value(l, Nd4j.createFromArray(1f, 2f).reshape(2, 1), CCE_P, null), TOL);
        assertEquals(0.8135987767060484, value(l, Nd4j.createFromArray(1, 2), CCE_P, Nd4j.createFromArray(0.3, 0.7)), TOL);
        // from logits: mean(logsumexp(z) - z[label])
        INDArray z = a(new double[][] {{2.0, 1.0, 0.1}, {0.5, 2.5, -1.0}});
        assertEquals(2.535104111700061,
                value(new SparseCategoricalCrossentropy().fromLogits(true), Nd4j.createFromArray(1, 2), z, null), TOL);
    }

    @Test
    void binaryCrossentropy() {
        // Keras docstring: y_true = [[0, 1], [0, 0]], y_pred = [[0.6, 0.4], [0.4, 0.6]] gives [0.916, 0.714]
        INDArray y = a(new double[][] {{0, 1}, {0, 0}});
        INDArray p = a(new double[][] {{0.6, 0.4}, {0.4, 0.6}});
        Loss l = new BinaryCrossentropy();
        assertArrayEquals(new double[] {0.916290731874155, 0.7135581778200728}, perSample(l, y, p), TOL);
        assertEquals(0.814924454847114, value(l, y, p, null), TOL);
        assertEquals(1.1717035437571504, value(l, y, p, Nd4j.createFromArray(1.0, 2.0)), TOL);
        // label smoothing 0.2: y * 0.8 + 0.1
        assertEquals(0.7946511994417056, value(new BinaryCrossentropy().labelSmoothing(0.2), y, p, null), TOL);
        // clipping: p = 0 and 1 against the opposite label: -log(1e-7) each
        assertEquals(16.1180956512215, value(l, a(new double[][] {{1, 0}}), a(new double[][] {{0, 1}}), null), 1e-9);
        // from logits z: mean(max(z, 0) - z y + log1p(exp(-|z|)))
        INDArray z = a(new double[][] {{1.5, -2.0}, {0.3, 4.0}});
        assertEquals(2.1752116153530157, value(new BinaryCrossentropy().fromLogits(true), y, z, null), TOL);
        assertEquals(2.0777116153530155,
                value(new BinaryCrossentropy().fromLogits(true).labelSmoothing(0.1), y, z, null), TOL);
    }

    @Test
    void binaryCrossentropyRankOneTargetsAgainstOneColumn() {
        // y of shape (2,) against p of shape (2, 1): Keras expands y (squeeze_or_expand_to_same_rank)
        INDArray p = a(new double[][] {{0.6}, {0.4}});
        Loss l = new BinaryCrossentropy();
        double expected = (-Math.log(0.4) - Math.log(0.4)) / 2;
        assertEquals(expected, value(l, Nd4j.createFromArray(0.0, 1.0), p, null), TOL);
        assertEquals(expected, value(l, Nd4j.createFromArray(0, 1), p, null), TOL);
        assertEquals(2, l.call(Nd4j.createFromArray(0.0, 1.0), Tensor.constant(p)).value().length());
    }

    // Regression data, y = [[1, 2, -0.5], [0.5, 3, 1.5]], p = [[1.5, 1, 0.5], [0.2, 2.5, 2.5]], weights [0.25, 2]
    static final INDArray RY = a(new double[][] {{1.0, 2.0, -0.5}, {0.5, 3.0, 1.5}});
    static final INDArray RP = a(new double[][] {{1.5, 1.0, 0.5}, {0.2, 2.5, 2.5}});
    static final INDArray RW = Nd4j.createFromArray(0.25, 2.0);

    /** Checks per-sample values, the mean, the weighted mean, and the sum. */
    static void check(Loss l, double[] per, double mean, double weighted, double sum) {
        assertArrayEquals(per, perSample(l, RY, RP), TOL * 100);
        assertEquals(mean, value(l, RY, RP, null), TOL * 100);
        assertEquals(weighted, value(l, RY, RP, RW), TOL * 100);
        l.reduction("sum");
        assertEquals(sum, value(l, RY, RP, null), TOL * 100);
        l.reduction("none");
        assertArrayEquals(per, l.compute(RY, Tensor.constant(RP), null).value().toDoubleVector(), TOL * 100);
    }

    @Test
    void meanSquaredError() {
        check(new MeanSquaredError(), new double[] {0.75, 0.4466666666666666}, 0.5983333333333333,
                0.5404166666666665, 1.1966666666666665);
    }

    @Test
    void meanAbsoluteError() {
        check(new MeanAbsoluteError(), new double[] {0.8333333333333334, 0.6}, 0.7166666666666667,
                0.7041666666666666, 1.4333333333333333);
    }

    @Test
    void meanAbsolutePercentageError() {
        check(new MeanAbsolutePercentageError(), new double[] {100.0, 47.77777777777777}, 73.88888888888889,
                60.27777777777777, 147.77777777777777);
        // y = 0 divides by epsilon: 100 * 0.5 / 1e-7
        assertEquals(100 * 0.5 / 1e-7, value(new MeanAbsolutePercentageError(), a(new double[][] {{0}}),
                a(new double[][] {{0.5}}), null), 1e-3);
    }

    @Test
    void meanSquaredLogarithmicError() {
        // log(max(x, 1e-7) + 1): the negative target -0.5 becomes 1e-7
        check(new MeanSquaredLogarithmicError(), new double[] {0.1261989570621469, 0.060279081108747766},
                0.09323901908544734, 0.07605395074151614, 0.18647803817089467);
    }

    @Test
    void huber() {
        check(new Huber(), new double[] {0.375, 0.2233333333333333}, 0.29916666666666664, 0.2702083333333333,
                0.5983333333333333);
        check(new Huber().delta(0.7), new double[] {0.345, 0.20833333333333334}, 0.27666666666666667,
                0.25145833333333334, 0.5533333333333333);
        // Keras docstring: huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) = 0.155
        assertEquals(0.155, value(new Huber(), a(new double[][] {{0, 1}, {0, 0}}),
                a(new double[][] {{0.6, 0.4}, {0.4, 0.6}}), null), 1e-12);
    }

    @Test
    void hinge() {
        INDArray y = a(new double[][] {{-1, 1, 1}, {1, -1, -1}});
        INDArray p = a(new double[][] {{0.3, 0.8, -0.4}, {1.5, 0.2, -2.0}});
        // mean(max(1 - y p, 0))
        assertArrayEquals(new double[] {0.9666666666666667, 0.39999999999999997}, perSample(new Hinge(), y, p), TOL);
        assertEquals(0.6833333333333333, value(new Hinge(), y, p, null), TOL);
        // 0/1 labels are mapped to -1/1 first
        INDArray y01 = a(new double[][] {{0, 1, 1}, {1, 0, 0}});
        assertEquals(0.6833333333333333, value(new Hinge(), y01, p, null), TOL);
        assertEquals(0.5208333333333333, value(new Hinge(), y01, p, Nd4j.createFromArray(0.25, 2.0)), TOL);
    }

    @Test
    void klDivergence() {
        INDArray y = a(new double[][] {{0.2, 0.5, 0.3}, {0.0, 1.0, 0.0}});
        INDArray p = a(new double[][] {{0.1, 0.6, 0.3}, {0.25, 0.7, 0.05}});
        // sum(yc log(yc / pc)), both clipped to [1e-7, 1]
        assertArrayEquals(new double[] {0.047468657715011756, 0.35667215852226564}, perSample(new KLDivergence(), y, p), TOL);
        assertEquals(0.2020704081186387, value(new KLDivergence(), y, p, null), TOL);
        assertEquals(0.3626057407366421, value(new KLDivergence(), y, p, Nd4j.createFromArray(0.25, 2.0)), TOL);
    }

    @Test
    void poisson() {
        INDArray y = a(new double[][] {{1.0, 0.0, 2.0}, {3.0, 1.0, 0.0}});
        INDArray p = a(new double[][] {{0.8, 0.3, 1.5}, {2.0, 1.2, 0.4}});
        // mean(p - y log(p + 1e-7))
        assertArrayEquals(new double[] {0.6707376922548534, 0.44607888939762796}, perSample(new Poisson(), y, p), TOL);
        assertEquals(0.5584082908262407, value(new Poisson(), y, p, null), TOL);
        assertEquals(0.5299211009294846, value(new Poisson(), y, p, Nd4j.createFromArray(0.25, 2.0)), TOL);
    }

    @Test
    void cosineSimilarity() {
        // Keras docstring: y = [[0, 1], [1, 1], [1, 1]], p = [[1, 0], [1, 1], [-1, -1]] gives [-0, -1, 1]
        INDArray y = a(new double[][] {{0, 1}, {1, 1}, {1, 1}});
        INDArray p = a(new double[][] {{1, 0}, {1, 1}, {-1, -1}});
        assertArrayEquals(new double[] {0, -1, 1}, perSample(new CosineSimilarity(), y, p), 1e-12);
        INDArray y2 = a(new double[][] {{1, 2, 3}, {0.5, -1, 2}});
        INDArray p2 = a(new double[][] {{2, 1, 0.5}, {1, 1, 1}});
        assertEquals(-0.509748750440506, value(new CosineSimilarity(), y2, p2, null), TOL);
        // a zero vector gives 0
        assertArrayEquals(new double[] {0}, perSample(new CosineSimilarity(), a(new double[][] {{1, 2}}),
                a(new double[][] {{0, 0}})), 0);
        // axis 0 of the transposed data gives the same values
        assertArrayEquals(perSample(new CosineSimilarity(), y2, p2),
                perSample(new CosineSimilarity().axis(0), y2.transpose().dup(), p2.transpose().dup()), 1e-12);
    }

    @Test
    void float32PredictionsWithIntegerTargets() {
        INDArray p = CCE_P.castTo(DataType.FLOAT);
        INDArray y = CCE_Y.castTo(DataType.INT32);
        Tensor l = new CategoricalCrossentropy().compute(y, Tensor.constant(p), null);
        assertEquals(DataType.FLOAT, l.value().dataType());
        assertEquals(1.176939193690798, l.value().getDouble(0), 1e-6);
        assertEquals(0.5983333333333333, new MeanSquaredError().value(RY.castTo(DataType.FLOAT),
                RP.castTo(DataType.FLOAT)), 1e-6);
        // integer targets against float32 predictions: y = [[1, 2], [0, 3]], p = [[1.5, 1], [0.5, 2]]
        double mse = (0.25 + 1 + 0.25 + 1) / 4;
        assertEquals(mse, new MeanSquaredError().value(Nd4j.createFromArray(new int[][] {{1, 2}, {0, 3}}),
                Nd4j.createFromArray(new float[][] {{1.5f, 1f}, {0.5f, 2f}})), 1e-6);
    }
}
