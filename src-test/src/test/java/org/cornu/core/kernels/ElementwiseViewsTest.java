package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Elementwise#floatsCached} and {@link Elementwise#doublesCached}: the remembered buffer of an
 * array reads and writes that array's elements from index 0 (views with an offset too), follows
 * in-place changes, is found again for the same array, and each of many arrays still gets its own.
 */
class ElementwiseViewsTest {
    @Test
    void cachedBuffersReadAndWriteTheirArray() {
        INDArray m = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c');
        INDArray row1 = m.getRow(1); // offset 3
        FloatBuffer b = Elementwise.floatsCached(row1);
        assertEquals(4f, b.get(0));
        assertEquals(6f, b.get(2));
        assertSame(b, Elementwise.floatsCached(row1), "found again");
        m.muli(10); // in place: the same memory
        assertEquals(50f, Elementwise.floatsCached(row1).get(1));
        Elementwise.floatsCached(m).put(0, -1f);
        assertEquals(-1f, m.getFloat(0, 0));

        INDArray d = Nd4j.create(new double[] {7, 8, 9}, new long[] {3}, 'c');
        DoubleBuffer db = Elementwise.doublesCached(d);
        assertEquals(9.0, db.get(2));
        assertSame(db, Elementwise.doublesCached(d));
    }

    @Test
    void manyArraysEachGetTheirOwnElements() {
        List<INDArray> arrays = new ArrayList<>();
        // more arrays than the cache holds: evicted ones are looked up afresh, never confused
        for (int i = 0; i < 600; i++) {
            arrays.add(i % 2 == 0 ? Nd4j.create(new float[] {i, i + 0.5f}, new long[] {2}, 'c')
                    : Nd4j.create(new double[] {i, i + 0.25}, new long[] {2}, 'c'));
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < arrays.size(); i++) {
                INDArray a = arrays.get(i);
                if (a.dataType() == DataType.FLOAT) {
                    assertEquals(i + 0.5f, Elementwise.floatsCached(a).get(1), "array " + i);
                } else {
                    assertEquals(i + 0.25, Elementwise.doublesCached(a).get(1), "array " + i);
                }
            }
        }
    }

    @Test
    void theCacheKeepsNoArrayOrDataBufferAlive() throws InterruptedException {
        java.lang.ref.WeakReference<INDArray> array;
        java.lang.ref.WeakReference<org.nd4j.linalg.api.buffer.DataBuffer> data;
        {
            INDArray a = Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, 'c');
            assertEquals(3f, Elementwise.floatsCached(a).get(2));
            array = new java.lang.ref.WeakReference<>(a);
            data = new java.lang.ref.WeakReference<>(a.data());
        }
        for (int i = 0; i < 20 && (array.get() != null || data.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(array.get(), "the array was collected");
        assertNull(data.get(), "its data buffer was collected");
    }
}
