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

    /** The shape, with {@code -1} for the unknown batch dimension. */
    public Shape shape() {
        return shape;
    }

    /** The layer that produced this tensor. */
    public Layer layer() {
        return node.layer;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "<KerasTensor shape=" + shape + ", dtype=" + Cornu.floatx() + ", name=" + name + ">";
    }
}
