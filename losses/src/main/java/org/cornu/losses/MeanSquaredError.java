package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.Ops;
import org.cornu.core.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean squared error, as {@code keras.losses.MeanSquaredError}: {@code mean((y - p)^2)} over the last axis.
 */
public class MeanSquaredError extends Loss {
    public MeanSquaredError() {
        super("mean_squared_error");
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        Tensor p = a.yPred();
        INDArray y = a.yTrue();
        return Ops.mean(Ops.square(Ops.sub(p, Tensor.constant(y))), -1, false);
    }
}
