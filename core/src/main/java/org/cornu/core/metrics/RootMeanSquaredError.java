package org.cornu.core.metrics;

/**
 * The root of the (weighted) mean squared error over all samples seen, as
 * {@code keras.metrics.RootMeanSquaredError}: {@code sqrt(total / count)} of the running
 * sums, not a mean of per-batch roots.
 */
public class RootMeanSquaredError extends MeanMetricWrapper {
    /** The root of the mean squared error over all samples; name {@code "root_mean_squared_error"}. */
    public RootMeanSquaredError() {
        super("root_mean_squared_error", MetricFunctions::meanSquaredError);
    }

    @Override
    public double result() {
        return Math.sqrt(super.result());
    }
}
