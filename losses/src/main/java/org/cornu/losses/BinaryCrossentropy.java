package org.cornu.losses;

import java.util.Map;
import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary crossentropy, as {@code keras.losses.BinaryCrossentropy}: the elementwise
 * {@code -(y log p + (1 - y) log(1 - p))} averaged over {@code axis} (default -1).
 *
 * <p>Without {@code fromLogits}, a prediction made by a sigmoid is computed from the
 * sigmoid's input (stable, gradient {@code sigmoid(z) - y}), as Keras's TensorFlow backend
 * does; any other prediction is clipped to {@code [1e-7, 1 - 1e-7]}. With
 * {@code labelSmoothing} {@code s}, targets become {@code y (1 - s) + s / 2}.
 */
public class BinaryCrossentropy extends Loss {
    private boolean fromLogits;
    private double labelSmoothing;
    private int axis = -1;

    /**
     * A BinaryCrossentropy loss with Keras's defaults: {@code fromLogits} false,
     * {@code labelSmoothing} 0, {@code axis} -1, reduction {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}});
     * double loss = new BinaryCrossentropy().value(yTrue, yPred); // about 0.815
     * }</pre>
     */
    public BinaryCrossentropy() {
        super("binary_crossentropy");
    }

    /**
     * Whether predictions are logits (default false).
     *
     * @param b true when predictions are logits rather than probabilities (Keras's {@code from_logits})
     * @return this loss
     */
    public BinaryCrossentropy fromLogits(boolean b) {
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
    public BinaryCrossentropy labelSmoothing(double s) {
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
     * The axis the mean is taken over (default -1).
     *
     * @param a the axis (Keras's {@code axis})
     * @return this loss
     */
    public BinaryCrossentropy axis(int a) {
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
        if (labelSmoothing > 0) y = y.mul(1.0 - labelSmoothing).addi(0.5 * labelSmoothing);
        Tensor elem;
        if (fromLogits) {
            elem = Ops.sigmoidCrossEntropy(p, y);
        } else if ("sigmoid".equals(p.logitsKind())) {
            elem = Ops.sigmoidCrossEntropy(p.logits(), y);
        } else {
            elem = Ops.binaryProbCrossEntropy(p, y, LossUtils.EPSILON);
        }
        return Ops.mean(elem, axis, false);
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
