package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Kullback-Leibler divergence, as {@code keras.losses.KLDivergence}: with {@code y} and {@code p}
 * clipped to {@code [1e-7, 1]}, {@code sum(y log(y / p))} over the last axis. */
/* */
public class KLDivergence extends Loss {
    /**
     * A KLDivergence loss with Keras's defaults: reduction {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}});
     * double loss = new KLDivergence().value(yTrue, yPred); // about 0.458
     * }</pre>
     */
    public KLDivergence() {
        super("kl_divergence");
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        Tensor p = a.yPred();
        INDArray y = a.yTrue();
        INDArray yc = Transforms.min(Transforms.max(y, LossUtils.EPSILON, true), 1.0, false);
        // sum(y log y) - sum(y log p); the first term is a constant
        INDArray entropyTerm = Transforms.log(yc, true).muli(yc).sum(yc.rank() - 1);
        Tensor cross = Ops.sum(Ops.mul(Tensor.constant(yc), Ops.log(Ops.clip(p, LossUtils.EPSILON, 1.0))), -1, false);
        return Ops.sub(Tensor.constant(entropyTerm), cross);
    }
}
