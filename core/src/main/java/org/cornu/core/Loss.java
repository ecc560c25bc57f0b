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

    /**
     * Sets the loss's Keras name; the reduction defaults to {@code sum_over_batch_size}.
     *
     * @param name Keras's name, e.g. {@code "mean_squared_error"}
     */
    protected Loss(String name) {
        this.name = name;
    }

    /**
     * Keras's function name, e.g. {@code categorical_crossentropy}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * How the per-sample losses become the loss (Keras's {@code reduction}, default
     * {@code "sum_over_batch_size"}): {@code "sum_over_batch_size"} averages them over the
     * samples, {@code "sum"} adds them up, {@code "mean"} averages them too,
     * {@code "none"} keeps them.
     *
     * @param r {@code "sum_over_batch_size"}, {@code "sum"}, {@code "mean"} or {@code "none"}
     * @return this loss
     * @throws IllegalArgumentException for another value
     */
    public Loss reduction(String r) {
        if (!r.equals("sum_over_batch_size") && !r.equals("sum") && !r.equals("none") && !r.equals("mean")) {
            throw new IllegalArgumentException("Invalid reduction '" + r
                    + "'. Expected one of: sum_over_batch_size, sum, mean, none");
        }
        this.reduction = r;
        return this;
    }

    /**
     * The reduction (Keras's {@code reduction}).
     *
     * @return {@code "sum_over_batch_size"}, {@code "sum"}, {@code "mean"} or {@code "none"}
     */
    public String reduction() {
        return reduction;
    }

    /**
     * The loss of each sample (Keras's {@code Loss.call}), before weighting and reduction.
     *
     * @param yTrue the targets, of shape {@code (batch, d0, ..., dN)} (integer labels for sparse losses)
     * @param yPred the predictions, of shape {@code (batch, d0, ..., dN)}
     * @return the per-sample losses: the shape of {@code yPred} without its last axis
     */
    public abstract Tensor call(INDArray yTrue, Tensor yPred);

    /**
     * The loss of a batch (Keras's {@code loss(y_true, y_pred, sample_weight)}): the per-sample
     * losses of {@link #call}, multiplied by {@code sampleWeight}, then reduced.
     *
     * @param yTrue the targets
     * @param yPred the predictions, differentiable
     * @param sampleWeight the weight of each sample, shape {@code (batch,)}; null weighs all 1
     * @return a scalar tensor, or the per-sample losses with reduction {@code "none"}
     */
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

    /**
     * The loss of plain arrays, for tests and eager use.
     *
     * <pre>{@code
     * double l = new MeanSquaredError().value(Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}}),
     *                                         Nd4j.createFromArray(new float[][] {{1, 1}, {1, 0}}));
     * // 0.5: per-sample losses 0.5 and 0.5, averaged
     * }</pre>
     *
     * @param yTrue the targets
     * @param yPred the predictions
     * @return the reduced loss
     */
    public double value(INDArray yTrue, INDArray yPred) {
        return compute(yTrue, Tensor.constant(yPred), null).value().getDouble(0);
    }

    /**
     * The factor {@link #compute}'s reduction applies to the sum of per-sample values: 1/batch or 1.
     *
     * @param batch the number of samples
     * @return 1 for {@code sum}, else {@code 1 / batch}
     */
    public double reductionScale(int batch) {
        return reduction.equals("sum") ? 1.0 : 1.0 / batch;
    }

    /**
     * Keras's {@code get_config()} keys: {@code name}, {@code reduction}, plus the loss's own.
     *
     * @return key to JSON-ready value
     */
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
