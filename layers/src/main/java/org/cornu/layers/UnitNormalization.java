package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;

/**
 * Unit normalization layer, {@code keras.layers.UnitNormalization}. Normalize a batch of inputs
 * so that each input in the batch has a L2 norm equal to 1 (across the axes specified in
 * {@code axis}, an int or several; default -1): {@code x * min(1 / ||x||, 1e12)}.
 *
 * <pre>{@code
 * INDArray y = new UnitNormalization().apply(x);   // each row of y has norm 1
 * }</pre>
 */
public class UnitNormalization extends Layer {
    private int[] axis = {-1};
    private boolean axisIsList;

    /** A layer normalizing across the last axis. */
    public UnitNormalization() {}

    @Override
    @SuppressWarnings("unchecked")
    public UnitNormalization name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public UnitNormalization inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Sets the axis or axes to normalize across (Keras's {@code axis}, default -1); typically the features axis
     * or axes. The normalization is computed across all the given axes together.
     *
     * @param axis one axis or several; negative values count from the last
     * @return this layer
     * @throws IllegalArgumentException if no axis is given
     */
    public UnitNormalization axis(int... axis) {
        if (axis.length == 0) throw new IllegalArgumentException("UnitNormalization: axis must name at least one axis");
        this.axis = axis.clone();
        this.axisIsList = axis.length > 1;
        return this;
    }

    /**
     * The axes normalized across.
     *
     * @return a copy of Keras's {@code axis}
     */
    public int[] axis() {
        return axis.clone();
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        int[] ax = AxesUtils.resolve("UnitNormalization \"" + name() + "\"", axis, x.rank());
        Tensor y = ax.length == 1 ? Ops.l2Normalize(x, ax[0], 1e-12) : AxesUtils.over(x, ax, x2 -> Ops.l2Normalize(x2, 1, 1e-12));
        return Masks.passThrough(x, y);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        AxesUtils.resolve("UnitNormalization \"" + name() + "\"", axis, s.get(0).rank());
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("axis", axisIsList ? AxesUtils.list(axis) : axis[0]);
        return c;
    }

    /**
     * Re-creates a UnitNormalization layer from Keras's config (axis -1 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static UnitNormalization fromConfig(Map<String, Object> c) {
        UnitNormalization u = new UnitNormalization();
        Object a = c.get("axis");
        if (a != null) {
            u.axis(AxesUtils.ints(a, "the argument 'axis' of UnitNormalization \"" + c.get("name") + "\""));
            u.axisIsList = a instanceof List;
        }
        return u;
    }
}
