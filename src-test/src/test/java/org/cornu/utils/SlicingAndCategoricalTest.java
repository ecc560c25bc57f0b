package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code toCategorical(int[])} and the book's {@code x[:n]}, {@code x[n:]} splits, by Python's rules. */
class SlicingAndCategoricalTest {
    @Test
    void toCategoricalOfIntLabels() {
        INDArray y = Utils.toCategorical(new int[] {2, 0, 1}, 4);
        assertEquals(DataType.FLOAT, y.dataType());
        assertArrayEquals(new float[][] {{0, 0, 1, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}}, y.toFloatMatrix());
        assertArrayEquals(new long[] {2, 3}, Utils.toCategorical(new int[] {2, 1}).shape()); // num_classes = max + 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Utils.toCategorical(new int[] {0, 4}, 4));
        assertTrue(e.getMessage().contains("label 4 at index 1 is outside [0, 4)"), e.getMessage());
    }

    @Test
    void upToAndFromSplitRowsAsPythonSlices() {
        INDArray x = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(6, 2); // rows [0,1], [2,3], ..., [10,11]
        assertArrayEquals(new float[][] {{0, 1}, {2, 3}}, Utils.upTo(x, 2).toFloatMatrix());      // x[:2]
        assertArrayEquals(new float[][] {{8, 9}, {10, 11}}, Utils.from(x, 4).toFloatMatrix());    // x[4:]
        assertArrayEquals(new float[][] {{8, 9}, {10, 11}}, Utils.from(x, -2).toFloatMatrix());   // x[-2:]
        assertArrayEquals(new float[][] {{0, 1}}, Utils.upTo(x, -5).toFloatMatrix());             // x[:-5]
        assertEquals(6, Utils.upTo(x, 100).size(0));                                              // x[:100]
        assertEquals(0, Utils.from(x, 100).size(0));                                              // x[100:]
        assertArrayEquals(new float[][] {{4, 5}, {6, 7}}, Utils.slice(x, 2, -2).toFloatMatrix()); // x[2:-2]
        assertArrayEquals(new int[] {7, 8}, Utils.upTo(new int[] {7, 8, 9}, 2));
        assertArrayEquals(new int[] {9}, Utils.from(new int[] {7, 8, 9}, -1));
        assertArrayEquals(new int[][] {{3}}, Utils.from(new int[][] {{1, 2}, {3}}, 1));
    }
}
