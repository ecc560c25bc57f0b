package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.saving.LayerFactory;
import org.cornu.core.saving.ModelConfig;

/**
 * Applies a layer to every timestep, {@code keras.layers.TimeDistributed}: input
 * {@code (batch, timesteps, ...)} is reshaped to {@code (batch * timesteps, ...)}, passed
 * through the layer, and reshaped back. The layer's weights are shared across timesteps.
 */
public class TimeDistributed extends Layer implements org.cornu.core.saving.KerasVariableGroups {
    private final Layer layer;

    /**
     * Wraps {@code layer}, which then sees one timestep at a time.
     *
     * <pre>{@code
     * // (32, 10, 128, 128, 3) -> (32, 10, 126, 126, 64): one Conv2D shared by all 10 frames
     * Layer td = new TimeDistributed(new Conv2D(64, 3));
     * }</pre>
     *
     * @param layer the layer to apply to every timestep (Keras's {@code layer})
     */
    public TimeDistributed(Layer layer) {
        this.layer = layer;
        this.inputMinNdim = 3;
    }

    /**
     * The wrapped layer.
     *
     * @return the layer applied to every timestep
     */
    public Layer layer() {
        return layer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public TimeDistributed inputShape(long... shape) {
        return super.inputShape(shape);
    }

    private static Shape inner(Shape s) {
        long[] d = s.dims();
        long[] r = new long[d.length - 1];
        r[0] = Shape.NONE;
        System.arraycopy(d, 2, r, 1, d.length - 2);
        return Shape.of(r);
    }

    @Override
    public void build(Shape inputShape) {
        if (!layer.isBuilt()) layer.build(List.of(inner(inputShape)));
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] s = x.shape();
        long[] f = new long[s.length - 1];
        f[0] = s[0] * s[1];
        System.arraycopy(s, 2, f, 1, s.length - 2);
        Tensor y = layer.invoke(List.of(Ops.reshape(x, f)), training).get(0);
        long[] ys = y.shape();
        long[] o = new long[ys.length + 1];
        o[0] = s[0];
        o[1] = s[1];
        System.arraycopy(ys, 1, o, 2, ys.length - 1);
        Tensor r = Ops.reshape(y, o);
        return x.mask() == null ? r : r.withMask(x.mask());
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        Shape s = inputShapes.get(0);
        long[] ys = layer.computeOutputShape(inner(s)).dims();
        long[] o = new long[ys.length + 1];
        o[0] = s.get(0);
        o[1] = s.get(1);
        System.arraycopy(ys, 1, o, 2, ys.length - 1);
        return List.of(Shape.of(o));
    }

    @Override
    public List<Weight> weights() { return layer.weights(); }

    @Override
    public List<Weight> trainableWeights() { return trainable() ? layer.trainableWeights() : List.of(); }

    @Override
    public List<Weight> nonTrainableWeights() {
        return trainable() ? layer.nonTrainableWeights() : layer.weights();
    }

    @Override
    public long countParams() { return layer.countParams(); }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("layer", ModelConfig.serializeLayer(layer, null));
        return c;
    }

    /**
     * Re-creates a TimeDistributed layer from Keras's config, with the wrapped layer from {@code layer}.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static TimeDistributed fromConfig(Map<String, Object> c) {
        Map<String, Object> lc = LayerConfigs.nested(c, "layer");
        return new TimeDistributed(LayerFactory.create(String.valueOf(lc.get("class_name")), LayerConfigs.innerConfig(lc)));
    }

    /** Keras 3 saves the wrapped layer's variables under {@code layer} (and deeper, for an RNN's cell). */
    @Override
    public java.util.Map<String, java.util.List<org.cornu.core.Weight>> kerasVariableGroups() {
        java.util.Map<String, java.util.List<org.cornu.core.Weight>> g = new java.util.LinkedHashMap<>();
        for (var e : org.cornu.core.saving.KerasVariableGroups.of(layer()).entrySet()) {
            g.put(e.getKey().isEmpty() ? "layer" : "layer/" + e.getKey(), e.getValue());
        }
        return g;
    }
}
