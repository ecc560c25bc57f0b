package org.cornu.layers;

import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/**
 * Identity layer, {@code keras.layers.Identity}. This layer should be used as a placeholder
 * when no operation is to be performed. The layer just returns its {@code inputs} argument as
 * output (with its mask).
 */
public class Identity extends Layer {
    /**
     * A layer returning its input unchanged.
     */
    public Identity() {}

    @Override
    @SuppressWarnings("unchecked")
    public Identity name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Identity inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return x;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    /**
     * Re-creates an Identity layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Identity fromConfig(Map<String, Object> c) {
        return new Identity();
    }
}
