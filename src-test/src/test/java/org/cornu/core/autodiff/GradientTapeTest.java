package org.cornu.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.FastPaths;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.core.ops.Ops;
import org.cornu.layers.Dense;
import org.cornu.losses.CategoricalCrossentropy;
import org.cornu.optimizers.SGD;
import org.cornu.testing.Float64Test;
import org.cornu.testing.GradCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GradientTape} over a model's own weights, as a Keras 3 custom training loop uses it,
 * and {@link StatelessScope}. In float64, so that gradients can be compared to 1e-12.
 */
class GradientTapeTest extends Float64Test {
    @AfterEach
    void paths() {
        FastPaths.SMALL_MODEL.setEnabled(true);
    }

    private static Sequential model() {
        return new Sequential(new Dense(5, "tanh").inputShape(4), new Dense(3, "softmax"));
    }

    private static INDArray onehot(int n, int k, long seed) {
        INDArray y = Nd4j.zeros(Nd4j.defaultFloatingPointType(), n, k);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) y.putScalar(i, r.nextInt(k), 1.0);
        return y;
    }

    /**
     * With plain SGD at learning rate 1, one {@code trainOnBatch} moves every weight by minus its
     * gradient; the tape's gradients of the same loss on the same batch must be exactly that move,
     * on the tape step and on the small-model fast path alike.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gradientsEqualWhatFitApplies(boolean smallPath) {
        FastPaths.SMALL_MODEL.setEnabled(smallPath);
        INDArray x = GradCheck.rand(3, -1, 1, 6, 4);
        INDArray y = onehot(6, 3, 4);
        Sequential m = model();
        List<INDArray> before = new ArrayList<>();
        for (Weight w : m.trainableWeights()) before.add(w.value().dup());

        List<INDArray> grads;
        try (GradientTape tape = new GradientTape()) {
            Tensor p = m.call(x, true);
            Tensor loss = new CategoricalCrossentropy().compute(y, p, null);
            grads = tape.gradient(loss, m.trainableWeights());
        }
        m.compile(new SGD(1.0), "categorical_crossentropy");
        long runs = FastPaths.SMALL_MODEL.runs();
        m.trainOnBatch(x, y);
        assertEquals(smallPath ? runs + 1 : runs, FastPaths.SMALL_MODEL.runs(), "the step ran on the path under test");
        List<Weight> ws = m.trainableWeights();
        assertEquals(4, grads.size());
        for (int i = 0; i < ws.size(); i++) {
            INDArray applied = before.get(i).sub(ws.get(i).value());
            assertTrue(grads.get(i).sumNumber().doubleValue() != 0 || applied.sumNumber().doubleValue() == 0);
            assertEquals(0.0, applied.sub(grads.get(i)).amaxNumber().doubleValue(), 1e-12, ws.get(i).path());
        }
    }

    @Test
    void weightsAreConstantsOutsideATapeAndVariablesInside() {
        Sequential m = model();
        Weight k = m.trainableWeights().get(0);
        assertFalse(k.tensor().requiresGrad());
        try (GradientTape tape = new GradientTape()) {
            assertTrue(k.tensor().requiresGrad());
            assertTrue(k.tensor() == k.tensor(), "one variable per weight per tape");
        }
        assertFalse(k.tensor().requiresGrad(), "closing the tape releases the weights");
        try (GradientTape tape = new GradientTape(List.of(m.trainableWeights().get(1)))) {
            assertFalse(k.tensor().requiresGrad(), "a tape given its weights watches only those");
            assertTrue(m.trainableWeights().get(1).tensor().requiresGrad());
        }
    }

    @Test
    void watchedInputGetsItsGradient() {
        INDArray v = Nd4j.createFromArray(1.0, -2.0, 3.0);
        try (GradientTape tape = new GradientTape()) {
            Tensor x = tape.watch(v);
            Tensor y = Ops.sum(Ops.mul(x, x));
            INDArray g = tape.gradient(y, x);
            assertEquals(Nd4j.createFromArray(2.0, -4.0, 6.0), g);
        }
    }

    @Test
    void misuseIsRefusedWithAClearMessage() {
        Sequential m = model();
        INDArray x = GradCheck.rand(5, -1, 1, 2, 4);
        try (GradientTape tape = new GradientTape()) {
            Tensor p = m.call(x, true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.gradient(p, m.trainableWeights()));
            assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("(2, 3)"), e.getMessage());
            tape.gradient(Ops.sum(p), m.trainableWeights());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> tape.gradient(Ops.sum(p), m.trainableWeights()));
            assertTrue(again.getMessage().contains("one set of gradients"), again.getMessage());
        }
    }

    /** A weight the loss does not depend on gets a null gradient, and the optimizer refuses it by name. */
    @Test
    void missingGradientIsNamedByTheOptimizer() {
        Sequential a = model();
        Sequential other = new Sequential(new Dense(2).name("unrelated").inputShape(4));
        List<Weight> ws = new ArrayList<>(a.trainableWeights());
        ws.addAll(other.trainableWeights());
        List<INDArray> grads;
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Ops.sum(a.call(GradCheck.rand(6, -1, 1, 2, 4), true));
            grads = tape.gradient(loss, ws);
        }
        assertNull(grads.get(4));
        assertNull(grads.get(5));
        SGD sgd = new SGD(0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.apply(grads, ws));
        assertTrue(e.getMessage().contains("unrelated/kernel") && e.getMessage().contains("unrelated/bias"), e.getMessage());
    }

    @Test
    void statelessScopeComputesWithGivenValuesAndLeavesWeightsAlone() {
        Dense d = new Dense(2).inputShape(3);
        Sequential m = new Sequential(d);
        INDArray x = GradCheck.rand(7, -1, 1, 4, 3);
        INDArray k2 = GradCheck.rand(8, -1, 1, 3, 2);
        INDArray kBefore = d.kernel().value().dup();
        INDArray y;
        try (StatelessScope s = new StatelessScope(Map.of(d.kernel(), Tensor.constant(k2)))) {
            y = m.call(x, false).value().dup();
        }
        // bias is zero at initialization: y = x @ k2
        assertEquals(0.0, y.sub(x.mmul(k2)).amaxNumber().doubleValue(), 1e-12);
        assertEquals(kBefore, d.kernel().value());
        assertEquals(0.0, m.predict(x).sub(x.mmul(kBefore)).amaxNumber().doubleValue(), 1e-12, "outside the scope, the weight's own value");
        assertThrows(IllegalArgumentException.class, () -> new StatelessScope(Map.of(d.kernel(), Tensor.constant(Nd4j.zeros(2, 2)))));
    }
}
