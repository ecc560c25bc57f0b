package org.cornu.core.metrics;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How often the one-hot target's class is among the {@code k} highest predictions (default
 * 5), as {@code keras.metrics.TopKCategoricalAccuracy}.
 */
public class TopKCategoricalAccuracy extends MeanMetricWrapper {
    private int k;

    /**
     * How often the target class is among the 5 highest predictions (Keras's default {@code k=5});
     * name {@code "top_k_categorical_accuracy"}.
     */
    public TopKCategoricalAccuracy() {
        this(5);
    }

    /**
     * How often the target class is among the {@code k} highest predictions.
     *
     * @param k how many of the highest predictions count (Keras's {@code k})
     */
    public TopKCategoricalAccuracy(int k) {
        super("top_k_categorical_accuracy");
        k(k);
    }

    /**
     * How many of the highest predictions count (at least 1).
     *
     * @param k the count (Keras's {@code k}, default 5)
     * @return this metric
     */
    public TopKCategoricalAccuracy k(int k) {
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
        return MetricFunctions.topKCategoricalAccuracy(yTrue, yPred, k);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("k", k);
        return c;
    }
}
