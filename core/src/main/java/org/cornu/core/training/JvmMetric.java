package org.cornu.core.training;

/**
 * The optional fast form of a {@link org.cornu.core.Metric}: accumulating a batch given as
 * plain Java arrays, for the small-model step ({@link org.cornu.core.FastPaths#SMALL_MODEL}).
 * A metric without it keeps a model on the tape, with the same results.
 */
public interface JvmMetric {
    /**
     * Whether this instance has the fast form (a wrapper may or may not, by what it wraps).
     *
     * @return true if {@link #updateStateJvm} may be used
     */
    default boolean supportsJvm() {
        return true;
    }

    /**
     * Accumulates a batch: {@code yTrue} has {@code trueDim} values per sample, {@code yPred}
     * has {@code predDim}. Same result as {@code Metric.updateState}.
     *
     * @param yTrue the targets, {@code batch * trueDim} values
     * @param trueDim the target values per sample
     * @param yPred the predictions, {@code batch * predDim} values
     * @param predDim the predictions per sample
     * @param batch the number of samples
     */
    void updateStateJvm(double[] yTrue, int trueDim, double[] yPred, int predDim, int batch);
}
