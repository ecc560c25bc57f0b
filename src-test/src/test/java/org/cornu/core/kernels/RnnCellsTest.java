package org.cornu.core.kernels;

import static org.cornu.core.kernels.ActivationKernels.HARD_SIGMOID;
import static org.cornu.core.kernels.ActivationKernels.LINEAR;
import static org.cornu.core.kernels.ActivationKernels.RELU;
import static org.cornu.core.kernels.ActivationKernels.SIGMOID;
import static org.cornu.core.kernels.ActivationKernels.TANH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.cornu.core.kernels.ActivationKernels.Form;
import org.junit.jupiter.api.Test;

/**
 * One timestep of each recurrent cell: the forward against Keras's equations written out by hand
 * with {@code Math.tanh} and {@code 1 / (1 + exp(-x))}, every backward against central differences
 * of the forward, and the float32 LSTM block forms against the double forms (same equations, float
 * rounding apart).
 */
class RnnCellsTest {
    private static final double EPS = 1e-6;

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double[] rand(SplittableRandom r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextDouble(lo, hi);
        return a;
    }

    /** Central differences of {@code f} with respect to each entry of {@code x}. */
    private static double[] numeric(double[] x, ToDoubleFunction<double[]> f) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] p = x.clone(), m = x.clone();
            p[i] += EPS;
            m[i] -= EPS;
            g[i] = (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * EPS);
        }
        return g;
    }

    private static void close(double[] expected, double[] actual, int off, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[off + i], tol * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    private static double dot(double[] a, double[] b, int bo) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[bo + i];
        return s;
    }

    // ------------------------------------------------------------------ LSTM

    @Test
    void lstmStepIsKerasEquations() {
        int u = 2;
        double[] z = {0.3, -1.2, 0.8, 2.0, -0.4, 1.5, 0.1, -0.7}; // i, f, c, o blocks
        double[] c0 = {0.5, -2.0};
        double[] g = z.clone(), c = c0.clone(), tc = new double[u], h = new double[u];
        RnnCells.lstmStep(TANH, SIGMOID, Form.EXP, g, 0, c, 0, tc, 0, h, 0, u);
        for (int j = 0; j < u; j++) {
            double i = sig(z[j]), f = sig(z[u + j]), cand = Math.tanh(z[2 * u + j]), o = sig(z[3 * u + j]);
            double cn = f * c0[j] + i * cand;
            assertEquals(i, g[j], 1e-15);
            assertEquals(f, g[u + j], 1e-15);
            assertEquals(cand, g[2 * u + j], 1e-15);
            assertEquals(o, g[3 * u + j], 1e-15);
            assertEquals(cn, c[j], 1e-15);
            assertEquals(Math.tanh(cn), tc[j], 1e-15);
            assertEquals(o * Math.tanh(cn), h[j], 1e-15);
        }
    }

    /** d/dz and d/dc_{t-1} of {@code a . h_t + b . c_t}. */
    private static void checkLstmBackward(int kAct, int kRec, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int u = 3;
        double[] z = rand(r, 4 * u, -2, 2), c0 = rand(r, u, -1, 1), a = rand(r, u, -1, 1), b = rand(r, u, -1, 1);
        ToDoubleFunction<double[][]> loss = in -> {
            double[] g = in[0].clone(), c = in[1].clone(), tc = new double[u], h = new double[u];
            RnnCells.lstmStep(kAct, kRec, Form.EXP, g, 0, c, 0, tc, 0, h, 0, u);
            return dot(a, h, 0) + dot(b, c, 0);
        };
        double[] g = new double[2 + 4 * u]; // offsets: exercise them
        System.arraycopy(z, 0, g, 2, 4 * u);
        double[] c = new double[1 + u];
        System.arraycopy(c0, 0, c, 1, u);
        double[] tc = new double[u], h = new double[u];
        RnnCells.lstmStep(kAct, kRec, Form.EXP, g, 2, c, 1, tc, 0, h, 0, u);
        double[] dc = b.clone(), dz = new double[4 * u];
        RnnCells.lstmBackward(kAct, kRec, g, 2, tc, 0, c0, 0, a, 0, dc, 0, dz, 0, u);
        String what = ActivationKernels.nameOf(kAct) + "/" + ActivationKernels.nameOf(kRec);
        close(numeric(z, x -> loss.applyAsDouble(new double[][] {x, c0})), dz, 0, 1e-8, "lstm dz " + what);
        close(numeric(c0, x -> loss.applyAsDouble(new double[][] {z, x})), dc, 0, 1e-8, "lstm dc " + what);
    }

    @Test
    void lstmBackwardMatchesCentralDifferences() {
        checkLstmBackward(TANH, SIGMOID, 1);
        checkLstmBackward(LINEAR, HARD_SIGMOID, 2);
        checkLstmBackward(TANH, TANH, 3);
    }

    // ------------------------------------------------------------------ SimpleRNN

    @Test
    void simpleStepAndBackward() {
        SplittableRandom r = new SplittableRandom(4);
        int u = 5;
        double[] z = {-1.3, -0.2, 0.4, 0.9, 2.2}, a = rand(r, u, -1, 1);
        for (int k : new int[] {TANH, SIGMOID, RELU, LINEAR, HARD_SIGMOID}) {
            double[] h = z.clone();
            RnnCells.simpleStep(k, Form.EXP, h, 0, u);
            for (int j = 0; j < u; j++) assertEquals(ActivationKernels.value(k, Form.EXP, z[j]), h[j], 0);
            double[] dz = new double[u];
            RnnCells.simpleBackward(k, h, 0, a, 0, dz, 0, u);
            close(numeric(z, x -> {
                double[] y = x.clone();
                RnnCells.simpleStep(k, Form.EXP, y, 0, u);
                return dot(a, y, 0);
            }), dz, 0, 1e-8, "simple " + ActivationKernels.nameOf(k));
        }
    }

    // ------------------------------------------------------------------ GRU

    @Test
    void gruStepIsKerasEquations() {
        int u = 2;
        double[] p = {0.2, -0.5, 1.1, 0.4, -0.9, 0.3}; // x W: z, r, h blocks
        double[] bIn = {0.1, 0.0, -0.2, 0.05, 0.3, -0.1};
        double[] rec = {-0.3, 0.6, 0.2, -0.1, 0.7, -1.4}; // h U + recurrent bias
        double[] h0 = {0.4, -0.8};
        for (boolean after : new boolean[] {true, false}) {
            double[] g = new double[3 * u], rh = new double[u], h = h0.clone();
            RnnCells.gruStep(TANH, SIGMOID, Form.EXP, after, p, 0, bIn, rec, 0, g, 0, rh, 0, h, 0, u);
            for (int j = 0; j < u; j++) {
                double zg = sig(p[j] + bIn[j] + rec[j]);
                double rg = sig(p[u + j] + bIn[u + j] + rec[u + j]);
                // reset_after: r multiplies the recurrent part; reset_before: the caller's rec_h is already (r * h) U_h
                double hh = Math.tanh(p[2 * u + j] + bIn[2 * u + j] + (after ? rg * rec[2 * u + j] : rec[2 * u + j]));
                assertEquals(zg, g[j], 1e-15);
                assertEquals(rg, g[u + j], 1e-15);
                assertEquals(hh, g[2 * u + j], 1e-15);
                assertEquals(zg * h0[j] + (1 - zg) * hh, h[j], 1e-15);
                if (after) assertEquals(rec[2 * u + j], rh[j], 0);
            }
        }
    }

    @Test
    void gruResetAfterBackwardMatchesCentralDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        int u = 3;
        double[] p = rand(r, 3 * u, -1.5, 1.5), rec = rand(r, 3 * u, -1.5, 1.5), h0 = rand(r, u, -1, 1), a = rand(r, u, -1, 1);
        ToDoubleFunction<double[][]> loss = in -> {
            double[] h = in[2].clone();
            RnnCells.gruStep(TANH, SIGMOID, Form.EXP, true, in[0], 0, null, in[1], 0, new double[3 * u], 0, new double[u], 0, h, 0, u);
            return dot(a, h, 0);
        };
        double[] g = new double[3 * u], rh = new double[u], h = h0.clone();
        RnnCells.gruStep(TANH, SIGMOID, Form.EXP, true, p, 0, null, rec, 0, g, 0, rh, 0, h, 0, u);
        double[] dz = new double[3 * u], dRec = new double[3 * u], dhOut = new double[u];
        RnnCells.gruBackward(TANH, SIGMOID, true, g, 0, h0, 0, rh, 0, a, 0, dhOut, 0, dz, dRec, 0, u);
        close(numeric(p, x -> loss.applyAsDouble(new double[][] {x, rec, h0})), dz, 0, 1e-8, "gru dz");
        close(numeric(rec, x -> loss.applyAsDouble(new double[][] {p, x, h0})), dRec, 0, 1e-8, "gru dRec");
        // through z h_{t-1} only (the recurrent products are the caller's)
        close(numeric(h0, x -> loss.applyAsDouble(new double[][] {p, rec, x})), dhOut, 0, 1e-8, "gru dh");
    }

    @Test
    void gruResetBeforeBackwardMatchesCentralDifferences() {
        SplittableRandom r = new SplittableRandom(6);
        int u = 3;
        double[] p = rand(r, 3 * u, -1.5, 1.5), recZr = rand(r, 2 * u, -1.5, 1.5), h0 = rand(r, u, -1, 1), a = rand(r, u, -1, 1);
        double[] uh = rand(r, u * u, -0.8, 0.8); // U_h (u, u), row-major
        double[] rm = {2.0, 0.0, 2.0}; // recurrent dropout at rate 0.5
        // the caller's composition (RnnOps): s = r * h * rm, rec_h = s @ U_h, then the step
        ToDoubleFunction<double[][]> loss = in -> {
            double[] rec = new double[3 * u];
            System.arraycopy(in[1], 0, rec, 0, 2 * u);
            double[] s = new double[u];
            RnnCells.gruResetState(SIGMOID, Form.EXP, in[0], 0, null, rec, 0, in[2], rm, 0, s, 0, u);
            for (int q = 0; q < u; q++) for (int n = 0; n < u; n++) rec[2 * u + n] += s[q] * uh[q * u + n];
            double[] h = in[2].clone();
            RnnCells.gruStep(TANH, SIGMOID, Form.EXP, false, in[0], 0, null, rec, 0, new double[3 * u], 0, null, 0, h, 0, u);
            return dot(a, h, 0);
        };
        double[] rec = new double[3 * u];
        System.arraycopy(recZr, 0, rec, 0, 2 * u);
        double[] s = new double[u];
        RnnCells.gruResetState(SIGMOID, Form.EXP, p, 0, null, rec, 0, h0, rm, 0, s, 0, u);
        for (int q = 0; q < u; q++) for (int n = 0; n < u; n++) rec[2 * u + n] += s[q] * uh[q * u + n];
        double[] g = new double[3 * u], h = h0.clone();
        RnnCells.gruStep(TANH, SIGMOID, Form.EXP, false, p, 0, null, rec, 0, g, 0, null, 0, h, 0, u);
        double[] dz = new double[3 * u], dRec = new double[3 * u], dh = new double[u];
        RnnCells.gruBackward(TANH, SIGMOID, false, g, 0, h0, 0, null, 0, a, 0, dh, 0, dz, dRec, 0, u);
        double[] dS = new double[u]; // dhh @ U_h^T
        for (int q = 0; q < u; q++) for (int n = 0; n < u; n++) dS[q] += dz[2 * u + n] * uh[q * u + n];
        RnnCells.gruResetBackward(SIGMOID, dS, 0, g, h0, rm, dz, dRec, dh, 0, 0, 0, u);
        close(numeric(p, x -> loss.applyAsDouble(new double[][] {x, recZr, h0})), dz, 0, 1e-8, "gru before dz");
        double[] recGrad = numeric(recZr, x -> loss.applyAsDouble(new double[][] {p, x, h0}));
        close(recGrad, dRec, 0, 1e-8, "gru before dRec (z, r)");
        close(numeric(h0, x -> loss.applyAsDouble(new double[][] {p, recZr, x})), dh, 0, 1e-8, "gru before dh");
    }

    // ------------------------------------------------------------------ float32 LSTM blocks

    @Test
    void floatPlaneFormsAreTheDoubleEquations() {
        SplittableRandom r = new SplittableRandom(7);
        int b = 3, u = 4, gu = 4 * u, ub = u * b;
        double[] z0 = rand(r, b * gu, -2, 2), bias = rand(r, gu, -0.5, 0.5);
        double[] c0 = rand(r, b * u, -1, 1), dh = rand(r, b * u, -1, 1), dcIn = rand(r, b * u, -1, 1);
        // float: planes (rows of b samples), the step's gates at offset b * gu, its states at offset ub
        float[] zf = new float[gu * b], bf = f(bias), csf = new float[3 * ub], tcf = new float[2 * ub], hf = new float[ub];
        float[] gatesF = new float[2 * b * gu];
        for (int s = 0; s < b; s++) {
            for (int n = 0; n < gu; n++) zf[n * b + s] = (float) z0[s * gu + n];
            for (int j = 0; j < u; j++) csf[ub + j * b + s] = (float) c0[s * u + j];
        }
        float[][] ss = RnnCells.lstmScaleShiftF(u);
        RnnCells.lstmPlaneStepF(zf, bf, ss[0], ss[1], gatesF, b * gu, csf, ub, tcf, hf, b, u);
        float[] dhF = new float[ub], dcF = new float[ub], dzF = new float[gu * b], dzSum = new float[gu * b];
        for (int s = 0; s < b; s++) {
            for (int j = 0; j < u; j++) {
                dhF[j * b + s] = (float) dh[s * u + j];
                dcF[j * b + s] = (float) dcIn[s * u + j];
            }
        }
        java.util.Arrays.fill(dzSum, 1f);
        RnnCells.lstmPlaneBackwardF(gatesF, b * gu, tcf, csf, ub, dhF, dcF, dzF, dzSum, b, u);
        // double, per sample, in the rational form Float32Lstm's float pass computes
        for (int s = 0; s < b; s++) {
            double[] z = new double[gu];
            for (int n = 0; n < gu; n++) z[n] = z0[s * gu + n] + bias[n];
            double[] c = java.util.Arrays.copyOfRange(c0, s * u, (s + 1) * u), tc = new double[u], h = new double[u];
            RnnCells.lstmStep(TANH, SIGMOID, Form.RATIONAL, z, 0, c, 0, tc, 0, h, 0, u);
            double[] dc = java.util.Arrays.copyOfRange(dcIn, s * u, (s + 1) * u), dz = new double[gu];
            RnnCells.lstmBackward(TANH, SIGMOID, z, 0, tc, 0, java.util.Arrays.copyOfRange(c0, s * u, (s + 1) * u), 0,
                    dh, s * u, dc, 0, dz, 0, u);
            for (int n = 0; n < gu; n++) {
                assertEquals(z[n], gatesF[b * gu + n * b + s], 2e-6, "gate " + n + " of sample " + s);
                assertEquals(dz[n], dzF[n * b + s], 2e-6, "dz " + n + " of sample " + s);
                assertEquals(1 + dz[n], dzSum[n * b + s], 2e-6, "dz added to the sum, " + n + " of sample " + s);
            }
            for (int j = 0; j < u; j++) {
                int e = j * b + s;
                assertEquals((float) c0[s * u + j], csf[ub + e], 0, "c_{t-1} of sample " + s + " stays");
                assertEquals(c[j], csf[2 * ub + e], 2e-6, "c of sample " + s);
                assertEquals(tc[j], tcf[ub + e], 2e-6, "tanh(c) of sample " + s);
                assertEquals(h[j], hf[e], 2e-6, "h of sample " + s);
                assertEquals(dc[j], dcF[e], 2e-6, "dc of sample " + s);
            }
        }
    }

    private static float[] f(double[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) o[i] = (float) a[i];
        return o;
    }

    private static double[] d(float[] a) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) o[i] = a[i];
        return o;
    }
}
