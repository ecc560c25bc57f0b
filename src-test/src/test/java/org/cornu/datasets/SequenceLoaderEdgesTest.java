package org.cornu.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cornu.testing.KerasNpz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence loaders' boundaries on small files written here in Keras's format: {@code num_words}
 * (words below it are kept, the word equal to it is out of vocabulary; without it, Keras takes the
 * largest index as the bound, so the largest word itself becomes OOV), {@code skip_top} (words
 * below it, the start mark included, become OOV; the word equal to it is kept), {@code maxlen}
 * (a sequence is kept only while shorter than maxlen, start mark counted), {@code oov_char}
 * (null drops the words instead) and {@code index_from}/{@code start_char}. Each sample carries a
 * unique label, so expected sequences are found by label whatever the seeded shuffle does; the
 * expected ones are computed by the rules of Keras 3's {@code imdb.py}/{@code reuters.py} below.
 */
class SequenceLoaderEdgesTest {
    @TempDir
    Path dir;

    /** Raw word lists (before index_from), label i for list i. */
    private static final int[][] RAW = {
            {0, 1, 6, 7},        // with index_from 3 and start 1: 1, 3, 4, 9, 10
            {5, 6},              // 1, 8, 9
            {2, 2, 2, 2, 2, 2},  // length 7 with the start mark
            {0},                 // 1, 3
            {12, 0, 6},          // 1, 15, 3, 9: the largest word, 15
            {1, 3, 4},           // 1, 4, 6, 7
    };

    /** Keras's rules, in plain Java. */
    private static Map<Integer, int[]> expected(int[] labels, int[][] raw, Integer numWords, int skipTop, Integer maxlen, Integer startChar,
                                                Integer oovChar, int indexFrom) {
        List<int[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            List<Integer> s = new ArrayList<>();
            if (startChar != null) s.add(startChar);
            for (int w : raw[i]) s.add(w + indexFrom);
            if (maxlen != null && maxlen != 0 && s.size() >= maxlen) continue;
            xs.add(s.stream().mapToInt(Integer::intValue).toArray());
            ys.add(labels[i]);
        }
        int nw = numWords != null ? numWords : xs.stream().flatMapToInt(java.util.Arrays::stream).max().orElse(0);
        Map<Integer, int[]> out = new HashMap<>();
        for (int k = 0; k < xs.size(); k++) {
            List<Integer> r = new ArrayList<>();
            for (int w : xs.get(k)) {
                if (skipTop <= w && w < nw) r.add(w);
                else if (oovChar != null) r.add(oovChar);
            }
            out.put(ys.get(k), r.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static int[] labels(int n, int offset) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = offset + i;
        return y;
    }

    private Path reuters() throws Exception {
        return KerasNpz.create().sequences("x", RAW).int64("y", labels(RAW.length, 0)).write(dir.resolve("reuters.npz"));
    }

    private static Map<Integer, int[]> byLabel(int[][] x, int[] y) {
        Map<Integer, int[]> m = new HashMap<>();
        for (int i = 0; i < x.length; i++) m.put(y[i], x[i]);
        return m;
    }

    private static void assertSameByLabel(Map<Integer, int[]> want, Map<Integer, int[]> got, String what) {
        assertEquals(want.keySet(), got.keySet(), what + ": the samples kept");
        for (Map.Entry<Integer, int[]> e : want.entrySet()) assertArrayEquals(e.getValue(), got.get(e.getKey()), what + ": sample " + e.getKey());
    }

    private void checkReuters(Integer numWords, int skipTop, Integer maxlen, Integer startChar, Integer oovChar, int indexFrom) throws Exception {
        String what = "num_words=" + numWords + " skip_top=" + skipTop + " maxlen=" + maxlen + " start_char=" + startChar
                + " oov_char=" + oovChar + " index_from=" + indexFrom;
        SequenceSplit s = Reuters.loadData(reuters(), numWords, skipTop, maxlen, 0.2, 113, startChar, oovChar, indexFrom);
        Map<Integer, int[]> want = expected(labels(RAW.length, 0), RAW, numWords, skipTop, maxlen, startChar, oovChar, indexFrom);
        Map<Integer, int[]> got = byLabel(s.xTrain(), s.yTrain());
        got.putAll(byLabel(s.xTest(), s.yTest()));
        assertSameByLabel(want, got, what);
        assertEquals((int) (want.size() * (1 - 0.2)), s.xTrain().length, what + ": int(n * (1 - test_split)) training samples");
    }

    @Test
    void reutersNumWordsBoundary() throws Exception {
        // 9 < 10 is kept, 10 is OOV; 15 is OOV under 15 and under 16 kept
        checkReuters(10, 0, null, 1, 2, 3);
        checkReuters(15, 0, null, 1, 2, 3);
        checkReuters(16, 0, null, 1, 2, 3);
        // without num_words Keras bounds by the largest index: 15 itself becomes OOV
        checkReuters(null, 0, null, 1, 2, 3);
        SequenceSplit s = Reuters.loadData(reuters(), null, 0, null, 0.2, 113, 1, 2, 3);
        Map<Integer, int[]> got = byLabel(s.xTrain(), s.yTrain());
        got.putAll(byLabel(s.xTest(), s.yTest()));
        assertArrayEquals(new int[] {1, 2, 3, 9}, got.get(4));
    }

    @Test
    void reutersSkipTopBoundary() throws Exception {
        // skip_top 3: the start mark (1) becomes OOV, word 3 is kept; skip_top 4: word 3 is OOV too, 4 kept
        checkReuters(null, 3, null, 1, 2, 3);
        checkReuters(20, 4, null, 1, 2, 3);
        checkReuters(20, 9, null, 1, 2, 3);
        SequenceSplit s = Reuters.loadData(reuters(), 20, 4, null, 0.2, 113, 1, 2, 3);
        Map<Integer, int[]> got = byLabel(s.xTrain(), s.yTrain());
        got.putAll(byLabel(s.xTest(), s.yTest()));
        assertArrayEquals(new int[] {2, 2, 4, 9, 10}, got.get(0));
    }

    @Test
    void reutersMaxlenKeepsOnlyShorterSequences() throws Exception {
        // lengths with the start mark: 5, 3, 7, 2, 4, 4; maxlen 4 keeps 3 and 2 only, maxlen 5 adds the two 4s
        checkReuters(null, 0, 4, 1, 2, 3);
        checkReuters(null, 0, 5, 1, 2, 3);
        checkReuters(null, 0, 8, 1, 2, 3);
        SequenceSplit s = Reuters.loadData(reuters(), null, 0, 4, 0.2, 113, 1, 2, 3);
        assertEquals(2, s.xTrain().length + s.xTest().length);
    }

    @Test
    void reutersWithoutOovCharDropsWordsAndWithoutStartCharOnlyShifts() throws Exception {
        checkReuters(10, 0, null, 1, null, 3);
        checkReuters(10, 4, null, 1, null, 3);
        checkReuters(12, 0, null, null, 2, 3);
        checkReuters(5, 0, null, null, 0, 0);
    }

    @Test
    void imdbBoundariesOnTrainAndTestAlike() throws Exception {
        int[][] test = {{3, 0}, {12, 12, 1}, {4, 4, 4, 4, 4}};
        Path f = KerasNpz.create().sequences("x_train", RAW).int64("y_train", labels(RAW.length, 0))
                .sequences("x_test", test).int64("y_test", labels(test.length, 100)).write(dir.resolve("imdb.npz"));
        Object[][] cases = {{10, 0, null, 2}, {null, 0, null, 2}, {16, 4, null, 2}, {16, 0, 5, 2}, {12, 3, 6, null}};
        for (Object[] c : cases) {
            Integer nw = (Integer) c[0], maxlen = (Integer) c[2], oov = (Integer) c[3];
            int skip = (Integer) c[1];
            SequenceSplit s = Imdb.loadData(f, nw, skip, maxlen, 113, 1, oov, 3);
            // num_words defaults to the largest index of train and test together
            int[][] all = new int[RAW.length + test.length][];
            System.arraycopy(RAW, 0, all, 0, RAW.length);
            System.arraycopy(test, 0, all, RAW.length, test.length);
            int[] lab = new int[all.length];
            System.arraycopy(labels(RAW.length, 0), 0, lab, 0, RAW.length);
            System.arraycopy(labels(test.length, 100), 0, lab, RAW.length, test.length);
            Map<Integer, int[]> want = expected(lab, all, nw, skip, maxlen, 1, oov, 3);
            Map<Integer, int[]> wantTrain = new HashMap<>(), wantTest = new HashMap<>();
            want.forEach((k, v) -> (k < 100 ? wantTrain : wantTest).put(k, v));
            String what = java.util.Arrays.toString(c);
            assertSameByLabel(wantTrain, byLabel(s.xTrain(), s.yTrain()), "train " + what);
            assertSameByLabel(wantTest, byLabel(s.xTest(), s.yTest()), "test " + what);
        }
        // maxlen that empties the test set is refused, as Keras
        assertThrows(RuntimeException.class, () -> Imdb.loadData(f, null, 0, 3, 113, 1, 2, 3));
    }
}
