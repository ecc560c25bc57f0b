package org.cornu.layers;

import org.cornu.core.autodiff.StatelessScope;
import static org.cornu.testing.GradCheck.check;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.regularizers.Regularizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.testing.Float64Test;

/** Layers' gradients (inputs and weights) against central differences in float64. */
class LayerGradientTest extends Float64Test {
    private static final double TOL = 1e-6;

    /** Checks a built layer: gradients w.r.t. its input(s) and every weight. */
    static void checkLayer(Layer layer, INDArray... xs) {
        if (!layer.isBuilt()) {
            List<Shape> shapes = new ArrayList<>();
            for (INDArray x : xs) shapes.add(Shape.of(x.shape()).with(0, Shape.NONE));
            layer.build(shapes);
        }
        List<Weight> ws = layer.weights();
        INDArray[] all = new INDArray[xs.length + ws.size()];
        System.arraycopy(xs, 0, all, 0, xs.length);
        for (int i = 0; i < ws.size(); i++) all[xs.length + i] = ws.get(i).value();
        INDArray probe = null;
        check(t -> {
            try (StatelessScope scope = new StatelessScope(ws, t.subList(xs.length, t.size()))) {
                List<Tensor> outs = layer.invoke(t.subList(0, xs.length), true);
                Tensor o = outs.get(0);
                // weight the output so the check is not just the gradient of a plain sum
                INDArray w = rand(7, -1, 1, o.shape());
                return Ops.mul(o, Tensor.constant(w));
            }
        }, TOL, all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign",
            "swish", "gelu", "leaky_relu"})
    void denseWithEachActivation(String act) {
        Dense d = new Dense(4, act).kernelInitializer("glorot_normal").biasInitializer("random_normal");
        checkLayer(d, rand(1, -1, 1, 3, 5));
    }

    @Test
    void denseWithoutBiasOnRank3Input() {
        Dense d = new Dense(3, "tanh").useBias(false);
        checkLayer(d, rand(2, -1, 1, 2, 4, 5));
        assertEquals(1, d.weights().size());
        assertArrayEquals(new long[] {2, 4, 3}, d.apply(rand(3, -1, 1, 2, 4, 5)).shape());
    }

    @Test
    void denseWeightRegularizersAreDifferentiable() {
        // l1 * sum|W| + l2 * sum W^2 as part of the loss
        Dense d = new Dense(3).kernelRegularizer(Regularizers.l1L2(0.01, 0.02)).biasRegularizer("l2");
        d.build(Shape.batchOf(4));
        check(t -> Ops.add(d.weights().get(0).regularizer().apply(t.get(0)), d.weights().get(1).regularizer().apply(t.get(1))),
                TOL, rand(4, -1, 1, 4, 3), rand(5, -1, 1, 3));
        INDArray w = Nd4j.create(new double[][] {{1, -2}, {3, 0.5}});
        double r = Regularizers.l1L2(0.01, 0.02).apply(Tensor.constant(w)).value().getDouble(0);
        assertEquals(0.01 * 6.5 + 0.02 * (1 + 4 + 9 + 0.25), r, 1e-12);
    }

    @Test
    void flattenReshapeActivation() {
        checkLayer(new Flatten(), rand(6, -1, 1, 2, 3, 4));
        checkLayer(new Reshape(4, -1), rand(7, -1, 1, 2, 3, 4));
        checkLayer(new Activation("tanh"), rand(8, -1, 1, 2, 3));
        assertEquals(Shape.of(-1, 12), new Flatten().computeOutputShape(Shape.batchOf(3, 4)));
        assertEquals(Shape.of(-1, 4, 3), new Reshape(4, -1).computeOutputShapes(List.of(Shape.batchOf(3, 4))).get(0));
    }

    @Test
    void mergeLayers() {
        checkLayer(new Concatenate(), rand(9, -1, 1, 2, 3), rand(10, -1, 1, 2, 2));
        checkLayer(new Add(), rand(11, -1, 1, 2, 3), rand(12, -1, 1, 2, 3));
    }

    @Test
    void dropoutIsInvertedAndOnlyInTraining() {
        Dropout d = new Dropout(0.25).seed(42);
        INDArray x = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 200, 100);
        INDArray inference = d.invoke(List.of(Tensor.constant(x)), false).get(0).value();
        assertEquals(x, inference);
        Tensor v = Tensor.variable(x);
        INDArray y;
        INDArray weights = rand(13, -1, 1, 200, 100);
        try (Tape tape = Tape.record()) {
            Tensor out = d.invoke(List.of(v), true).get(0);
            y = out.value();
            tape.backward(Ops.sum(Ops.mul(out, Tensor.constant(weights))));
        }
        long zeros = 0;
        for (long i = 0; i < y.length(); i++) {
            double e = y.getDouble(i);
            assertTrue(e == 0.0 || Math.abs(e - 1 / 0.75) < 1e-12, "kept entries are scaled by 1/(1-rate)");
            if (e == 0) zeros++;
            // gradient = weight * mask / (1 - rate): the same mask as the forward pass
            assertEquals(weights.getDouble(i) * e, v.grad().getDouble(i), 1e-12);
        }
        double frac = zeros / (double) y.length();
        // 20000 Bernoulli(0.25) draws: standard deviation 0.003, so 0.25 +- 0.015 is 5 sigma
        assertEquals(0.25, frac, 0.015);
    }

    @Test
    void dropoutWithSeedRepeats() {
        INDArray x = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 10, 10);
        INDArray a = new Dropout(0.5).seed(7).invoke(List.of(Tensor.constant(x)), true).get(0).value();
        INDArray b = new Dropout(0.5).seed(7).invoke(List.of(Tensor.constant(x)), true).get(0).value();
        assertEquals(a, b);
    }
}
