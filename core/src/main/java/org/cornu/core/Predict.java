package org.cornu.core;

import org.cornu.core.training.RunOptions;

/** Starts {@link RunOptions} for {@link Model#predict}: {@code Predict.batchSize(256)}. */
public final class Predict {
    private Predict() {}

    public static RunOptions batchSize(int n) {
        return new RunOptions().batchSize(n);
    }

    public static RunOptions verbose(int v) {
        return new RunOptions().verbose(v);
    }
}
