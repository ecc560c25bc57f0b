package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/**
 * Concatenates a list of inputs along {@code axis}, {@code keras.layers.Concatenate}. All inputs
 * must have the same shape except along that axis; the output's size there is the sum of theirs.
 *
 * <pre>{@code
 * // (batch, 8) and (batch, 4) -> (batch, 12)
 * KerasTensor c = new Concatenate().apply(a, b);
 * }</pre>
 */
public class Concatenate extends Layer {
    private final int axis;

    /**
     * Concatenates along the last axis (Keras's default {@code axis=-1}).
     */
    public Concatenate() {
        this(-1);
    }

    /**
     * Concatenates along {@code axis}.
     *
     * @param axis the axis, negative counting from the end (Keras's {@code axis}, default -1)
     */
    public Concatenate(int axis) {
        this.axis = axis;
    }

    @Override
    protected List<Tensor> call(List<Tensor> inputs, boolean training) {
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("A `Concatenate` layer should be called on a list of at least 2 inputs. Received: " + inputs.size());
        }
        return List.of(Ops.concat(axis, inputs.toArray(new Tensor[0])));
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        Shape first = in.get(0);
        int ax = axis < 0 ? first.rank() + axis : axis;
        long total = 0;
        for (Shape s : in) {
            if (s.rank() != first.rank()) {
                throw new IllegalArgumentException("Layer \"" + name() + "\": a Concatenate layer requires inputs of the same rank; got "
                        + in);
            }
            for (int d = 1; d < s.rank(); d++) {
                if (d != ax && s.get(d) != first.get(d)) {
                    throw new IllegalArgumentException("Layer \"" + name() + "\": a Concatenate layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=" + in);
                }
            }
            total = total < 0 || s.get(ax) < 0 ? -1 : total + s.get(ax);
        }
        return List.of(first.with(ax, total));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("axis", axis);
        return c;
    }

    /**
     * Re-creates a Concatenate layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Concatenate fromConfig(Map<String, Object> c) {
        return new Concatenate(Configs.getInt(c, "axis", -1));
    }
}
