package org.cornu.core.training;

import org.cornu.core.Weight;

/**
 * A layer computing {@code activation(x @ kernel + bias)} over the last axis (Keras's Dense).
 * Lets the small-batch JVM path ({@link SmallPath}) run such layers without ND4J calls.
 */
public interface FullyConnected {
    Weight kernel();

    /** The bias, or null without one. */
    Weight bias();

    /** The activation's Keras name. */
    String activationName();

    /** Whether any kernel, bias or activity regularizer is set. */
    boolean hasRegularizers();
}
