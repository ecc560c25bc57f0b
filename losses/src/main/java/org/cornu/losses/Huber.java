package org.cornu.losses;

import java.util.Map;
import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Huber loss, as {@code keras.losses.Huber}: with {@code e = p - y}, {@code 0.5 e^2} where
 * {@code |e| <= delta} and {@code delta |e| - 0.5 delta^2} elsewhere, averaged over the last
 * axis. Named {@code huber}, Keras's function name.
 */
public class Huber extends Loss {
    private double delta = 1.0;

    /**
     * A Huber loss with Keras's defaults: {@code delta} 1.0, reduction
     * {@code sum_over_batch_size}.
     *
     * <pre>{@code
     * INDArray yTrue = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
     * INDArray yPred = Nd4j.createFromArray(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}});
     * double loss = new Huber().value(yTrue, yPred); // 0.155
     * }</pre>
     */
    public Huber() {
        super("huber");
    }

    /**
     * Where the loss turns from quadratic to linear (default 1.0).
     *
     * @param d the threshold (Keras's {@code delta})
     * @return this loss
     */
    public Huber delta(double d) {
        this.delta = d;
        return this;
    }

    /**
     * The point where the loss turns from quadratic to linear (Keras's {@code delta}).
     *
     * @return the threshold
     */
    public double delta() {
        return delta;
    }

    @Override
    public Tensor call(INDArray yTrue, Tensor yPred) {
        LossUtils.Pair a = LossUtils.align(yTrue, yPred);
        return Ops.mean(Ops.huber(Ops.sub(a.yPred(), Tensor.constant(a.yTrue())), delta), -1, false);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("name", "huber_loss"); // the name a keras.losses.Huber instance has; "huber" is its function's
        c.put("delta", delta);
        return c;
    }
}
