package org.cornu.core.metrics;

/** The mean absolute error over all samples seen, as {@code keras.metrics.MeanAbsoluteError}. */
public class MeanAbsoluteError extends MeanMetricWrapper {
    public MeanAbsoluteError() {
        super("mean_absolute_error", MetricFunctions::meanAbsoluteError);
    }
}
