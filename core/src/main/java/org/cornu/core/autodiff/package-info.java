/**
 * Reverse-mode automatic differentiation: {@link org.cornu.core.autodiff.Tensor} (an ND4J array that
 * may carry a gradient), the per-thread {@link org.cornu.core.autodiff.Tape} that differentiable ops
 * record on, the public {@link org.cornu.core.autodiff.GradientTape} of custom training loops (it
 * watches a model's trainable weights as they are read), {@link org.cornu.core.autodiff.StatelessScope}
 * (Keras 3's: weights read as given values), and {@code LossCollector} (the activity-regularization
 * losses a forward pass adds).
 *
 * <p>Public API. Depends on ND4J and on the root package's {@link org.cornu.core.Weight} and
 * {@link org.cornu.core.Shape} only; ops ({@code org.cornu.core.ops}) build on it.
 */
package org.cornu.core.autodiff;
