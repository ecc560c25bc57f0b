package org.cornu.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.LearningRateSchedule;

/**
 * {@code keras.optimizers.schedules.ExponentialDecay}:
 * {@code initial_learning_rate * decay_rate ^ (step / decay_steps)}, with an integer
 * (floored) exponent when {@code staircase}.
 */
public final class ExponentialDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /**
     * A continuous decay ({@code staircase = false}).
     *
     * <pre>{@code
     * // 0.01 * 0.9^(step / 10000)
     * Optimizer sgd = new SGD(new ExponentialDecay(0.01, 10000, 0.9));
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate})
     * @param decaySteps the number of steps over which the rate is multiplied by {@code decayRate} (Keras's {@code decay_steps})
     * @param decayRate the decay factor (Keras's {@code decay_rate})
     */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * @param initialLearningRate the rate at step 0
     * @param decaySteps positive; the rate is multiplied by {@code decayRate} every {@code decaySteps}
     * @param decayRate the decay factor
     * @param staircase whether to decay at discrete intervals
     */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("Argument `decay_steps` must be > 0. Received: decay_steps=" + decaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.decayRate = decayRate;
        this.staircase = staircase;
    }

    /**
     * The schedule of a Keras config ({@code initial_learning_rate}, {@code decay_steps},
     * {@code decay_rate}, {@code staircase}, {@code name}), as {@code ExponentialDecay.from_config}.
     *
     * @param config the Keras config
     * @return the schedule
     * @throws IllegalArgumentException for a missing, unknown or invalid key
     */
    public static ExponentialDecay fromConfig(Map<String, Object> config) {
        ScheduleConfig c = new ScheduleConfig("ExponentialDecay", config);
        ExponentialDecay s = new ExponentialDecay(c.number("initial_learning_rate"), c.steps("decay_steps"),
                c.number("decay_rate"), c.flag("staircase", false));
        c.finish();
        return s;
    }

    @Override
    public double apply(long step) {
        double p = (double) step / (double) decaySteps;
        if (staircase) p = Math.floor(p);
        return initialLearningRate * Math.pow(decayRate, p);
    }

    /** The Keras class name, {@code ExponentialDecay}. */
    @Override
    public String name() {
        return "ExponentialDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        c.put("name", "ExponentialDecay");
        return c;
    }

    @Override
    public String toString() {
        return "ExponentialDecay" + getConfig();
    }
}
