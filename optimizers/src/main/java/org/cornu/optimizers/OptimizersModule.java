package org.cornu.optimizers;

import org.cornu.core.Registry;

/**
 * Registers this module's optimizers under their Keras names (case-insensitive, so
 * {@code "rmsprop"} and {@code "RMSprop"} both work); each lookup gives a new instance with
 * Keras's defaults.
 */
public final class OptimizersModule implements Registry.Module {
    @Override
    public void register() {
        Registry.register(Registry.Kind.OPTIMIZER, "sgd", SGD::new);
        Registry.register(Registry.Kind.OPTIMIZER, "rmsprop", RMSprop::new);
        Registry.register(Registry.Kind.OPTIMIZER, "adam", Adam::new);
        Registry.register(Registry.Kind.OPTIMIZER, "adamw", AdamW::new);
        Registry.register(Registry.Kind.OPTIMIZER, "adagrad", Adagrad::new);
        Registry.register(Registry.Kind.OPTIMIZER, "adadelta", Adadelta::new);
        Registry.register(Registry.Kind.OPTIMIZER, "adamax", Adamax::new);
        Registry.register(Registry.Kind.OPTIMIZER, "nadam", Nadam::new);
    }
}
