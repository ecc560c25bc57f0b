package org.cornu.core.training;

import java.util.List;
import org.cornu.core.Optimizer;

/**
 * What was given to {@code compile}, as given (Keras keeps the same in a model's
 * {@code compile_config}): the optimizer (null when compiled without one), the loss (a name, a
 * {@link org.cornu.core.Loss}, a {@code List} in output order, a {@code Map} by output name, or
 * null), the loss weights (null when not given) and the metrics argument (empty when none; a
 * list of names and {@link org.cornu.core.Metric}s, of per-output {@code List}s, or one
 * {@code Map} by output name).
 */
public record CompileArguments(Optimizer optimizer, Object loss, double[] lossWeights, List<Object> metrics) {
    public CompileArguments {
        lossWeights = lossWeights == null ? null : lossWeights.clone();
        metrics = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(metrics));
    }

    @Override
    public double[] lossWeights() {
        return lossWeights == null ? null : lossWeights.clone();
    }
}
