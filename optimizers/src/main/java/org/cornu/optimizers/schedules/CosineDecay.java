package org.cornu.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.LearningRateSchedule;

/**
 * {@code keras.optimizers.schedules.CosineDecay}, with optional linear warmup.
 *
 * <p>Without a warmup target: {@code s = min(step, decay_steps)} and the rate is
 * {@code initial * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)}. With one:
 * {@code s = min(step, warmup_steps + decay_steps)}; while {@code s < warmup_steps} the rate
 * rises linearly, {@code (target - initial) * s / warmup_steps + initial}, and afterwards it
 * decays from {@code target} as above with {@code s - warmup_steps}.
 */
public final class CosineDecay implements LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double alpha;
    private final Double warmupTarget;
    private final long warmupSteps;

    /**
     * A cosine decay to 0 over {@code decaySteps}, no warmup.
     *
     * <pre>{@code
     * Optimizer sgd = new SGD(new CosineDecay(0.1, 1000));
     * }</pre>
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate})
     * @param decaySteps the number of steps to decay over (Keras's {@code decay_steps}), positive
     */
    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0, null, 0);
    }

    /**
     * A cosine decay to {@code alpha * initialLearningRate} over {@code decaySteps}, no warmup.
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate})
     * @param decaySteps the number of steps to decay over (Keras's {@code decay_steps}), positive
     * @param alpha the final rate as a fraction of the initial one (Keras's {@code alpha}, default 0)
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, null, 0);
    }

    /**
     * @param initialLearningRate the rate at step 0
     * @param decaySteps positive number of steps to decay over
     * @param alpha the final rate as a fraction of the rate the decay starts from
     * @param warmupTarget the rate reached after warmup, or null for no warmup
     * @param warmupSteps non-negative number of warmup steps
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, Double warmupTarget, long warmupSteps) {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("Argument `decay_steps` must be > 0. Received: decay_steps=" + decaySteps);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("Argument `warmup_steps` must be >= 0. Received: warmup_steps=" + warmupSteps);
        }
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.alpha = alpha;
        this.warmupTarget = warmupTarget;
        this.warmupSteps = warmupSteps;
    }

    private double decay(double step, double from) {
        double fraction = step / decaySteps;
        double cosine = 0.5 * (1.0 + Math.cos(Math.PI * fraction));
        return from * ((1 - alpha) * cosine + alpha);
    }

    /**
     * The schedule of a Keras config ({@code initial_learning_rate}, {@code decay_steps},
     * {@code alpha}, {@code warmup_target}, {@code warmup_steps}, {@code name}), as
     * {@code CosineDecay.from_config}.
     *
     * @param config the Keras config
     * @return the schedule
     * @throws IllegalArgumentException for a missing, unknown or invalid key
     */
    public static CosineDecay fromConfig(Map<String, Object> config) {
        ScheduleConfig c = new ScheduleConfig("CosineDecay", config);
        CosineDecay s = new CosineDecay(c.number("initial_learning_rate"), c.steps("decay_steps"), c.number("alpha", 0.0),
                c.numberOrNull("warmup_target"), c.steps("warmup_steps", 0));
        c.finish();
        return s;
    }

    @Override
    public double apply(long step) {
        if (warmupTarget == null) {
            return decay(Math.min((double) step, (double) decaySteps), initialLearningRate);
        }
        double s = Math.min((double) step, (double) decaySteps + (double) warmupSteps);
        if (s < warmupSteps) {
            return (warmupTarget - initialLearningRate) * (s / warmupSteps) + initialLearningRate;
        }
        return decay(s - warmupSteps, warmupTarget);
    }

    /** The Keras class name, {@code CosineDecay}. */
    @Override
    public String name() {
        return "CosineDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("alpha", alpha);
        c.put("name", "CosineDecay");
        c.put("warmup_target", warmupTarget);
        c.put("warmup_steps", warmupSteps);
        return c;
    }

    @Override
    public String toString() {
        return "CosineDecay" + getConfig();
    }
}
