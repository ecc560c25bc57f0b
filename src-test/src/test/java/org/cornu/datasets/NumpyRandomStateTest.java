package org.cornu.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link NumpyRandomState} against NumPy 2.4.6's legacy {@code np.random.RandomState}. Every
 * expected value was printed by {@code src/test/resources/datasets/keras_datasets_expected.py}
 * (section "RandomState"), with the NumPy expression given in each comment.
 */
class NumpyRandomStateTest {
    private static int[] head(int[] a, int n) {
        return Arrays.copyOfRange(a, 0, n);
    }

    private static int[] tail(int[] a, int n) {
        return Arrays.copyOfRange(a, a.length - n, a.length);
    }

    @Test
    void permutationsAsNumpy() {
        // np.random.RandomState(113).permutation(10)
        assertArrayEquals(new int[] {9, 3, 6, 1, 0, 7, 4, 8, 2, 5}, new NumpyRandomState(113).permutation(10));
        // np.random.RandomState(113).permutation(11228): Reuters' shuffle
        int[] p = new NumpyRandomState(113).permutation(11228);
        assertArrayEquals(new int[] {1341, 4427, 5095, 2044, 3024}, head(p, 5));
        assertArrayEquals(new int[] {791, 2710, 11010, 6306, 4828}, tail(p, 5));
        // np.random.RandomState(113).permutation(506): Boston Housing's shuffle
        p = new NumpyRandomState(113).permutation(506);
        assertArrayEquals(new int[] {22, 202, 368, 335, 461}, head(p, 5));
        assertArrayEquals(new int[] {364, 74, 162, 220, 165}, tail(p, 5));
        // np.random.RandomState(113).permutation(25000): IMDB's training shuffle
        p = new NumpyRandomState(113).permutation(25000);
        assertArrayEquals(new int[] {7798, 13226, 18078, 793, 17499}, head(p, 5));
        assertArrayEquals(new int[] {11010, 16236, 22690, 4828, 14501}, tail(p, 5));
        // np.random.RandomState(0).permutation(20); np.random.RandomState(2**32 - 1).permutation(20)
        assertArrayEquals(new int[] {18, 1, 19, 8, 10, 17, 6, 13, 4, 2, 5, 14, 9, 7, 16, 11, 3, 0, 15, 12},
                new NumpyRandomState(0).permutation(20));
        assertArrayEquals(new int[] {11, 17, 19, 15, 1, 5, 8, 16, 13, 18, 14, 9, 10, 6, 0, 4, 7, 12, 2, 3},
                new NumpyRandomState(0xffffffffL).permutation(20));
        assertArrayEquals(new int[0], new NumpyRandomState(1).permutation(0));
        assertArrayEquals(new int[] {0}, new NumpyRandomState(1).permutation(1));
    }

    @Test
    void shuffleContinuesTheSameStream() {
        // a = np.arange(7); r = np.random.RandomState(5); r.shuffle(a); r.shuffle(a)
        int[] a = {0, 1, 2, 3, 4, 5, 6};
        NumpyRandomState r = new NumpyRandomState(5);
        r.shuffle(a);
        r.shuffle(a);
        assertArrayEquals(new int[] {5, 2, 0, 4, 6, 1, 3}, a);
        // the generic overload shuffles the same way
        Integer[] b = {0, 1, 2, 3, 4, 5, 6};
        NumpyRandomState s = new NumpyRandomState(5);
        s.shuffle(b);
        s.shuffle(b);
        assertArrayEquals(new Integer[] {5, 2, 0, 4, 6, 1, 3}, b);
    }

    @Test
    void rawDrawsAndDoublesAsNumpy() {
        // rs = np.random.RandomState(113); rs.randint(0, 2**32, size=4, dtype=np.uint64)
        // (a full 32-bit range takes the raw MT19937 outputs)
        NumpyRandomState r = new NumpyRandomState(113);
        assertEquals(3659249829L, r.nextUint32());
        assertEquals(529109724L, r.nextUint32());
        assertEquals(317413538L, r.nextUint32());
        assertEquals(548173386L, r.nextUint32());
        // then rs.random_sample(3)
        assertEquals(0.8949317626986235, r.randomSample(), 0.0);
        assertEquals(0.43649354757860825, r.randomSample(), 0.0);
        assertEquals(0.12767773423351192, r.randomSample(), 0.0);
        // np.random.RandomState(113).randint(0, 2**40, size=3, dtype=np.uint64): masked 64-bit draws,
        // each the high then the low 32-bit output (above: 3659249829 << 32 | 529109724, masked)
        NumpyRandomState w = new NumpyRandomState(113);
        assertEquals(709198713564L, w.randomInterval((1L << 40) - 1));
        assertEquals(696332875338L, w.randomInterval((1L << 40) - 1));
        assertEquals(467741027074L, w.randomInterval((1L << 40) - 1));
        // np.random.RandomState([1, 2, 3]).random_sample(3): init_by_array seeding
        NumpyRandomState a = new NumpyRandomState(new long[] {1, 2, 3});
        assertEquals(0.6098612722867289, a.randomSample(), 0.0);
        assertEquals(0.8866970434146851, a.randomSample(), 0.0);
        assertEquals(0.47633673750662764, a.randomSample(), 0.0);
    }

    @Test
    void randomIntervalStaysInRange() {
        NumpyRandomState r = new NumpyRandomState(42);
        assertEquals(0, r.randomInterval(0));
        int[] seen = new int[6];
        for (int i = 0; i < 600; i++) seen[(int) r.randomInterval(5)]++;
        for (int c : seen) assertEquals(100, c, 40);
    }

    @Test
    void seedsOutsideNumpysRangeAreRefused() {
        // np.random.RandomState(-1) / RandomState(2**32): ValueError "Seed must be between 0 and 2**32 - 1"
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(-1));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(new long[0]));
    }
}
