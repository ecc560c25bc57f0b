package org.cornu.core;

/** Keras's {@code keras.Input}: a symbolic input of a functional model. */
public final class Input {
    private Input() {}

    /**
     * An input of per-sample shape {@code shape}: {@code Input.of(784)}, {@code Input.of(28, 28, 1)}.
     *
     * Keras's {@code keras.Input(shape=...)}.
     *
     * @param shape the per-sample shape, without the batch axis
     * @return the symbolic input, of shape {@code (None, ...shape)}
     */
    public static KerasTensor of(long... shape) {
        return new InputLayer(shape).tensor();
    }

    /**
     * A named input.
     *
     * @param name the input's name, by which {@code fit} and {@code predict} may take its data
     * @param shape the per-sample shape, without the batch axis
     * @return the symbolic input
     */
    public static KerasTensor of(String name, long... shape) {
        InputLayer l = new InputLayer(shape);
        l.name(name);
        return l.tensor();
    }
}
