package org.cornu.core;

import org.cornu.core.activations.Activations;
import org.cornu.core.constraints.Constraints;
import org.cornu.core.initializers.Initializers;
import org.cornu.core.metrics.Metrics;
import org.cornu.core.regularizers.Regularizers;

/** Core's own registrations: activations, initializers, regularizers, constraints, metrics. */
final class BuiltIns {
    private BuiltIns() {}

    static void register() {
        Activations.registerAll();
        Initializers.registerAll();
        Regularizers.registerAll();
        Constraints.registerAll();
        Metrics.registerAll();
    }
}
