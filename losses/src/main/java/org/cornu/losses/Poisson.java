package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Poisson loss, as {@code keras.losses.Poisson}: {@code mean(p - y log(p + 1e-7))} over the last axis.
 */
public class Poisson extends Loss {
    /** A Poisson loss with Keras's defaults: reduction {@code sum_over_batch_size}. */
    public Poisson() {
        super("poisson");
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        Tensor p = a.yPred();
        INDArray y = a.yTrue();
        Tensor logP = Ops.log(Ops.addScalar(p, LossUtils.EPSILON));
        return Ops.mean(Ops.sub(p, Ops.mul(Tensor.constant(y), logP)), -1, false);
    }
}
