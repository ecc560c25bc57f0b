package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.Ops;
import org.cornu.core.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean absolute error, as {@code keras.losses.MeanAbsoluteError}: {@code mean(|y - p|)} over the last axis.
 */
public class MeanAbsoluteError extends Loss {
    public MeanAbsoluteError() {
        super("mean_absolute_error");
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        Tensor p = a.yPred();
        INDArray y = a.yTrue();
        return Ops.mean(Ops.abs(Ops.sub(p, Tensor.constant(y))), -1, false);
    }
}
