package org.cornu.layers;

import org.cornu.core.ops.ConvOps;
import org.cornu.core.autodiff.Tensor;

/** Mean over height and width, {@code keras.layers.GlobalAveragePooling2D}: {@code (b, h, w, c) -> (b, c)}. */
public class GlobalAveragePooling2D extends GlobalPooling2D<GlobalAveragePooling2D> {
    /**
     * A layer taking the average over height and width, keepdims false.
     */
    public GlobalAveragePooling2D() {
        super("GlobalAveragePooling2D");
    }

    @Override
    protected Tensor pool(Tensor x) {
        return ConvOps.globalAvgPool(x);
    }

    /**
     * Re-creates a GlobalAveragePooling2D layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static GlobalAveragePooling2D fromConfig(java.util.Map<String, Object> c) {
        return configure(new GlobalAveragePooling2D(), c);
    }
}
