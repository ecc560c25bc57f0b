package org.cornu.core.metrics;

/**
 * How often the argmax of the prediction matches the argmax of the one-hot target, as
 * {@code keras.metrics.CategoricalAccuracy}.
 */
public class CategoricalAccuracy extends MeanMetricWrapper {
    /** How often the highest prediction is the one-hot target's class; name {@code "categorical_accuracy"}. */
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    /**
     * Under another name (Keras's {@code CategoricalAccuracy(name="acc")}).
     *
     * @param name the metric's name
     */
    public CategoricalAccuracy(String name) {
        super(name, Metrics::categoricalAccuracy);
        jvm((yt, to, td, yp, po, pd) -> Metrics.argmax(yt, to, td) == Metrics.argmax(yp, po, pd) ? 1.0 : 0.0);
    }
}
