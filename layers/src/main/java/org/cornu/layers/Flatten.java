package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.Map;
import java.util.List;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/**
 * Flattens each sample to one axis, {@code keras.layers.Flatten}: {@code (batch, ...) -> (batch, prod(...))}.
 * Does not touch the batch axis; a 1-D input {@code (batch)} becomes {@code (batch, 1)}.
 *
 * <pre>{@code
 * // (batch, 10, 64) -> (batch, 640)
 * Layer f = new Flatten();
 * }</pre>
 */
public class Flatten extends Layer implements org.cornu.core.training.FlattenLayer {
    /**
     * A flatten layer (Keras's {@code data_format} is fixed to "channels_last").
     */
    public Flatten() {
        this.inputMinNdim = 1;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long n = x.shape()[0];
        if (x.rank() == 2) return x;
        return Ops.reshape(x, n, x.value().length() / Math.max(1, n));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        if (s.rank() == 1) return Shape.of(s.get(0), 1);
        long size = s.sampleSize();
        return Shape.of(s.get(0), size);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new java.util.LinkedHashMap<>(super.getConfig());
        c.put("data_format", "channels_last");
        return c;
    }

    /**
     * Re-creates a Flatten layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Flatten fromConfig(Map<String, Object> c) {
        return new Flatten();
    }
}
