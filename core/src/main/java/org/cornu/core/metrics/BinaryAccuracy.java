package org.cornu.core.metrics;

import java.util.Map;

/**
 * How often predictions match binary labels, as {@code keras.metrics.BinaryAccuracy}: a
 * prediction above {@code threshold} (default 0.5) counts as 1, and the per-sample value is the
 * fraction of the last axis that matches the target.
 */
public class BinaryAccuracy extends MeanMetricWrapper {
    private double threshold = 0.5;

    /**
     * How often predictions match 0/1 targets, a prediction above the threshold counting as 1; threshold
     * 0.5, name {@code "binary_accuracy"} (Keras's defaults).
     */
    public BinaryAccuracy() {
        this("binary_accuracy");
    }

    /**
     * Under another name (Keras's {@code BinaryAccuracy(name="acc")}).
     *
     * @param name the metric's name
     */
    public BinaryAccuracy(String name) {
        super(name);
        jvm((yt, to, td, yp, po, pd) -> {
            double s = 0;
            for (int j = 0; j < pd; j++) s += ((yp[po + j] > threshold ? 1.0 : 0.0) == yt[to + (td == 1 ? 0 : j)]) ? 1 : 0;
            return s / pd;
        });
    }

    /**
     * The decision threshold, in (0, 1) (default 0.5).
     *
     * @param t the threshold (Keras's {@code threshold})
     * @return this metric
     */
    public BinaryAccuracy threshold(double t) {
        if (!(t > 0 && t < 1)) {
            throw new IllegalArgumentException("Invalid value for argument `threshold`. Expected a value in interval (0, 1). "
                    + "Received: threshold=" + t);
        }
        this.threshold = t;
        return this;
    }

    /**
     * The decision threshold (Keras's {@code threshold}).
     *
     * @return the threshold
     */
    public double threshold() {
        return threshold;
    }

    @Override
    protected org.nd4j.linalg.api.ndarray.INDArray values(org.nd4j.linalg.api.ndarray.INDArray yTrue,
                                                          org.nd4j.linalg.api.ndarray.INDArray yPred) {
        return Metrics.binaryAccuracy(yTrue, yPred, threshold);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("threshold", threshold);
        return c;
    }
}
