package org.cornu.core.metrics;

import java.util.Set;
import java.util.TreeSet;
import org.cornu.core.Loss;
import org.cornu.core.Metric;
import org.cornu.core.Registry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's metrics by name, and the resolution of {@code "accuracy"} / {@code "acc"}: binary
 * accuracy when the prediction's last axis is 1, sparse categorical accuracy when the target
 * has a lower rank (or a last axis of 1), else categorical accuracy (Keras 3's
 * {@code get_metric}). A metric is named as the user named it.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * Per-sample: 1 where {@code yPred > threshold} matches {@code yTrue}, averaged over the last axis.
     *
     * @param yTrue 0/1 targets
     * @param yPred probabilities, of the targets' shape
     * @param threshold the decision threshold (Keras's default 0.5)
     * @return the per-sample accuracies
     */
    public static INDArray binaryAccuracy(INDArray yTrue, INDArray yPred, double threshold) {
        INDArray p = yPred.gt(threshold).castTo(DataType.DOUBLE);
        INDArray t = yTrue.castTo(DataType.DOUBLE).reshape(p.shape());
        INDArray eq = t.eq(p).castTo(DataType.DOUBLE);
        return eq.rank() > 1 ? eq.mean(eq.rank() - 1) : eq;
    }

    /**
     * Per-sample: 1 where argmax of {@code yPred} equals argmax of one-hot {@code yTrue}.
     *
     * @param yTrue one-hot targets, shape {@code (batch, classes)}
     * @param yPred the scores, shape {@code (batch, classes)}
     * @return 1 or 0 per sample
     */
    public static INDArray categoricalAccuracy(INDArray yTrue, INDArray yPred) {
        int ax = yPred.rank() - 1;
        return yTrue.argMax(ax).eq(yPred.argMax(ax)).castTo(DataType.DOUBLE);
    }

    /**
     * Per-sample: 1 where argmax of {@code yPred} equals the integer label {@code yTrue}.
     *
     * @param yTrue integer labels, shape {@code (batch,)} or {@code (batch, 1)}
     * @param yPred the scores, shape {@code (batch, classes)}
     * @return 1 or 0 per sample
     */
    public static INDArray sparseCategoricalAccuracy(INDArray yTrue, INDArray yPred) {
        int ax = yPred.rank() - 1;
        INDArray pred = yPred.argMax(ax).castTo(DataType.DOUBLE);
        INDArray t = yTrue.castTo(DataType.DOUBLE).reshape(pred.shape());
        return t.eq(pred).castTo(DataType.DOUBLE);
    }

    /**
     * A new {@link BinaryAccuracy} (Keras's {@code "binary_accuracy"}).
     *
     * @return the metric
     */
    public static Metric binaryAccuracy() {
        return new BinaryAccuracy();
    }

    /**
     * A new {@link CategoricalAccuracy} (Keras's {@code "categorical_accuracy"}).
     *
     * @return the metric
     */
    public static Metric categoricalAccuracy() {
        return new CategoricalAccuracy();
    }

    /**
     * A new {@link SparseCategoricalAccuracy} (Keras's {@code "sparse_categorical_accuracy"}).
     *
     * @return the metric
     */
    public static Metric sparseCategoricalAccuracy() {
        return new SparseCategoricalAccuracy();
    }

    /** Index of the first maximum of {@code a[off..off+n)}, as argmax. */
    static int argmax(double[] a, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) if (a[off + j] > a[off + best]) best = j;
        return best;
    }

    /** Registers the metrics implemented in core. */
    public static void registerAll() {
        for (String n : new String[] {"binary_accuracy", "BinaryAccuracy"}) Registry.register(Registry.Kind.METRIC, n, BinaryAccuracy::new);
        for (String n : new String[] {"categorical_accuracy", "CategoricalAccuracy"}) {
            Registry.register(Registry.Kind.METRIC, n, CategoricalAccuracy::new);
        }
        for (String n : new String[] {"sparse_categorical_accuracy", "SparseCategoricalAccuracy"}) {
            Registry.register(Registry.Kind.METRIC, n, SparseCategoricalAccuracy::new);
        }
        MoreMetrics.registerAll();
    }

    /**
     * Whether {@code name} names a metric ({@code accuracy} and {@code acc} included).
     *
     * @param name a metric name
     * @return true if {@link #resolve} accepts it
     */
    public static boolean isKnown(String name) {
        String n = name.toLowerCase();
        return n.equals("accuracy") || n.equals("acc") || Registry.has(Registry.Kind.METRIC, n);
    }

    /**
     * The metric names {@link #resolve} accepts.
     *
     * @return the names
     */
    public static Set<String> knownNames() {
        Set<String> s = new TreeSet<>(Registry.names(Registry.Kind.METRIC));
        s.add("accuracy");
        s.add("acc");
        return s;
    }

    /**
     * The metric for {@code id} (a name or a {@link Metric}) given the loss and the target and
     * prediction shapes, named as the user named it.
     *
     * As Keras, {@code "accuracy"} (or {@code "acc"}) becomes binary accuracy when the predictions
     * have a last axis of 1, sparse categorical accuracy for integer targets (one axis fewer than
     * the predictions, or a last axis of 1), and categorical accuracy otherwise.
     *
     * @param id a metric name or a {@link Metric}
     * @param loss the output's compiled loss, or null
     * @param yTrueShape the shape of the targets
     * @param yPredShape the shape of the predictions
     * @return the metric
     */
    public static Metric resolve(Object id, Loss loss, long[] yTrueShape, long[] yPredShape) {
        if (id instanceof Metric m) return m;
        if (!(id instanceof String s)) {
            throw new IllegalArgumentException("Could not interpret metric identifier: " + id);
        }
        Metric m;
        if (s.equalsIgnoreCase("accuracy") || s.equalsIgnoreCase("acc")) {
            long ytLast = yTrueShape.length == 0 ? 1 : yTrueShape[yTrueShape.length - 1];
            long ypLast = yPredShape[yPredShape.length - 1];
            boolean binary = ypLast == 1;
            boolean sparse = yTrueShape.length < yPredShape.length || (ytLast == 1 && ypLast > 1);
            m = binary ? binaryAccuracy() : sparse ? sparseCategoricalAccuracy() : categoricalAccuracy();
        } else {
            m = Registry.metric(s);
        }
        return m.name(s);
    }
}
