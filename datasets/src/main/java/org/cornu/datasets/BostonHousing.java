package org.cornu.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Boston Housing prices (Harrison and Rubinfeld, 1978; StatLib), exactly as
 * {@code keras.datasets.boston_housing}: Keras's file {@code boston_housing.npz} and its hash,
 * 506 rows of 13 features and a target (median value in k$), shuffled with NumPy's
 * {@code RandomState(seed)} ({@link NumpyRandomState}) and split after the first
 * {@code int(506 * (1 - testSplit))} rows (404 training and 102 test rows by default).
 *
 * <p>Ethical note (Keras's): the feature "B" encodes an assumption about racial
 * self-segregation; use the data only where that is addressed.
 */
public final class BostonHousing {
    /** Keras's file name. */
    public static final String FILE_NAME = "boston_housing.npz";
    /** Keras's download URL. */
    public static final String ORIGIN = DatasetFiles.KERAS_ORIGIN + FILE_NAME;
    /** Keras's SHA-256 of the file. */
    public static final String SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5";
    /** Keras's default fraction of test data. */
    public static final double TEST_SPLIT = 0.2;

    private BostonHousing() {
    }

    /**
     * The training and test sets: x DOUBLE (float64, as the file and Keras) of shape (n, 13),
     * y DOUBLE of shape (n,).
     *
     * @param xTrain the training features {@code (404, 13)} by default, DOUBLE
     * @param yTrain the training targets {@code (404,)}, median values in k$, DOUBLE
     * @param xTest the test features {@code (102, 13)} by default, DOUBLE
     * @param yTest the test targets {@code (102,)}, DOUBLE
     */
    public record Split(INDArray xTrain, INDArray yTrain, INDArray xTest, INDArray yTest) {
    }

    /**
     * As {@code boston_housing.load_data()}: test_split 0.2, seed 113.
     *
     * @return 404 training and 102 test rows
     * @throws UncheckedIOException if the file cannot be had or read
     */
    public static Split loadData() {
        return loadData(TEST_SPLIT, Imdb.SEED);
    }

    /**
     * As {@code boston_housing.load_data(test_split=testSplit, seed=seed)}, finding or
     * downloading the file through {@link DatasetFiles}.
     *
     * @param testSplit fraction of the data to reserve as test set (Keras's {@code test_split}, default 0.2)
     * @param seed random seed for shuffling the data before computing the test split (Keras's {@code seed}, default
     *     113)
     * @return the training and test sets
     * @throws IllegalArgumentException unless {@code 0 <= testSplit < 1} (Keras's assertion)
     * @throws UncheckedIOException     if the file cannot be had or read
     */
    public static Split loadData(double testSplit, long seed) {
        checkSplit(testSplit);
        Path file;
        try {
            file = DatasetFiles.get(FILE_NAME, ORIGIN, SHA256);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return loadData(file, testSplit, seed);
    }

    /**
     * As {@link #loadData(double, long)} from a given file (no hash check).
     *
     * @param file a file in {@code boston_housing.npz}'s format: {@code x} of shape {@code (n, 13)}, {@code y} of
     *     shape {@code (n,)}
     * @param testSplit fraction of the data to reserve as test set, in {@code [0, 1)}
     * @param seed random seed for shuffling the data before computing the test split
     * @return the training and test sets
     * @throws IllegalArgumentException unless {@code 0 <= testSplit < 1}
     * @throws UncheckedIOException if the file cannot be read or holds arrays of other shapes
     */
    public static Split loadData(Path file, double testSplit, long seed) {
        checkSplit(testSplit);
        INDArray x;
        INDArray y;
        try (Npz npz = Npz.open(file)) {
            x = npz.get("x");
            y = npz.get("y");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (x.rank() != 2 || y.rank() != 1 || x.size(0) != y.size(0)) {
            throw new UncheckedIOException(new IOException(file + ": expected x of shape (n, 13) and y of shape (n,), found "
                    + RawArrays.shapeString(x.shape()) + " and " + RawArrays.shapeString(y.shape())));
        }
        int n = (int) x.size(0);
        int cols = (int) x.size(1);
        double[] xv = n * cols == 0 ? new double[0] : x.castTo(DataType.DOUBLE).data().asDouble();
        double[] yv = n == 0 ? new double[0] : y.castTo(DataType.DOUBLE).data().asDouble();
        int[] perm = new NumpyRandomState(seed).permutation(n);
        int idx = (int) (n * (1 - testSplit));
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new Split(rows(xv, cols, perm, 0, idx), rows(yv, 1, perm, 0, idx).reshape(idx),
                    rows(xv, cols, perm, idx, n), rows(yv, 1, perm, idx, n).reshape(n - idx));
        }
    }

    private static INDArray rows(double[] v, int cols, int[] perm, int from, int to) {
        double[] out = new double[(to - from) * cols];
        for (int i = from; i < to; i++) System.arraycopy(v, perm[i] * cols, out, (i - from) * cols, cols);
        if (out.length == 0) return Nd4j.create(DataType.DOUBLE, to - from, cols);
        return Nd4j.create(Nd4j.createBuffer(out), to - from, cols);
    }

    private static void checkSplit(double testSplit) {
        if (!(testSplit >= 0 && testSplit < 1)) {
            throw new IllegalArgumentException("test_split must be in [0, 1), got " + testSplit);
        }
    }
}
