package org.cornu.core.metrics;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mean categorical crossentropy over all samples seen, as {@code keras.metrics.CategoricalCrossentropy}
 * (rows normalized and clipped to {@code [1e-7, 1 - 1e-7]} unless {@code fromLogits}).
 */
public class CategoricalCrossentropy extends MeanMetricWrapper {
    private boolean fromLogits;
    private double labelSmoothing;
    private int axis = -1;

    /**
     * The mean categorical crossentropy over all samples, with Keras's defaults: probabilities (not
     * logits), no label smoothing, axis -1; name {@code "categorical_crossentropy"}.
     */
    public CategoricalCrossentropy() {
        super("categorical_crossentropy");
    }

    /**
     * Whether predictions are logits (default false).
     *
     * @param b true for logits (Keras's {@code from_logits})
     * @return this metric
     */
    public CategoricalCrossentropy fromLogits(boolean b) {
        this.fromLogits = b;
        return this;
    }

    /**
     * Label smoothing in [0, 1] (default 0).
     *
     * @param s the smoothing (Keras's {@code label_smoothing})
     * @return this metric
     */
    public CategoricalCrossentropy labelSmoothing(double s) {
        this.labelSmoothing = s;
        return this;
    }

    /**
     * The class axis (default -1).
     *
     * @param a the axis (Keras's {@code axis})
     * @return this metric
     */
    public CategoricalCrossentropy axis(int a) {
        this.axis = a;
        return this;
    }

    @Override
    protected INDArray values(INDArray yTrue, INDArray yPred) {
        return MetricFunctions.categoricalCrossentropy(yTrue, yPred, fromLogits, labelSmoothing, axis);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", labelSmoothing);
        c.put("axis", axis);
        return c;
    }
}
