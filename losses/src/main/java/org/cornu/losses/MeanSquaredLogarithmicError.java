package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mean squared logarithmic error, as {@code keras.losses.MeanSquaredLogarithmicError}:
 * {@code mean((log(max(p, 1e-7) + 1) - log(max(y, 1e-7) + 1))^2)} over the last axis.
 */
public class MeanSquaredLogarithmicError extends Loss {
    public MeanSquaredLogarithmicError() {
        super("mean_squared_logarithmic_error");
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        Tensor p = a.yPred();
        INDArray y = a.yTrue();
        INDArray ly = Transforms.log1p(Transforms.max(y, LossUtils.EPSILON, true), false);
        Tensor lp = Ops.log1p(Ops.maximum(p, LossUtils.EPSILON));
        return Ops.mean(Ops.square(Ops.sub(lp, Tensor.constant(ly))), -1, false);
    }
}
