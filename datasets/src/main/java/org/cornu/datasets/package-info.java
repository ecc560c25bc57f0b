/**
 * Keras's datasets for Java: the same files, hashes, cache folder and splits as
 * {@code keras.datasets}. {@link org.cornu.datasets.Mnist}, {@link org.cornu.datasets.FashionMnist},
 * {@link org.cornu.datasets.Imdb}, {@link org.cornu.datasets.Reuters} and
 * {@link org.cornu.datasets.BostonHousing} load the data (the text sets as
 * {@link org.cornu.datasets.SequenceSplit}s, shuffled by {@link org.cornu.datasets.NumpyRandomState}
 * exactly as NumPy shuffles them for Keras); {@link org.cornu.datasets.DatasetFiles} finds, checks
 * and downloads the files; {@link org.cornu.datasets.Npy}, {@link org.cornu.datasets.Npz} and
 * {@link org.cornu.datasets.Idx} read NumPy and IDX arrays into ND4J, and
 * {@link org.cornu.datasets.Npz#getSequences(String)} reads pickled object arrays of integer lists
 * with a restricted reader that executes nothing. NumPy's {@code uint8} becomes ND4J's unsigned
 * {@code UBYTE}.
 */
package org.cornu.datasets;
