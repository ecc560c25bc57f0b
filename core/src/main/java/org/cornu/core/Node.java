package org.cornu.core;

import java.util.List;

/**
 * One application of a layer in a functional graph (Keras's {@code Node}): the layer, its
 * symbolic inputs and the symbolic outputs it produced.
 */
public final class Node {
    final Layer layer;
    final List<KerasTensor> inputs;
    final int index;
    List<KerasTensor> outputs;

    Node(Layer layer, List<KerasTensor> inputs, int index) {
        this.layer = layer;
        this.inputs = inputs;
        this.index = index;
    }

    /**
     * The layer applied.
     *
     * @return the layer
     */
    public Layer layer() {
        return layer;
    }

    /**
     * The symbolic tensors the layer was applied to.
     *
     * @return the input tensors
     */
    public List<KerasTensor> inputs() {
        return inputs;
    }

    /**
     * The symbolic tensors the application produced.
     *
     * @return the output tensors
     */
    public List<KerasTensor> outputs() {
        return outputs;
    }
}
