package org.cornu.core.metrics;

/** The mean absolute percentage error over all samples seen, as {@code keras.metrics.MeanAbsolutePercentageError}. */
public class MeanAbsolutePercentageError extends MeanMetricWrapper {
    /** The mean absolute percentage error over all samples; name {@code "mean_absolute_percentage_error"}. */
    public MeanAbsolutePercentageError() {
        super("mean_absolute_percentage_error", MetricFunctions::meanAbsolutePercentageError);
    }
}
