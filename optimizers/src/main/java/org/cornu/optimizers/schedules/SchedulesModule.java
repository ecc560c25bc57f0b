package org.cornu.optimizers.schedules;

import org.cornu.core.Registry;

/**
 * Registers this package's learning-rate schedules under their Keras class names, made from
 * their Keras config, so that an optimizer's serialized {@code learning_rate}
 * ({@code {"class_name": "ExponentialDecay", "config": {...}}}) loads.
 */
public final class SchedulesModule implements Registry.Module {
    @Override
    public void register() {
        Registry.registerFromConfig(Registry.Kind.SCHEDULE, "ExponentialDecay", ExponentialDecay::fromConfig);
        Registry.registerFromConfig(Registry.Kind.SCHEDULE, "InverseTimeDecay", InverseTimeDecay::fromConfig);
        Registry.registerFromConfig(Registry.Kind.SCHEDULE, "PolynomialDecay", PolynomialDecay::fromConfig);
        Registry.registerFromConfig(Registry.Kind.SCHEDULE, "PiecewiseConstantDecay", PiecewiseConstantDecay::fromConfig);
        Registry.registerFromConfig(Registry.Kind.SCHEDULE, "CosineDecay", CosineDecay::fromConfig);
    }
}
