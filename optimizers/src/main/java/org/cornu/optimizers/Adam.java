package org.cornu.optimizers;

import java.util.List;
import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam, {@code keras.optimizers.Adam}, with the optional AMSGrad variant. With
 * {@code t = iterations + 1}:
 *
 * <pre>
 * alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
 * m = m + (g - m) * (1 - beta_1)
 * v = v + (g^2 - v) * (1 - beta_2)
 * amsgrad: v_hat = max(v_hat, v), used in place of v below
 * w -= alpha * m / (sqrt(v) + epsilon)
 * </pre>
 *
 * Defaults: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, amsgrad false.
 * Slots: {@code momentum}, {@code velocity}, and {@code velocity_hat} with amsgrad. As in Keras,
 * the powers of beta and alpha are computed in the weight's dtype.
 */
public class Adam extends BaseOptimizer<Adam> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    private boolean amsgrad = false;

    /** Keras's defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public Adam() {
        this(0.001);
    }

    /**
     * A constant learning rate.
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.001)
     */
    public Adam(double learningRate) {
        this("adam", learningRate);
    }

    /**
     * A learning rate schedule.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public Adam(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /**
     * For subclasses (AdamW) with their own Keras name.
     *
     * @param name Keras's name of the subclass, e.g. {@code "adamw"}
     * @param learningRate the learning rate
     */
    protected Adam(String name, double learningRate) {
        super(name, learningRate);
    }

    /**
     * Exponential decay rate of the first moment estimates, in {@code [0, 1)}.
     *
     * @param beta1 Keras's {@code beta_1}, default 0.9
     * @return this optimizer
     */
    public Adam beta1(double beta1) {
        this.beta1 = checkHalfOpenUnit("beta_1", beta1);
        return this;
    }

    /**
     * The current {@code beta_1}.
     *
     * @return the value
     */
    public double beta1() {
        return beta1;
    }

    /**
     * Exponential decay rate of the second moment estimates, in {@code [0, 1)}.
     *
     * @param beta2 Keras's {@code beta_2}, default 0.999
     * @return this optimizer
     */
    public Adam beta2(double beta2) {
        this.beta2 = checkHalfOpenUnit("beta_2", beta2);
        return this;
    }

    /**
     * The current {@code beta_2}.
     *
     * @return the value
     */
    public double beta2() {
        return beta2;
    }

    /**
     * Small constant added to the root of the second moment ("epsilon hat"), non-negative.
     *
     * @param epsilon Keras's {@code epsilon}, default 1e-7
     * @return this optimizer
     */
    public Adam epsilon(double epsilon) {
        this.epsilon = checkNonNegative("epsilon", epsilon);
        return this;
    }

    /**
     * The current {@code epsilon}.
     *
     * @return the value
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Whether to use the AMSGrad variant (the running maximum of the second moment).
     *
     * @param amsgrad Keras's {@code amsgrad}, default false
     * @return this optimizer
     */
    public Adam amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return this;
    }

    /**
     * The current {@code amsgrad}.
     *
     * @return the value
     */
    public boolean amsgrad() {
        return amsgrad;
    }

    /**
     * Keras's order: momentum and velocity weight by weight (m0, v0, m1, v1, ...), then, with
     * {@code amsgrad}, every {@code velocity_hat} (Keras's {@code Adam.build}).
     */
    @Override
    protected List<List<String>> variableLayout() {
        return List.of(List.of("momentum", "velocity"), List.of("velocity_hat"));
    }

    @Override
    protected void update(Weight w, INDArray grad, INDArray var, double lr) {
        INDArray m = slot(w, "momentum");
        INDArray v = slot(w, "velocity");
        INDArray vHat = amsgrad ? slot(w, "velocity_hat") : null;
        INDArray t = scratch(w);
        DataType type = var.dataType();
        long step = localStep();
        // Keras computes these in the variable's dtype
        double b1Power = pow(type, beta1, step);
        double b2Power = pow(type, beta2, step);
        double alpha = round(type, round(type, round(type, lr) * round(type, Math.sqrt(round(type, 1 - b2Power))))
                / round(type, 1 - b1Power));

        // m += (g - m) * (1 - beta_1)
        axpy(-1, m, grad, t);
        axpy(1 - beta1, t, m);
        // v += (g^2 - v) * (1 - beta_2)
        square(grad, t);
        axpy(-1, v, t);
        axpy(1 - beta2, t, v);
        INDArray second = v;
        if (amsgrad) {
            max(vHat, v, vHat);
            second = vHat;
        }
        // w -= alpha * m / (sqrt(v) + eps)
        sqrt(second, t);
        addScalar(w, 0, t, epsilon, t);
        div(m, t, t);
        axpy(-alpha, t, var);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        c.put("amsgrad", amsgrad);
        return c;
    }
}
