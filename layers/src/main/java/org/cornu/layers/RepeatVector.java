package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * Repeats the input {@code n} times, {@code keras.layers.RepeatVector(n)}.
 *
 * <p>Input shape: 2D tensor {@code (batch_size, features)}. Output shape: 3D tensor
 * {@code (batch_size, n, features)}.
 *
 * <pre>{@code
 * KerasTensor x = Input.of(32);
 * KerasTensor y = new RepeatVector(3).apply(x);   // y.shape() = (None, 3, 32)
 * }</pre>
 */
public class RepeatVector extends Layer {
    private final int n;

    /**
     * Repeats the input {@code n} times.
     *
     * @param n the number of repetitions (Keras's {@code n})
     */
    public RepeatVector(int n) {
        if (n <= 0) throw new IllegalArgumentException("Expected an integer value for `n` > 0, received n=" + n);
        this.n = n;
        this.inputNdim = 2;
    }

    @Override
    @SuppressWarnings("unchecked")
    public RepeatVector inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return RnnOps.repeat(x, n);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        Shape i = s.get(0);
        return List.of(Shape.of(i.get(0), n, i.get(1)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("n", n);
        return c;
    }

    /**
     * Re-creates a RepeatVector layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static RepeatVector fromConfig(Map<String, Object> c) {
        return new RepeatVector(Configs.getInt(c, "n"));
    }
}
