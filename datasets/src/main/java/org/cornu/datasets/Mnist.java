package org.cornu.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MNIST digits, exactly as {@code keras.datasets.mnist.load_data()}: Keras's file
 * {@code mnist.npz}, its hash, and its split of 60,000 training and 10,000 test images.
 *
 * <pre>{@code
 * Mnist.Split data = Mnist.loadData();
 * INDArray x = data.xTrain().reshape(60000, 784).castTo(DataType.FLOAT).divi(255);
 * }</pre>
 */
public final class Mnist {
    /** Keras's file name. */
    public static final String FILE_NAME = "mnist.npz";
    /** Keras's download URL. */
    public static final String ORIGIN = DatasetFiles.KERAS_ORIGIN + FILE_NAME;
    /** Keras's SHA-256 of the file. */
    public static final String SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1";

    private Mnist() {
    }

    /**
     * The training and test sets. Images are UBYTE (uint8, 0..255) arrays of shape
     * (n, 28, 28); labels are UBYTE arrays of shape (n,) holding the digits 0..9.
     *
     * @param xTrain the training images {@code (n, 28, 28)}, UBYTE
     * @param yTrain the training labels {@code (n,)}, UBYTE, 0 to 9
     * @param xTest the test images {@code (n, 28, 28)}, UBYTE
     * @param yTest the test labels {@code (n,)}, UBYTE, 0 to 9
     */
    public record Split(INDArray xTrain, INDArray yTrain, INDArray xTest, INDArray yTest) {
    }

    /**
     * Loads MNIST, finding or downloading {@code mnist.npz} through {@link DatasetFiles}.
     *
     * @return 60,000 training and 10,000 test images with their labels
     * @throws UncheckedIOException if the file cannot be had or read; the message says why
     */
    public static Split loadData() {
        Path file;
        try {
            file = DatasetFiles.get(FILE_NAME, ORIGIN, SHA256);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return loadData(file);
    }

    /**
     * Loads MNIST from a given {@code mnist.npz} (no hash check).
     *
     * @param file a file in {@code mnist.npz}'s format (arrays {@code x_train}, {@code y_train}, {@code x_test},
     *     {@code y_test})
     * @return the training and test sets
     * @throws UncheckedIOException if the file cannot be read or is not a valid MNIST file
     */
    public static Split loadData(Path file) {
        try (Npz npz = Npz.open(file)) {
            Split s = new Split(npz.get("x_train"), npz.get("y_train"), npz.get("x_test"), npz.get("y_test"));
            Idx.checkPair(file + ": x_train/y_train", s.xTrain(), s.yTrain());
            Idx.checkPair(file + ": x_test/y_test", s.xTest(), s.yTest());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
