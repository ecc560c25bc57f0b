package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** pad_sequences against arrays worked out by hand from Keras's definition (s[-maxlen:] / s[:maxlen], x[i, -len:] / x[i, :len]). */
class PadSequencesTest {
    static final int[][] SEQS = {{1}, {2, 3}, {4, 5, 6}, {7, 8, 9, 10, 11}};

    static void assertMatrix(int[][] expected, INDArray a) {
        assertEquals(expected.length, a.size(0));
        assertEquals(expected[0].length, a.size(1));
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], a.getRow(i).toIntVector(), "row " + i);
        }
    }

    @Test
    void kerasDocstringExamples() {
        int[][] s = {{1}, {2, 3}, {4, 5, 6}};
        INDArray d = Utils.padSequences(s);
        assertEquals(DataType.INT, d.dataType());
        assertMatrix(new int[][] {{0, 0, 1}, {0, 2, 3}, {4, 5, 6}}, d);
        assertMatrix(new int[][] {{-1, -1, 1}, {-1, 2, 3}, {4, 5, 6}}, PadSequences.value(-1).apply(s));
        assertMatrix(new int[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}}, PadSequences.padding("post").apply(s));
        assertMatrix(new int[][] {{0, 1}, {2, 3}, {5, 6}}, Utils.padSequences(s, 2));
    }

    @Test
    void everyPaddingTruncatingCombination() {
        // maxlen 3: [1] and [2,3] are padded, [4,5,6] fits, [7..11] is truncated
        assertMatrix(new int[][] {{0, 0, 1}, {0, 2, 3}, {4, 5, 6}, {9, 10, 11}},
                PadSequences.maxlen(3).padding("pre").truncating("pre").apply(SEQS));
        assertMatrix(new int[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}, {9, 10, 11}},
                PadSequences.maxlen(3).padding("post").truncating("pre").apply(SEQS));
        assertMatrix(new int[][] {{0, 0, 1}, {0, 2, 3}, {4, 5, 6}, {7, 8, 9}},
                PadSequences.maxlen(3).padding("pre").truncating("post").apply(SEQS));
        assertMatrix(new int[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}, {7, 8, 9}},
                PadSequences.maxlen(3).padding("post").truncating("post").apply(SEQS));
        // defaults are pre/pre
        assertMatrix(new int[][] {{0, 0, 1}, {0, 2, 3}, {4, 5, 6}, {9, 10, 11}}, Utils.padSequences(SEQS, 3));
        // the positional overload in Keras's argument order
        assertMatrix(new int[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}, {7, 8, 9}},
                Utils.padSequences(SEQS, 3, "int32", "post", "post", 0));
    }

    @Test
    void maxlenDefaultsToLongestAndCanExceedIt() {
        assertMatrix(new int[][] {{0, 0, 0, 0, 1}, {0, 0, 0, 2, 3}, {0, 0, 4, 5, 6}, {7, 8, 9, 10, 11}},
                Utils.padSequences(SEQS));
        assertMatrix(new int[][] {{2, 3, 9, 9, 9, 9}}, PadSequences.maxlen(6).padding("post").value(9).apply(new int[][] {{2, 3}}));
        // maxlen 1 with truncating pre keeps the last element, post the first
        assertMatrix(new int[][] {{1}, {3}, {6}, {11}}, PadSequences.maxlen(1).apply(SEQS));
        assertMatrix(new int[][] {{1}, {2}, {4}, {7}}, PadSequences.maxlen(1).truncating("post").apply(SEQS));
    }

    @Test
    void emptySequencesAreAllPadding() {
        assertMatrix(new int[][] {{5, 5, 5}, {0, 1, 2}}, PadSequences.value(5).apply(new int[][] {{}, {0, 1, 2}}));
    }

    @Test
    void dtypesAndValueCasts() {
        INDArray f = PadSequences.maxlen(4).dtype("float32").value(0.5).apply(new int[][] {{1, 2}});
        assertEquals(DataType.FLOAT, f.dataType());
        assertArrayEquals(new float[] {0.5f, 0.5f, 1, 2}, f.getRow(0).toFloatVector());
        INDArray d = PadSequences.maxlen(3).dtype("float64").padding("post").value(-2.25).apply(new int[][] {{7}});
        assertEquals(DataType.DOUBLE, d.dataType());
        assertArrayEquals(new double[] {7, -2.25, -2.25}, d.getRow(0).toDoubleVector());
        // numpy's np.full(..., -1.7, dtype=int32) gives -1
        assertMatrix(new int[][] {{-1, -1, 3}}, PadSequences.maxlen(3).value(-1.7).apply(new int[][] {{3}}));
        INDArray l = PadSequences.maxlen(2).dtype("int64").apply(new int[][] {{3}});
        assertEquals(DataType.LONG, l.dataType());
        assertArrayEquals(new long[] {0, 3}, l.getRow(0).toLongVector());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PadSequences.padding("middle"));
        assertTrue(e.getMessage().contains("middle") && e.getMessage().contains("padding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PadSequences.truncating("end"));
        assertTrue(e.getMessage().contains("end") && e.getMessage().contains("truncating"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PadSequences.dtype("uint8"));
        assertTrue(e.getMessage().contains("uint8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PadSequences.maxlen(0));
        assertThrows(IllegalArgumentException.class, () -> Utils.padSequences(new int[0][]));
    }
}
