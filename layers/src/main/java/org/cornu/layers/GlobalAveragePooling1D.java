package org.cornu.layers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global average pooling operation for temporal data, {@code keras.layers.GlobalAveragePooling1D}:
 * {@code (batch_size, steps, features) -> (batch_size, features)} (or
 * {@code (batch_size, 1, features)} with {@code keepdims}).
 *
 * <p>A mask the input carries ({@code (batch_size, steps)}, e.g. from
 * {@code Embedding(maskZero)}) excludes the masked steps: the output is the sum over the kept
 * steps divided by their number.
 */
public class GlobalAveragePooling1D extends GlobalPooling1D<GlobalAveragePooling1D> {
    /**
     * A layer taking the average over the steps, keepdims false.
     */
    public GlobalAveragePooling1D() {
        super("GlobalAveragePooling1D");
    }

    @Override
    protected Tensor pool(Tensor x) {
        INDArray m = x.mask();
        if (m == null) return Ops.mean(x, 1, false);
        long[] xs = x.shape();
        INDArray mf = m.castTo(x.value().dataType()).reshape(xs[0], xs[1], 1);
        INDArray count = mf.sum(1); // (b, 1)
        Tensor s = Ops.sum(Ops.mul(x, Tensor.constant(mf)), 1, false);
        return Ops.div(s, Tensor.constant(count));
    }

    /**
     * Re-creates a GlobalAveragePooling1D layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GlobalAveragePooling1D fromConfig(Map<String, Object> c) {
        return configure(new GlobalAveragePooling1D(), c);
    }
}
