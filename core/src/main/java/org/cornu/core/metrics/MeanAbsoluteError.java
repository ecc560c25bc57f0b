package org.cornu.core.metrics;

/** The mean absolute error over all samples seen, as {@code keras.metrics.MeanAbsoluteError}. */
public class MeanAbsoluteError extends MeanMetricWrapper {
    /** The mean absolute error over all samples; name {@code "mean_absolute_error"}. */
    public MeanAbsoluteError() {
        this("mean_absolute_error");
    }

    /**
     * Under another name (Keras's {@code MeanAbsoluteError(name="mae")}).
     *
     * @param name the metric's name
     */
    public MeanAbsoluteError(String name) {
        super(name, MetricFunctions::meanAbsoluteError);
        jvm((yt, to, td, yp, po, pd) -> {
            double s = 0;
            for (int j = 0; j < pd; j++) s += Math.abs(yp[po + j] - yt[to + (td == 1 ? 0 : j)]);
            return s / pd;
        });
    }
}
