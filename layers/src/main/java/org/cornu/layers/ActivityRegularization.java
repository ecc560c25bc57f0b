package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.regularizers.Regularizers;
import org.cornu.core.saving.Configs;

/**
 * Layer that applies an update to the cost function based input activity,
 * {@code keras.layers.ActivityRegularization}. Its output is its input; in training it adds
 * {@code (l1 * sum(|x|) + l2 * sum(x^2)) / batch_size} to the loss (Keras's {@code L1L2}
 * activity regularizer, normalized by the batch size as Keras 3 does). Masks pass through.
 *
 * <pre>{@code
 * new ActivityRegularization().l1(1e-4)
 * }</pre>
 */
public class ActivityRegularization extends Layer {
    private double l1;
    private double l2;

    /** l1 = l2 = 0. */
    public ActivityRegularization() {
        update();
    }

    /**
     * The L1 and L2 regularization factors.
     *
     * @param l1 the L1 factor (Keras's {@code l1}, default 0)
     * @param l2 the L2 factor (Keras's {@code l2}, default 0)
     */
    public ActivityRegularization(double l1, double l2) {
        this.l1 = l1;
        this.l2 = l2;
        update();
    }

    @Override
    @SuppressWarnings("unchecked")
    public ActivityRegularization name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ActivityRegularization inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * L1 regularization factor (positive float; default 0).
     *
     * @param f the L1 factor
     * @return this layer
     */
    public ActivityRegularization l1(double f) {
        this.l1 = f;
        update();
        return this;
    }

    /**
     * L2 regularization factor (positive float; default 0).
     *
     * @param f the L2 factor
     * @return this layer
     */
    public ActivityRegularization l2(double f) {
        this.l2 = f;
        update();
        return this;
    }

    /**
     * The L1 factor.
     *
     * @return Keras's {@code l1}
     */
    public double l1() {
        return l1;
    }

    /**
     * The L2 factor.
     *
     * @return Keras's {@code l2}
     */
    public double l2() {
        return l2;
    }

    private void update() {
        activityRegularizer(new Regularizers.L1L2(l1, l2));
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return x;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.remove("activity_regularizer");
        c.put("l1", l1);
        c.put("l2", l2);
        return c;
    }

    /**
     * Re-creates an ActivityRegularization layer from Keras's config (0 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static ActivityRegularization fromConfig(Map<String, Object> c) {
        return new ActivityRegularization(Configs.getDouble(c, "l1", 0.0), Configs.getDouble(c, "l2", 0.0));
    }
}
