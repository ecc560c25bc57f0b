package org.cornu.layers;

import java.util.List;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * Performs elementwise subtraction, {@code keras.layers.Subtract}. It takes as input a list of
 * tensors of size 2 both of the same shape, and returns a single tensor
 * {@code inputs[0] - inputs[1]} of the same shape.
 *
 * <pre>{@code
 * KerasTensor subtracted = new Subtract().apply(x1, x2);
 * }</pre>
 */
public class Subtract extends Merge {
    @Override
    protected int exactInputs() {
        return 2;
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) {
        return Ops.sub(inputs.get(0), inputs.get(1));
    }

    /**
     * Re-creates a Subtract layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Subtract fromConfig(Map<String, Object> c) {
        return new Subtract();
    }
}
