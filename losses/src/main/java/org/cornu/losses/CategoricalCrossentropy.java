package org.cornu.losses;

import java.util.Map;
import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Categorical crossentropy with one-hot (or soft) targets, as
 * {@code keras.losses.CategoricalCrossentropy}: {@code -sum(y log p)} over {@code axis}.
 *
 * <p>Without {@code fromLogits}, a prediction made by a softmax over the last axis is
 * computed from the softmax's input (stable, gradient {@code softmax(z) - y}), as Keras's
 * TensorFlow backend does; any other prediction has each row divided by its sum and clipped
 * to {@code [1e-7, 1 - 1e-7]}. With {@code labelSmoothing} {@code s} and {@code C} classes,
 * targets become {@code y (1 - s) + s / C}.
 */
public class CategoricalCrossentropy extends Loss {
    private boolean fromLogits;
    private double labelSmoothing;
    private int axis = -1;

    /**
     * A CategoricalCrossentropy loss with Keras's defaults: {@code fromLogits} false,
     * {@code labelSmoothing} 0, {@code axis} -1, reduction {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1, 0}, {0, 0, 1}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}});
     * double loss = new CategoricalCrossentropy().value(yTrue, yPred); // about 1.177
     * }</pre>
     */
    public CategoricalCrossentropy() {
        super("categorical_crossentropy");
    }

    /**
     * Whether predictions are logits (default false).
     *
     * @param b true when predictions are logits rather than probabilities (Keras's {@code from_logits})
     * @return this loss
     */
    public CategoricalCrossentropy fromLogits(boolean b) {
        this.fromLogits = b;
        return this;
    }

    /**
     * Whether predictions are taken as logits (Keras's {@code from_logits}).
     *
     * @return true for logits
     */
    public boolean fromLogits() {
        return fromLogits;
    }

    /**
     * Label smoothing in [0, 1] (default 0).
     *
     * @param s the smoothing (Keras's {@code label_smoothing})
     * @return this loss
     */
    public CategoricalCrossentropy labelSmoothing(double s) {
        if (s < 0 || s > 1) throw new IllegalArgumentException("label_smoothing must be in [0, 1], got " + s);
        this.labelSmoothing = s;
        return this;
    }

    /**
     * The label smoothing (Keras's {@code label_smoothing}).
     *
     * @return the smoothing, in [0, 1]
     */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The class axis (default -1).
     *
     * @param a the axis (Keras's {@code axis})
     * @return this loss
     */
    public CategoricalCrossentropy axis(int a) {
        this.axis = a;
        return this;
    }

    /**
     * The axis (Keras's {@code axis}).
     *
     * @return the axis, negative from the end
     */
    public int axis() {
        return axis;
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        Tensor p = a.yPred();
        INDArray y = a.yTrue();
        LossUtils.requireSameShape(name(), y, p);
        int ax = axis < 0 ? p.rank() + axis : axis;
        if (labelSmoothing > 0) {
            y = y.mul(1.0 - labelSmoothing).addi(labelSmoothing / p.shape()[ax]);
        }
        boolean last = ax == p.rank() - 1;
        if (fromLogits) {
            if (last) return Ops.softmaxCrossEntropy(p, y);
            return Ops.probCrossEntropy(Ops.softmax(p, ax), y, ax, LossUtils.EPSILON);
        }
        if (last && "softmax".equals(p.logitsKind())) return Ops.softmaxCrossEntropy(p.logits(), y);
        return Ops.probCrossEntropy(p, y, ax, LossUtils.EPSILON);
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
