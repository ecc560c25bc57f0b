/**
 * Keras's optimizers (SGD with momentum and Nesterov, RMSprop, Adam, AdamW, Adagrad, Adadelta,
 * Adamax, Nadam) with Keras 3's defaults and update formulas, registered by name. Depends on
 * {@code cornu-core}.
 */
package org.cornu.optimizers;
