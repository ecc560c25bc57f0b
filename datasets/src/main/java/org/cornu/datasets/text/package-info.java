/**
 * Keras's text utilities: {@code TextDatasets.textDatasetFromDirectory} (Keras's
 * {@code keras.utils.text_dataset_from_directory}), returning a {@link org.cornu.datasets.text.TextDataset} of
 * strings and labels, batch by batch. Depends on {@code cornu-core}.
 */
package org.cornu.datasets.text;
