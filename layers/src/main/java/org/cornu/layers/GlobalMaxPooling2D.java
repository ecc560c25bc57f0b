package org.cornu.layers;

import org.cornu.core.ops.ConvOps;
import org.cornu.core.autodiff.Tensor;

/** Maximum over height and width, {@code keras.layers.GlobalMaxPooling2D}: {@code (b, h, w, c) -> (b, c)}. */
public class GlobalMaxPooling2D extends GlobalPooling2D<GlobalMaxPooling2D> {
    /**
     * A layer taking the maximum over height and width, keepdims false.
     */
    public GlobalMaxPooling2D() {
        super("GlobalMaxPooling2D");
    }

    @Override
    protected Tensor pool(Tensor x) {
        return ConvOps.globalMaxPool(x);
    }

    /**
     * Re-creates a GlobalMaxPooling2D layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GlobalMaxPooling2D fromConfig(java.util.Map<String, Object> c) {
        return configure(new GlobalMaxPooling2D(), c);
    }
}
