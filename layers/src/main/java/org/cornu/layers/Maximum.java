package org.cornu.layers;

import java.util.List;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * Computes element-wise maximum on a list of inputs, {@code keras.layers.Maximum}. It takes as
 * input a list of tensors, all of the same shape, and returns a single tensor (also of the same
 * shape). Where an input carries a mask, its masked steps take the other inputs' values.
 */
public class Maximum extends Merge {
    @Override
    protected Tensor merge(List<Tensor> inputs) {
        return mergeMasked(inputs, Ops::maximum);
    }

    /**
     * Re-creates a Maximum layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Maximum fromConfig(Map<String, Object> c) {
        return new Maximum();
    }
}
