package org.cornu.optimizers;

import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adadelta, {@code keras.optimizers.Adadelta}: a moving window of squared gradients and of
 * squared updates, scaled by the learning rate as in Keras.
 *
 * <pre>
 * ag = rho * ag + (1 - rho) * g^2
 * delta = -sqrt(adv + epsilon) * g / sqrt(ag + epsilon)
 * adv = rho * adv + (1 - rho) * delta^2
 * w += lr * delta
 * </pre>
 *
 * Defaults: learning_rate 0.001, rho 0.95, epsilon 1e-7. Slots: {@code accumulated_grad},
 * {@code accumulated_delta_var}.
 */
public class Adadelta extends BaseOptimizer<Adadelta> {
    private double rho = 0.95;
    private double epsilon = 1e-7;

    /** Keras's defaults: learning rate 0.001, rho 0.95, epsilon 1e-7. */
    public Adadelta() {
        this(0.001);
    }

    /**
     * A constant learning rate (1.0 matches the original paper).
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.001)
     */
    public Adadelta(double learningRate) {
        super("adadelta", learningRate);
    }

    /**
     * A learning rate schedule.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public Adadelta(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /**
     * Decay rate of the moving averages, in {@code [0, 1)}.
     *
     * @param rho Keras's {@code rho}, default 0.95
     * @return this optimizer
     */
    public Adadelta rho(double rho) {
        this.rho = checkHalfOpenUnit("rho", rho);
        return this;
    }

    /**
     * The current {@code rho}.
     *
     * @return the value
     */
    public double rho() {
        return rho;
    }

    /**
     * Small constant added inside the square roots, non-negative.
     *
     * @param epsilon Keras's {@code epsilon}, default 1e-7
     * @return this optimizer
     */
    public Adadelta epsilon(double epsilon) {
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
        INDArray ag = slot(w, "accumulated_grad");
        INDArray adv = slot(w, "accumulated_delta_var");
        INDArray t = scratch(w, 0);
        INDArray s = scratch(w, 1);

        // ag = rho * ag + (1 - rho) * g^2
        square(grad, t);
        mulScalar(w, 0, ag, rho, ag);
        axpy(1 - rho, t, ag);
        // t = -delta = sqrt(adv + eps) * g / sqrt(ag + eps)
        addScalar(w, 1, ag, epsilon, t);
        sqrt(t, t);
        div(grad, t, t);
        addScalar(w, 2, adv, epsilon, s);
        sqrt(s, s);
        mul(t, s, t);
        // adv = rho * adv + (1 - rho) * delta^2
        square(t, s);
        mulScalar(w, 3, adv, rho, adv);
        axpy(1 - rho, s, adv);
        // w += lr * delta
        axpy(-lr, t, var);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rho", rho);
        c.put("epsilon", epsilon);
        return c;
    }
}
