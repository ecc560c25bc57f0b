package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cornu.core.kernels.ActivationKernels.Form;
import org.junit.jupiter.api.Test;

/**
 * The float32 recurrent loops' tanh and sigmoid (a rational form, {@link Form#RATIONAL})
 * stay within 3.5e-7 of the exact functions (about 3 float ulps), keep |tanh| below 1 and are odd;
 * float64 models get the exact functions.
 */
class RnnFastActivationTest {
    @Test
    void tanhAndSigmoidWithinFloatRounding() {
        int n = 200_001;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) xs[i] = -20 + 40.0 * i / (n - 1);
        double[] t = xs.clone();
        double[] s = xs.clone();
        ActivationKernels.forward(ActivationKernels.TANH, Form.RATIONAL, t, 0, n);
        ActivationKernels.forward(ActivationKernels.SIGMOID, Form.RATIONAL, s, 0, n);
        double worstT = 0, worstS = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.tanh(xs[i]);
            double rel = Math.abs(xs[i]) > 1e-3 ? Math.abs(t[i] / exact - 1) : Math.abs(t[i] - exact);
            worstT = Math.max(worstT, rel);
            assertTrue(Math.abs(t[i]) < 1.0, "|tanh| < 1 at " + xs[i]);
            assertEquals(-t[i], t[n - 1 - i], 1e-15, "odd at " + xs[i]);
            worstS = Math.max(worstS, Math.abs(s[i] - 1 / (1 + Math.exp(-xs[i]))));
        }
        assertTrue(worstT < 3.5e-7, "tanh relative error " + worstT);
        assertTrue(worstS < 2e-7, "sigmoid absolute error " + worstS);
        // tiny inputs: tanh(x) ~ x to float precision
        double[] tiny = {1e-9, -3e-6, 2e-4};
        ActivationKernels.forward(ActivationKernels.TANH, Form.RATIONAL, tiny, 0, 3);
        assertEquals(1e-9, tiny[0], 1e-15);
        assertEquals(-3e-6, tiny[1], 1e-12);
    }

    @Test
    void exactFunctionsWithoutFastMode() {
        double[] a = {-2.5, 0.3, 4.0};
        double[] b = a.clone();
        ActivationKernels.forward(ActivationKernels.TANH, Form.EXP, a, 0, 3);
        ActivationKernels.forward(ActivationKernels.SIGMOID, Form.EXP, b, 0, 3);
        for (int i = 0; i < 3; i++) {
            double x = new double[] {-2.5, 0.3, 4.0}[i];
            assertEquals(Math.tanh(x), a[i], 1e-15);
            assertEquals(1 / (1 + Math.exp(-x)), b[i], 1e-15);
        }
    }
}
