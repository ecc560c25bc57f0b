package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/** {@code x * scale + offset}, {@code keras.layers.Rescaling} (e.g. {@code new Rescaling(1.0 / 255)}). */
public class Rescaling extends Layer {
    private final double scale;
    private final double offset;

    public Rescaling(double scale) {
        this(scale, 0.0);
    }

    public Rescaling(double scale, double offset) {
        this.scale = scale;
        this.offset = offset;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Rescaling inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Rescaling name(String n) {
        return super.name(n);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor y = Ops.mulScalar(x, scale);
        return offset == 0 ? y : Ops.addScalar(y, offset);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return s;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("scale", scale);
        c.put("offset", offset);
        return c;
    }

    /**
     * Re-creates a Rescaling layer from Keras's config (offset 0 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Rescaling fromConfig(Map<String, Object> c) {
        return new Rescaling(LayerConfigs.scalar(c, "scale", null), LayerConfigs.scalar(c, "offset", 0.0));
    }
}
