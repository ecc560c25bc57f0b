package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mean absolute percentage error, as {@code keras.losses.MeanAbsolutePercentageError}:
 * {@code 100 * mean(|y - p| / max(|y|, 1e-7))} over the last axis.
 */
public class MeanAbsolutePercentageError extends Loss {
    /**
     * A MeanAbsolutePercentageError loss with Keras's defaults: reduction
     * {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{2, 1}, {2, 3}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{1, 1}, {1, 0}});
     * double loss = new MeanAbsolutePercentageError().value(yTrue, yPred); // 50.0
     * }</pre>
     */
    public MeanAbsolutePercentageError() {
        super("mean_absolute_percentage_error");
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        Tensor p = a.yPred();
        INDArray y = a.yTrue();
        // 100 / max(|y|, eps), a constant per element
        INDArray scale = Transforms.max(Transforms.abs(y, true), LossUtils.EPSILON, false).rdivi(100.0);
        return Ops.mean(Ops.mul(Ops.abs(Ops.sub(p, Tensor.constant(y))), Tensor.constant(scale)), -1, false);
    }
}
