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
 * Leaky version of a Rectified Linear Unit activation layer, {@code keras.layers.LeakyReLU}.
 * This layer allows a small gradient when the unit is not active:
 *
 * <pre>
 * f(x) = negative_slope * x  if x &lt; 0
 * f(x) = x                   if x &gt;= 0
 * </pre>
 *
 * <pre>{@code
 * new LeakyReLU().negativeSlope(0.5)   // [-3, -1, 0, 2] -> [-1.5, -0.5, 0, 2]
 * }</pre>
 *
 * Input shape: arbitrary. Output shape: same shape as the input. Masks pass through.
 */
public class LeakyReLU extends Layer {
    private double negativeSlope = 0.3;

    /** Negative slope coefficient 0.3 (Keras 3's default). */
    public LeakyReLU() {}

    /**
     * The given negative slope coefficient, a float &gt;= 0.
     *
     * @param negativeSlope the slope for negative inputs (Keras's {@code negative_slope}, default 0.3)
     */
    public LeakyReLU(double negativeSlope) {
        negativeSlope(negativeSlope);
    }

    @Override
    @SuppressWarnings("unchecked")
    public LeakyReLU name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public LeakyReLU inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Negative slope coefficient, a float &gt;= 0 (default 0.3).
     *
     * @param s the slope for negative inputs
     * @return this layer
     */
    public LeakyReLU negativeSlope(double s) {
        if (!(s >= 0)) {
            throw new IllegalArgumentException("The negative_slope value of a Leaky ReLU layer cannot be None or negative"
                    + " value. Expected a float. Received: negative_slope=" + s);
        }
        this.negativeSlope = s;
        return this;
    }

    /**
     * The slope for negative inputs.
     *
     * @return Keras's {@code negative_slope}
     */
    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return Masks.passThrough(x, Ops.leakyRelu(x, negativeSlope));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("negative_slope", negativeSlope);
        return c;
    }

    /**
     * Re-creates a LeakyReLU layer from Keras's config (Keras 2's {@code alpha} is read as the slope).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static LeakyReLU fromConfig(Map<String, Object> c) {
        double def = Configs.getDouble(c, "alpha", 0.3);
        return new LeakyReLU(Configs.getDouble(c, "negative_slope", def));
    }
}
