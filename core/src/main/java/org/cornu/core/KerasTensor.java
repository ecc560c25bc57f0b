package org.cornu.core;

/**
 * A symbolic tensor of a functional model: a shape (batch dimension unknown) and the layer
 * application that produced it. Made by {@link Input#of} and by applying layers.
 */
public final class KerasTensor {
    private final Shape shape;
    final Node node;
    final int index;
    private final String name;

    KerasTensor(Shape shape, Node node, int index, String name) {
        this.shape = shape;
        this.node = node;
        this.index = index;
        this.name = name;
    }

    /**
     * The shape, with {@code -1} for the unknown batch dimension.
     *
     * @return the shape
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The layer that produced this tensor.
     *
     * @return the layer
     */
    public Layer layer() {
        return node.layer;
    }

    /**
     * The tensor's name: the name of the layer that produced it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The model inputs this tensor is computed from: the {@link Input} tensors reached by walking
     * its graph back (Keras's {@code keras.utils.get_source_inputs}), each once, in the order met;
     * for an input tensor, itself.
     *
     * @return the source inputs
     */
    public java.util.List<KerasTensor> sourceInputs() {
        java.util.List<KerasTensor> r = new java.util.ArrayList<>();
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<KerasTensor> stack = new java.util.ArrayDeque<>();
        stack.push(this);
        while (!stack.isEmpty()) {
            KerasTensor t = stack.pop();
            if (t.node.layer instanceof InputLayer) {
                if (!r.contains(t)) r.add(t);
                continue;
            }
            if (!seen.add(t.node)) continue;
            for (int i = t.node.inputs.size() - 1; i >= 0; i--) stack.push(t.node.inputs.get(i));
        }
        return r;
    }

    @Override
    public String toString() {
        return "<KerasTensor shape=" + shape + ", dtype=" + Cornu.floatx() + ", name=" + name + ">";
    }
}
