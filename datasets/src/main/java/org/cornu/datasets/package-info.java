/**
 * Keras's datasets for Java: the same files, hashes, cache folder and splits as
 * {@code keras.datasets}. {@link org.cornu.datasets.Mnist} and
 * {@link org.cornu.datasets.FashionMnist} load the data; {@link org.cornu.datasets.DatasetFiles}
 * finds, checks and downloads the files; {@link org.cornu.datasets.Npy},
 * {@link org.cornu.datasets.Npz} and {@link org.cornu.datasets.Idx} read NumPy and IDX arrays
 * into ND4J. NumPy's {@code uint8} becomes ND4J's unsigned {@code UBYTE}.
 */
package org.cornu.datasets;
