package org.cornu.core.metrics;

/**
 * How often the argmax of the prediction matches the integer label, as
 * {@code keras.metrics.SparseCategoricalAccuracy}.
 */
public class SparseCategoricalAccuracy extends MeanMetricWrapper {
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    /** Under another name (Keras's {@code SparseCategoricalAccuracy(name="acc")}). */
    public SparseCategoricalAccuracy(String name) {
        super(name, Metrics::sparseCategoricalAccuracy);
        jvm((yt, to, td, yp, po, pd) -> yt[to] == Metrics.argmax(yp, po, pd) ? 1.0 : 0.0);
    }
}
