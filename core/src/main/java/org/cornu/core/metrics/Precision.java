package org.cornu.core.metrics;

/**
 * Precision over all samples seen, as {@code keras.metrics.Precision}: {@code true positives / (true positives + false positives)}
 * (0 when there are none), with predictions above {@code thresholds} (default 0.5) counted
 * positive. Optionally only the {@code topK} predictions of each row, or one {@code classId}.
 */
public class Precision extends ConfusionMetric {
    /**
     * The precision of binary or multi-label predictions, with Keras's defaults: threshold 0.5, every
     * class, no top-k; name {@code "precision"}.
     */
    public Precision() {
        super("precision");
    }

    /**
     * The decision threshold in [0, 1] (default 0.5).
     *
     * @param t the threshold (Keras's {@code thresholds})
     * @return this metric
     */
    public Precision thresholds(double t) {
        setThreshold(t);
        return this;
    }

    /**
     * Counts only the {@code k} highest predictions of each row as candidates.
     *
     * @param k the number of candidates per row (Keras's {@code top_k}, none by default)
     * @return this metric
     */
    public Precision topK(int k) {
        setTopK(k);
        return this;
    }

    /**
     * Restricts the counts to one class (a position of the last axis).
     *
     * @param id the class (Keras's {@code class_id}, none by default)
     * @return this metric
     */
    public Precision classId(int id) {
        classId = id;
        return this;
    }

    @Override
    public double result() {
        return divideNoNan(truePositives(), truePositives() + falsePositives());
    }
}
