/**
 * Cornu's public API, the counterpart of the top of Keras's namespace: {@link org.cornu.core.Layer}
 * (the layer life cycle: constructor config, {@code build}, {@code call}, {@code computeOutputShape},
 * {@code getConfig}, {@code addWeight}), {@link org.cornu.core.Model} (a functional graph of layer
 * applications) and {@link org.cornu.core.Sequential}, {@link org.cornu.core.Input} /
 * {@link org.cornu.core.KerasTensor}, {@link org.cornu.core.Weight}, the bases of
 * {@link org.cornu.core.Loss}, {@link org.cornu.core.Metric} and {@link org.cornu.core.Optimizer},
 * the name {@link org.cornu.core.Registry} that the other modules fill through
 * {@link java.util.ServiceLoader}, global settings ({@link org.cornu.core.Cornu}: float type, seed,
 * threads) and the switches of every fast path ({@link org.cornu.core.FastPaths}). The options of
 * {@code fit}/{@code evaluate}/{@code predict} start from {@link org.cornu.core.Fit},
 * {@link org.cornu.core.Evaluate} and {@link org.cornu.core.Predict}.
 *
 * <p>This package never names an implementation (a layer, loss or optimizer class): those live in
 * the {@code layers}, {@code losses} and {@code optimizers} modules and are found by name through
 * the registry. It depends on {@code autodiff} (tensors), {@code training} ({@code Model} is a
 * {@link org.cornu.core.training.Trainer}) and {@code saving}.
 */
package org.cornu.core;
