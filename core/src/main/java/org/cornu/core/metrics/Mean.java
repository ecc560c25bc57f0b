package org.cornu.core.metrics;

import org.cornu.core.Metric;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The weighted mean of the values given to it, as {@code keras.metrics.Mean}. */
public class Mean extends Metric {
    private double total;
    private double count;

    /**
     * The weighted mean of the values given (Keras's {@code keras.metrics.Mean(name)}), e.g. to
     * track a loss in a custom {@code trainStep}.
     *
     * @param name the name logs and History use
     */
    public Mean(String name) {
        super(name);
    }

    /** Adds {@code value} with weight {@code weight}. */
    /**
     * Adds one value with weight 1 (Keras's {@code mean.update_state(value)} for a scalar).
     *
     * @param value the value
     */
    public void updateState(double value) {
        update(value, 1.0);
    }

    /**
     * Adds {@code value} with weight {@code weight}.
     *
     * @param value the value
     * @param weight its weight
     */
    public void update(double value, double weight) {
        total += value * weight;
        count += weight;
    }

    /**
     * The weighted sum accumulated so far (Keras's {@code total} variable).
     *
     * @return the total
     */
    public double total() {
        return total;
    }

    /**
     * The sum of the weights accumulated so far (Keras's {@code count} variable).
     *
     * @return the count
     */
    public double count() {
        return count;
    }

    /**
     * Adds the state of another mean of the same quantity (its {@link #total()} and
     * {@link #count()}), as data-parallel training merges its workers' metric states: the result
     * is then the mean over both.
     *
     * @param otherTotal the other state's total
     * @param otherCount the other state's count
     */
    public void mergeState(double otherTotal, double otherCount) {
        total += otherTotal;
        count += otherCount;
    }

    /** Adds every element of {@code values} (weight 1, or {@code sampleWeight} per sample). */
    @Override
    public void updateState(INDArray values, INDArray unused, INDArray sampleWeight) {
        if (sampleWeight == null) {
            total += values.sumNumber().doubleValue();
            count += values.length();
        } else {
            INDArray w = sampleWeight.castTo(values.dataType()).reshape(values.shape());
            total += values.mul(w).sumNumber().doubleValue();
            count += w.sumNumber().doubleValue();
        }
    }

    @Override
    public double result() {
        return count == 0 ? 0.0 : total / count;
    }

    @Override
    public void resetState() {
        total = 0;
        count = 0;
    }
}
