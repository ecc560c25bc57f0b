package org.cornu.datasets;

/**
 * NumPy's legacy {@code np.random.RandomState}: the MT19937 generator, seeded and drawn from
 * exactly as NumPy does, so that {@link #shuffle(int[])} and {@link #permutation(int)} give the
 * same orders as {@code np.random.RandomState(seed).shuffle(...)} and {@code .permutation(n)}.
 * Keras's dataset loaders shuffle with it ({@code RandomState(113)}).
 *
 * <p>An integer seed is applied as NumPy's {@code _legacy_seeding} does: the classic
 * {@code init_genrand} (not {@code init_by_array}, which NumPy uses only for array seeds, see
 * {@link #NumpyRandomState(long[])}). Shuffling is NumPy's Fisher-Yates loop from the last
 * element down, drawing each index with {@code random_interval}: the smallest all-ones mask
 * covering the bound, and 32-bit draws rejected until they fall within it.
 *
 * <p>Not thread-safe.
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos;

    /**
     * As {@code np.random.RandomState(seed)}.
     *
     * @param seed 0 to 2<sup>32</sup> - 1, as NumPy requires
     * @throws IllegalArgumentException for a seed outside that range (NumPy's message)
     */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("Seed must be between 0 and 2**32 - 1, got " + seed);
        }
        initGenrand((int) seed);
    }

    /**
     * As {@code np.random.RandomState(np.array(seeds))}: MT19937's {@code init_by_array} on the
     * seeds taken as 32-bit words.
     *
     * @param seeds a non-empty array of values between 0 and 2<sup>32</sup> - 1
     */
    public NumpyRandomState(long[] seeds) {
        if (seeds.length == 0) throw new IllegalArgumentException("Seed must be non-empty");
        int[] key = new int[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            if (seeds[i] < 0 || seeds[i] > 0xffffffffL) {
                throw new IllegalArgumentException("Seed values must be between 0 and 2**32 - 1, got " + seeds[i]);
            }
            key[i] = (int) seeds[i];
        }
        initByArray(key);
    }

    private void initGenrand(int seed) {
        mt[0] = seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
        pos = N;
    }

    private void generate() {
        int k = 0;
        for (; k < N - M; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
            mt[k] = mt[k + M] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        for (; k < N - 1; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
            mt[k] = mt[k + (M - N)] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        pos = 0;
    }

    /**
     * The next 32-bit output of MT19937, as an unsigned value (NumPy's {@code next_uint32}).
     *
     * @return a value in {@code [0, 2^32)}
     */
    public long nextUint32() {
        if (pos >= N) generate();
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /**
     * A double in [0, 1) with 53 random bits, as {@code random_sample()}: two 32-bit draws
     * {@code a >> 5} and {@code b >> 6}, {@code (a * 67108864 + b) / 9007199254740992}.
     *
     * @return the double
     */
    public double randomSample() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * A uniform integer in [0, max], as NumPy's {@code random_interval}: draws masked to the
     * smallest {@code 2^k - 1 >= max}, rejected while above {@code max}.
     *
     * @param max the largest value, 0 or more
     * @return the integer
     */
    public long randomInterval(long max) {
        if (max < 0) throw new IllegalArgumentException("max must be >= 0, got " + max);
        if (max == 0) return 0;
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        long value;
        if (max <= 0xffffffffL) {
            while ((value = nextUint32() & mask) > max) {
                // rejected
            }
        } else {
            while ((value = ((nextUint32() << 32) | nextUint32()) & mask) > max) {
                // rejected (next_uint64: high word first)
            }
        }
        return value;
    }

    /**
     * Shuffles {@code a} in place as {@code RandomState.shuffle} shuffles a 1-D array.
     *
     * @param a the array
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) randomInterval(i);
            int t = a[j];
            a[j] = a[i];
            a[i] = t;
        }
    }

    /**
     * Shuffles {@code a} in place as {@code RandomState.shuffle} shuffles a 1-D array or list.
     *
     * @param <T> the element type
     * @param a the array
     */
    public <T> void shuffle(T[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) randomInterval(i);
            T t = a[j];
            a[j] = a[i];
            a[i] = t;
        }
    }

    /**
     * As {@code RandomState.permutation(n)}: {@code 0..n-1} shuffled with {@link #shuffle(int[])}.
     *
     * @param n the length
     * @return a permutation of {@code 0..n-1}
     */
    public int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("negative dimensions are not allowed: " + n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p);
        return p;
    }
}
