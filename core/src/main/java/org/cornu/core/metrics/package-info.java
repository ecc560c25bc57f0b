/**
 * Keras's metrics: accuracy in its binary, categorical and sparse forms, top-k, crossentropies,
 * errors, AUC, precision and recall, and {@code Mean} for custom trackers; {@code Metrics} resolves
 * names as Keras does ({@code "accuracy"} by the loss and shapes). Public API.
 */
package org.cornu.core.metrics;
