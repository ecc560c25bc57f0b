package org.cornu.layers;

import java.util.List;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's mask propagation ({@code supports_masking}) for layers whose output keeps the input's steps. */
final class Masks {
    private Masks() {}

    /** {@code out} carrying {@code in}'s mask, as a Keras layer with {@code supports_masking=True} passes it on. */
    static Tensor passThrough(Tensor in, Tensor out) {
        if (in.mask() != null && out.mask() == null) {
            if (out == in) return out;
            out.withMask(in.mask());
        }
        return out;
    }

    /**
     * Keras's {@code Merge.compute_mask}: the logical OR of the inputs' masks when every input
     * has one, else none.
     */
    static INDArray or(List<Tensor> inputs) {
        INDArray m = null;
        for (Tensor t : inputs) {
            if (t.mask() == null) return null;
            m = m == null ? t.mask().dup() : org.nd4j.linalg.ops.transforms.Transforms.max(m, t.mask(), true);
        }
        return m;
    }
}
