/**
 * Keras's regularizers ({@code l1}, {@code l2}, {@code l1_l2}), added to the loss as differentiable
 * terms. Public API; depends on {@code ops}.
 */
package org.cornu.core.regularizers;
