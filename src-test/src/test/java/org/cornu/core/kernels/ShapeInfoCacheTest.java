package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.Cornu;
import org.cornu.testing.Nd4jRegistrations;

class ShapeInfoCacheTest {

    private static ShapeInfoCache installed() {
        Cornu.chooseThreads();
        ShapeInfoProvider p = Nd4j.getShapeInfoProvider();
        assertInstanceOf(ShapeInfoCache.class, p, "chooseThreads() installs the cache on the CPU backend");
        return (ShapeInfoCache) p;
    }

    /** ND4J's own, uncached shape buffer for the same description. */
    private static long[] nd4jShapeInfo(long[] shape, long[] stride, long ews, char order, DataType t, boolean empty) {
        return Shape.createShapeInformation(shape, stride, ews, order, t, empty).asLong();
    }

    @Test
    void sameDescriptionSharesOneBufferWithNd4jsContents() {
        ShapeInfoCache c = installed();
        long[] shape = {37, 11};
        long[] stride = {11, 1};
        Pair<DataBuffer, long[]> a = c.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false);
        Pair<DataBuffer, long[]> b = c.createShapeInformation(shape.clone(), stride.clone(), 1, 'c', DataType.FLOAT, false);
        assertSame(a, b);
        assertArrayEquals(nd4jShapeInfo(shape, stride, 1, 'c', DataType.FLOAT, false), a.getSecond());
        assertArrayEquals(a.getSecond(), a.getFirst().asLong());
        // every field of the description tells buffers apart
        List<Pair<DataBuffer, long[]>> others = List.of(
                c.createShapeInformation(shape, stride, 1, 'c', DataType.DOUBLE, false),
                c.createShapeInformation(shape, new long[] {1, 37}, 1, 'f', DataType.FLOAT, false),
                c.createShapeInformation(shape, stride, 0, 'c', DataType.FLOAT, false),
                c.createShapeInformation(new long[] {11, 37}, new long[] {37, 1}, 1, 'c', DataType.FLOAT, false),
                c.createShapeInformation(new long[] {37, 11, 1}, new long[] {11, 1, 1}, 1, 'c', DataType.FLOAT, false));
        for (Pair<DataBuffer, long[]> o : others) {
            assertNotSame(a, o);
            assertFalse(java.util.Arrays.equals(a.getSecond(), o.getSecond()));
        }
        assertArrayEquals(nd4jShapeInfo(shape, new long[] {1, 37}, 1, 'f', DataType.FLOAT, false), others.get(1).getSecond());
    }

    @Test
    void arraysOfOneShapeShareTheBufferAndKeepTheirOwnValues() {
        installed();
        INDArray x = Nd4j.create(DataType.FLOAT, 3, 4);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 3, 4);
        assertSame(x.shapeInfoDataBuffer(), y.shapeInfoDataBuffer());
        x.assign(2);
        y.assign(5);
        assertEquals(24.0, x.sumNumber().doubleValue());
        assertEquals(60.0, y.sumNumber().doubleValue());
        INDArray f = Nd4j.create(DataType.FLOAT, new long[] {3, 4}, 'f');
        assertNotSame(x.shapeInfoDataBuffer(), f.shapeInfoDataBuffer());
        assertEquals('f', f.ordering());
        assertArrayEquals(new long[] {1, 3}, f.stride());
        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 4);
        assertTrue(empty.isEmpty());
        assertFalse(Nd4j.create(DataType.FLOAT, 1, 4).isEmpty());
    }

    @Test
    void laterChangesToTheCallersArraysDoNotReachTheCache() {
        ShapeInfoCache c = installed();
        long[] shape = {5, 123457};
        long[] stride = {123457, 1};
        Pair<DataBuffer, long[]> a = c.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false);
        shape[0] = 6;
        Pair<DataBuffer, long[]> six = c.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false);
        assertNotSame(a, six);
        assertEquals(6, six.getSecond()[1]);
        assertSame(a, c.createShapeInformation(new long[] {5, 123457}, stride, 1, 'c', DataType.FLOAT, false));
        assertEquals(5, a.getSecond()[1]);
    }

    @Test
    void pastItsLimitNewShapesAreStillRightButNotKept() {
        ShapeInfoCache c = new ShapeInfoCache(installedNd4jProvider());
        List<Pair<DataBuffer, long[]>> kept = new ArrayList<>();
        for (int i = 1; i <= ShapeInfoCache.MAX_ENTRIES + 10; i++) {
            kept.add(c.createShapeInformation(new long[] {i, 3}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, false));
        }
        assertEquals(ShapeInfoCache.MAX_ENTRIES, c.size());
        int last = ShapeInfoCache.MAX_ENTRIES + 10;
        Pair<DataBuffer, long[]> p = c.createShapeInformation(new long[] {last, 3}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, false);
        assertNotSame(kept.get(last - 1), p);
        assertArrayEquals(nd4jShapeInfo(new long[] {last, 3}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, false), p.getSecond());
        assertSame(kept.get(0), c.createShapeInformation(new long[] {1, 3}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, false));
    }

    private static ShapeInfoProvider installedNd4jProvider() {
        try {
            Field f = ShapeInfoCache.class.getDeclaredField("nd4j");
            f.setAccessible(true);
            return (ShapeInfoProvider) f.get(installed());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The reason for the cache: a new array of a known shape registers only its data buffer with
     * ND4J's deallocator (ND4J 1.0.0-M2.1 registered a second, shape buffer, for every array).
     */
    @Test
    void aNewArrayOfAKnownShapeRegistersOnlyItsDataBuffer() {
        installed();
        Nd4j.create(DataType.FLOAT, 7, 9);
        List<String> picked = Nd4jRegistrations.during(() -> Nd4j.createUninitialized(DataType.FLOAT, 7, 9));
        assertEquals(List.of("FloatBuffer"), picked);
    }
}
