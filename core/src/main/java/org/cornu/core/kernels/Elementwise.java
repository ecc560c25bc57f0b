package org.cornu.core.kernels;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.Shape;

/**
 * Fused elementwise loops on the JVM over ND4J's native CPU memory. ND4J runs each
 * elementwise op as its own pass (and some, such as {@code sqrt}, slowly here: 0.84 ms for
 * 400k floats); an optimizer update of 6-8 ops becomes one pass (2.2 ms to 0.9 ms for the MNIST
 * kernel). Used only where {@link #fusable} holds: CPU backend, one float type, dense C order.
 */
public final class Elementwise {
    private static final boolean CPU = Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cpu")
            && FastPaths.FUSED_LOOPS.enabled();
    // below about a million elements a second thread costs more than it saves: waking a pool
    // thread takes tens of microseconds on a VM, and MNIST's RMSprop pass over 401k weights took
    // 0.5-0.7 ms split in two against 0.25 ms on one thread (mlp epoch 1.7 -> 1.5 s)
    private static final int MIN_PARALLEL = 1 << 20;

    private Elementwise() {}

    /** A loop body over elements {@code [from, to)}. */
    @FunctionalInterface
    public interface Body {
        void run(int from, int to);
    }

    /** Whether the arrays can be looped over directly: CPU backend, same float type and length, dense C order. */
    public static boolean fusable(INDArray... arrays) {
        if (!CPU) return false;
        DataType t = arrays[0].dataType();
        long n = arrays[0].length();
        if (t != DataType.FLOAT && t != DataType.DOUBLE || n > Integer.MAX_VALUE) return false;
        for (INDArray a : arrays) {
            if (a.dataType() != t || a.length() != n) return false;
            if (a.length() > 1 && (a.ordering() != 'c' || a.elementWiseStride() != 1)) return false;
        }
        return true;
    }

    /** The elements of a {@link #fusable} float array as a buffer indexed from 0. */
    public static FloatBuffer floats(INDArray a) {
        FloatBuffer b = a.data().asNioFloat();
        return b.position((int) a.offset()).slice();
    }

    private static final int VIEW_BITS = 8, VIEWS = 1 << VIEW_BITS;

    /**
     * A buffer found for an array: the array and its data buffer when found, both weakly, so that
     * the cache keeps no array or native memory alive (the buffer itself only wraps the address).
     */
    private record View(java.lang.ref.WeakReference<INDArray> array, java.lang.ref.WeakReference<org.nd4j.linalg.api.buffer.DataBuffer> data,
                        java.nio.Buffer buffer) {
        boolean of(INDArray a, org.nd4j.linalg.api.buffer.DataBuffer d, boolean isDouble) {
            return array.get() == a && data.get() == d && (buffer instanceof DoubleBuffer) == isDouble;
        }
    }

    private static final ThreadLocal<View[]> VIEW_CACHE = ThreadLocal.withInitial(() -> new View[VIEWS]);

    /**
     * As {@link #floats}, remembered per thread for the arrays it was last asked for: asking ND4J
     * for a buffer costs about 80 ns (JavaCPP looks up field offsets in a map each time), which a
     * batch-1 step pays some thirty times. For absolute indexing only: the buffer is shared, so
     * its position must stay at 0.
     */
    public static FloatBuffer floatsCached(INDArray a) {
        return (FloatBuffer) cachedView(a, false);
    }

    /** As {@link #floatsCached}, for a {@link #fusable} double array. */
    public static DoubleBuffer doublesCached(INDArray a) {
        return (DoubleBuffer) cachedView(a, true);
    }

    private static java.nio.Buffer cachedView(INDArray a, boolean isDouble) {
        View[] cache = VIEW_CACHE.get();
        // two-way: slots s and s ^ 1; a new view goes to s, the one it displaces to s ^ 1
        int slot = (System.identityHashCode(a) * 0x9E3779B9) >>> (32 - VIEW_BITS);
        org.nd4j.linalg.api.buffer.DataBuffer data = a.data();
        View v = cache[slot];
        if (v != null && v.of(a, data, isDouble)) return v.buffer;
        View w = cache[slot ^ 1];
        if (w != null && w.of(a, data, isDouble)) return w.buffer;
        java.nio.Buffer b = isDouble ? doubles(a) : floats(a);
        cache[slot ^ 1] = v;
        cache[slot] = new View(new java.lang.ref.WeakReference<>(a), new java.lang.ref.WeakReference<>(data), b);
        return b;
    }

    /** The elements of a {@link #fusable} double array as a buffer indexed from 0. */
    public static DoubleBuffer doubles(INDArray a) {
        DoubleBuffer b = a.data().asNioDouble();
        return b.position((int) a.offset()).slice();
    }

    /** Runs {@code body} over {@code [0, n)}, split across the available cores for large {@code n}. */
    public static void forRange(long n, Body body) {
        int len = (int) n;
        int chunks = len < MIN_PARALLEL ? 1 : Math.min(Runtime.getRuntime().availableProcessors(), len / (MIN_PARALLEL / 2));
        if (chunks <= 1) {
            body.run(0, len);
            return;
        }
        int step = (len + chunks - 1) / chunks;
        IntStream.range(0, chunks).parallel().forEach(c -> body.run(c * step, Math.min(len, (c + 1) * step)));
    }

    /** Indexed access to a {@link #fusable} float or double array's elements, as doubles. */
    public interface Buf {
        double get(int i);

        void set(int i, double v);
    }

    private record FloatBuf(FloatBuffer b) implements Buf {
        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, (float) v);
        }
    }

    private record DoubleBuf(DoubleBuffer b) implements Buf {
        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, v);
        }
    }

    /** The elements of a {@link #fusable} array through {@link Buf}. */
    public static Buf buf(INDArray a) {
        return a.dataType() == DataType.DOUBLE ? new DoubleBuf(doubles(a)) : new FloatBuf(floats(a));
    }

    private static final int CHUNK = 4096;
    /** Per-thread chunk for the float conversions below, which call out to nothing while they hold it. */
    private static final ThreadLocal<float[]> CONVERT = ThreadLocal.withInitial(() -> new float[CHUNK]);

    /**
     * The elements of {@code a} in C order as a new double array. On the CPU backend this reads
     * native memory in bulk; ND4J's own {@code asDouble()} converts element by element through
     * its indexer, which measured 10-20x slower on the recurrent layers' (B*T, 4u) arrays.
     */
    public static double[] toDoubles(INDArray a) {
        return toDoubles(a, null);
    }

    /** As {@link #toDoubles(INDArray)}, into {@code dst} (at least {@code a.length()} long) when not null. */
    public static double[] toDoubles(INDArray a, double[] dst) {
        if (!CPU || a.isEmpty()) return copyInto(a.dup('c').data().asDouble(), dst);
        INDArray c = fusable(a) ? a : a.dup('c');
        if (!fusable(c)) return copyInto(c.castTo(DataType.DOUBLE).dup('c').data().asDouble(), dst);
        int n = (int) c.length();
        double[] out = dst != null ? dst : new double[n];
        if (c.dataType() == DataType.DOUBLE) {
            doubles(c).get(0, out, 0, n);
            return out;
        }
        FloatBuffer f = floats(c);
        float[] tmp = CONVERT.get();
        for (int o = 0; o < n; o += CHUNK) {
            int len = Math.min(CHUNK, n - o);
            f.get(o, tmp, 0, len);
            for (int i = 0; i < len; i++) out[o + i] = tmp[i];
        }
        return out;
    }

    /**
     * The elements of a float array {@code a} in C order, bulk-read into {@code dst} (at least
     * {@code a.length()} long, or null for a new array). CPU backend, float type.
     */
    public static float[] toFloats(INDArray a, float[] dst) {
        INDArray c = fusable(a) ? a : a.dup('c');
        int n = (int) c.length();
        float[] out = dst != null ? dst : new float[n];
        floats(c).get(0, out, 0, n);
        return out;
    }

    /**
     * A new C-order float array of {@code shape} holding the first {@code prod(shape)} values of
     * {@code v}, bulk-written, in the current workspace if any. CPU backend.
     */
    public static INDArray fromFloats(float[] v, long... shape) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape);
        floats(a).put(0, v, 0, (int) a.length());
        return a;
    }

    private static double[] copyInto(double[] v, double[] dst) {
        if (dst == null) return v;
        System.arraycopy(v, 0, dst, 0, v.length);
        return dst;
    }

    /**
     * A new C-order array of {@code shape} and type {@code dt} (float or double) holding the
     * first {@code prod(shape)} values of {@code v}, written in bulk on the CPU backend (ND4J's
     * {@code Nd4j.create(double[], shape, FLOAT)} converts element by element). Allocated in the
     * current workspace, if any.
     */
    public static INDArray fromDoubles(double[] v, long[] shape, DataType dt) {
        long size = 1;
        for (long d : shape) size *= d;
        if (size > v.length) throw new IllegalArgumentException("fromDoubles: " + v.length + " values for shape " + Shape.format(shape));
        int n = (int) size;
        if (!CPU || n == 0 || dt != DataType.FLOAT && dt != DataType.DOUBLE) {
            return Nd4j.create(n == v.length ? v : java.util.Arrays.copyOf(v, n), shape, dt);
        }
        INDArray a = Nd4j.createUninitialized(dt, shape);
        if (dt == DataType.DOUBLE) {
            doubles(a).put(0, v, 0, n);
            return a;
        }
        FloatBuffer f = floats(a);
        float[] tmp = CONVERT.get();
        for (int o = 0; o < n; o += CHUNK) {
            int len = Math.min(CHUNK, n - o);
            for (int i = 0; i < len; i++) tmp[i] = (float) v[o + i];
            f.put(o, tmp, 0, len);
        }
        return a;
    }

    /**
     * The sum of a {@link #fusable} array's elements, accumulated in double (a loss's mean over
     * 128 per-sample values: ND4J's reduction took 20-70 µs a call here, with its op set-up).
     *
     * @param a the array
     * @return the sum
     */
    public static double sum(INDArray a) {
        int n = (int) a.length();
        double s = 0;
        if (a.dataType() == DataType.DOUBLE) {
            DoubleBuffer d = doubles(a);
            for (int i = 0; i < n; i++) s += d.get(i);
            return s;
        }
        FloatBuffer f = floats(a);
        float[] tmp = CONVERT.get();
        for (int o = 0; o < n; o += CHUNK) {
            int len = Math.min(CHUNK, n - o);
            f.get(o, tmp, 0, len);
            for (int i = 0; i < len; i++) s += tmp[i];
        }
        return s;
    }

    /**
     * {@code dst = c * src} over two {@link #fusable} arrays of one type and length ({@code dst}
     * may be {@code src}), in the arrays' type as ND4J's {@code mul(c)} computes it.
     *
     * @param src the input
     * @param c the factor
     * @param dst the output
     */
    public static void scale(INDArray src, double c, INDArray dst) {
        int n = (int) src.length();
        if (src.dataType() == DataType.DOUBLE) {
            DoubleBuffer a = doubles(src), b = doubles(dst);
            for (int i = 0; i < n; i++) b.put(i, c * a.get(i));
            return;
        }
        FloatBuffer a = floats(src), b = floats(dst);
        float[] tmp = CONVERT.get();
        float cf = (float) c;
        for (int o = 0; o < n; o += CHUNK) {
            int len = Math.min(CHUNK, n - o);
            a.get(o, tmp, 0, len);
            for (int i = 0; i < len; i++) tmp[i] *= cf;
            b.put(o, tmp, 0, len);
        }
    }

    /**
     * Sets every element of a {@link #fusable} array to {@code v}.
     *
     * @param dst the array
     * @param v the value
     */
    public static void fill(INDArray dst, double v) {
        int n = (int) dst.length();
        if (dst.dataType() == DataType.DOUBLE) {
            DoubleBuffer b = doubles(dst);
            for (int i = 0; i < n; i++) b.put(i, v);
            return;
        }
        FloatBuffer b = floats(dst);
        float[] tmp = CONVERT.get();
        java.util.Arrays.fill(tmp, (float) v);
        for (int o = 0; o < n; o += CHUNK) b.put(o, tmp, 0, Math.min(CHUNK, n - o));
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);
    private static final ThreadLocal<double[][]> SCRATCH_D = ThreadLocal.withInitial(() -> new double[3][0]);
    private static final ThreadLocal<long[]> SCRATCH_L = ThreadLocal.withInitial(() -> new long[0]);

    /**
     * A per-thread float array of at least {@code n} elements ({@code slot} 0 to 3): loops over
     * a bulk copy of native memory run several times faster than element-wise buffer access.
     * The contents are the caller's only until it calls out to other code that uses scratch.
     */
    public static float[] scratch(int slot, int n) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < n) s[slot] = new float[n];
        return s[slot];
    }

    /**
     * All four of this thread's {@link #scratch} float arrays, each at least {@code n} long, from
     * one thread-local lookup (a lookup costs about as much as a 64-element loop).
     */
    public static float[][] scratchAll(int n) {
        float[][] s = SCRATCH.get();
        for (int i = 0; i < s.length; i++) if (s[i].length < n) s[i] = new float[n];
        return s;
    }

    /** As {@link #scratch}, a per-thread double array ({@code slot} 0 to 2). */
    public static double[] scratchDoubles(int slot, int n) {
        double[][] s = SCRATCH_D.get();
        if (s[slot].length < n) s[slot] = new double[n];
        return s[slot];
    }

    /** As {@link #scratch}, the per-thread long array. */
    public static long[] scratchLongs(int n) {
        long[] s = SCRATCH_L.get();
        if (s.length < n) {
            s = new long[n];
            SCRATCH_L.set(s);
        }
        return s;
    }
}
