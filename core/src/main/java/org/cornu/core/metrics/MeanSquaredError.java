package org.cornu.core.metrics;

/** The mean squared error over all samples seen, as {@code keras.metrics.MeanSquaredError}. */
public class MeanSquaredError extends MeanMetricWrapper {
    /** The mean squared error over all samples; name {@code "mean_squared_error"}. */
    public MeanSquaredError() {
        super("mean_squared_error", MetricFunctions::meanSquaredError);
        jvm((yt, to, td, yp, po, pd) -> {
            double s = 0;
            for (int j = 0; j < pd; j++) {
                double e = yp[po + j] - yt[to + (td == 1 ? 0 : j)];
                s += e * e;
            }
            return s / pd;
        });
    }
}
