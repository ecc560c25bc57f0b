package org.cornu.layers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;

/**
 * Global max pooling operation for temporal data, {@code keras.layers.GlobalMaxPooling1D}:
 * {@code (batch_size, steps, features) -> (batch_size, features)} (or
 * {@code (batch_size, 1, features)} with {@code keepdims}). As in Keras, a mask on the input is
 * not used (masked steps count).
 */
public class GlobalMaxPooling1D extends GlobalPooling1D<GlobalMaxPooling1D> {
    /**
     * A layer taking the maximum over the steps, keepdims false.
     */
    public GlobalMaxPooling1D() {
        super("GlobalMaxPooling1D");
    }

    @Override
    protected Tensor pool(Tensor x) {
        return ConvOps.globalMaxPool(x);
    }

    /**
     * Re-creates a GlobalMaxPooling1D layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GlobalMaxPooling1D fromConfig(Map<String, Object> c) {
        return configure(new GlobalMaxPooling1D(), c);
    }
}
