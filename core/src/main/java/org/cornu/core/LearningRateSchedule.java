package org.cornu.core;

import java.util.Map;

/** A learning rate that depends on the optimizer's step, as {@code keras.optimizers.schedules.LearningRateSchedule}. */
public interface LearningRateSchedule {
    /** The learning rate at {@code step} (the optimizer's iteration count, from 0). */
    double apply(long step);

    String name();

    Map<String, Object> getConfig();
}
