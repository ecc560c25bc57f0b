/**
 * Keras's and the book's data utilities: {@code Utils} ({@code toCategorical}, {@code normalize},
 * {@code vectorizeSequences}, ...), {@code PadSequences}, {@code TimeseriesDataset}, {@code Normalizer},
 * {@code KFold}, {@code Plots} (training curves as PNG through XChart, from a {@code History}) and
 * {@code GetFile} ({@code keras.utils.get_file}: Keras's cache, hash checks, downloads).
 * Public API; depends on ND4J, XChart, the root package and {@code kernels} (fast row copies), never
 * on the trainer or the ops.
 */
package org.cornu.utils;
