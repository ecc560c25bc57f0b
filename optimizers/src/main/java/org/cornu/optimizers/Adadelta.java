package org.cornu.optimizers;

import java.util.Map;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdaDeltaUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * {@code accumulated_delta_var}. The step runs as ND4J's fused {@code adadelta_updater} (the
 * same arithmetic) plus the scaled addition to the weight.
 */
public class Adadelta extends BaseOptimizer<Adadelta> {
    private double rho = 0.95;
    private double epsilon = 1e-7;

    /** Keras's defaults: learning rate 0.001, rho 0.95, epsilon 1e-7. */
    public Adadelta() {
        this(0.001);
    }

    /** A constant learning rate (1.0 matches the original paper). */
    public Adadelta(double learningRate) {
        super("adadelta", learningRate);
    }

    /** A learning rate schedule. */
    public Adadelta(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    /** Decay rate of the moving averages, in {@code [0, 1)}. */
    public Adadelta rho(double rho) {
        this.rho = checkHalfOpenUnit("rho", rho);
        return this;
    }

    public double rho() {
        return rho;
    }

    /** Small constant added inside the square roots, non-negative. */
    public Adadelta epsilon(double epsilon) {
        this.epsilon = checkNonNegative("epsilon", epsilon);
        return this;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    protected void update(Weight w, INDArray grad, INDArray var, double lr) {
        INDArray ag = slot(w, "accumulated_grad");
        INDArray adv = slot(w, "accumulated_delta_var");
        INDArray t = scratch(w);

        // The native op replaces an epsilon of 0 by 1e-7.
        if (nativeStepOk() && epsilon > 0) {
            // t = -delta
            Nd4j.exec(new AdaDeltaUpdater(grad, ag, adv, t, ag, adv, rho, epsilon));
            axpy(-lr, t, var);
            return;
        }

        INDArray s = scratch(w, 1);
        grad.mul(grad, t);
        ag.muli(rho);
        axpy(1 - rho, t, ag);
        // t = -delta = sqrt(adv + eps) * g / sqrt(ag + eps)
        ag.add(epsilon, t);
        Transforms.sqrt(t, false).rdivi(grad);
        adv.add(epsilon, s);
        t.muli(Transforms.sqrt(s, false));
        t.mul(t, s);
        adv.muli(rho);
        axpy(1 - rho, s, adv);
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
