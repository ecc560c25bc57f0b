/**
 * Keras's learning-rate schedules ({@code ExponentialDecay}, {@code InverseTimeDecay},
 * {@code PolynomialDecay}, {@code PiecewiseConstantDecay}, {@code CosineDecay}), each with the
 * Keras {@code get_config()} keys and a {@code fromConfig} that reads them back
 * ({@link org.cornu.optimizers.schedules.SchedulesModule} registers them for loading).
 */
package org.cornu.optimizers.schedules;
