package org.cornu.layers;

import java.util.List;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Performs elementwise multiplication, {@code keras.layers.Multiply}. It takes as input a list of
 * tensors, all of the same shape, and returns a single tensor (also of the same shape). Masked
 * steps of an input count as 1; when every input carries a mask, steps masked in all of them are
 * 0 in the output.
 */
public class Multiply extends Merge {
    @Override
    protected Tensor merge(List<Tensor> inputs) {
        boolean all = true;
        for (Tensor t : inputs) all &= t.mask() != null;
        Tensor output = null;
        INDArray outputMask = null;
        for (Tensor t : inputs) {
            INDArray mask = expanded(t);
            Tensor x = t;
            if (mask != null) {
                // ones outside the mask
                x = Ops.add(Ops.mul(x, Tensor.constant(mask)), Tensor.constant(mask.rsub(1.0)));
                if (all) outputMask = outputMask == null ? mask : org.nd4j.linalg.ops.transforms.Transforms.max(outputMask, mask, true);
            }
            output = output == null ? x : Ops.mul(output, x);
        }
        if (all && outputMask != null) output = Ops.mul(output, Tensor.constant(outputMask));
        return output;
    }

    /**
     * Re-creates a Multiply layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Multiply fromConfig(Map<String, Object> c) {
        return new Multiply();
    }
}
