package org.cornu.core.activations;

import org.cornu.core.autodiff.Tensor;

/** An activation function, as those of {@code keras.activations}. */
public interface ActivationFunction {
    /**
     * Keras's name, e.g. {@code relu}.
     *
     * @return the name
     */
    String name();

    /**
     * The activation of {@code x}, differentiable; {@code x} is not modified.
     *
     * @param x the input
     * @return the activation, of {@code x}'s shape
     */
    Tensor apply(Tensor x);

    /**
     * The activation computed in {@code x}'s own buffer where that is safe (the backward needs
     * only the output); a layer calls it only on a tensor it owns. Defaults to {@link #apply}.
     *
     * @param x the input, owned by the caller
     * @return the activation, possibly in {@code x}'s buffer
     */
    default Tensor applyInPlace(Tensor x) {
        return apply(x);
    }
}
