package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.cornu.core.FastPaths;
import org.cornu.testing.Nd4jRegistrations;

class GemmTest {
    private static final SplittableRandom R = new SplittableRandom(5);

    private static INDArray rand(DataType t, long r, long c) {
        double[] v = new double[(int) (r * c)];
        for (int i = 0; i < v.length; i++) v[i] = R.nextDouble(-1, 1);
        return Nd4j.create(v, new long[] {r, c}, 'c').castTo(t);
    }

    /** {@code r x c} values of type {@code t} laid out in one of several ways BLAS can or cannot read in place. */
    private static INDArray laidOut(DataType t, long r, long c, int layout) {
        return switch (layout) {
            case 0 -> rand(t, r, c);                                   // C order
            case 1 -> rand(t, r, c).dup('f');                          // F order: contiguous columns
            case 2 -> rand(t, c, r).transpose();                       // a transposed view
            case 3 -> rand(t, r + 2, c + 3).get(NDArrayIndex.interval(1, 1 + r), NDArrayIndex.interval(2, 2 + c)); // rows apart
            default -> rand(t, r, 2 * c).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 2 * c)); // every other column: not readable
        };
    }

    /** Sizes (m, k, n), with ones: ND4J gives a C-order (1, n) array strides (1, 1). */
    private static final long[][] SIZES = {{7, 5, 3}, {1, 5, 3}, {7, 1, 3}, {7, 5, 1}, {1, 1, 1}, {1, 5, 1}};

    private static boolean inPlace(INDArray x, int layout) {
        return layout < 4 || x.size(0) == 1 || x.size(1) == 1;
    }

    /** {@code alpha op(a) op(b) + beta c} in double by loops. */
    private static double[][] reference(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double alpha, double beta) {
        long m = ta ? a.size(1) : a.size(0), k = ta ? a.size(0) : a.size(1), n = tb ? b.size(0) : b.size(1);
        double[][] out = new double[(int) m][(int) n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a.getDouble(p, i) : a.getDouble(i, p)) * (tb ? b.getDouble(j, p) : b.getDouble(p, j));
                }
                out[i][j] = alpha * s + (beta == 0 ? 0 : beta * c.getDouble(i, j));
            }
        }
        return out;
    }

    private static void assertClose(double[][] want, INDArray got, double tol, String what) {
        assertEquals(want.length, got.size(0), what);
        assertEquals(want[0].length, got.size(1), what);
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[0].length; j++) {
                assertEquals(want[i][j], got.getDouble(i, j), tol, what + " at " + i + "," + j);
            }
        }
    }

    @Test
    void productsMatchLoopsForEveryLayoutTransposeAndType() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = t == DataType.FLOAT ? 2e-5 : 1e-12;
            for (int la = 0; la < 5; la++) {
                for (int lb = 0; lb < 5; lb++) {
                    for (int tr = 0; tr < 4 * SIZES.length; tr++) {
                        boolean ta = (tr & 1) != 0, tb = (tr & 2) != 0;
                        long m = SIZES[tr / 4][0], k = SIZES[tr / 4][1], n = SIZES[tr / 4][2];
                        INDArray a = laidOut(t, ta ? k : m, ta ? m : k, la);
                        INDArray b = laidOut(t, tb ? n : k, tb ? k : n, lb);
                        String what = t + " " + m + "x" + k + "x" + n + " layouts " + la + "," + lb + " trans " + ta + "," + tb;
                        long before = FastPaths.DIRECT_GEMM.runs();
                        assertClose(reference(a, b, null, ta, tb, 1, 0), Gemm.gemm(a, b, ta, tb), tol, what);
                        INDArray c = rand(t, m, n);
                        double[][] want = reference(a, b, c, ta, tb, 0.5, -2);
                        INDArray got = Gemm.gemm(a, b, c, ta, tb, 0.5, -2);
                        assertSame(c, got);
                        assertClose(want, c, tol, what + " alpha 0.5 beta -2");
                        // layouts 0-3 are read in place by BLAS; every other column (4) goes through ND4J
                        // unless the matrix is a single row or column
                        assertEquals(inPlace(a, la) && inPlace(b, lb) ? 2 : 0, FastPaths.DIRECT_GEMM.runs() - before, what);
                    }
                }
            }
        }
    }

    @Test
    void betaZeroIgnoresWhatTheOutputHeld() {
        INDArray a = rand(DataType.FLOAT, 4, 6), b = rand(DataType.FLOAT, 6, 5);
        INDArray c = Nd4j.valueArrayOf(new long[] {4, 5}, Float.NaN, DataType.FLOAT);
        Gemm.gemm(a, b, c, false, false, 1.0, 0.0);
        assertClose(reference(a, b, null, false, false, 1, 0), c, 2e-5, "NaN-filled output, beta 0");
    }

    @Test
    void anOutputThatIsNotRowMajorAndOtherTypesGoThroughNd4j() {
        INDArray a = rand(DataType.FLOAT, 4, 6), b = rand(DataType.FLOAT, 6, 5);
        INDArray cf = Nd4j.create(DataType.FLOAT, new long[] {4, 5}, 'f');
        Gemm.gemm(a, b, cf, false, false, 1.0, 0.0);
        assertClose(reference(a, b, null, false, false, 1, 0), cf, 2e-5, "F-order output");
        INDArray ah = a.castTo(DataType.HALF), bh = b.castTo(DataType.HALF);
        assertClose(reference(ah, bh, null, false, false, 1, 0), Gemm.gemm(ah, bh, false, false), 1e-2, "float16");
    }

    @Test
    void mismatchedShapesAreReported() {
        INDArray a = rand(DataType.FLOAT, 4, 6), b = rand(DataType.FLOAT, 5, 5);
        INDArray c = Nd4j.create(DataType.FLOAT, 4, 5);
        assertThrows(RuntimeException.class, () -> Gemm.gemm(a, b, c, false, false, 1.0, 0.0));
    }

    @Test
    void biasBroadcastAndColumnSums() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = t == DataType.FLOAT ? 1e-5 : 1e-12;
            INDArray bias = rand(t, 1, 6).reshape(6);
            for (int layout = 0; layout < 2; layout++) {
                INDArray z = layout == 0 ? Nd4j.valueArrayOf(new long[] {3000, 6}, Double.NaN, t)
                        : rand(t, 3000, 9).get(NDArrayIndex.all(), NDArrayIndex.interval(2, 8));
                Gemm.broadcastRows(z, bias);
                for (int r = 0; r < 3000; r += 499) {
                    for (int j = 0; j < 6; j++) assertEquals(bias.getDouble(j), z.getDouble(r, j), 0.0, t + " row " + r);
                }
            }
            for (int layout = 0; layout < 5; layout++) {
                INDArray g = laidOut(t, 3000, 6, layout);
                INDArray s = Gemm.columnSums(g, 2, 3);
                assertArrayEquals(new long[] {2, 3}, s.shape());
                for (int j = 0; j < 6; j++) {
                    double want = 0;
                    for (int r = 0; r < 3000; r++) want += g.getDouble(r, j);
                    assertEquals(want, s.getDouble(j / 3, j % 3), tol * 3000, t + " layout " + layout + " column " + j);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> Gemm.columnSums(rand(t, 4, 6), 5));
            assertThrows(IllegalArgumentException.class, () -> Gemm.broadcastRows(Nd4j.create(t, 4, 6), rand(t, 1, 5)));
        }
    }

    /** The reason for this path: a product into an existing array builds no ND4J op context. */
    @Test
    void aDirectProductRegistersNothingWithNd4jsDeallocator() {
        INDArray a = rand(DataType.FLOAT, 64, 32), b = rand(DataType.FLOAT, 32, 16);
        INDArray c = Nd4j.create(DataType.FLOAT, 64, 16);
        INDArray bias = rand(DataType.FLOAT, 1, 16).reshape(16);
        List<String> picked = Nd4jRegistrations.during(() -> {
            Gemm.broadcastRows(c, bias);
            Gemm.gemm(a, b, c, false, false, 1.0, 1.0);
            Gemm.gemm(a, c, true, false);
        });
        // only the new output's data buffer (and at most its shape buffer, if that shape is new)
        assertTrue(picked.stream().noneMatch(s -> s.contains("OpContext")), picked.toString());
        assertTrue(picked.size() <= 2, picked.toString());
    }

    /** Sizes (m, k, n) of 16,384 multiply-adds or more, so that oneDNN takes them with any thread count; a row, a column, k = 1. */
    private static final long[][] DNNL_SIZES = {{33, 40, 17}, {1, 160, 130}, {130, 160, 1}, {150, 1, 120}};

    @Test
    void theSizeRuleSendsFloat32ProductsFrom4096MultiplyAddsToOnednn() {
        assertTrue(Gemm.dnnlSize(1, 64, 64, true), "Boston's batch-1 hidden layer");
        assertTrue(Gemm.dnnlSize(128, 512, 784, true), "an MNIST dense layer");
        assertFalse(Gemm.dnnlSize(1, 64, 13, true), "Boston's first layer stays on OpenBLAS");
        assertFalse(Gemm.dnnlSize(1, 64, 64, false), "with several threads small products stay on OpenBLAS");
        assertTrue(Gemm.dnnlSize(8, 64, 64, false));
        assumeTrue(Dnnl.present(), "oneDNN (org.bytedeco:dnnl) did not load here");
        assertTrue(Gemm.dnnl(128, 512, 784));
        FastPaths.DNNL_MATMUL.setEnabled(false);
        try {
            assertFalse(Gemm.dnnl(128, 512, 784), "the switch turns it off");
        } finally {
            FastPaths.DNNL_MATMUL.setEnabled(true);
        }
    }

    /** Every layout BLAS reads in place, both transposes, alpha and beta: oneDNN's matmul against float64 loops and OpenBLAS. */
    @Test
    void largeFloat32ProductsRunOnOnednnsMatmulAndMatchLoops() {
        assumeTrue(Dnnl.present(), "oneDNN (org.bytedeco:dnnl) did not load here");
        for (long[] size : DNNL_SIZES) {
            long m = size[0], k = size[1], n = size[2];
            for (int la = 0; la < 4; la++) {
                for (int lb = 0; lb < 4; lb++) {
                    for (int tr = 0; tr < 4; tr++) {
                        boolean ta = (tr & 1) != 0, tb = (tr & 2) != 0;
                        INDArray a = laidOut(DataType.FLOAT, ta ? k : m, ta ? m : k, la);
                        INDArray b = laidOut(DataType.FLOAT, tb ? n : k, tb ? k : n, lb);
                        INDArray c = laidOut(DataType.FLOAT, m, n, la == 3 ? 3 : 0);
                        double[][] av = a.castTo(DataType.DOUBLE).toDoubleMatrix(), bv = b.castTo(DataType.DOUBLE).toDoubleMatrix();
                        double[][] cv = c.castTo(DataType.DOUBLE).toDoubleMatrix();
                        double[][] plain = new double[(int) m][(int) n], scaled = new double[(int) m][(int) n];
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double acc = 0;
                                for (int l = 0; l < k; l++) acc += (ta ? av[l][i] : av[i][l]) * (tb ? bv[j][l] : bv[l][j]);
                                plain[i][j] = acc;
                                scaled[i][j] = 0.5 * acc - 2 * cv[i][j];
                            }
                        }
                        String what = m + "x" + k + "x" + n + " layouts " + la + "," + lb + " trans " + ta + "," + tb;
                        long before = FastPaths.DNNL_MATMUL.runs(), blas = FastPaths.DIRECT_GEMM.runs();
                        // sums of up to 160 products of values in [-1, 1], in float32
                        assertClose(plain, Gemm.gemm(a, b, ta, tb), 1e-4, what);
                        INDArray onOpenBlas = c.dup();
                        assertSame(c, Gemm.gemm(a, b, c, ta, tb, 0.5, -2));
                        assertClose(scaled, c, 1e-4, what + " alpha 0.5 beta -2");
                        assertEquals(2, FastPaths.DNNL_MATMUL.runs() - before, what + ": both on oneDNN");
                        assertEquals(0, FastPaths.DIRECT_GEMM.runs() - blas, what + ": none on OpenBLAS");
                        FastPaths.DNNL_MATMUL.setEnabled(false);
                        try {
                            Gemm.gemm(a, b, onOpenBlas, ta, tb, 0.5, -2);
                        } finally {
                            FastPaths.DNNL_MATMUL.setEnabled(true);
                        }
                        assertEquals(1, FastPaths.DIRECT_GEMM.runs() - blas, what + ": switched off, OpenBLAS");
                        assertClose(scaled, onOpenBlas, 1e-4, what + " on OpenBLAS");
                    }
                }
            }
        }
    }

    @Test
    void betaZeroOnOnednnIgnoresWhatTheOutputHeld() {
        assumeTrue(Dnnl.present(), "oneDNN (org.bytedeco:dnnl) did not load here");
        INDArray a = rand(DataType.FLOAT, 40, 30), b = rand(DataType.FLOAT, 30, 20);
        INDArray c = Nd4j.valueArrayOf(new long[] {40, 20}, Float.NaN, DataType.FLOAT);
        long before = FastPaths.DNNL_MATMUL.runs();
        Gemm.gemm(a, b, c, false, false, 1.0, 0.0);
        assertEquals(1, FastPaths.DNNL_MATMUL.runs() - before);
        assertClose(reference(a, b, null, false, false, 1, 0), c, 1e-4, "NaN-filled output, beta 0");
    }

    /** The raw-buffer entry the LSTM and attention kernels use: sub-matrices at offsets, walked by leading dimensions. */
    @Test
    void rawProductsOnSubMatricesAgreeOnOnednnAndOpenBlas() {
        assumeTrue(Dnnl.present(), "oneDNN (org.bytedeco:dnnl) did not load here");
        // a: rows 3.. of a (50 x 70) block, lda 70; b: columns 5.. of a (40 x 90) block read transposed, ldb 90
        INDArray a = rand(DataType.FLOAT, 50, 70), b = rand(DataType.FLOAT, 40, 90);
        int m = 30, k = 40, n = 35;
        for (boolean tb : new boolean[] {false, true}) {
            int ldb = 90;
            java.nio.FloatBuffer ab = Elementwise.floats(a).slice(3 * 70, 50 * 70 - 3 * 70);
            java.nio.FloatBuffer bb = Elementwise.floats(b).slice(5, 40 * 90 - 5);
            int kk = tb ? 35 : k, nn = tb ? 40 : n; // tb: b read as (nn rows of kk) transposed
            INDArray got = Nd4j.zeros(DataType.FLOAT, m, 60), want = Nd4j.zeros(DataType.FLOAT, m, 60);
            java.nio.FloatBuffer gb = Elementwise.floats(got).slice(7, m * 60 - 7), wb = Elementwise.floats(want).slice(7, m * 60 - 7);
            long before = FastPaths.DNNL_MATMUL.runs();
            Gemm.sgemmRaw(false, tb, m, nn, kk, 0.75f, ab, 70, bb, ldb, 0f, gb, 60);
            assertEquals(1, FastPaths.DNNL_MATMUL.runs() - before, "tb=" + tb + ": on oneDNN");
            FastPaths.DNNL_MATMUL.setEnabled(false);
            try {
                Gemm.sgemmRaw(false, tb, m, nn, kk, 0.75f, ab, 70, bb, ldb, 0f, wb, 60);
            } finally {
                FastPaths.DNNL_MATMUL.setEnabled(true);
            }
            assertEquals(1, FastPaths.DNNL_MATMUL.runs() - before, "tb=" + tb + ": switched off, OpenBLAS");
            double[][] g = got.castTo(DataType.DOUBLE).toDoubleMatrix(), w = want.castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < 60; j++) {
                    // columns outside 7 .. 7 + nn stay zero on both
                    assertEquals(w[i][j], g[i][j], 1e-4, "tb=" + tb + " at " + i + "," + j);
                }
            }
            assertTrue(want.amaxNumber().doubleValue() > 1, "the product was written");
        }
    }
}
