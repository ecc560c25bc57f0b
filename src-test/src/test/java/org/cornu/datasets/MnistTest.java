package org.cornu.datasets;

import org.cornu.testing.RealData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MNIST from the real {@code mnist.npz}. Every expected number was computed once with Python 3
 * and NumPy 2.4.6 from the same file: {@code d = np.load("mnist.npz")}.
 */
class MnistTest {
    private static String savedDatasets;
    private static String savedCache;
    private static Mnist.Split data;

    @BeforeAll
    static void load() throws Exception {
        Path dir = RealData.dir();
        RealData.file(Mnist.FILE_NAME);   // present, so loadData() never downloads
        savedDatasets = System.getProperty(DatasetFiles.PROP_DATASETS);
        savedCache = System.getProperty(DatasetFiles.PROP_CACHE_DIR);
        System.setProperty(DatasetFiles.PROP_DATASETS, dir.toString());
        System.setProperty(DatasetFiles.PROP_CACHE_DIR, Files.createTempDirectory("cornu-cache").toString());
        data = Mnist.loadData();
    }

    @AfterAll
    static void restore() {
        if (savedDatasets == null) System.clearProperty(DatasetFiles.PROP_DATASETS);
        else System.setProperty(DatasetFiles.PROP_DATASETS, savedDatasets);
        if (savedCache == null) System.clearProperty(DatasetFiles.PROP_CACHE_DIR);
        else System.setProperty(DatasetFiles.PROP_CACHE_DIR, savedCache);
    }

    static int[] ints(INDArray a) {
        return a.castTo(DataType.INT).reshape(a.length()).toIntVector();
    }

    static long sum(INDArray a) {
        // UBYTE sums would wrap around: sum as 64-bit integers
        return a.castTo(DataType.LONG).sumNumber().longValue();
    }

    static int[] bincount(INDArray labels, int n) {
        int[] c = new int[n];
        for (int v : ints(labels)) c[v]++;
        return c;
    }

    @Test
    void shapesAndTypesAsKeras() {
        // x_train uint8 (60000, 28, 28); y_train uint8 (60000,); x_test uint8 (10000, 28, 28); y_test uint8 (10000,)
        assertArrayEquals(new long[] {60000, 28, 28}, data.xTrain().shape());
        assertArrayEquals(new long[] {60000}, data.yTrain().shape());
        assertArrayEquals(new long[] {10000, 28, 28}, data.xTest().shape());
        assertArrayEquals(new long[] {10000}, data.yTest().shape());
        for (INDArray a : new INDArray[] {data.xTrain(), data.yTrain(), data.xTest(), data.yTest()}) {
            assertEquals(DataType.UBYTE, a.dataType());
            assertEquals('c', a.ordering());
        }
    }

    @Test
    void valuesAsNumpy() {
        // int(x_train[0].sum()) == 27525
        assertEquals(27525, sum(data.xTrain().slice(0)));
        // x_train[0, 14].tolist()
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 81, 240, 253, 253, 119, 25, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                ints(data.xTrain().slice(0).slice(14)));
        // y_train[:10].tolist()
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(ints(data.yTrain()), 10));
        // np.bincount(y_test).tolist(); int(y_test[-1]) == 6
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, bincount(data.yTest(), 10));
        assertEquals(6, data.yTest().getInt(9999));
        // np.bincount(y_train).tolist(); int(y_train[-1]) == 8
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, bincount(data.yTrain(), 10));
        assertEquals(8, data.yTrain().getInt(59999));
        // int(x_train.sum(dtype=np.int64)) == 1567298545; x_test: 264923200; int(x_test[-1].sum()) == 41833
        assertEquals(1567298545L, sum(data.xTrain()));
        assertEquals(264923200L, sum(data.xTest()));
        assertEquals(41833, sum(data.xTest().slice(9999)));
    }

    @Test
    void theDesignDocumentsUserProgramWorks() {
        INDArray x = data.xTrain().reshape(60000, 784).castTo(DataType.FLOAT).divi(255);
        assertEquals(DataType.FLOAT, x.dataType());
        assertArrayEquals(new long[] {60000, 784}, x.shape());
        assertEquals(240 / 255f, x.getFloat(0, 14 * 28 + 14), 0f);   // x_train[0, 14, 14] == 240
        assertEquals(1.0, x.maxNumber().doubleValue(), 0.0);
        assertEquals(0.0, x.minNumber().doubleValue(), 0.0);
        // data are not changed by the user's divi (castTo copies)
        assertEquals(240, data.xTrain().getInt(0, 14, 14));
    }

    @Test
    void explicitFileAndRepeatedLoads() {
        Path file = RealData.file(Mnist.FILE_NAME);
        Mnist.Split again = Mnist.loadData(file);
        assertEquals(data.yTest(), again.yTest());
        assertEquals(data.xTest(), again.xTest());
        Mnist.Split third = Mnist.loadData();
        assertEquals(data.yTrain(), third.yTrain());
    }

    @Test
    void missingFileIsAClearError(@org.junit.jupiter.api.io.TempDir Path tmp) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Mnist.loadData(tmp.resolve("mnist.npz")));
        assertTrue(e.getMessage().contains(tmp.resolve("mnist.npz").toString()), e.getMessage());
        assertSame(java.nio.file.NoSuchFileException.class, e.getCause().getClass());
    }
}
