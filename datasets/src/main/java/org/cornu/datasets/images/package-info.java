/**
 * Keras's image utilities: {@code Images} ({@code load_img}, {@code img_to_array}, ...),
 * {@code ImageDatasets.imageDatasetFromDirectory} and {@code ImageDataGenerator}. Depends on
 * {@code cornu-core}.
 */
package org.cornu.datasets.images;
