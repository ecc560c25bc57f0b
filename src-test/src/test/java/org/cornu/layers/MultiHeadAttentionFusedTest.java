package org.cornu.layers;

import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.FastPaths;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MultiHeadAttention in float32 on the fused attention kernel against the same layer with the
 * kernel off (the composed ops): outputs and the gradients of every weight and input, with the
 * masks the layer merges (query and value masks, causal, an explicit {@code (B, 1, S)} mask as the
 * book's TransformerEncoder passes it) and dropout on the probabilities.
 */
class MultiHeadAttentionFusedTest {

    private record Run(INDArray out, List<INDArray> grads, long fusedRuns) {}

    private static Run run(boolean fused, boolean causal, double dropout, boolean training) {
        boolean before = FastPaths.FUSED_ATTENTION.enabled();
        FastPaths.FUSED_ATTENTION.setEnabled(fused);
        FastPaths.FUSED_ATTENTION.resetRuns();
        try {
            MultiHeadAttention m = new MultiHeadAttention(2, 4).dropout(dropout).seed(7).useCausalMask(causal);
            m.build(List.of(Shape.of(-1, 5, 6), Shape.of(-1, 5, 6), Shape.of(-1, 5, 6)));
            long seed = 90;
            for (Weight w : m.weights()) w.assign(rand(seed++, -0.6, 0.6, w.shape()).castTo(DataType.FLOAT));
            INDArray x = rand(80, -1, 1, 3, 5, 6).castTo(DataType.FLOAT);
            INDArray y = rand(81, -1, 1, 3, 5, 6).castTo(DataType.FLOAT);
            INDArray qMask = Nd4j.create(new float[][] {{1, 1, 1, 1, 0}, {1, 1, 1, 1, 1}, {1, 1, 0, 0, 0}});
            INDArray vMask = Nd4j.create(new float[][] {{1, 1, 0, 1, 1}, {1, 1, 1, 1, 1}, {0, 1, 1, 1, 1}});
            INDArray att = Nd4j.create(new float[][] {{1, 1, 1, 1, 0}, {1, 0, 1, 1, 1}, {1, 1, 1, 1, 1}}).reshape(3, 1, 5);
            INDArray w = rand(82, -1, 1, 3, 5, 6).castTo(DataType.FLOAT);
            try (GradientTape tape = new GradientTape()) {
                Tensor q = tape.watch(x).withMask(qMask), v = tape.watch(y).withMask(vMask);
                Tensor out = m.invoke(List.of(q, v, v, Tensor.constant(att)), training).get(0);
                List<INDArray> grads = new ArrayList<>(tape.gradient(Ops.sum(Ops.mul(out, Tensor.constant(w))), m.weights()));
                grads.add(q.grad());
                grads.add(v.grad());
                return new Run(out.value().dup(), grads, FastPaths.FUSED_ATTENTION.runs());
            }
        } finally {
            FastPaths.FUSED_ATTENTION.setEnabled(before);
        }
    }

    private static void assertSame(Run a, Run b, String what) {
        assertTrue(a.fusedRuns() > 0, what + ": the fused kernel ran");
        assertEquals(0, b.fusedRuns(), what + ": the composed path ran");
        assertClose(a.out(), b.out(), what + ": output");
        assertEquals(b.grads().size(), a.grads().size());
        for (int i = 0; i < a.grads().size(); i++) assertClose(a.grads().get(i), b.grads().get(i), what + ": gradient " + i);
    }

    private static void assertClose(INDArray a, INDArray b, String what) {
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble(), y = b.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        assertEquals(y.length, x.length, what);
        double scale = 0;
        for (double v : y) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 0, what + ": not all zero");
        for (int i = 0; i < x.length; i++) assertEquals(y[i], x[i], 2e-6 * scale + 1e-7, what + " element " + i);
    }

    @Test
    void fusedKernelEqualsComposedOpsWithMasks() {
        assertSame(run(true, false, 0, true), run(false, false, 0, true), "masks");
        assertSame(run(true, true, 0, true), run(false, true, 0, true), "masks and causal");
    }

    @Test
    void fusedKernelEqualsComposedOpsWithDropout() {
        Run on = run(true, false, 0.3, true), off = run(false, false, 0.3, true);
        assertSame(on, off, "dropout 0.3");
        // dropout acts in training only
        Run inference = run(true, false, 0.3, false);
        boolean differs = false;
        for (long i = 0; i < on.out().length(); i++) differs |= Math.abs(on.out().getDouble(i) - inference.out().getDouble(i)) > 1e-4;
        assertTrue(differs, "dropout changed the training output");
    }
}
