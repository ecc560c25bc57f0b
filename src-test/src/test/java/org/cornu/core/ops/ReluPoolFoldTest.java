package org.cornu.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cornu.core.Cornu;
import org.cornu.core.FastPaths;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Loss;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Flatten;
import org.cornu.layers.GlobalAveragePooling2D;
import org.cornu.layers.MaxPooling2D;
import org.cornu.losses.CategoricalCrossentropy;
import org.cornu.testing.GradCheck;
import org.cornu.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link org.cornu.core.FastPaths#RELU_POOL_FOLD}: a float32 max pooling of a relu output, in a
 * backward pass that reads only weights' gradients, sends its masked gradient straight to the relu's
 * input. The weights' gradients must equal those of relu's own backward exactly (the same values
 * are pooled back, only masked before rather than after), with windows whose every cell is
 * negative before the relu (where the mask matters), overlapping padded windows, and a relu output
 * with a second consumer; a pass that may read intermediate gradients must not fold.
 */
class ReluPoolFoldTest {
    @AfterEach
    void restore() {
        FastPaths.RELU_POOL_FOLD.setEnabled(true);
    }

    private static final Loss CCE = new CategoricalCrossentropy();

    /** Images (batch 6, 10 x 10 x 2) shifted negative, so that a good share of the windows are all negative before the relu. */
    private static INDArray images() {
        return GradCheck.rand(81, -1.2, 0.8, 6, 10, 10, 2).castTo(DataType.FLOAT);
    }

    private static INDArray labels() {
        return Utils.toCategorical(Nd4j.createFromArray(0, 1, 2, 0, 1, 2), 3);
    }

    /** The weights' gradients of one batch, and how many poolings folded. */
    private static List<INDArray> grads(Model m, INDArray x, INDArray y, boolean fold) {
        FastPaths.RELU_POOL_FOLD.setEnabled(fold);
        long before = FastPaths.RELU_POOL_FOLD.runs();
        List<INDArray> out = new ArrayList<>();
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = CCE.compute(y, m.call(x, true), null);
            for (INDArray g : tape.gradient(loss, m.trainableWeights())) out.add(g.dup());
        }
        long folded = FastPaths.RELU_POOL_FOLD.runs() - before;
        if (fold) assertTrue(folded > 0, "the fold ran");
        else assertEquals(0, folded, "the fold is off");
        return out;
    }

    private static void assertSameGradients(Supplier<Model> make) {
        Cornu.setFloatx("float32");
        Cornu.setSeed(5);
        Model m = make.get();
        INDArray x = images(), y = labels();
        List<INDArray> off = grads(m, x, y, false), on = grads(m, x, y, true);
        assertEquals(off.size(), on.size());
        for (int i = 0; i < off.size(); i++) {
            double scale = off.get(i).amaxNumber().doubleValue();
            assertTrue(scale > 0, "weight " + i + " has a gradient");
            double diff = on.get(i).sub(off.get(i)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-6 * scale, "weight " + i + ": folded and unfolded gradients differ by " + diff + " (max " + scale + ")");
        }
    }

    @Test
    void foldedGradientsEqualReluBackward() {
        // pre-activations shifted down by the bias: windows whose four cells are all negative get no gradient
        assertSameGradients(() -> new Sequential(
                new Conv2D(4, 3, "relu").biasInitializer(org.cornu.core.initializers.Initializers.constant(-0.3)).inputShape(10, 10, 2),
                new MaxPooling2D(2), new Flatten(), new Dense(3, "softmax")));
    }

    @Test
    void overlappingPaddedWindowsAndTwoReluPoolings() {
        assertSameGradients(() -> new Sequential(new Conv2D(4, 3, "relu").inputShape(10, 10, 2),
                new MaxPooling2D(3).strides(2).padding("same"), new Conv2D(3, 2, "relu"), new MaxPooling2D(2), new Flatten(),
                new Dense(3, "softmax")));
    }

    @Test
    void aReluOutputWithASecondConsumer() {
        assertSameGradients(() -> {
            KerasTensor in = Input.of(10, 10, 2);
            KerasTensor r = new Conv2D(4, 3, "relu").apply(in);
            KerasTensor a = new Flatten().apply(new MaxPooling2D(2).apply(r));
            KerasTensor b = new GlobalAveragePooling2D().apply(r);
            return new Model(in, new Dense(3, "softmax").apply(new Concatenate().apply(a, b)));
        });
    }

    /** A raw tape may read any tensor's gradient afterwards: the relu output's is whole, and nothing folds. */
    @Test
    void aPassThatMayReadIntermediateGradientsDoesNotFold() {
        INDArray r = GradCheck.rand(82, -1, 1, 2, 6, 6, 3).castTo(DataType.FLOAT);
        INDArray w = GradCheck.rand(83, -1, 1, 2, 3, 3, 3).castTo(DataType.FLOAT);
        long before = FastPaths.RELU_POOL_FOLD.runs();
        try (Tape tape = Tape.record()) {
            Tensor in = Tensor.variable(r);
            Tensor x = Ops.relu(in);
            Tensor p = ConvOps.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, false);
            tape.backward(Ops.sum(Ops.mul(p, Tensor.constant(w))));
            assertEquals(before, FastPaths.RELU_POOL_FOLD.runs(), "no fold");
            // the pooling's gradient reaches the relu output unmasked: w at each window's argmax
            assertEquals(w.sumNumber().doubleValue(), x.grad().sumNumber().doubleValue(), 1e-4);
        }
    }
}
