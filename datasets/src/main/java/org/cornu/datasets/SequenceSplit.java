package org.cornu.datasets;

/**
 * A text dataset split as Keras's {@code imdb.load_data()} and {@code reuters.load_data()}
 * return it, {@code (x_train, y_train), (x_test, y_test)}: each x is one sequence of word
 * indices per sample, each y the samples' labels. The arrays are the caller's to keep (record
 * equality is by array identity).
 *
 * @param xTrain one sequence of word indices per training sample
 * @param yTrain the training labels
 * @param xTest one sequence of word indices per test sample
 * @param yTest the test labels
 */
public record SequenceSplit(int[][] xTrain, int[] yTrain, int[][] xTest, int[] yTest) {
}
