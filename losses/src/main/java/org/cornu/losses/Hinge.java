package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hinge loss, as {@code keras.losses.Hinge}: {@code mean(max(1 - y p, 0))} over the last axis.
 * Targets should be -1 or 1; when every target is 0 or 1 they are mapped to -1 and 1.
 */
public class Hinge extends Loss {
    /**
     * A Hinge loss with Keras's defaults: reduction {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}});
     * double loss = new Hinge().value(yTrue, yPred); // 1.3: the 0/1 targets count as -1/1
     * }</pre>
     */
    public Hinge() {
        super("hinge");
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        INDArray y = a.yTrue();
        if (isBinary(y)) y = y.mul(2.0).subi(1.0);
        Tensor margin = Ops.rsubScalar(1.0, Ops.mul(Tensor.constant(y), a.yPred()));
        return Ops.mean(Ops.maximum(margin, 0.0), -1, false);
    }

    /** Whether every value is 0 or 1. */
    static boolean isBinary(INDArray y) {
        // y (1 - y) is zero exactly where y is 0 or 1
        return y.mul(y.rsub(1.0)).amaxNumber().doubleValue() == 0.0;
    }
}
