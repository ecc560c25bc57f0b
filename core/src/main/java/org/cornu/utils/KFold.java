package org.cornu.utils;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * K-fold validation folds exactly as the book's manual loop:
 * {@code num_val_samples = n // k}; fold {@code i} validates on samples
 * {@code [i * num_val_samples, (i + 1) * num_val_samples)} and trains on all the others, in order.
 * The {@code n % k} last samples are never validated on (always trained on), as in the book.
 *
 * <pre>{@code
 * for (KFold.Fold f : KFold.split(xTrain.size(0), 4)) {
 *     INDArray x = f.train(xTrain), y = f.train(yTrain), xv = f.val(xTrain), yv = f.val(yTrain);
 *     ...
 * }
 * }</pre>
 */
public final class KFold {
    private KFold() {}

    /**
     * One fold: the row indices to train on and to validate on.
     *
     * @param index the fold's number, from 0
     * @param trainIdx the rows to train on: all but the fold's, in order
     * @param valIdx the rows to validate on: the fold's own
     */
    public record Fold(int index, int[] trainIdx, int[] valIdx) {
        /**
         * The training rows of {@code x} ({@link Utils#takeRows}).
         *
         * @param x the data, samples along axis 0
         * @return the training rows
         */
        public INDArray train(INDArray x) {
            return Utils.takeRows(x, trainIdx);
        }

        /**
         * The validation rows of {@code x} ({@link Utils#takeRows}).
         *
         * @param x the data, samples along axis 0
         * @return the validation rows
         */
        public INDArray val(INDArray x) {
            return Utils.takeRows(x, valIdx);
        }
    }

    /**
     * The {@code k} folds of {@code n} samples, as the book's loop.
     *
     * @param n the number of samples
     * @param k the number of folds
     * @return the folds; fold {@code i} validates on the {@code i}-th slice of {@code n / k} samples
     * @throws IllegalArgumentException if {@code k < 2} or {@code n < k}
     */
    public static List<Fold> split(long n, int k) {
        if (k < 2) throw new IllegalArgumentException("KFold: k must be at least 2, got " + k);
        if (n < k) throw new IllegalArgumentException("KFold: need at least k=" + k + " samples, got " + n);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("KFold: too many samples: " + n);
        int size = (int) n;
        int numVal = size / k;
        List<Fold> folds = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int from = i * numVal, to = (i + 1) * numVal;
            int[] val = new int[numVal];
            for (int j = 0; j < numVal; j++) val[j] = from + j;
            int[] train = new int[size - numVal];
            int t = 0;
            for (int j = 0; j < from; j++) train[t++] = j;
            for (int j = to; j < size; j++) train[t++] = j;
            folds.add(new Fold(i, train, val));
        }
        return Collections.unmodifiableList(folds);
    }
}
