package org.cornu.datasets;

import org.cornu.testing.RealData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reuters from the real {@code reuters.npz}: Keras's exact splits. Every expected number was
 * printed by {@code src/test/resources/datasets/keras_datasets_expected.py}, which runs Keras
 * 3.15.1's own {@code reuters.load_data} (NumPy 2.4.6) on the same file; the Python call is in
 * each comment. Checked per set: sizes, the first training and last test sequence in full, the
 * first and last ten labels, label counts, the sum and count of all word indices, the largest
 * index, and {@code sum((i + 1) * len(x[i])) % 1000000007}, which pins the order of lengths.
 */
class ReutersTest {
    private static String savedDatasets;
    private static String savedCache;

    @BeforeAll
    static void useRealData() throws Exception {
        Path dir = RealData.dir();
        RealData.file(Reuters.FILE_NAME);   // present, so loadData() never downloads
        RealData.file(Reuters.WORD_INDEX_FILE_NAME);
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

    static void check(SequenceSplit d, int nTrain, int nTest, int[] firstTrain, int[] lastTest,
                      int[] firstTrainLabels, int[] lastTestLabels, int[] trainCounts, int[] testCounts,
                      long[] wordSums, long[] wordCounts, int[] maxIndex, long[] positional) {
        assertEquals(nTrain, d.xTrain().length);
        assertEquals(nTrain, d.yTrain().length);
        assertEquals(nTest, d.xTest().length);
        assertEquals(nTest, d.yTest().length);
        assertArrayEquals(firstTrain, d.xTrain()[0]);
        assertArrayEquals(lastTest, d.xTest()[nTest - 1]);
        assertArrayEquals(firstTrainLabels, Arrays.copyOf(d.yTrain(), 10));
        assertArrayEquals(lastTestLabels, Arrays.copyOfRange(d.yTest(), nTest - 10, nTest));
        assertArrayEquals(trainCounts, bincount(d.yTrain(), trainCounts.length));
        assertArrayEquals(testCounts, bincount(d.yTest(), testCounts.length));
        int[][][] sets = {d.xTrain(), d.xTest()};
        for (int s = 0; s < 2; s++) {
            long sum = 0;
            long count = 0;
            long pos = 0;
            int max = Integer.MIN_VALUE;
            for (int i = 0; i < sets[s].length; i++) {
                int[] x = sets[s][i];
                for (int w : x) {
                    sum += w;
                    max = Math.max(max, w);
                }
                count += x.length;
                pos = (pos + (long) (i + 1) * x.length) % 1000000007L;
            }
            assertEquals(wordSums[s], sum, "sum of word indices, set " + s);
            assertEquals(wordCounts[s], count, "number of words, set " + s);
            assertEquals(maxIndex[s], max, "largest index, set " + s);
            assertEquals(positional[s], pos, "positional checksum of lengths, set " + s);
        }
    }

    static int[] bincount(int[] labels, int n) {
        int[] c = new int[n];
        for (int v : labels) c[v]++;
        return c;
    }

    @Test
    void defaults() {
        // (x_train, y_train), (x_test, y_test) = reuters.load_data()
        SequenceSplit d = Reuters.loadData();
        check(d, 8982, 2246,
                new int[] {1, 27595, 28842, 8, 43, 10, 447, 5, 25, 207, 270, 5, 3095, 111, 16, 369, 186, 90, 67, 7, 89, 5, 19, 102, 6, 19, 124, 15, 90, 67, 84, 22, 482, 26, 7, 48, 4, 49, 8, 864, 39, 209, 154, 6, 151, 6, 83, 11, 15, 22, 155, 11, 15, 7, 48, 9, 4579, 1005, 504, 6, 258, 6, 272, 11, 15, 22, 134, 44, 11, 15, 16, 8, 197, 1245, 90, 67, 52, 29, 209, 30, 32, 132, 6, 109, 15, 17, 12},
                new int[] {1, 706, 209, 658, 4, 37, 38, 309, 484, 4, 1434, 6, 933, 4, 89, 709, 377, 101, 28, 4, 143, 511, 101, 5, 47, 758, 15, 90, 2388, 7, 809, 6, 444, 2035, 4, 911, 5, 709, 198, 1997, 634, 3644, 3798, 2305, 8, 1486, 6, 674, 480, 10, 990, 309, 4008, 2190, 2305, 1849, 24, 68, 583, 242, 5, 4, 143, 709, 364, 7376, 41, 30, 13, 706, 6, 837, 4, 377, 101, 6, 631, 28, 47, 758, 15, 36, 1413, 107, 4, 377, 101, 62, 47, 758, 15, 634, 114, 713, 888, 1412, 6, 343, 37, 38, 1116, 95, 1136, 269, 43, 1488, 1170, 6, 226, 11435, 4, 377, 101, 136, 143, 1032, 4, 89, 709, 377, 101, 1217, 30, 478, 97, 47, 948, 15, 90, 4594, 27184, 5853, 41, 30, 13, 706, 6, 455, 4, 465, 474, 6, 837, 634, 6, 2069, 4, 709, 377, 101, 28, 47, 758, 15, 7, 463, 29, 89, 1017, 97, 148, 16, 6, 47, 948, 15, 4, 48, 511, 377, 101, 23, 47, 758, 15, 161, 5, 4, 47, 12, 20, 7424, 7978, 386, 240, 2305, 2634, 24, 10, 181, 1475, 7, 194, 534, 21, 709, 364, 756, 33, 30, 4, 386, 404, 36, 118, 4, 2190, 24, 4, 911, 7, 1116, 23, 24, 4, 37, 38, 377, 101, 1976, 42, 9964, 6, 127, 122, 9, 7609, 1136, 692, 13, 37, 38, 1116, 446, 69, 4, 234, 709, 7614, 1320, 13, 126, 1006, 5, 338, 458, 2305, 8, 4, 1136, 911, 23, 4, 307, 2016, 36, 8, 634, 23, 325, 2863, 4, 820, 9, 129, 2767, 40, 836, 85, 1523, 17, 12},
                new int[] {3, 4, 3, 4, 4, 4, 4, 3, 3, 16}, new int[] {3, 16, 3, 3, 3, 3, 8, 3, 3, 24},
                new int[] {55, 432, 74, 3159, 1949, 17, 48, 16, 139, 101, 124, 390, 49, 172, 26, 20, 444, 39, 66, 549, 269, 100, 15, 41, 62, 92, 24, 15, 48, 19, 45, 39, 32, 11, 50, 10, 49, 19, 19, 24, 36, 30, 13, 21, 12, 18},
                new int[] {12, 105, 20, 813, 474, 5, 14, 3, 38, 25, 30, 83, 13, 37, 2, 9, 99, 12, 20, 133, 70, 27, 7, 12, 19, 31, 8, 4, 10, 4, 12, 13, 10, 5, 7, 6, 11, 2, 3, 5, 10, 8, 3, 6, 5, 1},
                new long[] {1580351080L, 402796209L}, new long[] {1307239L, 331647L}, new int[] {30981, 30969},
                new long[] {828081511L, 369205678L});
    }

    @Test
    void numWords10000() {
        // (x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=10000)
        SequenceSplit d = Reuters.loadData(10000);
        check(d, 8982, 2246,
                new int[] {1, 2, 2, 8, 43, 10, 447, 5, 25, 207, 270, 5, 3095, 111, 16, 369, 186, 90, 67, 7, 89, 5, 19, 102, 6, 19, 124, 15, 90, 67, 84, 22, 482, 26, 7, 48, 4, 49, 8, 864, 39, 209, 154, 6, 151, 6, 83, 11, 15, 22, 155, 11, 15, 7, 48, 9, 4579, 1005, 504, 6, 258, 6, 272, 11, 15, 22, 134, 44, 11, 15, 16, 8, 197, 1245, 90, 67, 52, 29, 209, 30, 32, 132, 6, 109, 15, 17, 12},
                new int[] {1, 706, 209, 658, 4, 37, 38, 309, 484, 4, 1434, 6, 933, 4, 89, 709, 377, 101, 28, 4, 143, 511, 101, 5, 47, 758, 15, 90, 2388, 7, 809, 6, 444, 2035, 4, 911, 5, 709, 198, 1997, 634, 3644, 3798, 2305, 8, 1486, 6, 674, 480, 10, 990, 309, 4008, 2190, 2305, 1849, 24, 68, 583, 242, 5, 4, 143, 709, 364, 7376, 41, 30, 13, 706, 6, 837, 4, 377, 101, 6, 631, 28, 47, 758, 15, 36, 1413, 107, 4, 377, 101, 62, 47, 758, 15, 634, 114, 713, 888, 1412, 6, 343, 37, 38, 1116, 95, 1136, 269, 43, 1488, 1170, 6, 226, 2, 4, 377, 101, 136, 143, 1032, 4, 89, 709, 377, 101, 1217, 30, 478, 97, 47, 948, 15, 90, 4594, 2, 5853, 41, 30, 13, 706, 6, 455, 4, 465, 474, 6, 837, 634, 6, 2069, 4, 709, 377, 101, 28, 47, 758, 15, 7, 463, 29, 89, 1017, 97, 148, 16, 6, 47, 948, 15, 4, 48, 511, 377, 101, 23, 47, 758, 15, 161, 5, 4, 47, 12, 20, 7424, 7978, 386, 240, 2305, 2634, 24, 10, 181, 1475, 7, 194, 534, 21, 709, 364, 756, 33, 30, 4, 386, 404, 36, 118, 4, 2190, 24, 4, 911, 7, 1116, 23, 24, 4, 37, 38, 377, 101, 1976, 42, 9964, 6, 127, 122, 9, 7609, 1136, 692, 13, 37, 38, 1116, 446, 69, 4, 234, 709, 7614, 1320, 13, 126, 1006, 5, 338, 458, 2305, 8, 4, 1136, 911, 23, 4, 307, 2016, 36, 8, 634, 23, 325, 2863, 4, 820, 9, 129, 2767, 40, 836, 85, 1523, 17, 12},
                new int[] {3, 4, 3, 4, 4, 4, 4, 3, 3, 16}, new int[] {3, 16, 3, 3, 3, 3, 8, 3, 3, 24},
                new int[] {55, 432, 74, 3159, 1949, 17, 48, 16, 139, 101, 124, 390, 49, 172, 26, 20, 444, 39, 66, 549, 269, 100, 15, 41, 62, 92, 24, 15, 48, 19, 45, 39, 32, 11, 50, 10, 49, 19, 19, 24, 36, 30, 13, 21, 12, 18},
                new int[] {12, 105, 20, 813, 474, 5, 14, 3, 38, 25, 30, 83, 13, 37, 2, 9, 99, 12, 20, 133, 70, 27, 7, 12, 19, 31, 8, 4, 10, 4, 12, 13, 10, 5, 7, 6, 11, 2, 3, 5, 10, 8, 3, 6, 5, 1},
                new long[] {979952241L, 247898873L}, new long[] {1307239L, 331647L}, new int[] {9999, 9999},
                new long[] {828081511L, 369205678L});
    }

    @Test
    void allOptions() {
        // (x_train, y_train), (x_test, y_test) = reuters.load_data(num_words=1000, skip_top=10, maxlen=100, test_split=0.3, seed=7, oov_char=None)
        SequenceSplit d = Reuters.loadData(1000, 10, 100, 0.3, 7, 1, null, 3);
        check(d, 4180, 1792,
                new int[] {248, 409, 106, 221, 76, 109, 289, 298, 947, 755, 10, 176, 13, 73, 418, 531, 248, 459, 62, 238, 28, 61, 44, 63, 20, 28, 216, 282, 368, 17, 12},
                new int[] {53, 46, 296, 26, 14, 46, 188, 26, 39, 46, 14, 46, 758, 86, 14, 45, 554, 123, 49, 170, 25, 943, 770, 94, 89, 254, 713, 64, 85, 10, 400, 49, 345, 129, 88, 62, 48, 17, 12},
                new int[] {20, 3, 3, 20, 3, 4, 19, 19, 3, 13}, new int[] {4, 4, 9, 8, 3, 19, 4, 3, 4, 3},
                new int[] {13, 125, 27, 2091, 941, 8, 16, 2, 49, 22, 35, 55, 16, 44, 9, 5, 102, 10, 27, 207, 94, 13, 6, 15, 31, 28, 3, 3, 7, 9, 14, 13, 12, 7, 20, 7, 17, 4, 5, 13, 16, 8, 4, 11, 10, 6},
                new int[] {9, 55, 8, 909, 404, 5, 6, 5, 27, 18, 15, 17, 4, 20, 2, 3, 36, 11, 13, 85, 46, 7, 0, 5, 13, 8, 1, 2, 4, 0, 5, 5, 5, 3, 8, 1, 2, 2, 5, 3, 3, 4, 0, 4, 3, 1},
                new long[] {30667692L, 13044134L}, new long[] {172655L, 74390L}, new int[] {999, 999},
                new long[] {362503953L, 66478933L});
    }

    @Test
    void noStartNoOffset() {
        // (x_train, y_train), (x_test, y_test) = reuters.load_data(start_char=None, index_from=0)
        SequenceSplit d = Reuters.loadData(null, 0, null, 0.2, 113, null, 2, 0);
        check(d, 8982, 2246,
                new int[] {27592, 28839, 5, 40, 7, 444, 2, 22, 204, 267, 2, 3092, 108, 13, 366, 183, 87, 64, 4, 86, 2, 16, 99, 3, 16, 121, 12, 87, 64, 81, 19, 479, 23, 4, 45, 1, 46, 5, 861, 36, 206, 151, 3, 148, 3, 80, 8, 12, 19, 152, 8, 12, 4, 45, 6, 4576, 1002, 501, 3, 255, 3, 269, 8, 12, 19, 131, 41, 8, 12, 13, 5, 194, 1242, 87, 64, 49, 26, 206, 27, 29, 129, 3, 106, 12, 14, 9},
                new int[] {703, 206, 655, 1, 34, 35, 306, 481, 1, 1431, 3, 930, 1, 86, 706, 374, 98, 25, 1, 140, 508, 98, 2, 44, 755, 12, 87, 2385, 4, 806, 3, 441, 2032, 1, 908, 2, 706, 195, 1994, 631, 3641, 3795, 2302, 5, 1483, 3, 671, 477, 7, 987, 306, 4005, 2187, 2302, 1846, 21, 65, 580, 239, 2, 1, 140, 706, 361, 7373, 38, 27, 10, 703, 3, 834, 1, 374, 98, 3, 628, 25, 44, 755, 12, 33, 1410, 104, 1, 374, 98, 59, 44, 755, 12, 631, 111, 710, 885, 1409, 3, 340, 34, 35, 1113, 92, 1133, 266, 40, 1485, 1167, 3, 223, 11432, 1, 374, 98, 133, 140, 1029, 1, 86, 706, 374, 98, 1214, 27, 475, 94, 44, 945, 12, 87, 4591, 27181, 5850, 38, 27, 10, 703, 3, 452, 1, 462, 471, 3, 834, 631, 3, 2066, 1, 706, 374, 98, 25, 44, 755, 12, 4, 460, 26, 86, 1014, 94, 145, 13, 3, 44, 945, 12, 1, 45, 508, 374, 98, 20, 44, 755, 12, 158, 2, 1, 44, 9, 17, 7421, 7975, 383, 237, 2302, 2631, 21, 7, 178, 1472, 4, 191, 531, 18, 706, 361, 753, 30, 27, 1, 383, 401, 33, 115, 1, 2187, 21, 1, 908, 4, 1113, 20, 21, 1, 34, 35, 374, 98, 1973, 39, 9961, 3, 124, 119, 6, 7606, 1133, 689, 10, 34, 35, 1113, 443, 66, 1, 231, 706, 7611, 1317, 10, 123, 1003, 2, 335, 455, 2302, 5, 1, 1133, 908, 20, 1, 304, 2013, 33, 5, 631, 20, 322, 2860, 1, 817, 6, 126, 2764, 37, 833, 82, 1520, 14, 9},
                new int[] {3, 4, 3, 4, 4, 4, 4, 3, 3, 16}, new int[] {3, 16, 3, 3, 3, 3, 8, 3, 3, 24},
                new int[] {55, 432, 74, 3159, 1949, 17, 48, 16, 139, 101, 124, 390, 49, 172, 26, 20, 444, 39, 66, 549, 269, 100, 15, 41, 62, 92, 24, 15, 48, 19, 45, 39, 32, 11, 50, 10, 49, 19, 19, 24, 36, 30, 13, 21, 12, 18},
                new int[] {12, 105, 20, 813, 474, 5, 14, 3, 38, 25, 30, 83, 13, 37, 2, 9, 99, 12, 20, 133, 70, 27, 7, 12, 19, 31, 8, 4, 10, 4, 12, 13, 10, 5, 7, 6, 11, 2, 3, 5, 10, 8, 3, 6, 5, 1},
                new long[] {1576447330L, 401805760L}, new long[] {1298257L, 329401L}, new int[] {30978, 30966},
                new long[] {787738858L, 366682297L});
    }

    @Test
    void rawArraysAsInTheFile() throws Exception {
        // x = np.load("reuters.npz", allow_pickle=True)["x"]: len(x) == 11228, x[0][:5] == [6216, 667, 1907, 1, 118]
        // (file order, before Keras's shuffle); min/max over all indices 1/30979; lengths 1..2375
        try (Npz npz = Npz.open(RealData.file(Reuters.FILE_NAME))) {
            int[][] x = npz.getSequences("x");
            assertEquals(11228, x.length);
            assertArrayEquals(new int[] {6216, 667, 1907, 1, 118}, Arrays.copyOf(x[0], 5));
            int min = Integer.MAX_VALUE;
            int max = 0;
            int longest = 0;
            int shortest = Integer.MAX_VALUE;
            for (int[] s : x) {
                longest = Math.max(longest, s.length);
                shortest = Math.min(shortest, s.length);
                for (int w : s) {
                    min = Math.min(min, w);
                    max = Math.max(max, w);
                }
            }
            assertEquals(1, min);
            assertEquals(30979, max);
            assertEquals(1, shortest);
            assertEquals(2375, longest);
        }
    }

    @Test
    void wordIndexAndLabelNames() {
        // json.load(open("reuters_word_index.json")): 30979 words; "the" -> 1, "of" -> 2, "to" -> 3,
        // "for" -> 10, "northerly" -> 30979; first key "mdbl"
        Map<String, Integer> wi = Reuters.getWordIndex();
        assertEquals(30979, wi.size());
        assertEquals(1, wi.get("the"));
        assertEquals(2, wi.get("of"));
        assertEquals(3, wi.get("to"));
        assertEquals(10, wi.get("for"));
        assertEquals(30979, wi.get("northerly"));
        assertEquals("mdbl", wi.keySet().iterator().next());
        assertThrows(UnsupportedOperationException.class, () -> wi.put("x", 1));
        // keras.datasets.reuters.get_label_names(): 46 names
        List<String> names = Reuters.getLabelNames();
        assertEquals(46, names.size());
        assertEquals("cocoa", names.get(0));
        assertEquals("earn", names.get(3));
        assertEquals("acq", names.get(4));
        assertEquals("lead", names.get(45));
    }

    @Test
    void badArgumentsAndFiles(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> Reuters.loadData(null, 0, null, 1.5, 113, 1, 2, 3));
        Path truncated = tmp.resolve("reuters.npz");
        byte[] all = Files.readAllBytes(RealData.file(Reuters.FILE_NAME));
        Files.write(truncated, Arrays.copyOf(all, all.length / 2));
        var e = assertThrows(java.io.UncheckedIOException.class,
                () -> Reuters.loadData(truncated, null, 0, null, 0.2, 113, 1, 2, 3));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }
}
