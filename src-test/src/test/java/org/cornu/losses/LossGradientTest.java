package org.cornu.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.cornu.core.Cornu;
import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gradients of every loss, in float64, against central finite differences (h = 1e-6) to
 * 1e-6 relative; the fused softmax / sigmoid paths against the clipped formulas and finite
 * differences with respect to the logits.
 */
class LossGradientTest {
    static final double H = 1e-6;
    static final double REL = 1e-6;

    @BeforeEach
    void float64() {
        Cornu.setFloatx("float64");
    }

    @AfterEach
    void float32() {
        Cornu.setFloatx("float32");
    }

    /** Compares the tape gradient of {@code build(x)} with respect to {@code x0} against central differences. */
    static void checkGrad(String what, Function<Tensor, Tensor> build, INDArray x0) {
        Tensor x = Tensor.variable(x0.dup());
        double f0;
        try (Tape t = Tape.record()) {
            Tensor l = build.apply(x);
            f0 = l.value().getDouble(0);
            t.backward(l);
        }
        INDArray g = x.grad();
        assertNotNull(g, what + ": no gradient reached the input");
        double floor = 1e-3 * Math.max(1.0, Math.abs(f0));
        for (long i = 0; i < x0.length(); i++) {
            INDArray xp = x0.dup();
            INDArray xm = x0.dup();
            xp.putScalar(i, x0.getDouble(i) + H);
            xm.putScalar(i, x0.getDouble(i) - H);
            double fp = build.apply(Tensor.constant(xp)).value().getDouble(0);
            double fm = build.apply(Tensor.constant(xm)).value().getDouble(0);
            double fd = (fp - fm) / (2 * H);
            double gi = g.getDouble(i);
            assertTrue(Math.abs(gi - fd) <= REL * Math.max(Math.abs(fd), floor),
                    what + ": element " + i + " tape " + gi + " vs finite difference " + fd);
        }
    }

    static void checkLoss(Loss loss, INDArray y, INDArray p, INDArray w) {
        checkGrad(loss.name() + "/" + loss.reduction() + (w == null ? "" : " weighted"),
                t -> loss.compute(y, t, w), p);
    }

    static INDArray uniform(Random r, long n, long c, double lo, double hi) {
        double[][] v = new double[(int) n][(int) c];
        for (double[] row : v) for (int j = 0; j < c; j++) row[j] = lo + (hi - lo) * r.nextDouble();
        return Nd4j.createFromArray(v);
    }

    static INDArray oneHot(int[] labels, int c) {
        double[][] v = new double[labels.length][c];
        for (int i = 0; i < labels.length; i++) v[i][labels[i]] = 1;
        return Nd4j.createFromArray(v);
    }

    static final INDArray W = Nd4j.createFromArray(0.5, 2.0, 1.0, 0.25);

    @Test
    void regressionLosses() {
        Random r = new Random(42);
        INDArray y = uniform(r, 4, 3, 0.5, 2.0);
        // keep |p - y| away from 0 (abs), from 1 (huber delta) and p away from 0 (msle, poisson)
        INDArray p = y.add(uniform(r, 4, 3, 0.1, 0.4).muli(Nd4j.createFromArray(new double[][] {
                {1, -1, 1}, {-1, 1, 1}, {1, 1, -1}, {-1, -1, 1}})));
        p.getRow(0).putScalar(0, y.getDouble(0, 0) + 1.6); // one Huber error in the linear part
        for (Loss l : new Loss[] {new MeanSquaredError(), new MeanAbsoluteError(), new MeanAbsolutePercentageError(),
                new MeanSquaredLogarithmicError(), new Huber(), new Poisson(), new CosineSimilarity()}) {
            checkLoss(l, y, p, null);
            checkLoss(l, y, p, W);
            checkLoss(l.reduction("sum"), y, p, W);
        }
    }

    @Test
    void hingeAndKlDivergence() {
        INDArray y = Nd4j.createFromArray(new double[][] {{-1, 1, 1}, {1, -1, -1}, {1, 1, -1}});
        INDArray p = Nd4j.createFromArray(new double[][] {{0.3, 0.8, -0.4}, {0.5, 0.2, -2.0}, {-0.7, 0.1, 0.45}});
        checkLoss(new Hinge(), y, p, null);
        checkLoss(new Hinge(), y.add(1).divi(2), p, Nd4j.createFromArray(1.0, 0.5, 3.0));
        INDArray ky = Nd4j.createFromArray(new double[][] {{0.2, 0.5, 0.3}, {0.0, 1.0, 0.0}});
        INDArray kp = Nd4j.createFromArray(new double[][] {{0.1, 0.6, 0.3}, {0.25, 0.7, 0.05}});
        checkLoss(new KLDivergence(), ky, kp, null);
        checkLoss(new KLDivergence(), ky, kp, Nd4j.createFromArray(0.3, 1.7));
    }

    @Test
    void clippedProbabilityCrossentropies() {
        Random r = new Random(7);
        int[] labels = {2, 0, 1, 2};
        INDArray y = oneHot(labels, 3);
        // positive rows that do not sum to 1: the renormalization is part of the gradient
        INDArray p = uniform(r, 4, 3, 0.1, 0.9);
        checkLoss(new CategoricalCrossentropy(), y, p, null);
        checkLoss(new CategoricalCrossentropy().labelSmoothing(0.1), y, p, W);
        checkLoss(new SparseCategoricalCrossentropy(), Nd4j.createFromArray(labels), p, null);
        checkLoss(new SparseCategoricalCrossentropy().reduction("sum"), Nd4j.createFromArray(labels), p, W);
        INDArray by = Nd4j.createFromArray(new double[][] {{0, 1, 1}, {1, 0, 0}, {1, 1, 0}, {0, 0, 1}});
        checkLoss(new BinaryCrossentropy(), by, p, null);
        checkLoss(new BinaryCrossentropy().labelSmoothing(0.2), by, p, W);
    }

    @Test
    void fromLogitsPaths() {
        Random r = new Random(11);
        int[] labels = {1, 0, 2, 2};
        INDArray z = uniform(r, 4, 3, -3, 3);
        checkLoss(new CategoricalCrossentropy().fromLogits(true), oneHot(labels, 3), z, W);
        checkLoss(new CategoricalCrossentropy().fromLogits(true).labelSmoothing(0.1), oneHot(labels, 3), z, null);
        checkLoss(new SparseCategoricalCrossentropy().fromLogits(true), Nd4j.createFromArray(labels), z, null);
        INDArray by = Nd4j.createFromArray(new double[][] {{0, 1, 1}, {1, 0, 0}, {1, 1, 0}, {0, 0, 1}});
        checkLoss(new BinaryCrossentropy().fromLogits(true), by, z, W);
        checkLoss(new BinaryCrossentropy().fromLogits(true).labelSmoothing(0.1), by, z, null);
    }

    @Test
    void softmaxOutputUsesItsLogits() {
        INDArray z = Nd4j.createFromArray(new double[][] {{2.0, 1.0, 0.1}, {0.5, 2.5, -1.0}, {-0.3, 0.2, 1.1}});
        int[] labels = {0, 2, 1};
        INDArray y = oneHot(labels, 3);
        Loss cce = new CategoricalCrossentropy();
        INDArray probs = Ops.softmax(Tensor.constant(z), -1).value();
        // away from clipping the fused path and the clipped formula agree
        double fused = cce.compute(y, Ops.softmax(Tensor.constant(z), -1), null).value().getDouble(0);
        double clipped = cce.compute(y, Tensor.constant(probs), null).value().getDouble(0);
        assertEquals(clipped, fused, 1e-12);
        assertEquals(new SparseCategoricalCrossentropy().compute(Nd4j.createFromArray(labels),
                Tensor.constant(probs), null).value().getDouble(0),
                new SparseCategoricalCrossentropy().compute(Nd4j.createFromArray(labels),
                        Ops.softmax(Tensor.constant(z), -1), null).value().getDouble(0), 1e-12);
        // gradients with respect to the logits
        checkGrad("cce(softmax(z))", t -> cce.compute(y, Ops.softmax(t, -1), null), z);
        checkGrad("cce(softmax(z)) smoothed, weighted", t -> new CategoricalCrossentropy().labelSmoothing(0.2)
                .compute(y, Ops.softmax(t, -1), Nd4j.createFromArray(1.0, 0.5, 2.0)), z);
        checkGrad("scce(softmax(z))", t -> new SparseCategoricalCrossentropy()
                .compute(Nd4j.createFromArray(labels), Ops.softmax(t, -1), null), z);
        // the gradient is (softmax(z) - y) / N
        Tensor zt = Tensor.variable(z.dup());
        try (Tape t = Tape.record()) {
            t.backward(cce.compute(y, Ops.softmax(zt, -1), null));
        }
        INDArray expected = probs.sub(y).divi(3);
        assertEquals(0, Transforms.abs(zt.grad().sub(expected), false).maxNumber().doubleValue(), 1e-12);
    }

    @Test
    void fusedPathsStayAccurateWhereClippingWouldSaturate() {
        // z = [100, 0, -100] with the label on the last class: -log_softmax = 200, while clipping caps it at -log(1e-7)
        INDArray z = Nd4j.createFromArray(new double[][] {{100, 0, -100}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0, 0, 1}});
        assertEquals(200.0, new CategoricalCrossentropy().compute(y, Ops.softmax(Tensor.constant(z), -1), null)
                .value().getDouble(0), 1e-9);
        assertEquals(200.0, new SparseCategoricalCrossentropy().compute(Nd4j.createFromArray(2),
                Ops.softmax(Tensor.constant(z), -1), null).value().getDouble(0), 1e-9);
        double clipped = new CategoricalCrossentropy().compute(y,
                Tensor.constant(Ops.softmax(Tensor.constant(z), -1).value()), null).value().getDouble(0);
        assertEquals(-Math.log(1e-7), clipped, 1e-6);
        // sigmoid(50) against label 0: 50 + log1p(exp(-50)) from logits
        INDArray s = Nd4j.createFromArray(new double[][] {{50.0}});
        assertEquals(50.0, new BinaryCrossentropy().compute(Nd4j.createFromArray(new double[][] {{0}}),
                Ops.sigmoid(Tensor.constant(s)), null).value().getDouble(0), 1e-9);
    }

    @Test
    void sigmoidOutputUsesItsLogits() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1.5, -2.0}, {0.3, 0.8}, {-0.4, 2.2}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0, 1}, {1, 1}, {0, 0}});
        Loss bce = new BinaryCrossentropy();
        double fused = bce.compute(y, Ops.sigmoid(Tensor.constant(z)), null).value().getDouble(0);
        double clipped = bce.compute(y, Tensor.constant(Ops.sigmoid(Tensor.constant(z)).value()), null)
                .value().getDouble(0);
        assertEquals(clipped, fused, 1e-12);
        checkGrad("bce(sigmoid(z))", t -> bce.compute(y, Ops.sigmoid(t), Nd4j.createFromArray(1.0, 2.0, 0.5)), z);
        checkGrad("bce(sigmoid(z)) smoothed", t -> new BinaryCrossentropy().labelSmoothing(0.1)
                .compute(y, Ops.sigmoid(t), null), z);
        // targets of shape (3, 2) against a sigmoid output of shape (3, 2, 1): the output is squeezed, logits kept
        INDArray z3 = z.reshape(3, 2, 1);
        double squeezed = bce.compute(y, Ops.sigmoid(Tensor.constant(z3)), null).value().getDouble(0);
        assertEquals(fused, squeezed, 1e-12);
        assertEquals(50.0, bce.compute(Nd4j.createFromArray(new double[][] {{0}}),
                Ops.sigmoid(Tensor.constant(Nd4j.createFromArray(new double[][][] {{{50.0}}}))), null)
                .value().getDouble(0), 1e-9);
        checkGrad("bce(sigmoid(z)) squeezed", t -> bce.compute(y, Ops.sigmoid(t), null), z3);
    }

    @Test
    void float32GradientIsFloat32() {
        Cornu.setFloatx("float32");
        Tensor p = Tensor.variable(Nd4j.createFromArray(new float[][] {{0.2f, 0.7f, 0.1f}}));
        try (Tape t = Tape.record()) {
            t.backward(new CategoricalCrossentropy().compute(Nd4j.createFromArray(new int[][] {{0, 1, 0}}), p, null));
        }
        assertEquals(DataType.FLOAT, p.grad().dataType());
        // d/dp of -log(p1 / sum p) = -1/p1 + 1/sum(p) at the chosen class, 1/sum(p) elsewhere
        assertEquals(1.0, p.grad().getDouble(0), 1e-5);
        assertEquals(1.0 - 1 / 0.7, p.grad().getDouble(1), 1e-5);
    }
}
