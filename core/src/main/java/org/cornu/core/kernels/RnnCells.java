package org.cornu.core.kernels;

import org.cornu.core.kernels.ActivationKernels.Form;

/**
 * Internal: the recurrent cells' equations (Keras's LSTM, GRU and SimpleRNN), one timestep's
 * forward and backward on gate blocks, written once. The general recurrence
 * ({@code RnnOps.rnn}) and SmallPath's leading LSTM/SimpleRNN call the double forms; Float32Lstm
 * calls the float32 plane forms at the end, the same equations over float arrays for a whole
 * batch at once (tanh/sigmoid only), which it is tested against ({@code Float32LstmTest}).
 *
 * <p>The callers assemble the pre-activations ({@code x W + h U + b}: input projections,
 * recurrent products, biases, masks and recurrent dropout stay theirs); these methods apply the
 * gate activations, update the state and give the pre-activation gradients. Activations are the
 * {@link ActivationKernels} kinds in the given {@link Form}; derivatives come from the saved
 * post-activation gates.
 *
 * <p>Gate layout (Keras's): blocks of {@code units} columns, LSTM {@code i, f, c, o}
 * ({@link #LSTM_I}, ...), GRU {@code z, r, h} ({@link #GRU_Z}, ...), SimpleRNN one block.
 */
public final class RnnCells {
    private RnnCells() {}

    /** LSTM gate blocks: input, forget, candidate (cell), output. */
    public static final int LSTM_I = 0, LSTM_F = 1, LSTM_C = 2, LSTM_O = 3, LSTM_GATES = 4;
    /** GRU gate blocks: update, reset, candidate. */
    public static final int GRU_Z = 0, GRU_R = 1, GRU_H = 2, GRU_GATES = 3;

    // ------------------------------------------------------------------ LSTM

    /**
     * One sample's LSTM step. {@code z[zo, zo + 4U)} holds the pre-activations and gets the gates
     * {@code i = rec(.), f = rec(.), g = act(.), o = rec(.)}; {@code c[co, co + U)} goes from
     * {@code c_{t-1}} to {@code c_t = f c_{t-1} + i g}; {@code tc[to, to + U)} gets {@code act(c_t)}
     * and {@code h[ho, ho + U)} gets {@code h_t = o act(c_t)}.
     */
    public static void lstmStep(int kAct, int kRec, Form form, double[] z, int zo, double[] c, int co, double[] tc, int to,
                                double[] h, int ho, int u) {
        int zi = zo + LSTM_I * u, zf = zo + LSTM_F * u, zc = zo + LSTM_C * u, zO = zo + LSTM_O * u;
        // whole-block passes: the activation loops vectorize (i and f are adjacent: one pass)
        ActivationKernels.forward(kRec, form, z, zi, 2 * u);
        ActivationKernels.forward(kAct, form, z, zc, u);
        ActivationKernels.forward(kRec, form, z, zO, u);
        for (int j = 0; j < u; j++) {
            double cn = z[zf + j] * c[co + j] + z[zi + j] * z[zc + j];
            c[co + j] = cn;
            tc[to + j] = cn;
        }
        ActivationKernels.forward(kAct, form, tc, to, u);
        for (int j = 0; j < u; j++) h[ho + j] = z[zO + j] * tc[to + j];
    }

    /**
     * One sample's LSTM step backward. {@code dh[dho, dho + U)}: the gradient reaching {@code h_t}
     * (from the next step and the outputs); {@code dc[dco, dco + U)}: the gradient reaching
     * {@code c_t} from the next step, replaced by the one reaching {@code c_{t-1}}. From the saved
     * gates {@code g[go, go + 4U)}, {@code tc = act(c_t)} and {@code c_{t-1}} (at {@code po}),
     * writes the pre-activation gradients to {@code dz[dzo, dzo + 4U)}.
     */
    public static void lstmBackward(int kAct, int kRec, double[] g, int go, double[] tc, int to, double[] cPrev, int po,
                                    double[] dh, int dho, double[] dc, int dco, double[] dz, int dzo, int u) {
        int gi = go + LSTM_I * u, gf = go + LSTM_F * u, gc = go + LSTM_C * u, gO = go + LSTM_O * u;
        int di = dzo + LSTM_I * u, df = dzo + LSTM_F * u, dg = dzo + LSTM_C * u, dO = dzo + LSTM_O * u;
        for (int j = 0; j < u; j++) {
            double ig = g[gi + j], fg = g[gf + j], cg = g[gc + j], og = g[gO + j];
            double tcj = tc[to + j], dhj = dh[dho + j];
            double dcj = dc[dco + j] + dhj * og * ActivationKernels.derivative(kAct, tcj);
            dz[di + j] = dcj * cg * ActivationKernels.derivative(kRec, ig);
            dz[df + j] = dcj * cPrev[po + j] * ActivationKernels.derivative(kRec, fg);
            dz[dg + j] = dcj * ig * ActivationKernels.derivative(kAct, cg);
            dz[dO + j] = dhj * tcj * ActivationKernels.derivative(kRec, og);
            dc[dco + j] = dcj * fg;
        }
    }

    // ------------------------------------------------------------------ SimpleRNN

    /** One sample's SimpleRNN step: {@code h_t = act(z)} in place over {@code z[zo, zo + U)}. */
    public static void simpleStep(int kAct, Form form, double[] z, int zo, int u) {
        ActivationKernels.forward(kAct, form, z, zo, u);
    }

    /** One sample's SimpleRNN step backward: {@code dz = dh act'(h_t)}, from the saved outputs {@code h[ho..]}. */
    public static void simpleBackward(int kAct, double[] h, int ho, double[] dh, int dho, double[] dz, int dzo, int u) {
        for (int j = 0; j < u; j++) dz[dzo + j] = dh[dho + j] * ActivationKernels.derivative(kAct, h[ho + j]);
    }

    // ------------------------------------------------------------------ GRU

    /**
     * One sample's GRU step. {@code p[po, po + 3U)}: the input projection {@code x W} (plus
     * {@code bIn} when not null); {@code rec[ro, ro + 3U)}: the recurrent product {@code h U}
     * (plus the recurrent bias) with reset_after, or, with reset_before, {@code h U} for z and r and
     * {@code (r * h) U_h} for the candidate. Gates {@code z = rec(.), r = rec(.)},
     * {@code hh = act(x_h + r * rec_h)} (reset_after) or {@code act(x_h + rec_h)} (reset_before) go
     * to {@code g[go, go + 3U)}; with reset_after, {@code rec_h} to {@code rh[rho, rho + U)}.
     * {@code h[ho, ho + U)} goes from {@code h_{t-1}} to {@code h_t = z h_{t-1} + (1 - z) hh}.
     */
    public static void gruStep(int kAct, int kRec, Form form, boolean resetAfter, double[] p, int po, double[] bIn,
                               double[] rec, int ro, double[] g, int go, double[] rh, int rho, double[] h, int ho, int u) {
        int z0 = GRU_Z * u, r0 = GRU_R * u, h0 = GRU_H * u;
        for (int j = 0; j < u; j++) {
            double xz = p[po + z0 + j], xr = p[po + r0 + j], xh = p[po + h0 + j];
            if (bIn != null) {
                xz += bIn[z0 + j];
                xr += bIn[r0 + j];
                xh += bIn[h0 + j];
            }
            double zg = ActivationKernels.value(kRec, form, xz + rec[ro + z0 + j]);
            double rg = ActivationKernels.value(kRec, form, xr + rec[ro + r0 + j]);
            double rhj = rec[ro + h0 + j];
            double hh = ActivationKernels.value(kAct, form, xh + (resetAfter ? rg * rhj : rhj));
            g[go + z0 + j] = zg;
            g[go + r0 + j] = rg;
            g[go + h0 + j] = hh;
            if (resetAfter) rh[rho + j] = rhj;
            h[ho + j] = zg * h[ho + j] + (1 - zg) * hh;
        }
    }

    /**
     * One sample's GRU step backward. {@code dhIn[dio, dio + U)}: the gradient reaching {@code h_t};
     * from the saved gates {@code g[go..]}, {@code h_{t-1}} (at {@code hpo}) and, with reset_after,
     * {@code rec_h} ({@code rh[rho..]}), writes the pre-activation gradients {@code dz[dzo..]}, the
     * gradient of the recurrent product {@code dRec[dzo..]} (z, r and {@code r * dhh} for the
     * candidate; reset_before: z only, see {@link #gruResetBackward}) and the gradient reaching
     * {@code h_{t-1}} through {@code z h_{t-1}} into {@code dhOut[doo..]}.
     */
    public static void gruBackward(int kAct, int kRec, boolean resetAfter, double[] g, int go, double[] hPrev, int hpo,
                                   double[] rh, int rho, double[] dhIn, int dio, double[] dhOut, int doo,
                                   double[] dz, double[] dRec, int dzo, int u) {
        int z0 = GRU_Z * u, r0 = GRU_R * u, h0 = GRU_H * u;
        for (int j = 0; j < u; j++) {
            double dhj = dhIn[dio + j];
            double zg = g[go + z0 + j], hh = g[go + h0 + j];
            double dzz = dhj * (hPrev[hpo + j] - hh) * ActivationKernels.derivative(kRec, zg);
            double dhh = dhj * (1 - zg) * ActivationKernels.derivative(kAct, hh); // grad of x_h + r * rec_h
            dz[dzo + z0 + j] = dzz;
            dRec[dzo + z0 + j] = dzz;
            if (resetAfter) {
                double rg = g[go + r0 + j];
                double drr = dhh * rh[rho + j] * ActivationKernels.derivative(kRec, rg);
                dz[dzo + r0 + j] = drr;
                dz[dzo + h0 + j] = dhh;
                dRec[dzo + r0 + j] = drr;
                dRec[dzo + h0 + j] = dhh * rg;
            } else {
                // the reset gate's gradient needs dhh @ U_h^T over all units: gruResetBackward
                dz[dzo + h0 + j] = dhh;
            }
            dhOut[doo + j] = dhj * zg;
        }
    }

    /**
     * GRU reset_before, one sample: {@code dst[doff + j] = r_j * h_j * rm_j}, the candidate
     * product's input, with the reset gate {@code r = rec(x W_r + (h * rm) U_r + b_r)} from the
     * projected input at {@code p[po..]}, the recurrent product at {@code rec[ro..]} and the input
     * bias {@code bIn} (may be null), and recurrent dropout mask {@code rm} (may be null).
     */
    public static void gruResetState(int kRec, Form form, double[] p, int po, double[] bIn, double[] rec, int ro,
                                     double[] h, double[] rm, int hb, double[] dst, int doff, int u) {
        int r0 = GRU_R * u;
        for (int j = 0; j < u; j++) {
            double xr = p[po + r0 + j] + rec[ro + r0 + j] + (bIn != null ? bIn[r0 + j] : 0);
            double hv = rm == null ? h[hb + j] : h[hb + j] * rm[hb + j];
            dst[doff + j] = ActivationKernels.value(kRec, form, xr) * hv;
        }
    }

    /**
     * GRU reset_before, one sample's backward through {@code s = r * (h * rm)}, given
     * {@code dS = dhh @ U_h^T} at {@code dS[off..]}: the reset gate's pre-activation gradient (into
     * {@code dz} and {@code dRec} at {@code gb}) and the state's gradient through {@code s} (added to
     * {@code dh[hb..]}); gates at {@code g[gb..]}, {@code h_{t-1}} at {@code hPrev[sb..]}.
     */
    public static void gruResetBackward(int kRec, double[] dS, int off, double[] g, double[] hPrev, double[] rm,
                                        double[] dz, double[] dRec, double[] dh, int gb, int sb, int hb, int u) {
        int r0 = GRU_R * u;
        for (int q = 0; q < u; q++) {
            double rg = g[gb + r0 + q], keep = rm == null ? 1 : rm[hb + q];
            double drr = dS[off + q] * hPrev[sb + q] * keep * ActivationKernels.derivative(kRec, rg);
            dz[gb + r0 + q] = drr;
            dRec[gb + r0 + q] = drr;
            dh[hb + q] += dS[off + q] * rg * keep;
        }
    }

    // ------------------------------------------------------------------ LSTM, float32 blocks

    /**
     * Per gate column of a float32 LSTM block, {@code {scale, shift}}: the sigmoid gates (i, f, o)
     * are computed as {@code 0.5 + 0.5 tanh(z / 2)} and the candidate as {@code tanh(z)}, so one
     * rational-tanh pass covers the whole block: scale 0.5 and shift 0.5 for i, f, o; 1 and 0 for c.
     */
    public static float[][] lstmScaleShiftF(int u) {
        int gu = LSTM_GATES * u;
        float[] scale = new float[gu], shift = new float[gu];
        for (int n = 0; n < gu; n++) {
            boolean candidate = n >= LSTM_C * u && n < (LSTM_C + 1) * u;
            scale[n] = candidate ? 1f : 0.5f;
            shift[n] = candidate ? 0f : 0.5f;
        }
        return new float[][] {scale, shift};
    }

    /**
     * One float32 LSTM step (tanh/sigmoid) for {@code b} samples in the transposed (plane) layout:
     * {@code z[0, 4U * b)} holds the products {@code x W + h U} as a {@code (4U, b)} plane (row
     * {@code n} is gate column {@code n}); adds {@code bias} and makes them the gates (one
     * rational-tanh pass, {@link #lstmScaleShiftF}), written to {@code gates[go, go + 4U * b)}.
     * {@code cs[so, so + U * b)} holds {@code c_{t-1}} as a {@code (U, b)} plane; {@code c_t} goes to
     * {@code cs[so + U * b, so + 2U * b)}, {@code tanh(c_t)} to {@code tc[so, so + U * b)} and
     * {@code h_t = o tanh(c_t)} to {@code h[0, U * b)}. Every pass is a contiguous loop (vectorizes).
     */
    public static void lstmPlaneStepF(float[] z, float[] bias, float[] scale, float[] shift, float[] gates, int go,
                                      float[] cs, int so, float[] tc, float[] h, int b, int u) {
        int gu = LSTM_GATES * u, ub = u * b;
        for (int n = 0; n < gu; n++) {
            float bn = bias[n], sn = scale[n];
            int r = n * b;
            for (int j = 0; j < b; j++) z[r + j] = (z[r + j] + bn) * sn;
        }
        ActivationKernels.tanhRational(z, 0, gu * b);
        for (int n = 0; n < gu; n++) {
            float sn = scale[n], tn = shift[n];
            int r = n * b, q = go + r;
            for (int j = 0; j < b; j++) gates[q + j] = z[r + j] * sn + tn;
        }
        int gi = go + LSTM_I * ub, gf = go + LSTM_F * ub, gc = go + LSTM_C * ub, gO = go + LSTM_O * ub, cn = so + ub;
        for (int e = 0; e < ub; e++) {
            float c = gates[gf + e] * cs[so + e] + gates[gi + e] * gates[gc + e];
            cs[cn + e] = c;
            tc[so + e] = c;
        }
        ActivationKernels.tanhRational(tc, so, ub);
        for (int e = 0; e < ub; e++) h[e] = gates[gO + e] * tc[so + e];
    }

    /**
     * One float32 LSTM step backward (tanh/sigmoid) for {@code b} samples in the plane layout of
     * {@link #lstmPlaneStepF}: from the saved gates {@code g[go, go + 4U * b)}, {@code tanh(c_t)} at
     * {@code tc[so..]} and {@code c_{t-1}} at {@code cs[so..]}, and the {@code (U, b)} gradients
     * {@code dh} reaching {@code h_t} and {@code dc} reaching {@code c_t} (dc replaced by the one
     * reaching {@code c_{t-1}}), writes the pre-activation gradients as a {@code (4U, b)} plane to
     * {@code dz[0, 4U * b)} and adds them to {@code dzSum} (the bias gradient, summed over b later).
     */
    public static void lstmPlaneBackwardF(float[] g, int go, float[] tc, float[] cs, int so, float[] dh, float[] dc,
                                          float[] dz, float[] dzSum, int b, int u) {
        int ub = u * b;
        int gi = go + LSTM_I * ub, gf = go + LSTM_F * ub, gc = go + LSTM_C * ub, gO = go + LSTM_O * ub;
        int di = LSTM_I * ub, df = LSTM_F * ub, dg = LSTM_C * ub, dO = LSTM_O * ub;
        // short passes: each vectorizes (one long loop body does not)
        for (int e = 0; e < ub; e++) {
            float og = g[gO + e], t = tc[so + e], d = dh[e];
            dc[e] += d * og * (1 - t * t);
            dz[dO + e] = d * t * og * (1 - og);
        }
        for (int e = 0; e < ub; e++) {
            float ig = g[gi + e];
            dz[di + e] = dc[e] * g[gc + e] * ig * (1 - ig);
        }
        for (int e = 0; e < ub; e++) {
            float fg = g[gf + e];
            dz[df + e] = dc[e] * cs[so + e] * fg * (1 - fg);
        }
        for (int e = 0; e < ub; e++) {
            float cg = g[gc + e];
            dz[dg + e] = dc[e] * g[gi + e] * (1 - cg * cg);
            dc[e] *= g[gf + e];
        }
        for (int e = 0; e < LSTM_GATES * ub; e++) dzSum[e] += dz[e];
    }
}
