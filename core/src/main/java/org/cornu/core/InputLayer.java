package org.cornu.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.autodiff.Tensor;

/** The entry point of a model: holds the input shape and passes its input through, as {@code keras.layers.InputLayer}. */
public final class InputLayer extends Layer {
    private final Shape shape;
    private KerasTensor output;
    private String dtype;

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

    /**
     * The input's Keras dtype when it is not the session's float type: only {@code "string"}, the input of a model
     * that starts with a text layer ({@code keras.Input(shape=(1,), dtype="string")}). Cornu's model graphs compute
     * on INDArrays, so such an input is kept for the {@code .keras} config only: strings are vectorized before the
     * model (see {@code TextVectorization}), and the layers after the text layer take the resulting arrays.
     *
     * @param dtype {@code "string"}, or null for the float type
     * @return this layer
     */
    public InputLayer dtype(String dtype) {
        if (dtype != null && !dtype.equals("string")) {
            throw new IllegalArgumentException("InputLayer \"" + name() + "\": dtype must be \"string\" or null (the float type)."
                    + " Received: dtype=" + dtype);
        }
        this.dtype = dtype;
        return this;
    }

    /**
     * The input's Keras dtype: {@code "string"} if set so, else the session's float type.
     *
     * @return the dtype name
     */
    public String dtype() {
        return dtype != null ? dtype : Cornu.floatx();
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
        c.put("dtype", dtype());
        c.put("sparse", false);
        c.put("name", name());
        return c;
    }
}
