package org.cornu.core.training;

/**
 * The optional fast form of a {@link org.cornu.core.Loss}: the loss and its gradient over
 * plain Java arrays, which the small-model step ({@link org.cornu.core.FastPaths#SMALL_MODEL})
 * uses instead of the tape. A loss without it trains on the tape, with the same results.
 */
public interface JvmLoss {
    /**
     * The reduced loss of a batch given as row-major Java arrays ({@code batch} rows of
     * {@code dim} values), with sample weights {@code sw} (or null), writing
     * d(loss)/d(yPred) into {@code grad}. Same value and gradient as {@code Loss.compute}.
     *
     * @param yTrue the targets, {@code batch * dim} values
     * @param yPred the predictions, {@code batch * dim} values
     * @param batch the number of samples
     * @param dim the values per sample
     * @param sw the sample weights, or null
     * @param grad receives the gradient, {@code batch * dim} values
     * @return the reduced loss
     */
    double lossAndGradJvm(double[] yTrue, double[] yPred, int batch, int dim, double[] sw, double[] grad);
}
