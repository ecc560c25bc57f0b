package org.cornu.optimizers;

import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adamax, {@code keras.optimizers.Adamax}: Adam with the infinity norm. With
 * {@code t = iterations + 1}:
 *
 * <pre>
 * m = m + (g - m) * (1 - beta_1)
 * u = max(beta_2 * u, |g|)
 * w -= lr * m / ((1 - beta_1^t) * (u + epsilon))
 * </pre>
 *
 * Defaults: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. Slots:
 * {@code momentum}, {@code norm}.
 */
public class Adamax extends BaseOptimizer<Adamax> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    /** Keras's defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public Adamax() {
        this(0.001);
    }

    /**
     * A constant learning rate.
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.001)
     */
    public Adamax(double learningRate) {
        super("adamax", learningRate);
    }

    /**
     * A learning rate schedule.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public Adamax(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /**
     * Exponential decay rate of the first moment, in {@code [0, 1)}.
     *
     * @param beta1 Keras's {@code beta_1}, default 0.9
     * @return this optimizer
     */
    public Adamax beta1(double beta1) {
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
     * Exponential decay rate of the infinity norm, in {@code [0, 1)}.
     *
     * @param beta2 Keras's {@code beta_2}, default 0.999
     * @return this optimizer
     */
    public Adamax beta2(double beta2) {
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
     * Small constant added to the norm, non-negative.
     *
     * @param epsilon Keras's {@code epsilon}, default 1e-7
     * @return this optimizer
     */
    public Adamax epsilon(double epsilon) {
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

    @Override
    protected void update(Weight w, INDArray grad, INDArray var, double lr) {
        INDArray m = slot(w, "momentum");
        INDArray u = slot(w, "norm");
        INDArray t = scratch(w);
        DataType type = var.dataType();
        double correction = round(type, 1 - pow(type, beta1, localStep()));

        // m += (g - m) * (1 - beta_1)
        axpy(-1, m, grad, t);
        axpy(1 - beta1, t, m);
        // u = max(beta_2 * u, |g|)
        mulScalar(w, 0, u, beta2, u);
        abs(grad, t);
        max(u, t, u);
        // w -= lr / (1 - beta_1^t) * m / (u + eps)
        addScalar(w, 1, u, epsilon, t);
        div(m, t, t);
        axpy(-lr / correction, t, var);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
