package org.cornu.core;

import org.cornu.core.training.RunOptions;

/** Starts {@link RunOptions} for {@link Model#evaluate}: {@code Evaluate.batchSize(64).verbose(0)}. */
public final class Evaluate {
    private Evaluate() {}

    public static RunOptions batchSize(int n) {
        return new RunOptions().batchSize(n);
    }

    public static RunOptions verbose(int v) {
        return new RunOptions().verbose(v);
    }
}
