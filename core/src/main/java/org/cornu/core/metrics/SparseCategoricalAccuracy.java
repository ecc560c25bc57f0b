package org.cornu.core.metrics;

/**
 * How often the argmax of the prediction matches the integer label, as
 * {@code keras.metrics.SparseCategoricalAccuracy}.
 */
public class SparseCategoricalAccuracy extends MeanMetricWrapper {
    /** How often the highest prediction is the integer label; name {@code "sparse_categorical_accuracy"}. */
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    /**
     * Under another name (Keras's {@code SparseCategoricalAccuracy(name="acc")}).
     *
     * @param name the metric's name
     */
    public SparseCategoricalAccuracy(String name) {
        super(name, Metrics::sparseCategoricalAccuracy);
        jvm((yt, to, td, yp, po, pd) -> yt[to] == Metrics.argmax(yp, po, pd) ? 1.0 : 0.0);
    }
}
