package org.cornu.core.metrics;

/**
 * Precision over all samples seen, as {@code keras.metrics.Precision}: {@code true positives / (true positives + false positives)}
 * (0 when there are none), with predictions above {@code thresholds} (default 0.5) counted
 * positive. Optionally only the {@code topK} predictions of each row, or one {@code classId}.
 */
public class Precision extends ConfusionMetric {
    public Precision() {
        super("precision");
    }

    /** The decision threshold in [0, 1] (default 0.5). */
    public Precision thresholds(double t) {
        setThreshold(t);
        return this;
    }

    /** Counts only the {@code k} highest predictions of each row as candidates. */
    public Precision topK(int k) {
        setTopK(k);
        return this;
    }

    /** Restricts the counts to one class (a position of the last axis). */
    public Precision classId(int id) {
        classId = id;
        return this;
    }

    @Override
    public double result() {
        return divideNoNan(truePositives(), truePositives() + falsePositives());
    }
}
