package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.activations.ActivationFunction;

/**
 * Applies an activation function to its input, {@code keras.layers.Activation}.
 *
 * <p>Input shape: any. Output shape: the same as the input.
 *
 * <pre>{@code
 * // relu([-3, 0, 2]) = [0, 0, 2]
 * Layer act = new Activation("relu");
 * }</pre>
 */
public class Activation extends Layer {
    private final ActivationFunction activation;

    /**
     * A layer applying {@code activation}.
     *
     * @param activation the activation by name ({@code "relu"}) or as an {@link ActivationFunction} (Keras's {@code activation})
     */
    public Activation(Object activation) {
        this.activation = Registry.activation(activation);
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return activation.apply(x);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(s.get(0));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("activation", activation.name());
        return c;
    }

    /**
     * Re-creates an Activation layer from Keras's config.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Activation fromConfig(Map<String, Object> c) {
        return new Activation(Configs.activation(c.get("activation")));
    }
}
