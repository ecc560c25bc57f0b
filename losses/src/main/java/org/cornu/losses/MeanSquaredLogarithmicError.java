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
    /**
     * A MeanSquaredLogarithmicError loss with Keras's defaults: reduction
     * {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}});
     * double loss = new MeanSquaredLogarithmicError().value(yTrue, yPred); // about 0.171
     * }</pre>
     */
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
