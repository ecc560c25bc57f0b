package org.cornu.core.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.cornu.core.Shape;

/**
 * Matrix products for the layers, as {@link Nd4j#gemm}. On the CPU backend, float32 and float64
 * operands that can be read in place (rows or columns contiguous) skip ND4J's op: float32
 * products of 4,096 multiply-adds or more go to oneDNN's matmul called directly ({@link Dnnl.Matmul},
 * see {@link #dnnl}), the rest to OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm}, the routine
 * ND4J's own {@code mmul} op calls. ND4J's route builds an op and an op context per product, and
 * the context registers with ND4J's deallocator and two JavaCPP pointers with theirs: about 7 µs
 * and 28 tracked objects per product, nine products per MNIST training step. Everything else goes
 * through {@link Nd4j#gemm}. Off with {@code -Dcornu.directGemm=false} (both) or
 * {@code -Dcornu.dnnl.matmul=false} (oneDNN's matmul only).
 */
public final class Gemm {
    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final MethodHandle SGEMM;
    private static final MethodHandle DGEMM;
    private static final MethodHandle SGEMV;
    private static final MethodHandle DGEMV;
    /** Per-thread vectors of ones (for bias sums and broadcasts), grown as needed. */
    private static final ThreadLocal<FloatBuffer> ONES_F = new ThreadLocal<>();
    private static final ThreadLocal<DoubleBuffer> ONES_D = new ThreadLocal<>();

    static {
        MethodHandle s = null, d = null, sv = null, dv = null;
        boolean cpu = Nd4j.getBackend().getClass().getSimpleName().toLowerCase().contains("cpu");
        if (cpu && FastPaths.DIRECT_GEMM.enabled()) {
            try {
                Class<?> blas = Class.forName("org.bytedeco.openblas.global.openblas_nolapack");
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                s = l.findStatic(blas, "cblas_sgemm", MethodType.methodType(void.class, int.class, int.class, int.class,
                        int.class, int.class, int.class, float.class, FloatBuffer.class, int.class, FloatBuffer.class,
                        int.class, float.class, FloatBuffer.class, int.class));
                d = l.findStatic(blas, "cblas_dgemm", MethodType.methodType(void.class, int.class, int.class, int.class,
                        int.class, int.class, int.class, double.class, DoubleBuffer.class, int.class, DoubleBuffer.class,
                        int.class, double.class, DoubleBuffer.class, int.class));
                sv = l.findStatic(blas, "cblas_sgemv", MethodType.methodType(void.class, int.class, int.class, int.class,
                        int.class, float.class, FloatBuffer.class, int.class, FloatBuffer.class, int.class, float.class,
                        FloatBuffer.class, int.class));
                dv = l.findStatic(blas, "cblas_dgemv", MethodType.methodType(void.class, int.class, int.class, int.class,
                        int.class, double.class, DoubleBuffer.class, int.class, DoubleBuffer.class, int.class, double.class,
                        DoubleBuffer.class, int.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.debug("OpenBLAS not reachable directly, products go through ND4J: {}", e.toString());
                s = null;
                d = null;
                sv = null;
                dv = null;
            }
        }
        SGEMM = s;
        DGEMM = d;
        SGEMV = sv;
        DGEMV = dv;
    }

    private Gemm() {}

    /** {@code op(a) @ op(b)} in a new C-order array (in the current workspace). */
    public static INDArray gemm(INDArray a, INDArray b, boolean transA, boolean transB) {
        if (direct(a, b, null)) {
            long m = transA ? a.size(1) : a.size(0);
            long n = transB ? b.size(0) : b.size(1);
            INDArray c = Nd4j.createUninitialized(a.dataType(), m, n);
            if (direct(a, b, c)) {
                run(a, b, c, transA, transB, 1.0, 0.0);
                return c;
            }
        }
        return Nd4j.gemm(a, b, transA, transB);
    }

    /** {@code c = alpha op(a) @ op(b) + beta c}; returns {@code c}. */
    public static INDArray gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        if (!direct(a, b, c)) return Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
        run(a, b, c, transA, transB, alpha, beta);
        return c;
    }

    /**
     * Whether {@code cblas_sgemm} can be called directly ({@link #sgemmRaw}): CPU backend, OpenBLAS
     * reachable, {@link FastPaths#DIRECT_GEMM} on.
     *
     * @return true when it can
     */
    public static boolean directAvailable() {
        return SGEMM != null && SGEMV != null && FastPaths.DIRECT_GEMM.enabled();
    }

    /**
     * Row-major {@code c = alpha op(a) @ op(b) + beta c} on raw float buffers (each indexed from
     * its own position 0), for kernels that walk sub-matrices through their leading dimensions;
     * only when {@link #directAvailable()}. Runs on oneDNN's matmul (direct buffers) or OpenBLAS
     * as {@link #dnnl} picks.
     *
     * @param transA read {@code a} transposed
     * @param transB read {@code b} transposed
     * @param m rows of {@code op(a)} and {@code c}
     * @param n columns of {@code op(b)} and {@code c}
     * @param k columns of {@code op(a)}, rows of {@code op(b)}
     * @param alpha factor on the product
     * @param a the first operand
     * @param lda its row stride
     * @param b the second operand
     * @param ldb its row stride
     * @param beta factor on {@code c}'s old values
     * @param c the output
     * @param ldc its row stride
     */
    public static void sgemmRaw(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatBuffer a, int lda,
            FloatBuffer b, int ldb, float beta, FloatBuffer c, int ldc) {
        if (dnnl(m, n, k) && a.isDirect() && b.isDirect() && c.isDirect()) {
            Dnnl.Matmul p = Dnnl.matmul(m, n, k, transA ? new long[] {1, lda} : new long[] {lda, 1},
                    transB ? new long[] {1, ldb} : new long[] {ldb, 1}, ldc, alpha, beta);
            if (p != null) {
                FastPaths.DNNL_MATMUL.countRun();
                p.run(a, b, c);
                return;
            }
        }
        FastPaths.DIRECT_GEMM.countRun();
        sgemm(transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /**
     * Whether a float32 product of this size goes to oneDNN's matmul called directly
     * ({@link Dnnl.Matmul}, when oneDNN loaded and {@link FastPaths#DNNL_MATMUL} is on) rather than to
     * OpenBLAS's {@code cblas_sgemm}: from 4,096 multiply-adds with one thread, 16,384 with more.
     * Measured here (2-vCPU AMD EPYC, AVX-512, one thread, each product alone), oneDNN's brgemm
     * kernels ran every workload's product faster from that size on: MNIST's dense layer
     * 128 x 784 by 784 x 512 in 1.00 against 1.20 ms and its output layer 128 x 512 by 512 x 10 in
     * 19 against 36 µs, Reuters' 512 x 64 by 64 x 64 in 38 against 58 µs, the IMDB dense model's
     * 512 x 16 by 16 x 16 in 3.4 against 8.0 µs, the LSTM step's 64 x 32 by 32 x 128 in 5.8 against
     * 9.9 µs, Boston's batch-1 1 x 64 by 64 x 64 in 0.9 against 2.5 µs, the transformer's
     * 6400 x 256 by 256 x 512 in 16.8 against 17.9 ms, the first convolution's kernel gradient
     * 9 x 43264 by 43264 x 32 in 0.37 against 1.35 ms. Below that size OpenBLAS's lower call cost
     * wins (Boston's 1 x 13 by 13 x 64: 0.5 against 1.1 µs). With two threads the 4,096 products
     * ran slower on oneDNN (64 x 1 by 1 x 64: 2.7 against 1.7 µs), the larger ones faster.
     */
    static boolean dnnl(long m, long n, long k) {
        return dnnlSize(m, n, k, org.cornu.core.Cornu.numThreads() == 1) && Dnnl.present() && FastPaths.DNNL_MATMUL.enabled();
    }

    /** {@link #dnnl}'s size rule for a given threading. */
    static boolean dnnlSize(long m, long n, long k, boolean oneThread) {
        return m * n * k >= (oneThread ? 1L << 12 : 1L << 14);
    }

    /**
     * Row-major {@code y = op(a) x + beta y} on raw float buffers through {@code cblas_sgemv}
     * (each indexed from its own position 0), for kernels with a single input row; only when
     * {@link #directAvailable()}.
     *
     * @param transA read {@code a} transposed
     * @param m rows of {@code a}
     * @param n columns of {@code a}
     * @param a the matrix
     * @param lda its row stride
     * @param x the vector, {@code n} values ({@code m} when transposed)
     * @param beta factor on {@code y}'s old values
     * @param y the output, {@code m} values ({@code n} when transposed)
     */
    public static void sgemvRaw(boolean transA, int m, int n, FloatBuffer a, int lda, FloatBuffer x, float beta, FloatBuffer y) {
        FastPaths.DIRECT_GEMM.countRun();
        try {
            SGEMV.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, m, n, 1f, a, lda, x, 1, beta, y, 1);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemv failed", e);
        }
    }

    /** {@code z[r, :] = bias} for every row of the 2-D {@code z} ({@code bias} holds {@code z.size(1)} values). */
    public static void broadcastRows(INDArray z, INDArray bias) {
        long rows = z.size(0), units = z.size(1);
        if (bias.length() != units) {
            throw new IllegalArgumentException("broadcastRows: " + bias.length() + " bias values for " + units + " columns");
        }
        if (direct(z, z, z) && dense(bias, z.dataType()) && rowMajor(z)) {
            // row copies: OpenBLAS's sgemm with k = 1 took 74 µs for 128 x 512 here (1.1 µs for one
            // row), the copies 3.6 µs (0.05 µs)
            int ld = ld(z), n = (int) units;
            if (z.dataType() == DataType.FLOAT) {
                FloatBuffer zb = Elementwise.floats(z), bb = Elementwise.floats(bias);
                float[] row = new float[n];
                bb.get(0, row, 0, n);
                for (long r = 0; r < rows; r++) zb.put((int) (r * ld), row, 0, n);
            } else {
                DoubleBuffer zb = Elementwise.doubles(z), bb = Elementwise.doubles(bias);
                double[] row = new double[n];
                bb.get(0, row, 0, n);
                for (long r = 0; r < rows; r++) zb.put((int) (r * ld), row, 0, n);
            }
            return;
        }
        Nd4j.gemm(Nd4j.ones(z.dataType(), rows, 1), bias.reshape(1, units), z, false, false, 1.0, 0.0);
    }

    /** The column sums of the 2-D {@code g}, in a new array of shape {@code shape} ({@code g.size(1)} values). */
    public static INDArray columnSums(INDArray g, long... shape) {
        long rows = g.size(0), units = g.size(1);
        INDArray out = Nd4j.createUninitialized(g.dataType(), shape);
        if (out.length() != units) {
            throw new IllegalArgumentException("columnSums: shape " + Shape.format(shape) + " does not hold " + units + " values");
        }
        if (SGEMV != null && direct(g, g, null) && dense(out, g.dataType())) {
            // a matrix-vector product: OpenBLAS's sgemm with m = 1 took 1.0 ms for 43264 x 32 here,
            // its sgemv 0.10 ms (63 against 4.5 µs for 128 x 512)
            boolean rm = rowMajor(g);
            int trans = rm ? TRANS : NO_TRANS, m = (int) (rm ? rows : units), n = (int) (rm ? units : rows);
            if (g.dataType() == DataType.FLOAT) {
                sgemv(trans, m, n, Elementwise.floats(g), ld(g), onesF((int) rows), Elementwise.floats(out));
            } else {
                dgemv(trans, m, n, Elementwise.doubles(g), ld(g), onesD((int) rows), Elementwise.doubles(out));
            }
            return out;
        }
        Nd4j.gemm(Nd4j.ones(g.dataType(), 1, rows), g, out.reshape(1, units), false, false, 1.0, 0.0);
        return out;
    }

    /** Elements of type {@code t} contiguous in C order (any rank). */
    private static boolean dense(INDArray x, DataType t) {
        return x.dataType() == t && !x.isEmpty() && (x.length() == 1 || x.ordering() == 'c' && x.elementWiseStride() == 1);
    }

    /** True if BLAS can take these operands as they are: CPU, float32 or float64 alike, 2-D, nonempty, each readable in place. */
    private static boolean direct(INDArray a, INDArray b, INDArray c) {
        // the switch is read per product too, so that tests can compare both routes in one JVM
        if (SGEMM == null || !FastPaths.DIRECT_GEMM.enabled()) return false;
        DataType t = a.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE || b.dataType() != t || c != null && c.dataType() != t) return false;
        if (!readable(a) || !readable(b)) return false;
        // the output must be row-major: contiguous rows, the row stride at least the width
        return c == null || readable(c) && rowMajor(c);
    }

    /** 2-D, nonempty, within int range, with contiguous rows or contiguous columns. */
    private static boolean readable(INDArray x) {
        if (x.rank() != 2 || x.isEmpty()) return false;
        long r = x.size(0), c = x.size(1);
        if (r > Integer.MAX_VALUE || c > Integer.MAX_VALUE) return false;
        long[] s = x.stride();
        if (s[0] > Integer.MAX_VALUE || s[1] > Integer.MAX_VALUE) return false;
        return rowMajor(x) || columnMajor(x);
    }

    // a stride along a dimension of size 1 is never stepped (ND4J gives a C-order (1, n) array strides (1, 1))

    /** Rows contiguous, each at least a row's width apart. */
    private static boolean rowMajor(INDArray x) {
        long r = x.size(0), c = x.size(1);
        long[] s = x.stride();
        return (s[1] == 1 || c == 1) && (r == 1 || s[0] >= Math.max(1, c));
    }

    /** Columns contiguous, each at least a column's height apart. */
    private static boolean columnMajor(INDArray x) {
        long r = x.size(0), c = x.size(1);
        long[] s = x.stride();
        return (s[0] == 1 || r == 1) && (c == 1 || s[1] >= Math.max(1, r));
    }

    /** The leading dimension of a {@link #readable} array, as BLAS reads it. */
    private static int ld(INDArray x) {
        if (rowMajor(x)) return (int) (x.size(0) == 1 ? Math.max(1, x.size(1)) : x.stride(0));
        return (int) (x.size(1) == 1 ? Math.max(1, x.size(0)) : x.stride(1));
    }

    /**
     * The element strides {@code {row, column}} of {@code op(x)}, a {@link #readable} array read
     * transposed or not; along a side of length 1, the stride a dense layout would have (ND4J
     * gives such sides stride 1, which oneDNN would read as overlapping rows).
     */
    private static long[] opStrides(INDArray x, boolean trans) {
        long r = x.size(0), c = x.size(1);
        long sr = x.stride(0), sc = x.stride(1);
        if (rowMajor(x)) {
            sc = 1;
            if (r == 1) sr = Math.max(1, c);
        } else {
            sr = 1;
            if (c == 1) sc = Math.max(1, r);
        }
        return trans ? new long[] {sc, sr} : new long[] {sr, sc};
    }

    /** The BLAS transpose flag for operand {@code x} read as {@code op(x)}: column-contiguous arrays read as transposed. */
    private static int transFlag(INDArray x, boolean trans) {
        return rowMajor(x) != trans ? NO_TRANS : TRANS;
    }

    private static void run(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        long m = transA ? a.size(1) : a.size(0);
        long k = transA ? a.size(0) : a.size(1);
        long kb = transB ? b.size(1) : b.size(0);
        long n = transB ? b.size(0) : b.size(1);
        if (k != kb || c.size(0) != m || c.size(1) != n) {
            throw new IllegalArgumentException("gemm: shapes do not match: op(a) " + m + "x" + k + ", op(b) " + kb + "x" + n
                    + ", c " + Shape.format(c.shape()));
        }
        if (a.dataType() == DataType.FLOAT && dnnl(m, n, k)) {
            Dnnl.Matmul p = Dnnl.matmul(m, n, k, opStrides(a, transA), opStrides(b, transB), ld(c), (float) alpha, (float) beta);
            if (p != null) {
                FastPaths.DNNL_MATMUL.countRun();
                p.run(a, b, c);
                return;
            }
        }
        int ta = transFlag(a, transA), tb = transFlag(b, transB);
        FastPaths.DIRECT_GEMM.countRun();
        if (a.dataType() == DataType.FLOAT) {
            sgemm(ta, tb, (int) m, (int) n, (int) k, (float) alpha, Elementwise.floats(a), ld(a),
                    Elementwise.floats(b), ld(b), (float) beta, Elementwise.floats(c), ld(c));
        } else {
            dgemm(ta, tb, (int) m, (int) n, (int) k, alpha, Elementwise.doubles(a), ld(a),
                    Elementwise.doubles(b), ld(b), beta, Elementwise.doubles(c), ld(c));
        }
    }

    private static void sgemm(int ta, int tb, int m, int n, int k, float alpha, FloatBuffer a, int lda,
                              FloatBuffer b, int ldb, float beta, FloatBuffer c, int ldc) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    /** {@code y = op(a) x} for the row-major m x n {@code a}. */
    private static void sgemv(int trans, int m, int n, FloatBuffer a, int lda, FloatBuffer x, FloatBuffer y) {
        try {
            SGEMV.invokeExact(ROW_MAJOR, trans, m, n, 1f, a, lda, x, 1, 0f, y, 1);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemv failed", e);
        }
    }

    private static void dgemv(int trans, int m, int n, DoubleBuffer a, int lda, DoubleBuffer x, DoubleBuffer y) {
        try {
            DGEMV.invokeExact(ROW_MAJOR, trans, m, n, 1.0, a, lda, x, 1, 0.0, y, 1);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dgemv failed", e);
        }
    }

    private static void dgemm(int ta, int tb, int m, int n, int k, double alpha, DoubleBuffer a, int lda,
                              DoubleBuffer b, int ldb, double beta, DoubleBuffer c, int ldc) {
        try {
            DGEMM.invokeExact(ROW_MAJOR, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dgemm failed", e);
        }
    }

    private static FloatBuffer onesF(int n) {
        FloatBuffer b = ONES_F.get();
        if (b == null || b.capacity() < n) {
            b = ByteBuffer.allocateDirect(4 * Math.max(n, 1024)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < b.capacity(); i++) b.put(i, 1f);
            ONES_F.set(b);
        }
        return b;
    }

    private static DoubleBuffer onesD(int n) {
        DoubleBuffer b = ONES_D.get();
        if (b == null || b.capacity() < n) {
            b = ByteBuffer.allocateDirect(8 * Math.max(n, 1024)).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            for (int i = 0; i < b.capacity(); i++) b.put(i, 1.0);
            ONES_D.set(b);
        }
        return b;
    }
}
