/**
 * Keras's losses (crossentropies fused with softmax/sigmoid as Keras's TF backend does, MSE, MAE,
 * Huber, hinge, ...), registered by name. Depends on {@code cornu-core}.
 */
package org.cornu.losses;
