/**
 * Keras's learning-rate schedules ({@code ExponentialDecay}, {@code PiecewiseConstantDecay},
 * {@code CosineDecay}).
 */
package org.cornu.optimizers.schedules;
