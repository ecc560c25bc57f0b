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

    @Test
    void longReductionsIntoSmallOutputsGoToOnednnWithTheSameResult() {
        // the first convolution's kernel gradient: col^T (9 x 43264) times g (43264 x 32), k >> m, n
        assertTrue(Gemm.skinny(9, 32, 43264));
        assertFalse(Gemm.skinny(128, 512, 784), "a dense layer's product is not skinny");
        assertFalse(Gemm.skinny(4, 4, 60000), "too small to be worth a native op");
        org.junit.jupiter.api.Assumptions.assumeTrue(Onednn.present(), "this ND4J build has no oneDNN (the generic profile)");
        for (boolean ta : new boolean[] {true, false}) {
            INDArray a = ta ? rand(DataType.FLOAT, 4096, 9) : rand(DataType.FLOAT, 9, 4096);
            INDArray b = rand(DataType.FLOAT, 4096, 32);
            INDArray c = rand(DataType.FLOAT, 9, 32);
            double[][] want = reference(a, b, c, ta, false, 0.5, 2.0);
            long before = FastPaths.ONEDNN.runs();
            INDArray got = Gemm.gemm(a, b, c, ta, false, 0.5, 2.0);
            assertTrue(FastPaths.ONEDNN.runs() > before, "took the oneDNN product");
            // float32 sums of 4096 products of values in [-1, 1]
            assertClose(want, got, 2e-4, "transA=" + ta);
            INDArray fresh = Gemm.gemm(a, b, ta, false);
            assertClose(reference(a, b, c, ta, false, 1.0, 0.0), fresh, 2e-4, "new output, transA=" + ta);
        }
    }
    @Test
    void largeProductsGoToOnednnWithTheSameResult() {
        assertTrue(Gemm.large(6400, 512, 256, false), "the transformer's projections, with any threads");
        assertFalse(Gemm.large(128, 512, 784, false), "a mid-size product stays on OpenBLAS with several threads");
        assertTrue(Gemm.large(6400, 512, 256, true), "the transformer's projections");
        assertTrue(Gemm.large(128, 512, 784, true), "an MNIST dense layer's product");
        assertTrue(Gemm.large(784, 512, 128, true), "an MNIST dense layer's kernel gradient");
        assertTrue(Gemm.large(64000, 128, 32, true), "the IMDB LSTM's input projection");
        assertFalse(Gemm.large(128, 64, 576, true), "a narrow output (the convnet's Dense(64)) stays on OpenBLAS");
        assertFalse(Gemm.large(512, 64, 64, true), "Reuters' hidden layer (2M multiply-adds) stays on OpenBLAS");
        assertFalse(Gemm.large(16, 1 << 14, 1 << 14, true), "a side under 32 stays on OpenBLAS");
        org.junit.jupiter.api.Assumptions.assumeTrue(Onednn.present(), "this ND4J build has no oneDNN (the generic profile)");
        for (boolean ta : new boolean[] {true, false}) {
            for (boolean tb : new boolean[] {true, false}) {
                INDArray a = rand(DataType.FLOAT, 512, 512), b = rand(DataType.FLOAT, 512, 512), c = rand(DataType.FLOAT, 512, 512);
                double[][] av = a.castTo(DataType.DOUBLE).toDoubleMatrix(), bv = b.castTo(DataType.DOUBLE).toDoubleMatrix();
                double[][] want = c.castTo(DataType.DOUBLE).toDoubleMatrix();
                for (int i = 0; i < 512; i++) {
                    for (int j = 0; j < 512; j++) {
                        double acc = 0;
                        for (int l = 0; l < 512; l++) acc += (ta ? av[l][i] : av[i][l]) * (tb ? bv[j][l] : bv[l][j]);
                        want[i][j] = 0.5 * acc + 2.0 * want[i][j];
                    }
                }
                long before = FastPaths.ONEDNN.runs();
                INDArray got = Gemm.gemm(a, b, c.dup(), ta, tb, 0.5, 2.0);
                assertTrue(FastPaths.ONEDNN.runs() > before, "took the oneDNN product");
                // float32 sums of 512 products of values in [-1, 1]
                assertClose(want, got, 1e-4, "transA=" + ta + " transB=" + tb);
            }
        }
    }
}
