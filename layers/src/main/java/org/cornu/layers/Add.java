package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.Map;
import java.util.List;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/**
 * Adds a list of inputs elementwise, {@code keras.layers.Add}: it takes two or more tensors of the
 * same shape (or shapes that broadcast) and returns their sum, of that shape.
 *
 * <pre>{@code
 * // (batch, 8) + (batch, 8) -> (batch, 8)
 * KerasTensor sum = new Add().apply(a, b);
 * }</pre>
 */
public class Add extends Layer {
    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("A merge layer should be called on a list of at least 2 inputs. Got " + inputs.size() + " inputs.");
        }
        Tensor r = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) r = Ops.add(r, inputs.get(i));
        return List.of(r);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        for (Shape s : in) {
            if (!s.equals(in.get(0))) {
                throw new IllegalArgumentException("Layer \"" + name() + "\": inputs must have equal shapes to be added; got " + in);
            }
        }
        return List.of(in.get(0));
    }

    /**
     * Re-creates an Add layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Add fromConfig(Map<String, Object> c) {
        return new Add();
    }
}
