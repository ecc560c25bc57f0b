package org.cornu.datasets;

import org.cornu.testing.RealData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Boston Housing from the real {@code boston_housing.npz}: Keras's exact split. Expected values
 * printed by {@code src/test/resources/datasets/keras_datasets_expected.py}, which runs Keras
 * 3.15.1's own {@code boston_housing.load_data} (NumPy 2.4.6) on the same file. Rows are
 * compared exactly (they are copied, not computed); sums of the sets to 1e-9 relative (the
 * summation order differs from NumPy's pairwise sum).
 */
class BostonHousingTest {
    private static String savedDatasets;
    private static String savedCache;

    @BeforeAll
    static void useRealData() throws Exception {
        Path dir = RealData.dir();
        RealData.file(BostonHousing.FILE_NAME);
        savedDatasets = System.getProperty(DatasetFiles.PROP_DATASETS);
        savedCache = System.getProperty(DatasetFiles.PROP_CACHE_DIR);
        System.setProperty(DatasetFiles.PROP_DATASETS, dir.toString());
        System.setProperty(DatasetFiles.PROP_CACHE_DIR, Files.createTempDirectory("cornu-cache").toString());
    }

    @AfterAll
    static void restore() {
        if (savedDatasets == null) System.clearProperty(DatasetFiles.PROP_DATASETS);
        else System.setProperty(DatasetFiles.PROP_DATASETS, savedDatasets);
        if (savedCache == null) System.clearProperty(DatasetFiles.PROP_CACHE_DIR);
        else System.setProperty(DatasetFiles.PROP_CACHE_DIR, savedCache);
    }

    static void check(BostonHousing.Split d, int nTrain, int nTest, double[] firstTrainRow, double firstTrainTarget,
                      double[] lastTestRow, double lastTestTarget, double[] sums) {
        assertArrayEquals(new long[] {nTrain, 13}, d.xTrain().shape());
        assertArrayEquals(new long[] {nTrain}, d.yTrain().shape());
        assertArrayEquals(new long[] {nTest, 13}, d.xTest().shape());
        assertArrayEquals(new long[] {nTest}, d.yTest().shape());
        for (INDArray a : new INDArray[] {d.xTrain(), d.yTrain(), d.xTest(), d.yTest()}) {
            assertEquals(DataType.DOUBLE, a.dataType());   // float64, as the file and Keras
        }
        assertArrayEquals(firstTrainRow, d.xTrain().getRow(0).toDoubleVector(), 0.0);
        assertEquals(firstTrainTarget, d.yTrain().getDouble(0), 0.0);
        assertArrayEquals(lastTestRow, d.xTest().getRow(nTest - 1).toDoubleVector(), 0.0);
        assertEquals(lastTestTarget, d.yTest().getDouble(nTest - 1), 0.0);
        INDArray[] all = {d.xTrain(), d.yTrain(), d.xTest(), d.yTest()};
        for (int i = 0; i < 4; i++) {
            assertEquals(sums[i], all[i].sumNumber().doubleValue(), Math.abs(sums[i]) * 1e-9, "sum of set " + i);
        }
    }

    @Test
    void defaults() {
        // (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
        // shapes (404, 13) (404,) (102, 13) (102,) float64 float64
        BostonHousing.Split d = BostonHousing.loadData();
        check(d, 404, 102,
                new double[] {1.23247, 0.0, 8.14, 0.0, 0.538, 6.142, 91.7, 3.9769, 4.0, 307.0, 21.0, 396.9, 18.72}, 15.2,
                new double[] {2.924, 0.0, 19.58, 0.0, 0.605, 6.101, 93.0, 2.2834, 5.0, 403.0, 14.7, 240.16, 9.81}, 25.0,
                new double[] {366551.64687, 9047.599999999999, 94394.90835000001, 2354.0});
    }

    @Test
    void testSplitAndSeed() {
        // (x_train, y_train), (x_test, y_test) = boston_housing.load_data(test_split=0.1, seed=1)
        // shapes (455, 13) (455,) (51, 13) (51,) float64 float64
        BostonHousing.Split d = BostonHousing.loadData(0.1, 1);
        check(d, 455, 51,
                new double[] {0.04932, 33.0, 2.18, 0.0, 0.472, 6.849, 70.3, 3.1827, 7.0, 222.0, 18.4, 396.9, 7.53}, 28.2,
                new double[] {0.08014, 0.0, 5.96, 0.0, 0.499, 5.85, 41.5, 3.9342, 5.0, 279.0, 19.2, 396.9, 8.77}, 21.0,
                new double[] {413078.37997999997, 10364.2, 47868.17524, 1037.3999999999999});
    }

    @Test
    void testSplitMustBeAFraction() {
        // Keras: assert 0 <= test_split < 1
        assertThrows(IllegalArgumentException.class, () -> BostonHousing.loadData(1.0, 113));
        assertThrows(IllegalArgumentException.class, () -> BostonHousing.loadData(-0.1, 113));
        BostonHousing.Split all = BostonHousing.loadData(0.0, 113);
        assertArrayEquals(new long[] {506, 13}, all.xTrain().shape());
        assertArrayEquals(new long[] {0, 13}, all.xTest().shape());
    }
}
