package org.cornu.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017), exactly as
 * {@code keras.datasets.fashion_mnist.load_data()}: the four gzipped IDX files Keras downloads
 * into {@code ~/.keras/datasets/fashion-mnist/}, 60,000 training and 10,000 test images of
 * 10 kinds of clothing. Under {@code CORNU_DATASETS} the files are looked for in
 * {@code fashion-mnist/}.
 */
public final class FashionMnist {
    /** Keras's cache subfolder. */
    public static final String SUBDIR = "fashion-mnist";
    /** Keras's file of training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    /** Keras's file of training images. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    /** Keras's file of test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    /** Keras's file of test images. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";

    private static final String[][] FILES = {
        {TRAIN_LABELS, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"},
        {TRAIN_IMAGES, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"},
        {TEST_LABELS, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"},
        {TEST_IMAGES, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"},
    };

    private FashionMnist() {
    }

    /**
     * The training and test sets. Images are UBYTE (uint8, 0..255) arrays of shape
     * (n, 28, 28); labels are UBYTE arrays of shape (n,) holding the classes 0..9.
     *
     * @param xTrain the training images {@code (n, 28, 28)}, UBYTE
     * @param yTrain the training labels {@code (n,)}, UBYTE, 0 to 9
     * @param xTest the test images {@code (n, 28, 28)}, UBYTE
     * @param yTest the test labels {@code (n,)}, UBYTE, 0 to 9
     */
    public record Split(INDArray xTrain, INDArray yTrain, INDArray xTest, INDArray yTest) {
    }

    /**
     * Loads Fashion-MNIST, finding or downloading its four files through {@link DatasetFiles}.
     *
     * @return 60,000 training and 10,000 test images with their labels
     * @throws UncheckedIOException if a file cannot be had or read; the message says why
     */
    public static Split loadData() {
        Path[] paths = new Path[FILES.length];
        try {
            for (int i = 0; i < FILES.length; i++) {
                paths[i] = DatasetFiles.get(SUBDIR, FILES[i][0], DatasetFiles.KERAS_ORIGIN + FILES[i][0], FILES[i][1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return load(paths[0], paths[1], paths[2], paths[3]);
    }

    /**
     * Loads Fashion-MNIST from a folder holding the four files under Keras's names (no hash check).
     *
     * @param dir the folder holding {@value #TRAIN_LABELS}, {@value #TRAIN_IMAGES}, {@value #TEST_LABELS} and
     *     {@value #TEST_IMAGES}
     * @return the training and test sets
     * @throws UncheckedIOException if a file cannot be read or is not valid
     */
    public static Split loadData(Path dir) {
        return load(dir.resolve(TRAIN_LABELS), dir.resolve(TRAIN_IMAGES), dir.resolve(TEST_LABELS),
                dir.resolve(TEST_IMAGES));
    }

    private static Split load(Path trainLabels, Path trainImages, Path testLabels, Path testImages) {
        try {
            INDArray yTrain = Idx.read(trainLabels);
            INDArray xTrain = Idx.read(trainImages);
            INDArray yTest = Idx.read(testLabels);
            INDArray xTest = Idx.read(testImages);
            Idx.checkPair(trainImages + " / " + trainLabels, xTrain, yTrain);
            Idx.checkPair(testImages + " / " + testLabels, xTest, yTest);
            return new Split(xTrain, yTrain, xTest, yTest);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
