package org.cornu.losses;

import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean squared error, as {@code keras.losses.MeanSquaredError}: {@code mean((y - p)^2)} over the last axis.
 */
public class MeanSquaredError extends Loss implements org.cornu.core.training.JvmLoss {
    /**
     * A MeanSquaredError loss with Keras's defaults: reduction {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{1, 1}, {1, 0}});
     * double loss = new MeanSquaredError().value(yTrue, yPred); // 0.5: each sample's loss is 0.5
     * }</pre>
     */
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


    /** {@code sum_b sw_b * mean_j (p - y)^2 / n} (or the plain sum), with its gradient. */
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
                s += e * e;
                grad[i] = 2 * e / dim * w * scale;
            }
            total += s / dim * w;
        }
        return total * scale;
    }
}
