package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The attention kernel's masked softmax against its definition in float64. */
class AttentionKernelsTest {

    @Test
    void maskedSoftmaxMatchesTheDefinition() {
        int t = 3, s = 5;
        float[] x = new float[t * s];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 4);
        float[] orig = x.clone();
        // row 0 attends to all, row 1 to positions 1 and 3, row 2 to none; mask (1, 1, T, S) with strides (0, 0, S, 1)
        float[] m = {1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
        AttentionKernels.maskedSoftmax(x, t, s, new AttentionKernels.Mask(m, 0, 0, s, 1), 0, 0);
        for (int i = 0; i < t; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < s; j++) if (m[i * s + j] != 0) max = Math.max(max, orig[i * s + j]);
            for (int j = 0; j < s; j++) if (m[i * s + j] != 0) sum += Math.exp(orig[i * s + j] - max);
            for (int j = 0; j < s; j++) {
                double want = m[i * s + j] != 0 ? Math.exp(orig[i * s + j] - max) / sum : 0;
                assertEquals(want, x[i * s + j], 1e-6 * Math.max(1, want), "row " + i + " column " + j);
            }
        }
    }
}
