package org.cornu.core;

import java.util.Map;

/**
 * A learning rate that depends on the optimizer's step, as {@code keras.optimizers.schedules.LearningRateSchedule}.
 * A saved model carries it inside its optimizer's {@code learning_rate} as Keras serializes it,
 * {@code {"module": "keras.optimizers.schedules", "class_name": name(), "config": getConfig(),
 * "registered_name": null}}; loading finds the class through
 * {@link Registry#registerFromConfig Registry.registerFromConfig(Kind.SCHEDULE, ...)}.
 */
public interface LearningRateSchedule {
    /**
     * The learning rate at {@code step} (the optimizer's iteration count, from 0).
     *
     * @param step the number of updates already applied
     * @return the learning rate
     */
    double apply(long step);

    /**
     * Keras's class name ({@code ExponentialDecay}), the {@code class_name} it is saved under.
     *
     * @return the class name
     */
    String name();

    /**
     * Keras's {@code get_config()}: the constructor arguments by their Keras names.
     *
     * @return key to JSON-ready value
     */
    Map<String, Object> getConfig();
}
