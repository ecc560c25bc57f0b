package org.cornu.optimizers;

import java.util.List;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Weight;

/**
 * AdamW, {@code keras.optimizers.AdamW}: {@link Adam} with decoupled weight decay
 * ({@code w -= w * weight_decay * lr} before each Adam step), weight_decay 0.004 by default.
 * The fluent setters return {@code AdamW}.
 */
public class AdamW extends Adam {
    /** Keras's defaults: learning rate 0.001, weight_decay 0.004, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    public AdamW() {
        this(0.001);
    }

    /**
     * A constant learning rate, weight_decay 0.004.
     *
     * @param learningRate the learning rate (Keras's {@code learning_rate}, default 0.001)
     */
    public AdamW(double learningRate) {
        super("adamw", learningRate);
        weightDecay(0.004);
    }

    /**
     * A learning rate schedule, weight_decay 0.004.
     *
     * @param learningRate the schedule giving the learning rate at each step (Keras's {@code learning_rate})
     */
    public AdamW(LearningRateSchedule learningRate) {
        this();
        learningRate(learningRate);
    }

    @Override
    public AdamW beta1(double beta1) {
        super.beta1(beta1);
        return this;
    }

    @Override
    public AdamW beta2(double beta2) {
        super.beta2(beta2);
        return this;
    }

    @Override
    public AdamW epsilon(double epsilon) {
        super.epsilon(epsilon);
        return this;
    }

    @Override
    public AdamW amsgrad(boolean amsgrad) {
        super.amsgrad(amsgrad);
        return this;
    }

    @Override
    public AdamW learningRate(double lr) {
        super.learningRate(lr);
        return this;
    }

    @Override
    public AdamW learningRate(LearningRateSchedule schedule) {
        super.learningRate(schedule);
        return this;
    }

    @Override
    public AdamW clipnorm(double v) {
        super.clipnorm(v);
        return this;
    }

    @Override
    public AdamW clipvalue(double v) {
        super.clipvalue(v);
        return this;
    }

    @Override
    public AdamW globalClipnorm(double v) {
        super.globalClipnorm(v);
        return this;
    }

    @Override
    public AdamW weightDecay(double v) {
        super.weightDecay(v);
        return this;
    }

    @Override
    public AdamW excludeFromWeightDecay(String... varNames) {
        super.excludeFromWeightDecay(varNames);
        return this;
    }

    @Override
    public AdamW excludeFromWeightDecay(List<Weight> weights) {
        super.excludeFromWeightDecay(weights);
        return this;
    }
}
