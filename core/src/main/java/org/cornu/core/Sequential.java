package org.cornu.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A linear stack of layers, as {@code keras.Sequential}: a functional model built by
 * chaining. With an input shape on the first layer ({@code .inputShape(784)}) or an
 * {@link InputLayer} first, it is built at once; otherwise on the first {@code fit} or
 * {@code predict}, from the data.
 *
 * <p><b>Threads.</b> {@code predict} (and {@code predictAll}, {@code predictAsMap}, {@code predictOnBatch}) is
 * thread-safe: several threads may predict with the same model at once. Training ({@code fit},
 * {@code trainOnBatch}, {@code evaluate}, {@code testOnBatch}, {@code compile}) is not: one thread at a time per
 * model, and no prediction while it trains on another thread (see {@link org.cornu.core.training.Trainer}).
 */
public class Sequential extends Model {
    private final List<Layer> stack = new ArrayList<>();
    private InputLayer inputLayer;

    /**
     * A stack of the given layers.
     *
     * <pre>{@code
     * Sequential model = new Sequential(
     *     new Dense(64, "relu").inputShape(784),
     *     new Dense(10, "softmax"));
     * }</pre>
     *
     * @param layers the layers, first to last; give the first an input shape to build the model at once
     */
    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    /**
     * A named, empty stack.
     *
     * @param name the model's name
     */
    public Sequential(String name) {
        name(name);
    }

    @Override
    protected String defaultNamePrefix() {
        return "sequential";
    }

    /**
     * Appends a layer (Keras's {@code model.add}).
     *
     * @param layer the layer to append
     */
    public void add(Layer layer) {
        if (layer instanceof InputLayer il) {
            if (inputLayer != null || !stack.isEmpty()) {
                throw new IllegalArgumentException("Sequential model \"" + name() + "\": an InputLayer can only be the first layer");
            }
            inputLayer = il;
            return;
        }
        for (Layer l : stack) {
            if (l.name().equals(layer.name())) {
                throw new IllegalArgumentException("All layers added to a Sequential model should have unique names. Name \""
                        + layer.name() + "\" is already the name of a layer in this model.");
            }
        }
        stack.add(layer);
        if (isGraphBuilt()) {
            KerasTensor out = layer.apply(outputs.get(0));
            initGraph(inputs, List.of(out));
        } else if (stack.size() == 1 && (inputLayer != null || layer.batchInputShape() != null)) {
            long[] b = inputLayer != null ? inputLayer.shape().dims() : layer.batchInputShape();
            buildGraph(java.util.Arrays.copyOfRange(b, 1, b.length));
        } else if (stack.size() == 1 && layer instanceof Model m && m.isGraphReady() && m.inputs().size() == 1) {
            // a functional model first (a pretrained base): its input shape is the stack's, as Keras 3 builds it
            buildGraph(m.inputs().get(0).shape().sampleDims());
        }
    }

    /**
     * Removes the last layer (Keras's {@code model.pop()}).
     *
     * @return the layer removed
     * @throws IllegalStateException if the model has no layers
     */
    public Layer pop() {
        if (stack.isEmpty()) throw new IllegalStateException("There are no layers in the model.");
        Layer l = stack.remove(stack.size() - 1);
        if (isGraphBuilt()) {
            if (stack.isEmpty()) {
                inputs = List.of();
                outputs = List.of();
            } else {
                rebuild();
            }
        }
        return l;
    }

    private void rebuild() {
        KerasTensor in = inputs.get(0);
        KerasTensor x = in;
        for (Layer l : stack) x = l.apply(x);
        initGraph(List.of(in), List.of(x));
    }

    private boolean isGraphBuilt() {
        return !inputs.isEmpty();
    }

    /**
     * Builds the graph for samples of the given shape (Keras's {@code model.build((None, ...))}).
     *
     * @param sampleShape the per-sample input shape, without the batch axis
     */
    public void buildGraph(long... sampleShape) {
        if (stack.isEmpty()) throw new IllegalStateException("Sequential model \"" + name() + "\" has no layers");
        InputLayer il = inputLayer != null ? inputLayer : new InputLayer(sampleShape);
        inputLayer = il;
        KerasTensor in = il.tensor();
        KerasTensor x = in;
        for (Layer l : stack) x = l.apply(x);
        initGraph(List.of(in), List.of(x));
    }

    @Override
    protected void ensureGraph() {
        if (!isGraphBuilt()) {
            throw new IllegalStateException("Sequential model \"" + name()
                    + "\" has not been built yet: give the first layer an input shape (.inputShape(...)), "
                    + "or call fit() or predict() first.");
        }
    }

    @Override
    protected void ensureGraph(INDArray[] xs) {
        if (!isGraphBuilt()) {
            if (xs.length != 1) throw new IllegalArgumentException("A Sequential model takes one input, got " + xs.length);
            long[] s = xs[0].shape();
            buildGraph(java.util.Arrays.copyOfRange(s, 1, s.length));
        }
    }

    /** The layers in order, without the input layer (as Keras's {@code Sequential.layers}). */
    @Override
    public List<Layer> layers() {
        if (isGraphBuilt()) {
            List<Layer> r = new ArrayList<>(super.layers());
            r.removeIf(l -> l instanceof InputLayer);
            return Collections.unmodifiableList(r);
        }
        return Collections.unmodifiableList(stack);
    }

    /** Keras's {@code Sequential.get_config()}: name, trainable, dtype, the layers (input layer first) and build_input_shape. */
    @Override
    public java.util.Map<String, Object> getConfig() {
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("name", name());
        c.put("trainable", trainable());
        c.put("dtype", Cornu.floatx());
        List<Object> ls = new ArrayList<>();
        if (isGraphBuilt()) {
            ls.add(org.cornu.core.saving.ModelConfig.serializeLayer(inputs.get(0).layer(), null));
            for (Layer l : layers()) {
                Object shape = null;
                for (Node n : l.inboundNodes) {
                    if (nodes().contains(n) && n.inputs.size() == 1) shape = Layer.toList(n.inputs.get(0).shape().dims());
                }
                ls.add(org.cornu.core.saving.ModelConfig.serializeLayer(l, shape));
            }
            c.put("layers", ls);
            c.put("build_input_shape", Layer.toList(inputs.get(0).shape().dims()));
        } else {
            for (Layer l : stack) ls.add(org.cornu.core.saving.ModelConfig.serializeLayer(l, null));
            c.put("layers", ls);
        }
        return c;
    }
}
