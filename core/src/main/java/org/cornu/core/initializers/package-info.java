/**
 * Keras's initializers ({@code glorot_uniform}, {@code he_normal}, {@code orthogonal}, ...) with
 * Keras's formulas and names. Public API.
 */
package org.cornu.core.initializers;
