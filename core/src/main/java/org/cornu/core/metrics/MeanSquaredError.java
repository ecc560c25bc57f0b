package org.cornu.core.metrics;

/** The mean squared error over all samples seen, as {@code keras.metrics.MeanSquaredError}. */
public class MeanSquaredError extends MeanMetricWrapper {
    public MeanSquaredError() {
        super("mean_squared_error", MetricFunctions::meanSquaredError);
    }
}
