package org.cornu.core.training;

import org.cornu.core.Weight;

/**
 * A layer computing {@code activation(x @ kernel + bias)} over the last axis (Keras's Dense).
 * Lets the small-batch JVM path ({@link SmallPath}) run such layers without ND4J calls.
 */
public interface FullyConnected {
    /**
     * The kernel, shape {@code (inputs, units)}.
     *
     * @return the weight
     */
    Weight kernel();

    /**
     * The bias, or null without one.
     *
     * @return the weight, or null
     */
    Weight bias();

    /**
     * The activation's Keras name.
     *
     * @return the name
     */
    String activationName();

    /**
     * Whether any kernel, bias or activity regularizer is set.
     *
     * @return true with a regularizer
     */
    boolean hasRegularizers();
}
