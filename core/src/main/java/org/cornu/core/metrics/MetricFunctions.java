package org.cornu.core.metrics;

import java.util.Arrays;
import org.cornu.core.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Keras's per-sample metric functions ({@code keras.metrics.mean_squared_error}, ...) on plain
 * arrays, computed in float64. Each returns one value per sample: the prediction's shape
 * without its last axis (a rank-1 prediction gives one value per element).
 */
public final class MetricFunctions {
    /** Keras's {@code backend.epsilon()}. */
    public static final double EPSILON = 1e-7;

    private MetricFunctions() {}

    // ------------------------------------------------------------------ helpers

    static INDArray toDouble(INDArray a) {
        return a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
    }

    /** The elements in C order as a Java array. */
    static double[] flat(INDArray a) {
        INDArray d = toDouble(a);
        return d.reshape('c', new long[] {d.length()}).toDoubleVector();
    }

    /**
     * Keras's {@code squeeze_or_expand_to_same_rank} on float64 copies: when the ranks differ
     * by one and the longer has a last axis of 1, that axis goes (or the rank-1 partner gains one).
     */
    static INDArray[] align(INDArray a, INDArray b) {
        INDArray x = toDouble(a);
        INDArray y = toDouble(b);
        if (x.rank() == y.rank() + 1 && x.size(x.rank() - 1) == 1) {
            if (y.rank() == 1) y = y.reshape(y.length(), 1);
            else x = x.reshape(dropLast(x.shape()));
        } else if (y.rank() == x.rank() + 1 && y.size(y.rank() - 1) == 1) {
            if (x.rank() == 1) x = x.reshape(x.length(), 1);
            else y = y.reshape(dropLast(y.shape()));
        }
        return new INDArray[] {x, y};
    }

    static long[] dropLast(long[] s) {
        return Arrays.copyOf(s, s.length - 1);
    }

    private static void requireSameShape(String fn, INDArray t, INDArray p) {
        if (!Arrays.equals(t.shape(), p.shape())) {
            throw new IllegalArgumentException("Arguments `y_true` and `y_pred` must have the same shape for "
                    + fn + ". Received: y_true.shape=" + Shape.format(t.shape())
                    + ", y_pred.shape=" + Shape.format(p.shape()));
        }
    }

    /** Mean over the last axis; a rank-1 array is returned as it is (one value per element). */
    private static INDArray meanLast(INDArray x) {
        return x.rank() <= 1 ? x : x.mean(x.rank() - 1);
    }

    private static INDArray meanAxis(INDArray x, int axis) {
        if (x.rank() <= 1) return x;
        return x.mean(axis < 0 ? x.rank() + axis : axis);
    }

    // ------------------------------------------------------------------ regression

    /**
     * {@code mean(|y - p|)} over the last axis.
     *
     * @param yTrue the targets, shape {@code (batch, ..., d)}
     * @param yPred the predictions, of the targets' shape
     * @return the per-sample values, shape {@code (batch, ...)}: the inputs' shape without the last axis
     */
    public static INDArray meanAbsoluteError(INDArray yTrue, INDArray yPred) {
        INDArray[] a = align(yTrue, yPred);
        requireSameShape("mean_absolute_error", a[0], a[1]);
        return meanLast(Transforms.abs(a[1].sub(a[0]), false));
    }

    /**
     * {@code mean((y - p)^2)} over the last axis.
     *
     * @param yTrue the targets, shape {@code (batch, ..., d)}
     * @param yPred the predictions, of the targets' shape
     * @return the per-sample values, shape {@code (batch, ...)}: the inputs' shape without the last axis
     */
    public static INDArray meanSquaredError(INDArray yTrue, INDArray yPred) {
        INDArray[] a = align(yTrue, yPred);
        requireSameShape("mean_squared_error", a[0], a[1]);
        INDArray d = a[1].sub(a[0]);
        return meanLast(d.muli(d));
    }

    /**
     * {@code 100 * mean(|y - p| / max(|y|, 1e-7))} over the last axis.
     *
     * @param yTrue the targets, shape {@code (batch, ..., d)}
     * @param yPred the predictions, of the targets' shape
     * @return the per-sample values, shape {@code (batch, ...)}: the inputs' shape without the last axis
     */
    public static INDArray meanAbsolutePercentageError(INDArray yTrue, INDArray yPred) {
        INDArray[] a = align(yTrue, yPred);
        requireSameShape("mean_absolute_percentage_error", a[0], a[1]);
        INDArray den = Transforms.max(Transforms.abs(a[0], true), EPSILON, false);
        return meanLast(Transforms.abs(a[1].sub(a[0]), false).divi(den).muli(100.0));
    }

    // ------------------------------------------------------------------ top-k

    /**
     * 1 where the class of the one-hot {@code yTrue} (its argmax) is among the {@code k}
     * highest predictions. As TensorFlow's {@code in_top_k}, classes tied with the k-th
     * highest prediction count as in the top k.
     *
     * @param yTrue one-hot targets, shape {@code (batch, classes)}
     * @param yPred the scores, shape {@code (batch, classes)}
     * @param k how many of the highest scores count
     * @return 1 or 0 per sample, shape {@code (batch,)}
     */
    public static INDArray topKCategoricalAccuracy(INDArray yTrue, INDArray yPred, int k) {
        long c = yPred.size(yPred.rank() - 1);
        if (yTrue.length() != yPred.length()) {
            throw new IllegalArgumentException("top_k_categorical_accuracy expects one-hot targets of the"
                    + " prediction's shape. Received: y_true.shape=" + Shape.format(yTrue.shape())
                    + ", y_pred.shape=" + Shape.format(yPred.shape()));
        }
        double[] t = flat(yTrue);
        int rows = (int) (t.length / c);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < c; j++) if (t[(int) (r * c + j)] > t[(int) (r * c + best)]) best = j;
            labels[r] = best;
        }
        return inTopK(labels, flat(yPred), (int) c, k);
    }

    /**
     * 1 where the integer label {@code yTrue} is among the {@code k} highest predictions (ties as in {@link #topKCategoricalAccuracy}).
     *
     * @param yTrue integer labels, shape {@code (batch,)} or {@code (batch, 1)}
     * @param yPred the scores, shape {@code (batch, classes)}
     * @param k how many of the highest scores count
     * @return 1 or 0 per sample, shape {@code (batch,)}
     */
    public static INDArray sparseTopKCategoricalAccuracy(INDArray yTrue, INDArray yPred, int k) {
        int c = (int) yPred.size(yPred.rank() - 1);
        double[] l = flat(yTrue);
        if ((long) l.length * c != yPred.length()) {
            throw new IllegalArgumentException("sparse_top_k_categorical_accuracy expects one integer label per"
                    + " prediction row. Received: y_true.shape=" + Shape.format(yTrue.shape())
                    + ", y_pred.shape=" + Shape.format(yPred.shape()));
        }
        int[] labels = new int[l.length];
        for (int i = 0; i < l.length; i++) labels[i] = l[i] >= 0 && l[i] < c && l[i] == Math.rint(l[i]) ? (int) l[i] : -1;
        return inTopK(labels, flat(yPred), c, k);
    }

    private static INDArray inTopK(int[] labels, double[] p, int c, int k) {
        double[] m = new double[labels.length];
        for (int r = 0; r < labels.length; r++) {
            int l = labels[r];
            if (l < 0) continue;
            double v = p[r * c + l];
            if (!Double.isFinite(v)) continue;
            int greater = 0;
            for (int j = 0; j < c; j++) if (p[r * c + j] > v) greater++;
            m[r] = greater < k ? 1.0 : 0.0;
        }
        return Nd4j.createFromArray(m);
    }

    // ------------------------------------------------------------------ crossentropies

    /**
     * Binary crossentropy averaged over {@code axis}: from logits
     * {@code max(z, 0) - z y + log(1 + exp(-|z|))}, else with {@code p} clipped to
     * {@code [1e-7, 1 - 1e-7]}; targets smoothed to {@code y (1 - s) + s / 2}.
     *
     * @param yTrue 0/1 targets
     * @param yPred probabilities, or logits with {@code fromLogits}
     * @param fromLogits true when {@code yPred} holds logits (Keras's {@code from_logits})
     * @param labelSmoothing the smoothing {@code s}, in [0, 1] (Keras's {@code label_smoothing})
     * @param axis the axis averaged over (Keras's {@code axis}, default -1)
     * @return the per-sample crossentropies, {@code axis} removed
     */
    public static INDArray binaryCrossentropy(INDArray yTrue, INDArray yPred, boolean fromLogits,
                                              double labelSmoothing, int axis) {
        INDArray[] a = align(yTrue, yPred);
        INDArray y = a[0];
        INDArray p = a[1];
        requireSameShape("binary_crossentropy", y, p);
        if (labelSmoothing > 0) y = y.mul(1.0 - labelSmoothing).addi(0.5 * labelSmoothing);
        INDArray v;
        if (fromLogits) {
            v = Transforms.relu(p, true).subi(p.mul(y))
                    .addi(Transforms.log1p(Transforms.exp(Transforms.abs(p, true).negi(), false), false));
        } else {
            INDArray c = Transforms.min(Transforms.max(p, EPSILON, true), 1.0 - EPSILON, false);
            v = Transforms.log(c, true).muli(y).addi(Transforms.log(c.rsub(1.0), false).muli(y.rsub(1.0))).negi();
        }
        return meanAxis(v, axis);
    }

    /**
     * Categorical crossentropy {@code -sum(y log p)} over {@code axis}: from logits through a
     * log-softmax, else with each row divided by its sum and clipped to {@code [1e-7, 1 - 1e-7]};
     * targets smoothed to {@code y (1 - s) + s / C}.
     *
     * @param yTrue one-hot (or soft) targets
     * @param yPred probabilities, or logits with {@code fromLogits}
     * @param fromLogits true when {@code yPred} holds logits (Keras's {@code from_logits})
     * @param labelSmoothing the smoothing, in [0, 1] (Keras's {@code label_smoothing})
     * @param axis the class axis (Keras's {@code axis}, default -1)
     * @return the per-sample crossentropies, {@code axis} removed
     */
    public static INDArray categoricalCrossentropy(INDArray yTrue, INDArray yPred, boolean fromLogits,
                                                   double labelSmoothing, int axis) {
        INDArray[] a = align(yTrue, yPred);
        INDArray y = a[0];
        INDArray p = a[1];
        requireSameShape("categorical_crossentropy", y, p);
        int ax = axis < 0 ? p.rank() + axis : axis;
        if (labelSmoothing > 0) y = y.mul(1.0 - labelSmoothing).addi(labelSmoothing / p.size(ax));
        INDArray logP;
        if (fromLogits) {
            logP = Nd4j.exec(new LogSoftMax(p, ax))[0];
        } else {
            INDArray q = Nd4j.createUninitialized(DataType.DOUBLE, p.shape());
            Nd4j.exec(new DivOp(p, p.sum(true, ax), q));
            logP = Transforms.log(Transforms.min(Transforms.max(q, EPSILON, false), 1.0 - EPSILON, false), false);
        }
        return logP.muli(y).sum(ax).negi();
    }

    /**
     * Categorical crossentropy with integer labels (the prediction's shape without its last
     * axis, or with a last axis of 1); a label outside {@code [0, classes)} is an error.
     *
     * @param yTrue integer labels
     * @param yPred probabilities, or logits with {@code fromLogits}, classes on the last axis
     * @param fromLogits true when {@code yPred} holds logits (Keras's {@code from_logits})
     * @return the per-sample crossentropies
     * @throws IllegalArgumentException for a label outside {@code [0, classes)}
     */
    public static INDArray sparseCategoricalCrossentropy(INDArray yTrue, INDArray yPred, boolean fromLogits) {
        int c = (int) yPred.size(yPred.rank() - 1);
        double[] l = flat(yTrue);
        if ((long) l.length * c != yPred.length()) {
            throw new IllegalArgumentException("Arguments `target` and `output` must have the same shape up until"
                    + " the last dimension for sparse_categorical_crossentropy: target.shape="
                    + Shape.format(yTrue.shape()) + ", output.shape=" + Shape.format(yPred.shape()));
        }
        double[] p = flat(yPred);
        double[] v = new double[l.length];
        for (int r = 0; r < l.length; r++) {
            double lab = org.cornu.core.ops.SparseLabels.check("sparse_categorical_crossentropy", l[r], c);
            int off = r * c;
            int li = (int) lab;
            if (fromLogits) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, p[off + j]);
                double s = 0;
                for (int j = 0; j < c; j++) s += Math.exp(p[off + j] - max);
                v[r] = max + Math.log(s) - p[off + li];
            } else {
                double s = 0;
                for (int j = 0; j < c; j++) s += p[off + j];
                double q = Math.min(Math.max(p[off + li] / s, EPSILON), 1.0 - EPSILON);
                v[r] = -Math.log(q);
            }
        }
        return Nd4j.createFromArray(v);
    }
}
