package org.cornu.datasets;

import org.cornu.testing.RealData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Imdb} on small files in {@code imdb.npz}'s format (Keras's real file is not available
 * on this network): 12 training and 9 test "reviews" of 1..24 word indices, some above 65535
 * (BININT in the pickle), integer labels. Both files, their contents and every expected split
 * come from {@code src/test/resources/datasets/keras_datasets_expected.py}, which wrote the files
 * and ran Keras 3.15.1's own {@code imdb.load_data} (NumPy 2.4.6) on them:
 * <ul>
 *   <li>{@code p2}: entries written as Keras's file has them, a 1.0 header and a pickle of
 *       protocol 2 (the ndarray's type code pickled as a str, as Python 2 wrote it);</li>
 *   <li>{@code p4}: written by {@code np.savez} today (pickle protocol 4, ZIP64 headers).</li>
 * </ul>
 * Both give the same splits.
 */
class ImdbTest {
    static final String P2 = "UEsDBBQAAAAIAH0ddl251nt12QEAAI4CAAAKAAAAeF90ZXN0Lm5weaVQy27TQBQdO2lST9MmqfMoKY1NSutBirJDgrLoAonFXHBR"
            + "BVIriCLHGQRSGmccBykiSGyqtgtW/AYbNv0J1nwAG36AD4Bjlz9gRuOZe889557rL/7LZ89PDfaeffBGahbG3oHrLY+8ruu9ieIk"
            + "DiaDKB6pNP0kGM8U8rO3wVQhFg+797ruR/d/Fv9khpP52XTRG4RRrHpn83HyLojjYMEHsQqjySyJ52HCNbsp45PRDaoNYufaPDEY"
            + "Y0Odu9D5Y70iyCDrXBf+1Y6SxVRxXTwxUXT0QK9eXV5o61hzQbmMuNRrvu/LP1jZhw4TXRpe9fW66OsNQW3aphWqUVVecoPJg7zB"
            + "qEp7ZFOZ9lRflwXVyZCPXiF/m3apQ9vyVwvBKmi3qEiOHKeYIb+9xtWQX1OFHbm0cO1DoCJonwoy4hmnhL2Dpg7l6S5eDm1ShdaR"
            + "LaO2KtChmZ003BTAc7Djyc8M5jZsaNSIk4neNnpzNNptAnF9IA5sb1EbRFtAvC2va6kjWK5QAby6/AmngGsCcYcsjGiTCwcOknWB"
            + "+RzwMCGkPfn9BdhrdAdd2qln+fsxEh2UNgTiLWphV1FeBF6nkvwhgFvy/tP0B0CqnM3YgFsTGi2lEt0c9v4CUEsDBBQAAAAIAH0d"
            + "dl2PzS6UPgIAACUDAAALAAAAeF90cmFpbi5ucHmlUMtu00AUtROnSZ1HkyZOUvcRp2niAYVIgIQqpKoLREH3QlqKKgoohDzMS22S"
            + "cRykiCKxqUrXiA3s+AQ+gTW/woIdQkjl2OUPmJHHd84998y590Nz7+7OQ1V5rbyx+86459rXLfto265b9rOh67mdQXvo9h0f3uoc"
            + "jB3g4xedkYO7uHylfqFuvbX+Y+nvQr3B5HA0bbR7Q9dpHE4OvJcd1+1M9bbr9IaDsedOep4ulXOaPuifZ6XKyrEM7auKonRl+ERq"
            + "uzIiWOXEsZz5x+1705Gjy+h+CKTtdRk7fX8iZ3elLjgcFB7JeLPZpDOs4OBNTya6py2ZFC2ZElxmlb5uqQpX6UYKvzWO07fbCMpO"
            + "S84JulRHvIQ4LTjCBTZ4lrO8yovgfbqDXIkqO6pCT+4jVjkFis0JtulpFUAKhRlBD9qIF3kGqRCbXKZbVwHovAygTD/SuBQ4yjGw"
            + "5/1nTC7iy/IynW0gVwSeRUN42uQcl7iCl5ZYg3kTqZzgWFCyCEoWSkle4Rz99t3NsUY3fWursLbANbA0NlBk+K3n2CDtcUCzIVim"
            + "V9dwSbPFVc6APA+xGCdBz/u2DGwTPtP0x5+KAdEaRAvB8xFeBa8gYG8GEmmAfscZWC1jL2EoEYrew6i+rPvj5jxmoUGghLKioD0B"
            + "1MJQFuh7DaHf6Qok1uiiETg00FuYPuZxqdAmJkq/oojjcKDR54KqQGdBgGaxRRtxf+L0E2x6/giHWQKQoJ1SoKWDtIyzxHHH8aTZ"
            + "bfwFUEsDBBQAAAAIAH0ddl0RjiC4UwAAAOAAAAALAAAAeV90cmFpbi5ucHmb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZf"
            + "VFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RqGRjqaOgq1CuQDLkYGCIDRDDj4uMRxqYMBAFBLAwQUAAAACAB9HXZdwcGftU4AAADI"
            + "AAAACgAAAHlfdGVzdC5ucHmb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RqW"
            + "Opo6CrUKFAAuRgZUwIiDRgfo4gBQSwECFAMUAAAACAB9HXZdudZ7ddkBAACOAgAACgAAAAAAAAAAAAAAgAEAAAAAeF90ZXN0Lm5w"
            + "eVBLAQIUAxQAAAAIAH0ddl2PzS6UPgIAACUDAAALAAAAAAAAAAAAAACAAQECAAB4X3RyYWluLm5weVBLAQIUAxQAAAAIAH0ddl0R"
            + "jiC4UwAAAOAAAAALAAAAAAAAAAAAAACAAWgEAAB5X3RyYWluLm5weVBLAQIUAxQAAAAIAH0ddl3BwZ+1TgAAAMgAAAAKAAAAAAAA"
            + "AAAAAACAAeQEAAB5X3Rlc3QubnB5UEsFBgAAAAAEAAQA4gAAAFoFAAAAAA==";

    static final String P4 = "UEsDBC0AAAAAAAAAIQC7nTld//////////8KABQAeF90ZXN0Lm5weQEAEAB8AgAAAAAAAHwCAAAAAAAAk05VTVBZAQB2AHsnZGVz"
            + "Y3InOiAnfE8nLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoOSwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqABJXxAQAAAAAAAIwWbnVtcHkuX2NvcmUubXVsdGlhcnJheZSM"
            + "DF9yZWNvbnN0cnVjdJSTlIwFbnVtcHmUjAduZGFycmF5lJOUSwCFlEMBYpSHlFKUKEsBSwmFlGgDjAVkdHlwZZSTlIwCTziUiYiH"
            + "lFKUKEsDjAF8lE5OTkr/////Sv////9LP3SUYoldlChdlChLHksbSwVLFEsRSogKAQBKOgQBAEsRSyVLE0sPSyVlXZQoSxVLAUo7"
            + "WwEASxxLI0siSxtK5hoBAEsISwVLGUsHSx9KbFsBAEsBSrFcAQBLFkqsBAEASx1KfAkBAEsmZV2UKEsmSwZKbwoBAEsISwxLDEsd"
            + "Sx5LH0sESyRLHUsfSxJLEEsNSwxLD2VdlChLI0sXSyNLF0sPZV2UKEsfSwNLEUsnSo0AAQBKDhMBAEsUSwpLAksFSxNLB0sKSx1K"
            + "IxcBAEogTgEASx9LJUsYSx5lXZQoSyRLHkq2FAEASxZLIksQSwZLFEsVSuFbAQBlXZQoSwZLIksJSw9LE0sgSxJLH2VdlChLHEsf"
            + "SyRLIksbSwdLJ0rLVAEASwtLIUsKSx5LHUseSvNDAQBLImVdlChLHUsYSxpLGksRSyJLB0seSxVLDErVKAEASwlKNUwBAEsdSx9L"
            + "D0sESyRLFksCSwJLCksaZWV0lGIuUEsDBC0AAAAAAAAAIQD1z0LH//////////8LABQAeF90cmFpbi5ucHkBABAAEAMAAAAAAAAQ"
            + "AwAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJ3xPJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEyLCksIH0g"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKgASVhQIAAAAAAACMFm51"
            + "bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAxfcmVjb25zdHJ1Y3SUk5SMBW51bXB5lIwHbmRhcnJheZSTlEsAhZRDAWKUh5RSlChLAUsM"
            + "hZRoA4wFZHR5cGWUk5SMAk84lImIh5RSlChLA4wBfJROTk5K/////0r/////Sz90lGKJXZQoXZQoSyFLAUqyRgEASyVKQw4BAEsk"
            + "SwtKwkgBAEshZV2UKEotLAEASxxlXZQoSwVLF0sVSwlLE0siSxtLC0qaTAEASx9KI1ABAEpeUwEASwFLDksXSydLDEsnSmAlAQBL"
            + "DmVdlChKV18BAEsbSwZLJ0sCSxpLIUpHMwEASwpLHUsnSyFK7RABAEsXSwdLCGVdlChLBUsaSxhLGksTSx1K/z0BAEsYZV2UKEsD"
            + "SwlLGksUSx9LI0sBSxxLBEshSxplXZQoSwhLGksYSxtLA0sTSxdLDUseSxRK+kwBAEsPSwRKRVMBAEsiSw5LGUsmSxhLBEsVZV2U"
            + "KEshSxRLFUoEWwEASw9LJ0scSyFKajYBAEsQSyBLJUsRSyZLEksXSwhLDWVdlChLBUsVSxVLGksHSxBK/CwBAEsVSyJLJksZSxdL"
            + "CEsaSwVLImVdlChLH0sGSxBLEEsISxtLBksRSwFLIUshSxxLDEsFSgdRAQBKojgBAEslSxZLAksESyZLH2VdlChKVSgBAEsgSwpL"
            + "GUrMJgEASxpLFEseSxtLJEoqFQEASw9LFUsTSwNKlRYBAEsjSj9fAQBK+AcBAEsLSxlLBEqbFwEAZV2UKEsVSyBLIEo9CwEASxtK"
            + "8RYBAEpnWgEAShofAQBLDEpQHwEASw9LCksgSx1LCksfSwtlZXSUYi5QSwMELQAAAAAAAAAhABGOILj//////////wsAFAB5X3Ry"
            + "YWluLm5weQEAEADgAAAAAAAAAOAAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxz"
            + "ZSwgJ3NoYXBlJzogKDEyLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg"
            + "ICAgIAoBAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAQAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABQSwMELQAAAAAAAAAhAMHBn7X//////////woAFAB5X3Rlc3QubnB5AQAQAMgAAAAA"
            + "AAAAyAAAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICc8aTgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoOSwp"
            + "LCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgCgEAAAAAAAAAAAAA"
            + "AAAAAAABAAAAAAAAAAEAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAFBLAQItAy0AAAAAAAAA"
            + "IQC7nTldfAIAAHwCAAAKAAAAAAAAAAAAAACAAQAAAAB4X3Rlc3QubnB5UEsBAi0DLQAAAAAAAAAhAPXPQscQAwAAEAMAAAsAAAAA"
            + "AAAAAAAAAIABuAIAAHhfdHJhaW4ubnB5UEsBAi0DLQAAAAAAAAAhABGOILjgAAAA4AAAAAsAAAAAAAAAAAAAAIABBQYAAHlfdHJh"
            + "aW4ubnB5UEsBAi0DLQAAAAAAAAAhAMHBn7XIAAAAyAAAAAoAAAAAAAAAAAAAAIABIgcAAHlfdGVzdC5ucHlQSwUGAAAAAAQABADi"
            + "AAAAJggAAAAA";

    /** x_train as stored (before shuffling), from the script's "IMDB raw" section. */
    static final int[][] RAW_X_TRAIN = {{33, 1, 83634, 37, 69187, 36, 11, 84162, 33}, {76845, 28}, {5, 23, 21, 9, 19, 34, 27, 11, 85146, 31, 86051, 86878, 1, 14, 23, 39, 12, 39, 75104, 14}, {89943, 27, 6, 39, 2, 26, 33, 78663, 10, 29, 39, 33, 69869, 23, 7, 8}, {5, 26, 24, 26, 19, 29, 81407, 24}, {3, 9, 26, 20, 31, 35, 1, 28, 4, 33, 26}, {8, 26, 24, 27, 3, 19, 23, 13, 30, 20, 85242, 15, 4, 86853, 34, 14, 25, 38, 24, 4, 21}, {33, 20, 21, 88836, 15, 39, 28, 33, 79466, 16, 32, 37, 17, 38, 18, 23, 8, 13}, {5, 21, 21, 26, 7, 16, 77052, 21, 34, 38, 25, 23, 8, 26, 5, 34}, {31, 6, 16, 16, 8, 27, 6, 17, 1, 33, 33, 28, 12, 5, 86279, 80034, 37, 22, 2, 4, 38, 31}, {75861, 32, 10, 25, 75468, 26, 20, 30, 27, 36, 70954, 15, 21, 19, 3, 71317, 35, 89919, 67576, 11, 25, 4, 71579}, {21, 32, 32, 68413, 27, 71409, 88679, 73498, 12, 73552, 15, 10, 32, 29, 10, 31, 11}};

    @TempDir
    Path tmp;

    private Path file(String format) throws IOException {
        Path p = tmp.resolve("imdb-" + format + ".npz");
        Files.write(p, Base64.getDecoder().decode(format.equals("p2") ? P2 : P4));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"p2", "p4"})
    void rawArrays(String format) throws IOException {
        try (Npz npz = Npz.open(file(format))) {
            assertArrayEquals(RAW_X_TRAIN, npz.getSequences("x_train"));
            assertEquals(9, npz.getSequences("x_test").length);
            assertArrayEquals(new int[] {1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0}, MnistTest.ints(npz.get("y_train")));
            assertArrayEquals(new int[] {1, 0, 1, 1, 1, 0, 0, 1, 0}, MnistTest.ints(npz.get("y_test")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"p2", "p4"})
    void defaults(String format) throws IOException {
        Path file = file(format);
        // imdb.load_data()
        SequenceSplit d = Imdb.loadData(file, null, 0, null, 113, 1, 2, 3);
        assertArrayEquals(new int[][] {{1, 8, 29, 27, 29, 22, 32, 81410, 27}, {1, 2, 30, 9, 42, 5, 29, 36, 78666, 13, 32, 42, 36, 69872, 26, 10, 11}, {1, 34, 9, 19, 19, 11, 30, 9, 20, 4, 36, 36, 31, 15, 8, 86282, 80037, 40, 25, 5, 7, 41, 34}, {1, 8, 24, 24, 29, 10, 19, 77055, 24, 37, 41, 28, 26, 11, 29, 8, 37}, {1, 76848, 31}, {1, 36, 4, 83637, 40, 69190, 39, 14, 84165, 36}, {1, 24, 35, 35, 68416, 30, 71412, 88682, 73501, 15, 73555, 18, 13, 35, 32, 13, 34, 14}, {1, 36, 23, 24, 88839, 18, 42, 31, 36, 79469, 19, 35, 40, 20, 41, 21, 26, 11, 16}, {1, 11, 29, 27, 30, 6, 22, 26, 16, 33, 23, 85245, 18, 7, 86856, 37, 17, 28, 41, 27, 7, 24}, {1, 75864, 35, 13, 28, 75471, 29, 23, 33, 30, 39, 70957, 18, 24, 22, 6, 71320, 38, 89922, 67579, 14, 28, 7, 71582}, {1, 8, 26, 24, 12, 22, 37, 30, 14, 85149, 34, 86054, 86881, 4, 17, 26, 42, 15, 42, 75107, 17}, {1, 6, 12, 29, 23, 34, 38, 4, 31, 7, 36, 29}}, d.xTrain());
        assertArrayEquals(new int[] {0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0}, d.yTrain());
        assertArrayEquals(new int[][] {{1, 9, 37, 12, 18, 22, 35, 21, 34}, {1, 41, 9, 68210, 11, 15, 15, 32, 33, 34, 7, 39, 32, 34, 21, 19, 16, 15, 18}, {1, 39, 33, 70841, 25, 37, 19, 9, 23, 24, 89060}, {1, 33, 30, 8, 23, 20, 68235, 66621, 20, 40, 22, 18, 40}, {1, 24, 4, 88894, 31, 38, 37, 30, 72425, 11, 8, 28, 10, 34, 88943, 4, 89268, 25, 66735, 32, 67967, 41}, {1, 34, 6, 20, 42, 65680, 70417, 23, 13, 5, 8, 22, 10, 13, 32, 71462, 85539, 34, 40, 27, 33}, {1, 32, 27, 29, 29, 20, 37, 10, 33, 24, 15, 75992, 12, 85048, 32, 34, 18, 7, 39, 25, 5, 5, 13, 29}, {1, 38, 26, 38, 26, 18}, {1, 31, 34, 39, 37, 30, 10, 42, 87246, 14, 36, 13, 33, 32, 33, 82934, 37}}, d.xTest());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0, 1, 1}, d.yTest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"p2", "p4"})
    void numWordsSkipTopMaxlen(String format) throws IOException {
        Path file = file(format);
        // imdb.load_data(num_words=30, skip_top=5, maxlen=15)
        SequenceSplit d = Imdb.loadData(file, 30, 5, 15, 113, 1, 2, 3);
        assertArrayEquals(new int[][] {{2, 8, 29, 27, 29, 22, 2, 2, 27}, {2, 2, 2}, {2, 2, 2, 2, 2, 2, 2, 14, 2, 2}, {2, 6, 12, 29, 23, 2, 2, 2, 2, 7, 2, 29}}, d.xTrain());
        assertArrayEquals(new int[] {0, 1, 1, 0}, d.yTrain());
        assertArrayEquals(new int[][] {{2, 9, 2, 12, 18, 22, 2, 21, 2}, {2, 2, 2, 2, 25, 2, 19, 9, 23, 24, 2}, {2, 2, 2, 8, 23, 20, 2, 2, 20, 2, 22, 18, 2}, {2, 2, 26, 2, 26, 18}}, d.xTest());
        assertArrayEquals(new int[] {0, 0, 1, 1}, d.yTest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"p2", "p4"})
    void noMarksDroppedWordsSeed7(String format) throws IOException {
        Path file = file(format);
        // imdb.load_data(start_char=None, oov_char=None, index_from=0, num_words=20, seed=7)
        SequenceSplit d = Imdb.loadData(file, 20, 0, null, 7, null, null, 0);
        assertArrayEquals(new int[][] {{15, 16, 17, 18, 8, 13}, {10, 15, 19, 3, 11, 4}, {5, 9, 19, 11, 1, 14, 12, 14}, {3, 9, 1, 4}, {1, 11}, {}, {12, 15, 10, 10, 11}, {5, 7, 16, 8, 5}, {6, 2, 10, 7, 8}, {8, 3, 19, 13, 15, 4, 14, 4}, {6, 16, 16, 8, 6, 17, 1, 12, 5, 2, 4}, {5, 19}}, d.xTrain());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0}, d.yTrain());
        assertArrayEquals(new int[][] {{1, 8, 5, 7, 1}, {6, 8, 12, 12, 4, 18, 16, 13, 12, 15}, {16, 6}, {15}, {5, 17, 17, 19, 15}, {3, 17, 10, 2, 5, 19, 7, 10}, {6, 9, 15, 19, 18}, {7, 11, 10}, {17, 7, 12, 9, 15, 4, 2, 2, 10}}, d.xTest());
        assertArrayEquals(new int[] {0, 1, 0, 1, 1, 1, 0, 1, 0}, d.yTest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"p2", "p4"})
    void largestIndexBecomesOov(String format) throws IOException {
        Path file = file(format);
        // imdb.load_data(index_from=0, start_char=None)  # num_words = max index, itself out of range
        SequenceSplit d = Imdb.loadData(file, null, 0, null, 113, null, 2, 0);
        assertArrayEquals(new int[][] {{5, 26, 24, 26, 19, 29, 81407, 24}, {2, 27, 6, 39, 2, 26, 33, 78663, 10, 29, 39, 33, 69869, 23, 7, 8}, {31, 6, 16, 16, 8, 27, 6, 17, 1, 33, 33, 28, 12, 5, 86279, 80034, 37, 22, 2, 4, 38, 31}, {5, 21, 21, 26, 7, 16, 77052, 21, 34, 38, 25, 23, 8, 26, 5, 34}, {76845, 28}, {33, 1, 83634, 37, 69187, 36, 11, 84162, 33}, {21, 32, 32, 68413, 27, 71409, 88679, 73498, 12, 73552, 15, 10, 32, 29, 10, 31, 11}, {33, 20, 21, 88836, 15, 39, 28, 33, 79466, 16, 32, 37, 17, 38, 18, 23, 8, 13}, {8, 26, 24, 27, 3, 19, 23, 13, 30, 20, 85242, 15, 4, 86853, 34, 14, 25, 38, 24, 4, 21}, {75861, 32, 10, 25, 75468, 26, 20, 30, 27, 36, 70954, 15, 21, 19, 3, 71317, 35, 89919, 67576, 11, 25, 4, 71579}, {5, 23, 21, 9, 19, 34, 27, 11, 85146, 31, 86051, 86878, 1, 14, 23, 39, 12, 39, 75104, 14}, {3, 9, 26, 20, 31, 35, 1, 28, 4, 33, 26}}, d.xTrain());
        assertArrayEquals(new int[] {0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0}, d.yTrain());
        assertArrayEquals(new int[][] {{6, 34, 9, 15, 19, 32, 18, 31}, {38, 6, 68207, 8, 12, 12, 29, 30, 31, 4, 36, 29, 31, 18, 16, 13, 12, 15}, {36, 30, 70838, 22, 34, 16, 6, 20, 21, 89057}, {30, 27, 5, 20, 17, 68232, 66618, 17, 37, 19, 15, 37}, {21, 1, 88891, 28, 35, 34, 27, 72422, 8, 5, 25, 7, 31, 88940, 1, 89265, 22, 66732, 29, 67964, 38}, {31, 3, 17, 39, 65677, 70414, 20, 10, 2, 5, 19, 7, 10, 29, 71459, 85536, 31, 37, 24, 30}, {29, 24, 26, 26, 17, 34, 7, 30, 21, 12, 75989, 9, 85045, 29, 31, 15, 4, 36, 22, 2, 2, 10, 26}, {35, 23, 35, 23, 15}, {28, 31, 36, 34, 27, 7, 39, 87243, 11, 33, 10, 30, 29, 30, 82931, 34}}, d.xTest());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0, 1, 1}, d.yTest());
    }

    @Test
    void maxlenThatKeepsNothingIsKerasError() throws IOException {
        Path file = file("p2");
        // imdb.load_data(maxlen=2): ValueError (every review has a start mark and >= 1 word)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Imdb.loadData(file, null, 0, 2, 113, 1, 2, 3));
        assertEquals("After filtering for sequences shorter than maxlen=2, no sequence was kept. Increase maxlen.",
                e.getMessage());
    }

    @Test
    void corruptedAndTruncatedFilesNameTheFile() throws IOException {
        byte[] good = Base64.getDecoder().decode(P2);
        Path truncated = tmp.resolve("imdb-truncated.npz");
        Files.write(truncated, Arrays.copyOf(good, good.length - 200));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Imdb.loadData(truncated, null, 0, null, 113, 1, 2, 3));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());

        Path flipped = tmp.resolve("imdb-flipped.npz");
        byte[] bad = good.clone();
        bad[300] ^= 0x55;   // inside x_test's deflated data
        Files.write(flipped, bad);
        e = assertThrows(UncheckedIOException.class, () -> Imdb.loadData(flipped, null, 0, null, 113, 1, 2, 3));
        assertTrue(e.getMessage().contains(flipped.toString()), e.getMessage());
    }

    @Test
    void wordIndexFromTheRealFile() {
        String savedDatasets = System.getProperty(DatasetFiles.PROP_DATASETS);
        try {
            System.setProperty(DatasetFiles.PROP_DATASETS, RealData.dir().toString());
            RealData.file(Imdb.WORD_INDEX_FILE_NAME);
            // json.load(open("imdb_word_index.json")): 88584 words; "the" -> 1, "and" -> 2, "a" -> 3,
            // "i" -> 10; first key "fawn" -> 34701; max rank 88584
            Map<String, Integer> wi = Imdb.getWordIndex();
            assertEquals(88584, wi.size());
            assertEquals(1, wi.get("the"));
            assertEquals(2, wi.get("and"));
            assertEquals(3, wi.get("a"));
            assertEquals(10, wi.get("i"));
            assertEquals("fawn", wi.keySet().iterator().next());
            assertEquals(34701, wi.get("fawn"));
            assertEquals(88584, wi.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        } finally {
            if (savedDatasets == null) System.clearProperty(DatasetFiles.PROP_DATASETS);
            else System.setProperty(DatasetFiles.PROP_DATASETS, savedDatasets);
        }
    }
}
