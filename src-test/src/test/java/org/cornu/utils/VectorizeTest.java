package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The book's vectorize_sequences, smooth_curve and review decoding. */
class VectorizeTest {
    @Test
    void multiHotAsTheBook() {
        // results[i, sequence] = 1.: repeats set the same cell once, an empty sequence is a zero row
        INDArray v = Utils.vectorizeSequences(new int[][] {{1, 3, 3}, {0}, {}}, 4);
        assertEquals(DataType.FLOAT, v.dataType());
        assertArrayEquals(new long[] {3, 4}, v.shape());
        assertArrayEquals(new float[] {0, 1, 0, 1}, v.getRow(0).toFloatVector());
        assertArrayEquals(new float[] {1, 0, 0, 0}, v.getRow(1).toFloatVector());
        assertArrayEquals(new float[] {0, 0, 0, 0}, v.getRow(2).toFloatVector());
        assertArrayEquals(new long[] {1, 10000}, Utils.vectorizeSequences(new int[][] {{9999}}).shape());
    }

    @Test
    void indexOutOfRangeNamesSampleAndIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Utils.vectorizeSequences(new int[][] {{1}, {2, 5}}, 4));
        assertTrue(e.getMessage().contains("sample 1") && e.getMessage().contains("index 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Utils.vectorizeSequences(new int[][] {{-1}}, 4));
        assertTrue(e.getMessage().contains("sample 0") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void smoothCurveKeepsFirstPoint() {
        // 1, 1*0.9 + 2*0.1 = 1.1, 1.1*0.9 + 3*0.1 = 1.29
        assertArrayEquals(new double[] {1, 1.1, 1.29}, Utils.smoothCurve(new double[] {1, 2, 3}), 1e-12);
        // factor 0.5: 4, 2, 5
        assertArrayEquals(new double[] {4, 2, 5}, Utils.smoothCurve(java.util.List.of(4.0, 0.0, 8.0), 0.5), 1e-12);
        assertEquals(0, Utils.smoothCurve(new double[0]).length);
    }

    @Test
    void decodeAsTheBook() {
        Map<String, Integer> wordIndex = Map.of("the", 1, "movie", 2, "great", 3);
        // i - 3: 1 -> -2 "?", 4 -> "the", 5 -> "movie", 6 -> "great", 2 -> -1 "?", 99 -> "?"
        assertEquals("? the movie great ? ?", Utils.decode(new int[] {1, 4, 5, 6, 2, 99}, wordIndex));
        assertEquals("", Utils.decode(new int[0], wordIndex));
        assertEquals("great the", Utils.decode(new int[] {3, 1}, Utils.reverseWordIndex(wordIndex), 0));
    }
}
