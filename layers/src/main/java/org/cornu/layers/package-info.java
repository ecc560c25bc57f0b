/**
 * Keras's layers: core (Dense, Dropout, Flatten, ...), convolution and pooling, normalization,
 * recurrent (SimpleRNN, LSTM, GRU, Bidirectional), preprocessing and augmentation. A layer's
 * {@code call} only composes ops of {@code org.cornu.core.ops}; registered by Keras class name
 * through {@code LayersModule}. Depends on {@code cornu-core}.
 */
package org.cornu.layers;
