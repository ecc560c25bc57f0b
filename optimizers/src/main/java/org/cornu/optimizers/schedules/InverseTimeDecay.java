package org.cornu.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.LearningRateSchedule;

/**
 * {@code keras.optimizers.schedules.InverseTimeDecay}:
 * {@code initial_learning_rate / (1 + decay_rate * step / decay_steps)}, with an integer
 * (floored) {@code step / decay_steps} when {@code staircase}.
 *
 * <p>With {@code decay_steps = 1} it is Keras 2's optimizer argument {@code decay}
 * ({@code lr / (1 + decay * iterations)}), which is how a Keras 2 training config's nonzero
 * {@code decay} is restored.
 */
public final class InverseTimeDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /**
     * A continuous decay ({@code staircase = false}).
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate})
     * @param decaySteps how often to apply the decay (Keras's {@code decay_steps})
     * @param decayRate the decay rate (Keras's {@code decay_rate})
     */
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * @param initialLearningRate the rate at step 0
     * @param decaySteps positive; how often the decay is applied
     * @param decayRate the decay rate
     * @param staircase whether to decay at discrete intervals
     */
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
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
     * {@code decay_rate}, {@code staircase}, {@code name}), as {@code InverseTimeDecay.from_config}.
     *
     * @param config the Keras config
     * @return the schedule
     * @throws IllegalArgumentException for a missing, unknown or invalid key
     */
    public static InverseTimeDecay fromConfig(Map<String, Object> config) {
        ScheduleConfig c = new ScheduleConfig("InverseTimeDecay", config);
        InverseTimeDecay s = new InverseTimeDecay(c.number("initial_learning_rate"), c.steps("decay_steps"),
                c.number("decay_rate"), c.flag("staircase", false));
        c.finish();
        return s;
    }

    @Override
    public double apply(long step) {
        double p = (double) step / (double) decaySteps;
        if (staircase) p = Math.floor(p);
        return initialLearningRate / (1.0 + decayRate * p);
    }

    /** The Keras class name, {@code InverseTimeDecay}. */
    @Override
    public String name() {
        return "InverseTimeDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        c.put("name", "InverseTimeDecay");
        return c;
    }

    @Override
    public String toString() {
        return "InverseTimeDecay" + getConfig();
    }
}
