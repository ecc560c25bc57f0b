package org.cornu.datasets;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the file datasets ({@code image_dataset_from_directory}'s and
 * {@code text_dataset_from_directory}'s) share when they batch: the order of one pass, and the
 * labels of a batch encoded by Keras's {@code label_mode}. Internal to Cornu's datasets.
 */
public final class FileBatches {
    private FileBatches() {}

    /**
     * The file order of one pass: {@code 0 .. n-1}, Fisher-Yates shuffled by {@code new Random(rngSeed)}
     * when {@code shuffle} is set and the pass is not the first.
     *
     * @param n the number of files
     * @param shuffle whether passes after the first are shuffled
     * @param pass the pass number, from 0
     * @param rngSeed the seed of this pass's shuffle
     * @return the order, a new array
     */
    public static int[] passOrder(int n, boolean shuffle, int pass, long rngSeed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle && pass > 0) {
            Random r = new Random(rngSeed);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * The labels of files {@code idx} as {@code label_mode} encodes them: int32 {@code (n,)} for
     * {@code "int"}, float32 {@code (n, 1)} for {@code "binary"}, float32 one-hot
     * {@code (n, numClasses)} for {@code "categorical"} (a label outside {@code [0, numClasses)} gives
     * a zero row, as {@code tf.one_hot} does).
     *
     * @param labels every file's integer label
     * @param idx the files of the batch
     * @param labelMode {@code "int"}, {@code "binary"} or {@code "categorical"}
     * @param numClasses the number of classes
     * @return the encoded labels
     */
    public static INDArray encodeLabels(int[] labels, int[] idx, String labelMode, int numClasses) {
        int n = idx.length;
        switch (labelMode) {
            case "int" -> {
                int[] y = new int[n];
                for (int k = 0; k < n; k++) y[k] = labels[idx[k]];
                return Nd4j.createFromArray(y);
            }
            case "binary" -> {
                float[] y = new float[n];
                for (int k = 0; k < n; k++) y[k] = labels[idx[k]];
                return Nd4j.create(y, new long[] {n, 1}, 'c');
            }
            default -> {
                float[] y = new float[n * numClasses];
                for (int k = 0; k < n; k++) {
                    int l = labels[idx[k]];
                    if (l >= 0 && l < numClasses) y[k * numClasses + l] = 1f;
                }
                return Nd4j.create(y, new long[] {n, numClasses}, 'c');
            }
        }
    }
}
