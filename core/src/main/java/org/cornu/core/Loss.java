package org.cornu.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;

/**
 * A loss, as {@code keras.losses.Loss}: {@link #call} gives the per-sample values
 * (the last axis reduced), {@link #compute} weights them and reduces with
 * {@code sum_over_batch_size} (Keras's default): the sum of weighted values divided by
 * their count.
 */
public abstract class Loss {
    private final String name;
    private String reduction = "sum_over_batch_size";

    protected Loss(String name) {
        this.name = name;
    }

    /** Keras's function name, e.g. {@code categorical_crossentropy}. */
    public String name() {
        return name;
    }

    /** {@code sum_over_batch_size} (default), {@code sum} or {@code none}. */
    public Loss reduction(String r) {
        if (!r.equals("sum_over_batch_size") && !r.equals("sum") && !r.equals("none") && !r.equals("mean")) {
            throw new IllegalArgumentException("Invalid reduction '" + r
                    + "'. Expected one of: sum_over_batch_size, sum, mean, none");
        }
        this.reduction = r;
        return this;
    }

    public String reduction() {
        return reduction;
    }

    /** Per-sample loss values: shape of {@code yPred} without its last axis. */
    public abstract Tensor call(INDArray yTrue, Tensor yPred);

    /** The reduced, weighted loss; {@code sampleWeight} may be null. */
    public Tensor compute(INDArray yTrue, Tensor yPred, INDArray sampleWeight) {
        Tensor per = call(yTrue, yPred);
        if (sampleWeight != null) {
            INDArray w = sampleWeight.dataType() == per.value().dataType()
                    ? sampleWeight : sampleWeight.castTo(per.value().dataType());
            long[] ps = per.value().shape();
            if (w.rank() > ps.length) w = w.reshape(ps);
            else if (w.rank() < ps.length) {
                long[] ws = new long[ps.length];
                java.util.Arrays.fill(ws, 1);
                System.arraycopy(w.shape(), 0, ws, 0, w.rank());
                w = w.reshape(ws);
            }
            per = Ops.mul(per, Tensor.constant(w));
        }
        return switch (reduction) {
            case "none" -> per;
            case "sum" -> Ops.sum(per);
            default -> Ops.mean(per);
        };
    }

    /** The loss of plain arrays, for tests and eager use. */
    public double value(INDArray yTrue, INDArray yPred) {
        return compute(yTrue, Tensor.constant(yPred), null).value().getDouble(0);
    }

    /** The factor {@link #compute}'s reduction applies to the sum of per-sample values: 1/batch or 1. */
    public double reductionScale(int batch) {
        return reduction.equals("sum") ? 1.0 : 1.0 / batch;
    }

    /** Keras's {@code get_config()} keys: {@code name}, {@code reduction}, plus the loss's own. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("reduction", reduction);
        return c;
    }

    @Override
    public String toString() {
        return name;
    }
}
