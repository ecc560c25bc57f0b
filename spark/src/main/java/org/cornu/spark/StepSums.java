package org.cornu.spark;

import java.io.Serializable;

/**
 * What the tasks of one step send back, added up by {@code treeAggregate}: the sample count,
 * the summed losses, the float64 gradient sums of the trainable weights (flat, in
 * {@code trainableWeights()} order; null until a slice contributes) with a flag per weight that
 * has a gradient, and the metrics' states (total and count per metric, in {@code metrics()} order).
 * In the {@link SparkFit#localStepsPerSync} mode {@code grad} holds the sample-weighted sum of the
 * workers' weights (all weights) instead.
 */
final class StepSums implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    double[] loss;
    /** Written as raw bytes (see {@link #writeObject}): Java serialization of a double[] goes element by element. */
    transient double[] grad;
    boolean[] hasGrad;
    double[] metricTotals;
    double[] metricCounts;

    /** Adds {@code b} into {@code a} (Spark lets the aggregation reuse its first argument) and returns it. */
    static StepSums add(StepSums a, StepSums b) {
        if (b.loss == null) return a;
        if (a.loss == null) return b; // the first contribution is taken as is: a single slice stays bit-exact
        a.count += b.count;
        addInto(a.loss, b.loss);
        if (a.grad == null) {
            a.grad = b.grad;
        } else if (b.grad != null) {
            addInto(a.grad, b.grad);
        }
        if (a.hasGrad == null) {
            a.hasGrad = b.hasGrad;
        } else if (b.hasGrad != null) {
            for (int i = 0; i < a.hasGrad.length; i++) a.hasGrad[i] |= b.hasGrad[i];
        }
        addInto(a.metricTotals, b.metricTotals);
        addInto(a.metricCounts, b.metricCounts);
        return a;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        out.writeObject(grad == null ? null : Codec.bytes(grad));
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte[] b = (byte[]) in.readObject();
        grad = b == null ? null : Codec.doubles(b);
    }

    private static void addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
    }
}
