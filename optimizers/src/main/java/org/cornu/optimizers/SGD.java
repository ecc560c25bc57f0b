package org.cornu.optimizers;

import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradient descent with optional momentum, {@code keras.optimizers.SGD}.
 *
 * <pre>
 * momentum == 0:  w -= lr * g
 * momentum  > 0:  v = momentum * v - lr * g;  w += v
 * nesterov:       v = momentum * v - lr * g;  w += momentum * v - lr * g
 * </pre>
 *
 * Defaults: learning_rate 0.01, momentum 0.0, nesterov false. The slot {@code momentum} exists
 * only when momentum is not 0.
 */
public class SGD extends BaseOptimizer<SGD> {
    private double momentum = 0.0;
    private boolean nesterov = false;

    /** Keras's defaults: learning rate 0.01, no momentum. */
    public SGD() {
        this(0.01);
    }

    /**
     * A constant learning rate.
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.01)
     */
    public SGD(double learningRate) {
        super("SGD", learningRate);
    }

    /**
     * A learning rate schedule.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public SGD(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /**
     * Momentum in {@code [0, 1]}; 0 is plain gradient descent.
     *
     * @param momentum Keras's {@code momentum}, default 0
     * @return this optimizer
     */
    public SGD momentum(double momentum) {
        this.momentum = checkClosedUnit("momentum", momentum);
        return this;
    }

    /**
     * The current {@code momentum}.
     *
     * @return the value
     */
    public double momentum() {
        return momentum;
    }

    /**
     * Whether to apply Nesterov momentum.
     *
     * @param nesterov Keras's {@code nesterov}, default false
     * @return this optimizer
     */
    public SGD nesterov(boolean nesterov) {
        this.nesterov = nesterov;
        return this;
    }

    /**
     * The current {@code nesterov}.
     *
     * @return the value
     */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected void update(Weight w, INDArray grad, INDArray var, double lr) {
        if (momentum == 0) {
            axpy(-lr, grad, var);
            return;
        }
        // m = m * momentum - g * lr
        INDArray m = slot(w, "momentum");
        mulScalar(w, 0, m, momentum, m);
        axpy(-lr, grad, m);
        if (nesterov) {
            // w += m * momentum - g * lr
            axpy(momentum, m, var);
            axpy(-lr, grad, var);
        } else {
            axpy(1, m, var);
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        return c;
    }
}
