package org.cornu.core;

import org.cornu.core.training.RunOptions;

/** Starts {@link RunOptions} for {@link Model#evaluate}: {@code Evaluate.batchSize(64).verbose(0)}. */
public final class Evaluate {
    private Evaluate() {}

    /**
     * Options with batch size {@code n} (Keras's {@code batch_size}, default 32).
     *
     * @param n the number of samples per batch
     * @return new options
     */
    public static RunOptions batchSize(int n) {
        return new RunOptions().batchSize(n);
    }

    /**
     * Options with verbosity {@code v} (Keras's {@code verbose}): 0 silent, 1 progress bar, 2 one line.
     *
     * @param v 0, 1 or 2
     * @return new options
     */
    public static RunOptions verbose(int v) {
        return new RunOptions().verbose(v);
    }
}
