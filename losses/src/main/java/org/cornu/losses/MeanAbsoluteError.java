package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean absolute error, as {@code keras.losses.MeanAbsoluteError}: {@code mean(|y - p|)} over the last axis.
 */
public class MeanAbsoluteError extends Loss implements org.cornu.core.training.JvmLoss {
    /**
     * A MeanAbsoluteError loss with Keras's defaults: reduction {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{1, 1}, {1, 0}});
     * double loss = new MeanAbsoluteError().value(yTrue, yPred); // 0.5
     * }</pre>
     */
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


    /** {@code sum_b sw_b * mean_j |p - y| / n} (or the plain sum), with its gradient (sign, 0 at 0). */
    @Override
    public double lossAndGradJvm(double[] yTrue, double[] yPred, int batch, int dim, double[] sw, double[] grad) {
        double total = 0;
        double scale = reductionScale(batch);
        for (int b = 0; b < batch; b++) {
            double w = sw == null ? 1.0 : sw[b];
            double s = 0;
            for (int j = 0; j < dim; j++) {
                int i = b * dim + j;
                double e = yPred[i] - yTrue[i];
                s += Math.abs(e);
                grad[i] = Math.signum(e) / dim * w * scale;
            }
            total += s / dim * w;
        }
        return total * scale;
    }
}
