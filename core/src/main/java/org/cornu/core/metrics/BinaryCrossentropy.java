package org.cornu.core.metrics;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mean binary crossentropy over all samples seen, as {@code keras.metrics.BinaryCrossentropy}
 * (probabilities clipped to {@code [1e-7, 1 - 1e-7]} unless {@code fromLogits}).
 */
public class BinaryCrossentropy extends MeanMetricWrapper {
    private boolean fromLogits;
    private double labelSmoothing;
    private int axis = -1;

    /**
     * The mean binary crossentropy over all samples, with Keras's defaults: probabilities (not
     * logits), no label smoothing, axis -1; name {@code "binary_crossentropy"}.
     */
    public BinaryCrossentropy() {
        super("binary_crossentropy");
    }

    /**
     * Whether predictions are logits (default false).
     *
     * @param b true for logits (Keras's {@code from_logits})
     * @return this metric
     */
    public BinaryCrossentropy fromLogits(boolean b) {
        this.fromLogits = b;
        return this;
    }

    /**
     * Label smoothing in [0, 1] (default 0).
     *
     * @param s the smoothing (Keras's {@code label_smoothing})
     * @return this metric
     */
    public BinaryCrossentropy labelSmoothing(double s) {
        this.labelSmoothing = s;
        return this;
    }

    /**
     * The axis the mean is taken over (default -1).
     *
     * @param a the axis (Keras's {@code axis})
     * @return this metric
     */
    public BinaryCrossentropy axis(int a) {
        this.axis = a;
        return this;
    }

    @Override
    protected INDArray values(INDArray yTrue, INDArray yPred) {
        return MetricFunctions.binaryCrossentropy(yTrue, yPred, fromLogits, labelSmoothing, axis);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", labelSmoothing);
        // keras.metrics.BinaryCrossentropy has no axis argument: written only when it is not the last axis
        if (axis != -1) c.put("axis", axis);
        return c;
    }
}
