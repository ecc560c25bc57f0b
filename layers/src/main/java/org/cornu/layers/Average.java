package org.cornu.layers;

import java.util.List;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * Averages a list of inputs element-wise, {@code keras.layers.Average}. It takes as input a list
 * of tensors, all of the same shape, and returns a single tensor (also of the same shape).
 */
public class Average extends Merge {
    @Override
    protected Tensor merge(List<Tensor> inputs) {
        Tensor r = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) r = Ops.add(r, inputs.get(i));
        return Ops.mulScalar(r, 1.0 / inputs.size());
    }

    /**
     * Re-creates an Average layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Average fromConfig(Map<String, Object> c) {
        return new Average();
    }
}
