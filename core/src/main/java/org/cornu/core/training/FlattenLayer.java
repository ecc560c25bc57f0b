package org.cornu.core.training;

/**
 * Marks a layer that flattens each sample to one axis ({@code keras.layers.Flatten}), so that
 * the small-batch JVM path can read a Flatten-then-Dense model's input as rows.
 */
public interface FlattenLayer {
}
