package org.cornu.core.ops;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.kernels.ActivationKernels;
import org.cornu.core.kernels.ActivationKernels.Form;
import org.cornu.core.kernels.Elementwise;
import org.cornu.core.kernels.Float32Lstm;
import org.cornu.core.kernels.Gemm;
import org.cornu.core.kernels.RnnCells;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * Differentiable primitives of sequence models: a whole recurrent layer (SimpleRNN, LSTM, GRU
 * with Keras's equations and weight layout) as ONE tape node with a hand-written
 * backpropagation through time, and the embedding lookup.
 *
 * <p>Design (measured in the rnn work note): the input projection of all timesteps is one
 * gemm {@code (B*T, in) x (in, G*units)}; the recurrence runs on the JVM over double arrays
 * with the gate math fused per step (ND4J's per-call overhead of 5-20 µs per op would dominate;
 * the cells' equations are {@link RnnCells}'s, the activations {@link ActivationKernels}'s);
 * each step's recurrent product {@code (B, units) x (units, G*units)} is a JVM loop for small
 * layers and one ND4J dgemm for large ones ({@link StepProduct}); the backward pass runs the recurrence
 * in reverse on the JVM and computes the kernel, recurrent-kernel and input gradients as three
 * large gemms over all timesteps.
 */
public final class RnnOps {
    private RnnOps() {}

    /** The recurrent cells. */
    public enum Cell {
        /** Keras's {@code SimpleRNN} cell. */
        SIMPLE,
        /** Keras's {@code LSTM} cell, gates i, f, c, o. */
        LSTM,
        /** Keras's {@code GRU} cell, gates z, r, h. */
        GRU
    }

    /** Options of {@link #rnn}. */
    public static final class Options {
        /** The cell (default LSTM). */
        public Cell cell = Cell.LSTM;
        /** Keras's name of the activation (Keras's {@code activation}, default {@code "tanh"}). */
        public String activation = "tanh";
        /** Keras's name of the gates' activation (Keras's {@code recurrent_activation}, default {@code "sigmoid"}). */
        public String recurrentActivation = "sigmoid";
        /** Processes the sequence from the last step to the first (Keras's {@code go_backwards}, default false). */
        public boolean goBackwards;
        /** Sequence outputs in input time order even when going backwards (Bidirectional). */
        public boolean restoreOrder;
        /** Masked steps output zeros instead of the previous output. */
        public boolean zeroOutputForMask;
        /**
         * Recurrent dropout: a {@code (B * units)} mask of 0 and 1/(1-rate) multiplying the state
         * where it enters the recurrent product (the same mask at every step), or null.
         */
        public double[] recurrentMask;
        /**
         * Whether the caller reads {@link Result#sequence} (default true). False lets a kernel skip
         * building the whole output sequence, and {@link Result#sequence} may then be null (a layer
         * that returns only its last output).
         */
        public boolean sequenceUsed = true;
        /**
         * GRU only: {@code true} (Keras's default) applies the reset gate after the recurrent
         * product, {@code hh = act(x W_h + b_h + r * (h U_h + br_h))}, with bias {@code (2, 3*units)};
         * {@code false} applies it before, {@code hh = act(x W_h + b_h + (r * h) U_h)}, with bias {@code (3*units)}.
         */
        public boolean resetAfter = true;
        /** Name of the layer, for messages. */
        public String layerName = "rnn";
    }

    /** Outputs of {@link #rnn}: the sequence {@code (B, T, units)}, the last output {@code (B, units)} and the final states. */
    public static final class Result {
        /** The output at every step, {@code (B, T, units)}; may be null where {@link Options#sequenceUsed} is false. */
        public final Tensor sequence;
        /** The output of the last step, {@code (B, units)}. */
        public final Tensor last;
        /** The final states: h, and c for LSTM, each {@code (B, units)}. */
        public final List<Tensor> states;

        /**
         * The outputs of a run.
         *
         * @param sequence the output at every step
         * @param last the output of the last step
         * @param states the final states
         */
        public Result(Tensor sequence, Tensor last, List<Tensor> states) {
            this.sequence = sequence;
            this.last = last;
            this.states = states;
        }
    }

    /**
     * Per-thread reusable double arrays for the recurrence's large buffers. Arrays handed back
     * must no longer be used by their taker; what is not handed back is simply collected. Held
     * through soft references (the collector may drop them under memory pressure), at most
     * {@link #MAX_HELD} values per thread. {@code -Dcornu.rnn.pool=false} allocates fresh arrays.
     */
    public static final class Pool {
        private static final int MIN = 1 << 16;
        private static final long MAX_HELD = 96L << 20; // 768 MB of doubles
        private static final ThreadLocal<ArrayList<java.lang.ref.SoftReference<double[]>>> FREE =
                ThreadLocal.withInitial(ArrayList::new);

        private Pool() {}

        /**
         * An array of at least {@code n} values (zeros in {@code [0, n)} when {@code zero}).
         *
         * @param n the number of values needed
         * @param zero true to zero the first {@code n} values
         * @return the array, from a per-thread pool
         */
        public static double[] take(long n, boolean zero) {
            if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("recurrent buffer of " + n + " values is too large");
            if (n < MIN || !FastPaths.RNN_BUFFER_POOL.enabled()) return new double[(int) n];
            ArrayList<java.lang.ref.SoftReference<double[]>> free = FREE.get();
            int best = -1;
            double[] bestA = null;
            for (int i = free.size() - 1; i >= 0; i--) {
                double[] a = free.get(i).get();
                if (a == null) {
                    free.remove(i);
                    if (best > i) best--;
                    continue;
                }
                if (a.length >= n && (bestA == null || a.length < bestA.length)) {
                    best = i;
                    bestA = a;
                }
            }
            if (bestA == null) return new double[(int) n];
            free.remove(best);
            if (zero) java.util.Arrays.fill(bestA, 0, (int) n, 0.0);
            return bestA;
        }

        /**
         * Hands arrays back for reuse (nulls and small arrays are ignored).
         *
         * @param arrays arrays obtained from {@link #take}
         */
        public static void give(double[]... arrays) {
            ArrayList<java.lang.ref.SoftReference<double[]>> free = FREE.get();
            for (double[] a : arrays) {
                if (a == null || a.length < MIN) continue;
                long held = a.length;
                boolean already = false;
                for (java.lang.ref.SoftReference<double[]> r : free) {
                    double[] b = r.get();
                    already |= b == a;
                    if (b != null) held += b.length;
                }
                if (!already && held <= MAX_HELD) free.add(new java.lang.ref.SoftReference<>(a));
            }
        }
    }

    /** Multiply-adds below which the layer's input and weight-gradient products run on the JVM. */
    private static final long SMALL_MACS = 65_536;

    /** {@code a (m, k) @ b (k, n)}, row-major. */
    static double[] mm(double[] a, int m, int k, double[] b, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < k; q++) {
                double v = a[i * k + q];
                if (v == 0) continue;
                int bo = q * n, co = i * n;
                for (int j = 0; j < n; j++) c[co + j] += v * b[bo + j];
            }
        }
        return c;
    }

    /** {@code a (m, k) @ b (n, k)^T}, row-major. */
    static double[] mmNT(double[] a, int m, int k, double[] b, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int q = 0; q < k; q++) sum += a[i * k + q] * b[j * k + q];
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    /** {@code a (m, p)^T @ b (m, q)}, row-major. */
    static double[] mmTN(double[] a, int m, int p, double[] b, int q) {
        double[] c = new double[p * q];
        for (int i = 0; i < m; i++) {
            for (int r = 0; r < p; r++) {
                double v = a[i * p + r];
                if (v == 0) continue;
                int bo = i * q, co = r * q;
                for (int j = 0; j < q; j++) c[co + j] += v * b[bo + j];
            }
        }
        return c;
    }

    /**
     * Activations the fused recurrence supports (by Keras name): tanh, sigmoid, relu, linear,
     * hard_sigmoid, computed by {@link ActivationKernels}.
     *
     * @param name Keras's name of an activation
     * @return true if {@link #rnn} can use it
     */
    public static boolean supportsActivation(String name) {
        return ActivationKernels.elementwise(ActivationKernels.kindOf(name));
    }

    private static double[] doubles(INDArray a) {
        return Elementwise.toDoubles(a);
    }

    /**
     * Runs a recurrent layer over {@code x (B, T, in)}.
     *
     * @param x the input sequence, {@code (B, T, in)}
     * @param kernel {@code (in, G*units)} with G = 1, 4 (i, f, c, o), 3 (z, r, h)
     * @param recurrentKernel {@code (units, G*units)}
     * @param bias {@code (G*units)}, or for GRU with reset_after {@code (2, 3*units)}: input and recurrent biases; may be null
     * @param initialStates h (and c for LSTM), each {@code (B, units)}; null entries mean zeros
     * @param mask {@code (B, T)} of 1/0, or null
     * @param opt the cell, activations and flags
     * @return the outputs and final states
     */
    public static Result rnn(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor bias, List<Tensor> initialStates,
                             INDArray mask, Options opt) {
        final int kAct = ActivationKernels.kindOf(opt.activation), kRec = ActivationKernels.kindOf(opt.recurrentActivation);
        if (!supportsActivation(opt.activation) || !supportsActivation(opt.recurrentActivation)) {
            throw new IllegalArgumentException("Layer \"" + opt.layerName + "\": the recurrent loop supports the activations"
                    + " tanh, sigmoid, relu, linear, hard_sigmoid; received activation=" + opt.activation
                    + ", recurrent_activation=" + opt.recurrentActivation);
        }
        final Cell cell = opt.cell;
        long[] xs = x.value().shape();
        final int B = (int) xs[0], T = (int) xs[1], I = (int) xs[2];
        final int U = (int) recurrentKernel.value().size(0);
        final int G = cell == Cell.LSTM ? 4 : cell == Cell.GRU ? 3 : 1;
        final int GU = G * U;
        DataType dt = x.value().dataType();
        if (mask != null && (mask.rank() != 2 || mask.size(0) != B || mask.size(1) != T)) {
            throw new IllegalArgumentException("Layer \"" + opt.layerName + "\": the mask must have shape (" + B + ", " + T
                    + ") to match the input " + Shape.format(xs) + ", but it has shape " + Shape.format(mask.shape()));
        }
        if (Float32Lstm.applies(x, kernel, recurrentKernel, bias, mask, opt)) {
            return Float32Lstm.run(x, kernel, recurrentKernel, bias, initialStates, opt.sequenceUsed);
        }
        // input projection of all timesteps: one gemm
        INDArray x2 = x.value().reshape('c', (long) B * T, I);
        INDArray w = kernel.value().castTo(dt);
        // small layers (the time-series LSTM: 32 x 1 x 6 -> 64) do their products on the JVM:
        // each ND4J call costs more than the arithmetic there
        // (cornu.rnn.stepGemm=nd4j, which tests use, sends them to ND4J too)
        final boolean small = (long) B * T * GU * Math.max(I, U) <= SMALL_MACS && Elementwise.fusable(x2, x2)
                && FastPaths.RNN_JVM_PRODUCTS.enabled()
                && Elementwise.fusable(w, w);
        final double[] xD = small ? doubles(x2) : null;
        final double[] wD = small ? doubles(w) : null;
        double[] P = small ? mm(xD, B * T, I, wD, GU)
                : Elementwise.toDoubles(Gemm.gemm(x2, w, false, false), Pool.take((long) B * T * GU, false)); // (B*T, GU), row b*T + t
        double[] bIn = null, bRec = null;
        if (bias != null) {
            double[] bb = doubles(bias.value());
            bIn = new double[GU];
            System.arraycopy(bb, 0, bIn, 0, GU);
            if (bb.length == 2 * GU) {
                bRec = new double[GU];
                System.arraycopy(bb, GU, bRec, 0, GU);
            }
        }
        final double[] Ur = doubles(recurrentKernel.value()); // (U, GU)
        final double[] m = mask == null ? null : doubles(mask);
        final boolean lstm = cell == Cell.LSTM, gru = cell == Cell.GRU;
        // GRU reset_after=False: the candidate's recurrent product is (r * h) @ U_h, computed after the z and r gates
        final boolean gruBefore = gru && !opt.resetAfter;
        if (gruBefore && bRec != null) {
            throw new IllegalArgumentException("Layer \"" + opt.layerName + "\": GRU with reset_after=False takes a bias of shape ("
                    + GU + "), received " + Shape.format(bias.value().shape()));
        }
        final double[] rm = opt.recurrentMask;
        double[] h = initialStates != null && initialStates.size() > 0 && initialStates.get(0) != null
                ? doubles(initialStates.get(0).value()) : new double[B * U];
        double[] c = lstm ? (initialStates != null && initialStates.size() > 1 && initialStates.get(1) != null
                ? doubles(initialStates.get(1).value()) : new double[B * U]) : null;
        // saved per processing step k: hPrev, gates (post-activation), cPrev/tanh(c) for LSTM, recurrent h part for GRU
        // (reset_after: h U_h + br_h; reset_before: r * h, masked by recurrent dropout, the candidate product's input)
        // large per-call buffers come from a per-thread pool (a batch of the IMDB LSTM needs ~400 MB
        // of them; fresh arrays cost their zeroing and page faults); entries of Gt and Tc for masked
        // steps are never read, Rh's are (times zero), so Rh is cleared
        final double[] Hprev = Pool.take((long) T * B * U, false);
        final double[] Gt = Pool.take((long) T * B * GU, false);
        final double[] Cprev = lstm ? Pool.take((long) T * B * U, false) : null;
        final double[] Tc = lstm ? Pool.take((long) T * B * U, false) : null;
        final double[] Rh = gru ? Pool.take((long) T * B * U, true) : null;
        final double[] out = Pool.take((long) B * T * U, false); // output order
        double[] prevOut = new double[B * U];
        double[] r = new double[GU];
        final int[] tOf = new int[T];
        final int[] posOf = new int[T];
        for (int k = 0; k < T; k++) {
            tOf[k] = opt.goBackwards ? T - 1 - k : k;
            posOf[k] = opt.goBackwards && opt.restoreOrder ? T - 1 - k : k;
        }
        final StepProduct sp = StepProduct.create(B, U, GU, Ur);
        // float32 models' LSTM gates take the rational tanh/sigmoid (whole-block passes that
        // vectorize); float64 the exact ones; the GRU and SimpleRNN steps the exact ones in both
        final Form lstmForm = dt == DataType.FLOAT ? Form.RATIONAL : Form.EXP;
        double[] hm = sp == null || rm == null ? null : new double[B * U];
        final StepProduct spH = gruBefore && sp != null ? new StepProduct(B, U, U, columns(Ur, U, GU, 2 * U)) : null;
        for (int k = 0; k < T; k++) {
            int t = tOf[k];
            System.arraycopy(h, 0, Hprev, k * B * U, B * U);
            if (lstm) System.arraycopy(c, 0, Cprev, k * B * U, B * U);
            double[] rAll = null;
            if (sp != null) {
                if (rm != null) for (int i = 0; i < B * U; i++) hm[i] = h[i] * rm[i];
                rAll = sp.forward(rm == null ? h : hm);
                if (gruBefore) {
                    // candidate products (r * h) @ U_h of the whole batch, in place of h @ U_h
                    double[] rhAll = new double[B * U];
                    for (int b = 0; b < B; b++) {
                        RnnCells.gruResetState(kRec, Form.EXP, P, (b * T + t) * GU, bIn, rAll, b * GU, h, rm, b * U, rhAll, b * U, U);
                    }
                    System.arraycopy(rhAll, 0, Rh, k * B * U, B * U);
                    double[] cand = spH.forward(rhAll);
                    for (int b = 0; b < B; b++) System.arraycopy(cand, b * U, rAll, b * GU + 2 * U, U);
                }
            }
            for (int b = 0; b < B; b++) {
                boolean on = m == null || m[b * T + t] != 0;
                int hb = b * U;
                int ob = (b * T + posOf[k]) * U;
                if (!on) {
                    for (int j = 0; j < U; j++) out[ob + j] = opt.zeroOutputForMask ? 0 : prevOut[hb + j];
                    continue;
                }
                // r = h_b @ Ur (+ recurrent bias)
                if (rAll != null) {
                    System.arraycopy(rAll, b * GU, r, 0, GU);
                    if (bRec != null) for (int n = 0; n < GU; n++) r[n] += bRec[n];
                } else if (bRec != null) System.arraycopy(bRec, 0, r, 0, GU);
                else java.util.Arrays.fill(r, 0);
                for (int q = 0; rAll == null && q < U; q++) {
                    double hv = rm == null ? h[hb + q] : h[hb + q] * rm[hb + q];
                    if (hv == 0) continue;
                    int row = q * GU;
                    for (int n = 0; n < GU; n++) r[n] += hv * Ur[row + n];
                }
                int pb = (b * T + t) * GU;
                int gb = (k * B + b) * GU;
                int sb = (k * B + b) * U;
                // the pre-activations are assembled in Gt, where the cell leaves the gates
                if (lstm) {
                    for (int n = 0; n < GU; n++) Gt[gb + n] = P[pb + n] + r[n];
                    if (bIn != null) for (int n = 0; n < GU; n++) Gt[gb + n] += bIn[n];
                    RnnCells.lstmStep(kAct, kRec, lstmForm, Gt, gb, c, hb, Tc, sb, h, hb, U);
                } else if (gru) {
                    if (gruBefore && rAll == null) {
                        // r[2U..3U) = (r_gate * h_b) @ U_h in place of h_b @ U_h
                        RnnCells.gruResetState(kRec, Form.EXP, P, pb, bIn, r, 0, h, rm, hb, Rh, sb, U);
                        java.util.Arrays.fill(r, 2 * U, 3 * U, 0);
                        for (int q = 0; q < U; q++) {
                            double v = Rh[sb + q];
                            if (v == 0) continue;
                            int row = q * GU + 2 * U;
                            for (int n = 0; n < U; n++) r[2 * U + n] += v * Ur[row + n];
                        }
                    }
                    // h is read for this sample only through r (already computed) and by the cell
                    RnnCells.gruStep(kAct, kRec, Form.EXP, !gruBefore, P, pb, bIn, r, 0, Gt, gb, Rh, sb, h, hb, U);
                } else {
                    for (int j = 0; j < U; j++) Gt[gb + j] = P[pb + j] + r[j] + (bIn != null ? bIn[j] : 0);
                    RnnCells.simpleStep(kAct, Form.EXP, Gt, gb, U);
                    System.arraycopy(Gt, gb, h, hb, U);
                }
                System.arraycopy(h, hb, out, ob, U);
                System.arraycopy(h, hb, prevOut, hb, U);
            }
        }
        Pool.give(P);
        // ---- tensors
        List<Tensor> parents = new ArrayList<>(List.of(x, kernel, recurrentKernel));
        if (bias != null) parents.add(bias);
        if (initialStates != null) for (Tensor s : initialStates) if (s != null) parents.add(s);
        Tensor core = new Tensor(Nd4j.zeros(dt, 1), Tape.needsGrad(parents.toArray(new Tensor[0])));
        INDArray seqV = Elementwise.fromDoubles(out, new long[] {B, T, U}, dt);
        int lastPos = posOf[T - 1];
        double[] lastV = new double[B * U];
        for (int b = 0; b < B; b++) System.arraycopy(out, (b * T + lastPos) * U, lastV, b * U, U);
        Pool.give(out);
        if (!core.requiresGrad()) Pool.give(Hprev, Gt, Cprev, Tc, Rh);
        final boolean[] backwardDone = {false};
        final INDArray[] gSeq = new INDArray[1], gLast = new INDArray[1], gH = new INDArray[1], gC = new INDArray[1];
        final double[] hFinal = h, cFinal = c, bInF = bIn, bRecF = bRec;
        Tape.push(core, g -> {
            if (backwardDone[0]) {
                throw new IllegalStateException("Layer \"" + opt.layerName + "\": the recurrence's backward pass ran twice");
            }
            backwardDone[0] = true;
            double[] UrT = new double[GU * U];
            for (int q = 0; q < U; q++) for (int n = 0; n < GU; n++) UrT[n * U + q] = Ur[q * GU + n];
            double[] dOutSeq = gSeq[0] == null ? null : Elementwise.toDoubles(gSeq[0], Pool.take(gSeq[0].length(), false));
            double[] dLast = gLast[0] == null ? null : doubles(gLast[0]);
            double[] dh = gH[0] == null ? new double[B * U] : doubles(gH[0]);
            double[] dc = lstm ? (gC[0] == null ? new double[B * U] : doubles(gC[0])) : null;
            double[] carry = new double[B * U];
            double[] dZ = Pool.take((long) T * B * GU, true); // pre-activation gradients, processing order
            double[] dRh = gru ? Pool.take((long) T * B * GU, true) : null; // GRU: gradient of the recurrent product h@U (+b_rec)
            double[] gout = new double[U];
            double[] tmp = new double[U];
            for (int k = T - 1; k >= 0; k--) {
                int t = tOf[k];
                for (int b = 0; b < B; b++) {
                    int hb = b * U;
                    int ob = (b * T + posOf[k]) * U;
                    for (int j = 0; j < U; j++) {
                        double v = carry[hb + j];
                        if (dOutSeq != null) v += dOutSeq[ob + j];
                        if (dLast != null && k == T - 1) v += dLast[hb + j];
                        gout[j] = v;
                    }
                    boolean on = m == null || m[b * T + t] != 0;
                    if (!on) {
                        for (int j = 0; j < U; j++) carry[hb + j] = opt.zeroOutputForMask ? 0 : gout[j];
                        continue; // state passes through: dh, dc unchanged
                    }
                    int gb = (k * B + b) * GU;
                    int sb = (k * B + b) * U;
                    for (int j = 0; j < U; j++) {
                        carry[hb + j] = 0;
                        gout[j] = dh[hb + j] + gout[j]; // all that reaches h_t
                    }
                    if (lstm) {
                        RnnCells.lstmBackward(kAct, kRec, Gt, gb, Tc, sb, Cprev, sb, gout, 0, dc, hb, dZ, gb, U);
                        java.util.Arrays.fill(dh, hb, hb + U, 0);
                    } else if (gru) {
                        RnnCells.gruBackward(kAct, kRec, !gruBefore, Gt, gb, Hprev, sb, Rh, sb, gout, 0, dh, hb, dZ, dRh, gb, U);
                    } else {
                        RnnCells.simpleBackward(kAct, Gt, gb, gout, 0, dZ, gb, U);
                        java.util.Arrays.fill(dh, hb, hb + U, 0);
                    }
                    if (gruBefore && sp == null) {
                        for (int q = 0; q < U; q++) {
                            double d = 0;
                            int row = q * GU + 2 * U;
                            for (int n = 0; n < U; n++) d += dZ[gb + 2 * U + n] * Ur[row + n];
                            tmp[q] = d;
                        }
                        RnnCells.gruResetBackward(kRec, tmp, 0, Gt, Hprev, rm, dZ, dRh, dh, gb, sb, hb, U);
                    }
                    // dh_prev += dRec @ Ur^T, as axpys over rows of Ur^T (vectorizable, unlike dot products)
                    if (sp != null) continue; // the whole step's product follows the loop over samples
                    double[] dr = gru ? dRh : dZ;
                    double[] acc = rm == null ? dh : tmp;
                    int ab = rm == null ? hb : 0;
                    if (rm != null) java.util.Arrays.fill(tmp, 0);
                    for (int n = 0; n < GU; n++) {
                        double d = dr[gb + n];
                        if (d == 0) continue;
                        int row = n * U;
                        for (int q = 0; q < U; q++) acc[ab + q] += d * UrT[row + q];
                    }
                    if (rm != null) for (int q = 0; q < U; q++) dh[hb + q] += tmp[q] * rm[hb + q];
                }
                if (gruBefore && sp != null) {
                    double[] dHH = new double[B * U];
                    for (int b = 0; b < B; b++) System.arraycopy(dZ, (k * B + b) * GU + 2 * U, dHH, b * U, U);
                    double[] dRH = spH.backward(dHH, 0); // d(r * h) = dhh @ U_h^T
                    for (int b = 0; b < B; b++) {
                        if (m != null && m[b * T + t] == 0) continue;
                        RnnCells.gruResetBackward(kRec, dRH, b * U, Gt, Hprev, rm, dZ, dRh, dh, (k * B + b) * GU, (k * B + b) * U, b * U, U);
                    }
                }
                if (sp != null) {
                    double[] add = sp.backward(gru ? dRh : dZ, k * B * GU);
                    if (rm == null) for (int i = 0; i < B * U; i++) dh[i] += add[i];
                    else for (int i = 0; i < B * U; i++) dh[i] += add[i] * rm[i];
                }
            }
            // input-side gradients: dZ in (B*T, GU) input row order
            double[] dZx = Pool.take((long) B * T * GU, false);
            for (int k = 0; k < T; k++) {
                int t = tOf[k];
                for (int b = 0; b < B; b++) {
                    System.arraycopy(dZ, (k * B + b) * GU, dZx, (b * T + t) * GU, GU);
                }
            }
            if (small) {
                if (x.requiresGrad()) x.accumulate(Elementwise.fromDoubles(mmNT(dZx, B * T, GU, wD, I), xs, dt));
                if (kernel.requiresGrad()) {
                    kernel.accumulate(Elementwise.fromDoubles(mmTN(xD, B * T, I, dZx, GU), kernel.value().shape(), kernel.value().dataType()));
                }
            } else {
                INDArray dZxA = Elementwise.fromDoubles(dZx, new long[] {(long) B * T, GU}, dt);
                if (x.requiresGrad()) x.accumulate(Gemm.gemm(dZxA, w, false, true).reshape('c', xs));
                if (kernel.requiresGrad()) kernel.accumulate(Gemm.gemm(x2, dZxA, true, false).castTo(kernel.value().dataType()));
            }
            double[] dR = gru ? dRh : dZ;
            if (recurrentKernel.requiresGrad()) {
                double[] hpm = Hprev;
                if (rm != null) {
                    hpm = Pool.take((long) T * B * U, false);
                    for (int i = 0; i < T * B * U; i++) hpm[i] = Hprev[i] * rm[i % (B * U)];
                }
                INDArray dUr = small
                        ? Elementwise.fromDoubles(mmTN(hpm, T * B, U, dR, GU), new long[] {U, GU}, dt)
                        : Gemm.gemm(Elementwise.fromDoubles(hpm, new long[] {(long) T * B, U}, dt),
                                Elementwise.fromDoubles(dR, new long[] {(long) T * B, GU}, dt), true, false);
                if (gruBefore) {
                    // the candidate's columns: (r * h)^T @ dhh (dRh's candidate block is zero)
                    double[] dHH = new double[T * B * U];
                    for (int i = 0; i < T * B; i++) System.arraycopy(dZ, i * GU + 2 * U, dHH, i * U, U);
                    INDArray rhA = Elementwise.fromDoubles(Rh, new long[] {(long) T * B, U}, dt);
                    INDArray dHA = Elementwise.fromDoubles(dHH, new long[] {(long) T * B, U}, dt);
                    dUr.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * U, 3 * U))
                            .addi(Gemm.gemm(rhA, dHA, true, false));
                }
                recurrentKernel.accumulate(dUr.castTo(recurrentKernel.value().dataType()));
                if (hpm != Hprev) Pool.give(hpm);
            }
            if (bias != null && bias.requiresGrad()) {
                double[] gb = new double[bRecF != null ? 2 * GU : GU];
                for (int i = 0; i < T * B; i++) {
                    for (int n = 0; n < GU; n++) gb[n] += dZ[i * GU + n];
                    if (bRecF != null) for (int n = 0; n < GU; n++) gb[GU + n] += dRh[i * GU + n];
                }
                bias.accumulate(Elementwise.fromDoubles(gb, bias.value().shape(), bias.value().dataType()));
            }
            if (initialStates != null) {
                if (initialStates.size() > 0 && initialStates.get(0) != null && initialStates.get(0).requiresGrad()) {
                    initialStates.get(0).accumulate(Elementwise.fromDoubles(dh, new long[] {B, U}, dt));
                }
                if (lstm && initialStates.size() > 1 && initialStates.get(1) != null && initialStates.get(1).requiresGrad()) {
                    initialStates.get(1).accumulate(Elementwise.fromDoubles(dc, new long[] {B, U}, dt));
                }
            }
            Pool.give(Hprev, Gt, Cprev, Tc, Rh, dZ, dRh, dZx, dOutSeq);
        });
        // derived outputs: each hands its gradient to the core node, which runs after them
        INDArray zero = Nd4j.zeros(dt, 1);
        Tensor seq = derived(seqV, core, gSeq, zero);
        Tensor last = derived(Elementwise.fromDoubles(lastV, new long[] {B, U}, dt), core, gLast, zero);
        List<Tensor> states = new ArrayList<>();
        states.add(derived(Elementwise.fromDoubles(hFinal, new long[] {B, U}, dt), core, gH, zero));
        if (lstm) states.add(derived(Elementwise.fromDoubles(cFinal, new long[] {B, U}, dt), core, gC, zero));
        return new Result(seq, last, states);
    }

    /**
     * One timestep's recurrent product for the whole batch as an ND4J dgemm, used where the
     * product is large enough ({@code B * units * G * units >= 65536}, or system property
     * {@code cornu.rnn.stepGemm=nd4j|jvm}) and arrays can be read in place (CPU).
     */
    static final class StepProduct {
        private final int b, u, gu;
        private final INDArray ur, urT, hIn, rOut, dIn, dOut;
        private final java.nio.DoubleBuffer hBuf, rBuf, dBuf, dOutBuf;
        private final double[] r, d;

        private StepProduct(int b, int u, int gu, double[] urv) {
            this.b = b;
            this.u = u;
            this.gu = gu;
            ur = Nd4j.create(urv, new long[] {u, gu}, DataType.DOUBLE);
            urT = ur.transpose().dup('c');
            hIn = Nd4j.create(DataType.DOUBLE, b, u);
            rOut = Nd4j.create(DataType.DOUBLE, b, gu);
            dIn = Nd4j.create(DataType.DOUBLE, b, gu);
            dOut = Nd4j.create(DataType.DOUBLE, b, u);
            hBuf = Elementwise.doubles(hIn);
            rBuf = Elementwise.doubles(rOut);
            dBuf = Elementwise.doubles(dIn);
            dOutBuf = Elementwise.doubles(dOut);
            r = new double[b * gu];
            d = new double[b * u];
        }

        static StepProduct create(int b, int u, int gu, double[] urv) {
            boolean big = (long) b * u * gu >= 65536;
            if (!FastPaths.RNN_STEP_GEMM.enabled() || (!FastPaths.rnnProductsForcedToNd4j() && !big)) return null;
            INDArray probe = Nd4j.create(DataType.DOUBLE, 2);
            if (!Elementwise.fusable(probe)) return null;
            return new StepProduct(b, u, gu, urv);
        }

        /** {@code h (B, U) @ Ur}. */
        double[] forward(double[] h) {
            hBuf.put(0, h, 0, b * u);
            Gemm.gemm(hIn, ur, rOut, false, false, 1.0, 0.0);
            rBuf.get(0, r, 0, b * gu);
            return r;
        }

        /** {@code dr[off .. off + B*GU) (B, GU) @ Ur^T}. */
        double[] backward(double[] dr, int off) {
            dBuf.put(0, dr, off, b * gu);
            Gemm.gemm(dIn, urT, dOut, false, false, 1.0, 0.0);
            dOutBuf.get(0, d, 0, b * u);
            return d;
        }
    }

    /** Columns {@code [from, from + n)} of a row-major {@code (rows, cols)} array. */
    private static double[] columns(double[] a, int n, int cols, int from) {
        int rows = a.length / cols;
        double[] c = new double[rows * n];
        for (int i = 0; i < rows; i++) System.arraycopy(a, i * cols + from, c, i * n, n);
        return c;
    }

    /**
     * One of the outputs of a fused op (the sequence, last output or a state of {@link #rnn}): its
     * gradient is collected in {@code slot[0]} for the fused backward pass, which runs from
     * {@code core}, the op's single recorded tensor.
     *
     * @param v the output's value
     * @param core the fused op's recorded tensor
     * @param slot receives (adds up) this output's gradient
     * @param zero a zero gradient for {@code core}, so that back-propagation reaches it
     * @return the output tensor
     */
    public static Tensor derived(INDArray v, Tensor core, INDArray[] slot, INDArray zero) {
        Tensor o = new Tensor(v, core.requiresGrad());
        return Tape.push(o, g -> {
            slot[0] = slot[0] == null ? g : slot[0].add(g);
            core.accumulate(zero);
        });
    }

    // ------------------------------------------------------------------ embedding

    /**
     * Looks up rows of {@code table (inputDim, outputDim)} for integer-valued {@code indices}
     * (any shape, float or int type); output shape {@code indices.shape + (outputDim)}. The
     * gradient is a scatter-add into a table-shaped array.
     *
     * @param table the embedding matrix, {@code (inputDim, outputDim)}
     * @param indices integer-valued indices into the table's rows
     * @param layerName the layer's name, for messages
     * @return the looked-up rows
     */
    public static Tensor embedding(Tensor table, INDArray indices, String layerName) {
        long n = indices.length();
        int inputDim = (int) table.value().size(0);
        int d = (int) table.value().size(1);
        double[] raw = Elementwise.toDoubles(indices);
        int[] idx = new int[(int) n];
        for (int i = 0; i < n; i++) {
            double v = raw[i];
            if (v < 0 || v >= inputDim || v != Math.floor(v)) {
                throw new IllegalArgumentException("Layer \"" + layerName + "\": received an index of " + formatIndex(v)
                        + " which is outside the valid range [0, " + inputDim + ") of input_dim=" + inputDim);
            }
            idx[i] = (int) v;
        }
        long[] is = indices.shape();
        long[] os = java.util.Arrays.copyOf(is, is.length + 1);
        os[is.length] = d;
        INDArray v;
        if (n == 0) {
            v = Nd4j.create(table.value().dataType(), os);
        } else if (Elementwise.fusable(table.value()) && table.value().dataType() == DataType.FLOAT) {
            // row gather in Java: ND4J's pullRows measured ~40 µs per 1000 rows here; rows are copied
            // native to native (a heap copy of the whole table cost 20 MB per step for a 20000 x 256 one)
            java.nio.FloatBuffer tv = Elementwise.floats(table.value());
            v = Nd4j.createUninitialized(DataType.FLOAT, os);
            java.nio.FloatBuffer ov = Elementwise.floats(v);
            for (int i = 0; i < n; i++) ov.put(i * d, tv, idx[i] * d, d);
        } else if (Elementwise.fusable(table.value())) {
            double[] tv = Elementwise.toDoubles(table.value());
            double[] ov = new double[(int) n * d];
            for (int i = 0; i < n; i++) System.arraycopy(tv, idx[i] * d, ov, i * d, d);
            v = Elementwise.fromDoubles(ov, os, table.value().dataType());
        } else {
            v = Nd4j.pullRows(table.value(), 1, idx).reshape('c', os);
        }
        Tensor o = new Tensor(v, Tape.needsGrad(table));
        return Tape.push(o, g -> {
            if (table.value().dataType() == DataType.FLOAT && Elementwise.fusable(table.value())) {
                // float32 tables: float scatter-add into a native zeroed table, a row at a time (no
                // table-sized heap arrays: a 20000 x 256 table's were 20 MB humongous objects per step)
                INDArray gc = g.dataType() == DataType.FLOAT ? g : g.castTo(DataType.FLOAT);
                if (!Elementwise.fusable(gc)) gc = gc.dup('c');
                java.nio.FloatBuffer gv = Elementwise.floats(gc);
                INDArray gtable = Nd4j.zeros(DataType.FLOAT, inputDim, d);
                java.nio.FloatBuffer gt = Elementwise.floats(gtable);
                float[] row = new float[d], acc = new float[d];
                for (int i = 0; i < n; i++) {
                    int dst = idx[i] * d;
                    gv.get(i * d, row, 0, d);
                    gt.get(dst, acc, 0, d);
                    for (int j = 0; j < d; j++) acc[j] += row[j];
                    gt.put(dst, acc, 0, d);
                }
                table.accumulate(gtable);
                return;
            }
            double[] gv = doubles(g);
            double[] gt = new double[inputDim * d];
            for (int i = 0; i < n; i++) {
                int src = i * d, dst = idx[i] * d;
                for (int j = 0; j < d; j++) gt[dst + j] += gv[src + j];
            }
            table.accumulate(Elementwise.fromDoubles(gt, new long[] {inputDim, d}, table.value().dataType()));
        });
    }

    private static String formatIndex(double v) {
        return v == Math.floor(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    // ------------------------------------------------------------------ sequence helpers

    /**
     * Reverses axis 1 of a {@code (B, T, ...)} tensor.
     *
     * @param x a sequence, {@code (B, T, ...)}
     * @return the sequence in reverse time order
     */
    public static Tensor reverseTime(Tensor x) {
        INDArray v = reverse1(x.value());
        Tensor o = new Tensor(v, Tape.needsGrad(x));
        return Tape.push(o, g -> x.accumulate(reverse1(g)));
    }

    private static INDArray reverse1(INDArray a) {
        long t = a.size(1);
        INDArray r = Nd4j.createUninitialized(a.dataType(), a.shape());
        for (long i = 0; i < t; i++) {
            r.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(i))
                    .assign(a.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t - 1 - i)));
        }
        return r;
    }

    /**
     * {@code (B, F) -> (B, n, F)} repeating each row; the gradient sums over the copies.
     *
     * @param x the input, {@code (B, F)}
     * @param n the number of copies
     * @return the repeated input, {@code (B, n, F)}
     */
    public static Tensor repeat(Tensor x, int n) {
        long bsz = x.value().size(0), f = x.value().size(1);
        INDArray v = Nd4j.createUninitialized(x.value().dataType(), bsz, n, f);
        for (int i = 0; i < n; i++) {
            v.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(x.value());
        }
        Tensor o = new Tensor(v, Tape.needsGrad(x));
        return Tape.push(o, g -> x.accumulate(g.sum(1)));
    }
}
