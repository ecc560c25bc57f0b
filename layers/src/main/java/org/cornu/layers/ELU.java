package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * Applies an Exponential Linear Unit function to an output, {@code keras.layers.ELU}:
 *
 * <pre>
 * f(x) = alpha * (exp(x) - 1.)  for x &lt; 0
 * f(x) = x                      for x &gt;= 0
 * </pre>
 *
 * {@code alpha} is the scale for the negative factor (default 1.0). Masks pass through.
 */
public class ELU extends Layer {
    private double alpha = 1.0;

    /** {@code alpha} 1.0. */
    public ELU() {}

    /**
     * An ELU with the given scale for negative inputs.
     *
     * @param alpha the scale for the negative factor (Keras's {@code alpha}, default 1.0)
     */
    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ELU name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ELU inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Scale for the negative factor (default 1.0).
     *
     * @param a Keras's {@code alpha}
     * @return this layer
     */
    public ELU alpha(double a) {
        this.alpha = a;
        return this;
    }

    /**
     * The scale for the negative factor.
     *
     * @return Keras's {@code alpha}
     */
    public double alpha() {
        return alpha;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return Masks.passThrough(x, Ops.elu(x, alpha));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    /** Keras's keys ({@code ELU} records its constructor argument {@code alpha} after {@code name}). */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> base = super.getConfig();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", base.get("name"));
        c.put("alpha", alpha);
        c.putAll(base);
        return c;
    }

    /**
     * Re-creates an ELU layer from Keras's config (alpha 1.0 when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static ELU fromConfig(Map<String, Object> c) {
        return new ELU(Configs.getDouble(c, "alpha", 1.0));
    }
}
