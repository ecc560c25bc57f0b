package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.metrics.Mean;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The data-parallel seam: slices' sums, divided by the batch size, are the batch's loss and gradients. */
class GradientSumsTest {
    private static Model model(boolean regularized) {
        Cornu.setSeed(3);
        Dense hidden = new Dense(3, "tanh").inputShape(4);
        if (regularized) hidden.kernelRegularizer("l2");
        Sequential m = new Sequential(hidden, new Dense(2, "softmax"));
        m.compile("sgd", "categorical_crossentropy", "accuracy");
        return m;
    }

    private static INDArray[] data() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 10, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 10, 2);
        for (int i = 0; i < 10; i++) y.putScalar(i, i % 3 == 0 ? 0 : 1, 1f);
        return new INDArray[] {x, y};
    }

    /** The batch's loss (compute_loss, regularization included) and its gradients, on the tape. */
    private static Object[] reference(Model m, INDArray x, INDArray y) {
        List<Weight> tws = m.trainableWeights();
        try (GradientTape tape = new GradientTape(tws)) {
            Tensor out = m.call(x, true);
            Tensor loss = m.computeLoss(new INDArray[] {y}, List.of(out), null, List.of());
            return new Object[] {loss.value().getDouble(0), tape.gradient(loss, tws)};
        }
    }

    private static StepData rows(INDArray[] d, int a, int b) {
        return new StepData(new INDArray[] {d[0].get(NDArrayIndex.interval(a, b), NDArrayIndex.all()).dup()},
                new INDArray[] {d[1].get(NDArrayIndex.interval(a, b), NDArrayIndex.all()).dup()}, null);
    }

    @Test
    void twoSlicesPlusRegularizationEqualTheWholeBatch() {
        INDArray[] d = data();
        Model m = model(true);
        Object[] ref = reference(m, d[0], d[1]);
        @SuppressWarnings("unchecked")
        List<INDArray> refGrads = (List<INDArray>) ref[1];
        GradientSums a = m.gradientSums(rows(d, 0, 4));
        GradientSums b = m.gradientSums(rows(d, 4, 10));
        GradientSums reg = m.regularizationGradients();
        assertEquals(4, a.count());
        assertEquals(6, b.count());
        assertEquals(0, reg.count());
        assertTrue(reg.lossSums()[0] > 0, "the l2 kernel regularizer has a loss");
        assertEquals((double) ref[0], (a.lossSums()[0] + b.lossSums()[0]) / 10 + reg.lossSums()[0], 1e-6);
        for (int i = 0; i < refGrads.size(); i++) {
            INDArray g = a.gradients().get(i).add(b.gradients().get(i)).divi(10);
            if (reg.gradients().get(i) != null) g.addi(reg.gradients().get(i));
            assertTrue(g.castTo(DataType.FLOAT).equalsWithEps(refGrads.get(i), 1e-6), "gradient " + i + ": " + g + " vs " + refGrads.get(i));
        }
        // the kernel of the first layer is regularized, its bias and the second layer are not
        assertTrue(reg.gradients().get(0) != null);
        assertNull(reg.gradients().get(1));
        assertNull(reg.gradients().get(2));
    }

    /** One slice that is the whole batch: sum / count gives back the float32 gradient bit for bit (exact in float64). */
    @Test
    void oneSliceIsBitExact() {
        INDArray[] d = data();
        Model m = model(false);
        Object[] ref = reference(m, d[0], d[1]);
        @SuppressWarnings("unchecked")
        List<INDArray> refGrads = (List<INDArray>) ref[1];
        GradientSums all = m.gradientSums(rows(d, 0, 10));
        for (int i = 0; i < refGrads.size(); i++) {
            assertEquals(DataType.DOUBLE, all.gradients().get(i).dataType());
            assertEquals(refGrads.get(i), all.gradients().get(i).div(10).castTo(DataType.FLOAT), "gradient " + i);
        }
        assertEquals((double) ref[0], all.lossSums()[0] / 10, 1e-12);
        assertNull(m.regularizationGradients().gradients().get(0), "no regularizer, no gradient");
    }

    /** The compiled metrics see the slice (their state is the caller's), and Means merge by total and count. */
    @Test
    void metricsAreUpdatedAndMeansMerge() {
        INDArray[] d = data();
        Model m = model(false);
        m.gradientSums(rows(d, 0, 7));
        Metric acc = m.metrics().get(m.metrics().size() - 1);
        assertEquals("accuracy", acc.name());
        assertEquals(7.0, ((Mean) acc).count());
        Mean a = new Mean("a");
        a.update(2.0, 3);      // total 6, count 3
        a.mergeState(4.0, 1);  // plus total 4, count 1
        assertEquals(10.0, a.total());
        assertEquals(4.0, a.count());
        assertEquals(2.5, a.result());
    }
}
