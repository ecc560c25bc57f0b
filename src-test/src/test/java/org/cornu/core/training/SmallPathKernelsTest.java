package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The loops inside the small-model paths against their one-row-at-a-time definitions:
 * {@link SmallPredict#kernelRows} and {@link SmallPredict#wholeKernel} add the nonzero inputs' kernel
 * rows in input order, so they must equal the sequential float sum bit for bit, whatever the number
 * of nonzero inputs left over after the blocks of four; {@link SmallPath#dot} and
 * {@link SmallPath#inputGradientsF} on small integers (exact in any order) give the exact sums.
 */
class SmallPathKernelsTest {
    private static FloatBuffer kernel(int in, int out, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatBuffer k = ByteBuffer.allocateDirect(in * out * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < in * out; i++) k.put(i, (float) (r.nextDouble() * 2 - 1));
        return k;
    }

    /** {@code bias + x @ kernel} over float32, one nonzero row after another. */
    private static float[] sequential(FloatBuffer k, double[] x, int in, int out, float[] bias) {
        float[] acc = bias.clone();
        for (int i = 0; i < in; i++) {
            float xi = (float) x[i];
            if (xi == 0f) continue;
            for (int j = 0; j < out; j++) acc[j] += xi * k.get(i * out + j);
        }
        return acc;
    }

    @Test
    void kernelRowsAndWholeKernelEqualTheSequentialSumForEveryRemainder() {
        SmallPredict.Buffers b = new SmallPredict.Buffers();
        for (int out : new int[] {1, 3, 10, 70}) {
            int in = 23;
            FloatBuffer k = kernel(in, out, 100 + out);
            b.rowF = new float[out];
            b.accF = new float[out];
            for (int q = 0; q < 4; q++) b.rows[q] = new float[out];
            SplittableRandom r = new SplittableRandom(out);
            float[] bias = new float[out];
            for (int j = 0; j < out; j++) bias[j] = (float) r.nextDouble();
            // 0 to 11 nonzero inputs (0 to 2 blocks of four and every remainder), at the ends too
            for (int nnz = 0; nnz <= 11; nnz++) {
                double[] x = new double[in];
                for (int c = 0; c < nnz; c++) x[c == 0 ? 0 : c == 1 ? in - 1 : 2 * c] = r.nextDouble() * 4 - 2;
                float[] want = sequential(k, x, in, out, bias);
                float[] rows = bias.clone();
                SmallPredict.kernelRows(k, x, in, out, rows, b);
                float[] whole = bias.clone();
                SmallPredict.wholeKernel(k, x, in, out, whole, b);
                for (int j = 0; j < out; j++) {
                    assertEquals(want[j], rows[j], 0f, "kernelRows out=" + out + " nonzero=" + nnz + " j=" + j);
                    assertEquals(want[j], whole[j], 0f, "wholeKernel out=" + out + " nonzero=" + nnz + " j=" + j);
                }
            }
        }
    }

    @Test
    void dotsSumEveryTermAtAnyOffset() {
        for (int n = 0; n <= 9; n++) {
            double[] a = new double[n + 3], b = new double[n + 5];
            long want = 0;
            for (int j = 0; j < n; j++) {
                int x = j - 4, y = 2 * j + 1;
                a[3 + j] = x;
                b[5 + j] = y;
                want += (long) x * y;
            }
            assertEquals((double) want, SmallPath.dot(a, 3, b, 5, n), 0.0, "dot n=" + n);
        }
        // 64 terms: sum of j * (64 - j), j = 0..63, is 43680
        double[] a = new double[64], b = new double[64];
        for (int j = 0; j < 64; j++) {
            a[j] = j;
            b[j] = 64 - j;
        }
        assertEquals(43680.0, SmallPath.dot(a, 0, b, 0, 64), 0.0);
    }

    @Test
    void inputGradientsSumTheNonzeroOutputGradientsTimesTheKernelRows() {
        // every parity of inputs (rows taken in pairs) and of nonzero gradients, none at all too
        for (int in = 1; in <= 5; in++) {
            for (int m = 0; m <= 5; m++) {
                int out = 7;
                float[] w = new float[in * out];
                for (int i = 0; i < w.length; i++) w[i] = (i * 5) % 11 - 5;
                int[] idx = new int[out];
                float[] val = new float[out];
                for (int q = 0; q < m; q++) {
                    idx[q] = (q * 3 + 1) % out; // 1, 4, 0, 3, 6: distinct, out of order
                    val[q] = q - 2.5f;
                }
                double[] gx = new double[in + 2];
                gx[0] = gx[in + 1] = 99; // outside [xo, xo + in): untouched
                SmallPath.inputGradientsF(w, in, out, idx, val, m, gx, 1);
                for (int k = 0; k < in; k++) {
                    double want = 0;
                    for (int q = 0; q < m; q++) want += (double) val[q] * w[k * out + idx[q]];
                    assertEquals(want, gx[1 + k], 0.0, "in=" + in + " m=" + m + " k=" + k);
                }
                assertEquals(99.0, gx[0], 0.0);
                assertEquals(99.0, gx[in + 1], 0.0);
            }
        }
    }

    @Test
    void denseRowIsTheFloat64ProductWithinFloat32RoundingAndTakesOnlyDenseInputs() {
        int in = 300, out = 70;
        FloatBuffer k = kernel(in, out, 7);
        SplittableRandom r = new SplittableRandom(8);
        double[] x = new double[in];
        for (int i = 0; i < in; i++) x[i] = r.nextDouble() * 2 - 1;
        float[] bias = new float[out];
        for (int j = 0; j < out; j++) bias[j] = (float) r.nextDouble();
        float[] acc = bias.clone();
        SmallPredict.denseRow(k, x, in, out, acc, new SmallPredict.Buffers());
        for (int j = 0; j < out; j++) {
            double want = bias[j];
            for (int i = 0; i < in; i++) want += (double) (float) x[i] * k.get(i * out + j);
            // 300 float32 products and sums of magnitude <= 1: well within 1e-4
            assertEquals(want, acc[j], 1e-4, "column " + j);
        }
        // 300 x 70 = 21000 >= DENSE_KERNEL: dense from 40% nonzero inputs, not below; small layers never
        double[] sparse = new double[in];
        for (int i = 0; i < 119; i++) sparse[i] = 1;
        org.junit.jupiter.api.Assertions.assertFalse(SmallPredict.dense(sparse, in, out));
        sparse[119] = 1;
        org.junit.jupiter.api.Assertions.assertTrue(SmallPredict.dense(sparse, in, out));
        org.junit.jupiter.api.Assertions.assertFalse(SmallPredict.dense(x, 40, 70));
    }
}
