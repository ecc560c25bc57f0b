package org.cornu.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.LearningRateSchedule;

/**
 * {@code keras.optimizers.schedules.PolynomialDecay}: with {@code s = min(step, decay_steps)},
 * {@code (initial_learning_rate - end_learning_rate) * (1 - s / decay_steps) ^ power + end_learning_rate}.
 * With {@code cycle}, {@code s = step} and {@code decay_steps} becomes its first multiple that
 * is at least {@code step} (itself at step 0).
 */
public final class PolynomialDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double endLearningRate;
    private final double power;
    private final boolean cycle;

    /**
     * A linear decay to {@code 1e-4} (Keras's defaults: {@code end_learning_rate=0.0001}, {@code power=1}, no cycle).
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate})
     * @param decaySteps the number of steps to decay over (Keras's {@code decay_steps})
     */
    public PolynomialDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0001, 1.0, false);
    }

    /**
     * @param initialLearningRate the rate at step 0
     * @param decaySteps positive number of steps to decay over
     * @param endLearningRate the rate reached after {@code decaySteps}
     * @param power the power of the polynomial
     * @param cycle whether to start over (from a longer period) after {@code decaySteps}
     */
    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate, double power, boolean cycle) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("Argument `decay_steps` must be > 0. Received: decay_steps=" + decaySteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.endLearningRate = endLearningRate;
        this.power = power;
        this.cycle = cycle;
    }

    /**
     * The schedule of a Keras config ({@code initial_learning_rate}, {@code decay_steps},
     * {@code end_learning_rate}, {@code power}, {@code cycle}, {@code name}), as
     * {@code PolynomialDecay.from_config}.
     *
     * @param config the Keras config
     * @return the schedule
     * @throws IllegalArgumentException for a missing, unknown or invalid key
     */
    public static PolynomialDecay fromConfig(Map<String, Object> config) {
        ScheduleConfig c = new ScheduleConfig("PolynomialDecay", config);
        PolynomialDecay s = new PolynomialDecay(c.number("initial_learning_rate"), c.steps("decay_steps"),
                c.number("end_learning_rate", 0.0001), c.number("power", 1.0), c.flag("cycle", false));
        c.finish();
        return s;
    }

    @Override
    public double apply(long step) {
        double s = step;
        double steps = decaySteps;
        if (cycle) {
            double multiplier = step == 0 ? 1.0 : Math.ceil(s / decaySteps);
            steps = decaySteps * multiplier;
        } else {
            s = Math.min(s, steps);
        }
        return (initialLearningRate - endLearningRate) * Math.pow(1.0 - s / steps, power) + endLearningRate;
    }

    /** The Keras class name, {@code PolynomialDecay}. */
    @Override
    public String name() {
        return "PolynomialDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("end_learning_rate", endLearningRate);
        c.put("power", power);
        c.put("cycle", cycle);
        c.put("name", "PolynomialDecay");
        return c;
    }

    @Override
    public String toString() {
        return "PolynomialDecay" + getConfig();
    }
}
