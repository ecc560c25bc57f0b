package org.cornu.core.metrics;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mean crossentropy with integer labels over all samples seen, as
 * {@code keras.metrics.SparseCategoricalCrossentropy}.
 */
public class SparseCategoricalCrossentropy extends MeanMetricWrapper {
    private boolean fromLogits;

    /**
     * The mean sparse categorical crossentropy over all samples, with Keras's defaults: probabilities (not
     * logits); name {@code "sparse_categorical_crossentropy"}.
     */
    public SparseCategoricalCrossentropy() {
        super("sparse_categorical_crossentropy");
    }

    /**
     * Whether predictions are logits (default false).
     *
     * @param b true for logits (Keras's {@code from_logits})
     * @return this metric
     */
    public SparseCategoricalCrossentropy fromLogits(boolean b) {
        this.fromLogits = b;
        return this;
    }

    @Override
    protected INDArray values(INDArray yTrue, INDArray yPred) {
        return MetricFunctions.sparseCategoricalCrossentropy(yTrue, yPred, fromLogits);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        c.put("axis", -1);
        return c;
    }
}
