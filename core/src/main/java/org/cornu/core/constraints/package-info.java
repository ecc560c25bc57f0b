/**
 * Keras's weight constraints ({@code max_norm}, {@code non_neg}, {@code unit_norm},
 * {@code min_max_norm}), applied after each optimizer update. Public API.
 */
package org.cornu.core.constraints;
