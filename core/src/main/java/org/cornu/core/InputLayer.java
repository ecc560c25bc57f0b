package org.cornu.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;

/** The entry point of a model: holds the input shape and passes its input through, as {@code keras.layers.InputLayer}. */
public final class InputLayer extends Layer {
    private final Shape shape;
    private KerasTensor output;

    /**
     * An input of per-sample shape {@code shape}.
     *
     * @param shape the per-sample shape, without the batch axis
     */
    public InputLayer(long... shape) {
        this.shape = Shape.batchOf(shape);
        inputShape(shape);
        built = true;
    }

    @Override
    protected String defaultNamePrefix() {
        return "input_layer";
    }

    /**
     * The symbolic tensor this input feeds.
     *
     * @return the input tensor
     */
    public KerasTensor tensor() {
        if (output == null) {
            Node node = new Node(this, new ArrayList<>(), 0);
            output = new KerasTensor(shape, node, 0, name());
            node.outputs = List.of(output);
            inboundNodes.add(node);
        }
        return output;
    }

    /**
     * The input's shape, batch axis unknown.
     *
     * @return the shape
     */
    public Shape shape() {
        return shape;
    }

    @Override
    protected Tensor call(Tensor input, boolean training) {
        return input;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("batch_shape", toList(shape.dims()));
        c.put("dtype", Cornu.floatx());
        c.put("sparse", false);
        c.put("name", name());
        return c;
    }
}
