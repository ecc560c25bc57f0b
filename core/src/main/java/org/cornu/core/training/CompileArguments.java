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
 *
 * @param optimizer the optimizer, or null
 * @param loss the loss argument, or null
 * @param lossWeights the loss weights, or null
 * @param metrics the metrics argument
 */
public record CompileArguments(Optimizer optimizer, Object loss, double[] lossWeights, List<Object> metrics) {
    /**
     * Copies the loss weights and the metrics, so that later changes to the caller's arrays and
     * lists do not reach the record.
     *
     * @param optimizer the optimizer, or null
     * @param loss the loss argument, or null
     * @param lossWeights the loss weights, or null
     * @param metrics the metrics argument
     */
    public CompileArguments {
        lossWeights = lossWeights == null ? null : lossWeights.clone();
        metrics = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(metrics));
    }

    /**
     * The loss weights given to {@code compile}.
     *
     * @return a copy, or null when none were given
     */
    @Override
    public double[] lossWeights() {
        return lossWeights == null ? null : lossWeights.clone();
    }
}
