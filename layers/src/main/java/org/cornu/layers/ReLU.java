package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rectified Linear Unit activation layer, {@code keras.layers.ReLU}:
 *
 * <pre>
 * f(x) = max_value                         if x &gt;= max_value
 * f(x) = x                                 if threshold &lt;= x &lt; max_value
 * f(x) = negative_slope * (x - threshold)  otherwise
 * </pre>
 *
 * With the defaults (no maximum, slope 0, threshold 0) it is {@code max(x, 0)};
 * {@code new ReLU(6.0)} is relu6, as MobileNetV2 uses it. Computed as Keras's
 * {@code activations.relu}: relu (or {@code x * (x > threshold)}), clipped to
 * {@code [0, max_value]}, minus {@code negative_slope * relu(threshold - x)}; {@code max_value=6}
 * without threshold is relu6, whose gradient is 1 only for {@code 0 < x < 6}.
 *
 * <pre>{@code
 * new ReLU().maxValue(10.0).negativeSlope(0.5)   // [-10, -5, 0, 5, 10] -> [-5, -2.5, 0, 5, 10]
 * }</pre>
 */
public class ReLU extends Layer {
    private Double maxValue;
    private double negativeSlope;
    private double threshold;

    /** {@code max(x, 0)}: no maximum, negative slope 0, threshold 0. */
    public ReLU() {}

    /**
     * A ReLU capped at {@code maxValue} (Keras's {@code ReLU(max_value)}, e.g. {@code ReLU(6.0)}).
     *
     * @param maxValue the largest output, a float &gt;= 0 (Keras's {@code max_value}, default None)
     */
    public ReLU(double maxValue) {
        maxValue(maxValue);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ReLU name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ReLU inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Maximum activation value, a float &gt;= 0; null means unlimited (the default).
     *
     * @param m the maximum (Keras's {@code max_value}), or null for none
     * @return this layer
     */
    public ReLU maxValue(Double m) {
        if (m != null && (m < 0 || m.isNaN())) {
            throw new IllegalArgumentException("max_value of a ReLU layer cannot be a negative value. Received: max_value=" + m);
        }
        this.maxValue = m;
        return this;
    }

    /**
     * Negative slope coefficient, a float &gt;= 0 (default 0).
     *
     * @param s the slope below the threshold (Keras's {@code negative_slope})
     * @return this layer
     */
    public ReLU negativeSlope(double s) {
        if (!(s >= 0)) {
            throw new IllegalArgumentException("negative_slope of a ReLU layer cannot be None or a negative value."
                    + " Received: negative_slope=" + s);
        }
        this.negativeSlope = s;
        return this;
    }

    /**
     * Threshold value for thresholded activation, a float &gt;= 0 (default 0).
     *
     * @param t the threshold (Keras's {@code threshold})
     * @return this layer
     */
    public ReLU threshold(double t) {
        if (!(t >= 0)) {
            throw new IllegalArgumentException("threshold of a ReLU layer cannot be None or a negative value."
                    + " Received: threshold=" + t);
        }
        this.threshold = t;
        return this;
    }

    /**
     * The maximum, or null for none.
     *
     * @return Keras's {@code max_value}, or null
     */
    public Double maxValue() {
        return maxValue;
    }

    /**
     * The slope below the threshold.
     *
     * @return Keras's {@code negative_slope}
     */
    public double negativeSlope() {
        return negativeSlope;
    }

    /**
     * The value below which the input is cut off or damped.
     *
     * @return Keras's {@code threshold}
     */
    public double threshold() {
        return threshold;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        if (negativeSlope != 0 && maxValue == null && threshold == 0) return Ops.leakyRelu(x, negativeSlope);
        Tensor negativePart = null;
        if (negativeSlope != 0) negativePart = Ops.relu(threshold != 0 ? Ops.rsubScalar(threshold, x) : Ops.neg(x));
        boolean clipMax = maxValue != null;
        Tensor y;
        if (threshold != 0) {
            // x for x > threshold, else 0
            INDArray above = x.value().gt(threshold).castTo(x.value().dataType());
            y = Ops.mul(x, Tensor.constant(above));
        } else if (clipMax && maxValue == 6.0) {
            // relu6: gradient 1 only on (0, 6)
            y = Ops.minimum(Ops.relu(x), 6.0);
            clipMax = false;
        } else {
            y = Ops.relu(x);
        }
        if (clipMax) y = Ops.clip(y, 0.0, maxValue);
        if (negativePart != null) y = Ops.sub(y, Ops.mulScalar(negativePart, negativeSlope));
        return y;
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
        c.put("max_value", maxValue);
        c.put("negative_slope", negativeSlope);
        c.put("threshold", threshold);
        return c;
    }

    /**
     * Re-creates a ReLU layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static ReLU fromConfig(Map<String, Object> c) {
        ReLU r = new ReLU();
        Object m = c.get("max_value");
        if (m != null) r.maxValue(((Number) m).doubleValue());
        r.negativeSlope(Configs.getDouble(c, "negative_slope", 0.0));
        r.threshold(Configs.getDouble(c, "threshold", 0.0));
        return r;
    }
}
