/**
 * <b>Internal</b>: the optimizers' in-place update kernels (ND4J's native ops with preallocated
 * outputs, and fused JVM loops). Public only so that {@code org.cornu.optimizers} and the tests can
 * call them; not part of Cornu's API.
 */
package org.cornu.optimizers.kernels;
