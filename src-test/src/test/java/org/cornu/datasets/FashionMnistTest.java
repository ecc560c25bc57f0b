package org.cornu.datasets;

import org.cornu.testing.RealData;
import static org.cornu.datasets.MnistTest.bincount;
import static org.cornu.datasets.MnistTest.ints;
import static org.cornu.datasets.MnistTest.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fashion-MNIST from the real gzipped IDX files in {@code fashion-mnist/}. Every expected number
 * was computed once with Python 3 and NumPy 2.4.6 as Keras reads the files:
 * {@code np.frombuffer(gzip.open(p).read(), np.uint8, offset=8 or 16)}.
 */
class FashionMnistTest {
    private static String savedDatasets;
    private static String savedCache;
    private static FashionMnist.Split data;

    @BeforeAll
    static void load() throws Exception {
        Path dir = RealData.dir();
        for (String f : new String[] {FashionMnist.TRAIN_LABELS, FashionMnist.TRAIN_IMAGES,
                                      FashionMnist.TEST_LABELS, FashionMnist.TEST_IMAGES}) {
            RealData.file(FashionMnist.SUBDIR + "/" + f);   // present, so loadData() never downloads
        }
        savedDatasets = System.getProperty(DatasetFiles.PROP_DATASETS);
        savedCache = System.getProperty(DatasetFiles.PROP_CACHE_DIR);
        System.setProperty(DatasetFiles.PROP_DATASETS, dir.toString());
        System.setProperty(DatasetFiles.PROP_CACHE_DIR, Files.createTempDirectory("cornu-cache").toString());
        data = FashionMnist.loadData();
    }

    @AfterAll
    static void restore() {
        if (savedDatasets == null) System.clearProperty(DatasetFiles.PROP_DATASETS);
        else System.setProperty(DatasetFiles.PROP_DATASETS, savedDatasets);
        if (savedCache == null) System.clearProperty(DatasetFiles.PROP_CACHE_DIR);
        else System.setProperty(DatasetFiles.PROP_CACHE_DIR, savedCache);
    }

    @Test
    void shapesAndTypesAsKeras() {
        assertArrayEquals(new long[] {60000, 28, 28}, data.xTrain().shape());
        assertArrayEquals(new long[] {60000}, data.yTrain().shape());
        assertArrayEquals(new long[] {10000, 28, 28}, data.xTest().shape());
        assertArrayEquals(new long[] {10000}, data.yTest().shape());
        for (INDArray a : new INDArray[] {data.xTrain(), data.yTrain(), data.xTest(), data.yTest()}) {
            assertEquals(DataType.UBYTE, a.dataType());
        }
    }

    @Test
    void valuesAsNumpy() {
        // int(x_train[0].sum()) == 76247; int(x_test[0].sum()) == 33456; int(x_test[-1].sum()) == 24390
        assertEquals(76247, sum(data.xTrain().slice(0)));
        assertEquals(33456, sum(data.xTest().slice(0)));
        assertEquals(24390, sum(data.xTest().slice(9999)));
        // y_train[:10].tolist(); y_test[:10].tolist()
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(ints(data.yTrain()), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(ints(data.yTest()), 10));
        // np.bincount: 1000 of each class in the test set, 6000 in the training set; int(y_test[-1]) == 5
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, bincount(data.yTest(), 10));
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, bincount(data.yTrain(), 10));
        assertEquals(5, data.yTest().getInt(9999));
        // int(x_train.sum(dtype=np.int64)) == 3431114169; x_test: 573469082
        assertEquals(3431114169L, sum(data.xTrain()));
        assertEquals(573469082L, sum(data.xTest()));
    }

    @Test
    void explicitFolder() {
        FashionMnist.Split again = FashionMnist.loadData(RealData.dir().resolve(FashionMnist.SUBDIR));
        assertEquals(data.yTest(), again.yTest());
        assertEquals(data.xTest(), again.xTest());
    }

    @Test
    void idxHeadersAreChecked(@TempDir Path tmp) throws IOException {
        // a gzipped IDX file of 3 ubyte labels, then the same cut short, then a bad magic number
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9};
        Path ok = gzip(tmp.resolve("ok.gz"), labels);
        assertArrayEquals(new int[] {7, 8, 9}, ints(Idx.read(ok)));
        Path plain = Files.write(tmp.resolve("plain-idx1-ubyte"), labels);
        assertArrayEquals(new int[] {7, 8, 9}, ints(Idx.read(plain)));

        Path cut = gzip(tmp.resolve("cut.gz"), Arrays.copyOf(labels, 10));
        IOException e = assertThrows(IOException.class, () -> Idx.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": expected 3 data bytes, found 2"), e.getMessage());

        Path bad = gzip(tmp.resolve("bad.gz"), new byte[] {1, 2, 3, 4, 5});
        e = assertThrows(IOException.class, () -> Idx.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": not an IDX file"), e.getMessage());

        // a folder whose test images do not match its test labels
        Path dir = Files.createDirectory(tmp.resolve("fm"));
        gzip(dir.resolve(FashionMnist.TRAIN_LABELS), labels);
        gzip(dir.resolve(FashionMnist.TRAIN_IMAGES), new byte[] {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3});
        gzip(dir.resolve(FashionMnist.TEST_LABELS), labels);
        gzip(dir.resolve(FashionMnist.TEST_IMAGES), new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2});
        UncheckedIOException u = assertThrows(UncheckedIOException.class, () -> FashionMnist.loadData(dir));
        assertTrue(u.getMessage().contains("images of shape (2, 1, 1) do not match labels of shape (3,)"), u.getMessage());
    }

    private static Path gzip(Path p, byte[] bytes) throws IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(bytes);
        }
        return p;
    }
}
