/**
 * Keras's activations by name ({@code "relu"}, {@code "softmax"}, ...) as
 * {@link org.cornu.core.activations.ActivationFunction}s composed of differentiable ops. Public API;
 * depends on {@code ops}.
 */
package org.cornu.core.activations;
