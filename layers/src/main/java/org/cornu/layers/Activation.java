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

/** Applies an activation function, {@code keras.layers.Activation}. */
public class Activation extends Layer {
    private final ActivationFunction activation;

    /** By name ({@code "relu"}) or {@link ActivationFunction}. */
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

    /** Re-creates an Activation layer from Keras's config. */
    public static Activation fromConfig(Map<String, Object> c) {
        return new Activation(Configs.activation(c.get("activation")));
    }
}
