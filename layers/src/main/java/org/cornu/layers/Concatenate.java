package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;

/** Concatenates its inputs along {@code axis} (default -1), {@code keras.layers.Concatenate}. */
public class Concatenate extends Layer {
    private final int axis;

    public Concatenate() {
        this(-1);
    }

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

    /** Re-creates a Concatenate layer from Keras's config. */
    public static Concatenate fromConfig(Map<String, Object> c) {
        return new Concatenate(Configs.getInt(c, "axis", -1));
    }
}
