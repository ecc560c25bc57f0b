package org.cornu.core.metrics;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How often the integer label is among the {@code k} highest predictions (default
 * 5), as {@code keras.metrics.SparseTopKCategoricalAccuracy}.
 */
public class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
    private int k;

    /**
     * How often the target class is among the 5 highest predictions (Keras's default {@code k=5});
     * name {@code "sparse_top_k_categorical_accuracy"}.
     */
    public SparseTopKCategoricalAccuracy() {
        this(5);
    }

    /**
     * How often the target class is among the {@code k} highest predictions.
     *
     * @param k how many of the highest predictions count (Keras's {@code k})
     */
    public SparseTopKCategoricalAccuracy(int k) {
        super("sparse_top_k_categorical_accuracy");
        k(k);
    }

    /**
     * How many of the highest predictions count (at least 1).
     *
     * @param k the count (Keras's {@code k}, default 5)
     * @return this metric
     */
    public SparseTopKCategoricalAccuracy k(int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        this.k = k;
        return this;
    }

    /**
     * How many of the highest predictions count (Keras's {@code k}).
     *
     * @return k
     */
    public int k() {
        return k;
    }

    @Override
    protected INDArray values(INDArray yTrue, INDArray yPred) {
        return MetricFunctions.sparseTopKCategoricalAccuracy(yTrue, yPred, k);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("k", k);
        return c;
    }
}
