package org.cornu.core.training;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch as a training, test or predict step receives it (Keras's {@code data} argument of
 * {@code train_step}): the inputs in model-input order, the targets in model-output order (none
 * for predict), and the per-sample weights or null.
 *
 * <pre>{@code
 * public Map<String, Double> trainStep(StepData data) {
 *     INDArray x = data.x(), y = data.y();      // x, y = data
 *     ...
 * }
 * }</pre>
 *
 * @param xs the inputs, one array per model input
 * @param ys the targets, one array per model output (empty for predict)
 * @param sampleWeight the per-sample weights, or null
 */
public record StepData(INDArray[] xs, INDArray[] ys, INDArray sampleWeight) {
    /**
     * The input of a single-input model.
     *
     * @return the input batch
     */
    public INDArray x() {
        if (xs.length != 1) throw new IllegalStateException("the batch has " + xs.length + " inputs; use xs()");
        return xs[0];
    }

    /**
     * The target of a single-output model.
     *
     * @return the target batch
     */
    public INDArray y() {
        if (ys.length != 1) throw new IllegalStateException("the batch has " + ys.length + " targets; use ys()");
        return ys[0];
    }

    /**
     * The number of samples in the batch.
     *
     * @return the batch size
     */
    public int size() {
        return (int) xs[0].size(0);
    }
}
