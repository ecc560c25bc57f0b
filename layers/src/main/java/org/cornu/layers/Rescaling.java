package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * A preprocessing layer which rescales input values to a new range, {@code keras.layers.Rescaling(scale,
 * offset=0.0)}.
 *
 * <p>This layer rescales every value of an input (often an image) by multiplying by {@code scale} and adding
 * {@code offset}. For instance, to rescale an input in the {@code [0, 255]} range to be in the {@code [0, 1]} range,
 * you would pass {@code scale=1./255}; to rescale an input in the {@code [0, 255]} range to be in the
 * {@code [-1, 1]} range, you would pass {@code scale=1./127.5, offset=-1}. The rescaling is applied both during
 * training and inference.
 *
 * <p>Input shape: arbitrary. Output shape: the same as the input.
 *
 * <pre>{@code
 * Sequential model = new Sequential(new Rescaling(1.0 / 255).inputShape(180, 180, 3), new Conv2D(32, 3));
 * }</pre>
 */
public class Rescaling extends Layer {
    private final double scale;
    private final double offset;

    /**
     * A layer multiplying its input by {@code scale}, with no offset.
     *
     * @param scale the scale to apply to the inputs (Keras's {@code scale})
     */
    public Rescaling(double scale) {
        this(scale, 0.0);
    }

    /**
     * A layer computing {@code x * scale + offset}.
     *
     * @param scale the scale to apply to the inputs (Keras's {@code scale})
     * @param offset the offset to apply to the inputs (Keras's {@code offset}, default 0)
     */
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
