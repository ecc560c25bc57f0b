package org.cornu.core.metrics;

/**
 * How often the argmax of the prediction matches the argmax of the one-hot target, as
 * {@code keras.metrics.CategoricalAccuracy}.
 */
public class CategoricalAccuracy extends MeanMetricWrapper {
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    /** Under another name (Keras's {@code CategoricalAccuracy(name="acc")}). */
    public CategoricalAccuracy(String name) {
        super(name, Metrics::categoricalAccuracy);
        jvm((yt, to, td, yp, po, pd) -> Metrics.argmax(yt, to, td) == Metrics.argmax(yp, po, pd) ? 1.0 : 0.0);
    }
}
