package org.cornu.core.kernels;

import java.lang.ref.SoftReference;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * The LSTM recurrence for float32 models on the CPU, kept in float32 end to end (the general
 * {@link RnnOps#rnn} keeps its state in double precision). Used for the common case: tanh/sigmoid,
 * no mask, no recurrent dropout, forwards, layers large enough for a per-step gemm (the IMDB LSTM:
 * 128 x 500 x 32). {@code -Dcornu.rnn.float32=false} turns it off.
 *
 * <p>Layout: the state and the gates are kept transposed, {@code (units, batch)} planes, so that
 * every gate pass is a long contiguous loop that vectorizes (rows of {@code units} = 32 are too
 * short for the JIT's vector loops). Each step is ONE {@code cblas_sgemm} over the stacked weights
 * {@code W = [kernel; recurrent_kernel]}: {@code z^T (4U, B) = W^T [x_t; h_{t-1}]^T}, reading its
 * operand in place from a {@code (in + U, T * B)} buffer that also serves the weight gradient
 * (so the input projection needs no separate gemm and no {@code (T * B, 4U)} array). Backward,
 * each step's one product {@code W dz_t^T} gives both {@code dh_{t-1}} and {@code dx_t}; the
 * pre-activation gradients go into a {@code (4U, T * B)} buffer, and the kernel and recurrent
 * kernel gradients are one gemm over all timesteps at the end; the bias gradient is summed on the
 * way. The large buffers are reused across calls of the same shape on a thread (no fresh native
 * memory, page faults or collector work per batch). The gate equations are {@link RnnCells}'s
 * float32 plane forms, the general recurrence's equations over float arrays, whose float32 mode it
 * matches to float rounding (tested).
 */
public final class Float32Lstm {

    private Float32Lstm() {}

    /** Whether the call can run here. */
    public static boolean applies(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor bias, INDArray mask, RnnOps.Options opt) {
        if (!FastPaths.FLOAT32_LSTM.enabled() || FastPaths.rnnProductsForcedToNd4j() || !Gemm.directAvailable()) {
            return false;
        }
        if (opt.cell != RnnOps.Cell.LSTM || mask != null || opt.recurrentMask != null || opt.goBackwards) return false;
        if (!"tanh".equals(opt.activation) || !"sigmoid".equals(opt.recurrentActivation)) return false;
        if (x.value().dataType() != DataType.FLOAT || x.value().rank() != 3) return false;
        for (Tensor t : new Tensor[] {x, kernel, recurrentKernel, bias}) {
            if (t != null && (t.value().dataType() != DataType.FLOAT || !Elementwise.fusable(t.value()))) return false;
        }
        long b = x.value().size(0), t = x.value().size(1), i = x.value().size(2), u = recurrentKernel.value().size(0);
        // the largest buffer, (4U, T * B), must index with ints
        return b * u * 4 * u >= 65_536 && t > 0 && Math.max(4 * u, i + u) * b * t < Integer.MAX_VALUE / 2;
    }

    /** Per-shape buffers of one call, reused across calls on a thread. */
    private static final class Work {
        final int b, t, i, u;
        /** {@code (in + U, T * B)}: column {@code t * B + b} holds {@code [x_t[b]; h_{t-1}[b]]}. */
        final INDArray xh;
        /** {@code (4U, T * B)}: the pre-activation gradients, transposed. */
        final INDArray dz;
        /** {@code (in + U, 4U)}: kernel over recurrent kernel. */
        final INDArray w;
        /** {@code (max(4U, in + U), B)}: one step's product. */
        final INDArray step;
        final FloatBuffer xhBuf, dzBuf, wBuf, stepBuf;
        /** {@code T} planes of {@code (4U, B)}: the gates i, f, c, o after their activations. */
        final float[] gates;
        /** {@code T + 1} planes of {@code (U, B)}: {@code c_{-1}} (the initial state), c_0, ... */
        final float[] cs;
        /** {@code T} planes of {@code (U, B)}: {@code tanh(c_t)}. */
        final float[] tc;
        /** Scratch: x as {@code (B, T, in)}, the transposed x, a {@code (max(4U, in + U), B)} plane. */
        final float[] xb, xt, plane;

        Work(int b, int t, int i, int u) {
            this.b = b;
            this.t = t;
            this.i = i;
            this.u = u;
            int k = i + u, g = 4 * u;
            try (MemoryWorkspace ws = Workspaces.outside()) {
                xh = Nd4j.create(DataType.FLOAT, k, (long) t * b);
                dz = Nd4j.create(DataType.FLOAT, g, (long) t * b);
                w = Nd4j.create(DataType.FLOAT, k, g);
                step = Nd4j.create(DataType.FLOAT, Math.max(g, k), b);
            }
            xhBuf = Elementwise.floats(xh);
            dzBuf = Elementwise.floats(dz);
            wBuf = Elementwise.floats(w);
            stepBuf = Elementwise.floats(step);
            gates = new float[t * g * b];
            cs = new float[(t + 1) * u * b];
            tc = new float[t * u * b];
            xb = new float[b * t * i];
            xt = new float[i * t * b];
            plane = new float[Math.max(g, k) * b];
        }

        boolean fits(int b2, int t2, int i2, int u2) {
            return b == b2 && t == t2 && i == i2 && u == u2;
        }
    }

    private static final ThreadLocal<ArrayList<SoftReference<Work>>> FREE = ThreadLocal.withInitial(ArrayList::new);

    /** Buffers for a call of this shape: a free one of this thread's, else new ones. */
    private static Work take(int b, int t, int i, int u) {
        if (FastPaths.RNN_BUFFER_POOL.enabled()) {
            ArrayList<SoftReference<Work>> free = FREE.get();
            for (int k = free.size() - 1; k >= 0; k--) {
                Work w = free.get(k).get();
                if (w == null) {
                    free.remove(k);
                } else if (w.fits(b, t, i, u)) {
                    free.remove(k);
                    return w;
                }
            }
        }
        return new Work(b, t, i, u);
    }

    /** Hands buffers back (at most four sets held per thread, the newest kept). */
    private static void give(Work w) {
        if (!FastPaths.RNN_BUFFER_POOL.enabled()) return;
        ArrayList<SoftReference<Work>> free = FREE.get();
        free.removeIf(r -> r.get() == null);
        if (free.size() >= 4) free.remove(0);
        free.add(new SoftReference<>(w));
    }

    /** {@code dst (cols, rows)} = transpose of {@code src (rows, cols)}, both dense row-major. */
    private static void transpose(float[] src, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) dst[c * rows + r] = src[o + c];
        }
    }

    /**
     * Runs the layer.
     *
     * @param x the input sequence, {@code (B, T, in)}
     * @param kernel {@code (in, 4U)}
     * @param recurrentKernel {@code (U, 4U)}
     * @param bias {@code (4U)}, or null
     * @param initialStates h and c, each {@code (B, U)}; null entries (or a null list) mean zeros
     * @param sequenceUsed false to skip the output sequence ({@link RnnOps.Result#sequence} is then null)
     * @return the outputs and final states
     */
    public static RnnOps.Result run(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor bias, List<Tensor> initialStates,
                                    boolean sequenceUsed) {
        FastPaths.FLOAT32_LSTM.countRun();
        long[] xs = x.value().shape();
        final int B = (int) xs[0], T = (int) xs[1], I = (int) xs[2];
        final int U = (int) recurrentKernel.value().size(0), G = 4 * U, K = I + U;
        final int BU = B * U, BG = B * G, TB = T * B;
        final Work wk = take(B, T, I, U);
        // x transposed into the top rows of xh: (I, T * B), column t * B + b
        final float[] xb = Elementwise.toFloats(x.value(), wk.xb);
        final float[] xt = wk.xt;
        for (int t = 0; t < T; t++) { // one step's (I, B) block at a time: stays in cache
            for (int i = 0; i < I; i++) {
                int dst = i * TB + t * B, src = t * I + i;
                for (int b = 0; b < B; b++) xt[dst + b] = xb[b * T * I + src];
            }
        }
        wk.xhBuf.put(0, xt, 0, I * TB);
        // the stacked weights (I + U, 4U)
        float[] wv = wk.plane.length >= K * G ? wk.plane : new float[K * G];
        Elementwise.toFloats(kernel.value(), wv);
        wk.wBuf.put(0, wv, 0, I * G);
        Elementwise.toFloats(recurrentKernel.value(), wv);
        wk.wBuf.put(I * G, wv, 0, U * G);
        final float[] bv = bias == null ? new float[G] : Elementwise.toFloats(bias.value(), null);
        final float[][] scaleShift = RnnCells.lstmScaleShiftF(U);
        // states as (U, B) planes
        float[] hT = new float[BU];
        final float[] cs = wk.cs, gates = wk.gates, tc = wk.tc, pl = wk.plane;
        Tensor h0 = initialStates != null && initialStates.size() > 0 ? initialStates.get(0) : null;
        Tensor c0 = initialStates != null && initialStates.size() > 1 ? initialStates.get(1) : null;
        if (h0 != null) transpose(Elementwise.toFloats(h0.value(), null), B, U, hT);
        if (c0 != null) {
            float[] tmp = new float[BU];
            transpose(Elementwise.toFloats(c0.value(), null), B, U, tmp);
            System.arraycopy(tmp, 0, cs, 0, BU);
        } else {
            java.util.Arrays.fill(cs, 0, BU, 0f);
        }
        final float[] out = sequenceUsed ? new float[B * T * U] : null; // (b, t, u)
        final FloatBuffer xhBuf = wk.xhBuf, stepBuf = wk.stepBuf, wBuf = wk.wBuf;
        for (int t = 0; t < T; t++) {
            // h_{t-1} into rows I.. of column block t, then z^T (4U, B) = W^T [x_t; h_{t-1}]^T
            for (int u = 0; u < U; u++) xhBuf.put((I + u) * TB + t * B, hT, u * B, B);
            Gemm.sgemmRaw(true, false, G, B, K, 1f, wBuf, G, xhBuf.slice(t * B, K * TB - t * B), TB, 0f, stepBuf, B);
            stepBuf.get(0, pl, 0, BG);
            RnnCells.lstmPlaneStepF(pl, bv, scaleShift[0], scaleShift[1], gates, t * BG, cs, t * BU, tc, hT, B, U);
            if (out != null) {
                for (int u = 0; u < U; u++) {
                    int src = u * B, dst = t * U + u;
                    for (int b = 0; b < B; b++) out[b * T * U + dst] = hT[src + b];
                }
            }
        }
        float[] hLast = new float[BU], cLast = new float[BU];
        transpose(hT, U, B, hLast);
        transpose(java.util.Arrays.copyOfRange(cs, T * BU, (T + 1) * BU), U, B, cLast);
        List<Tensor> parents = new ArrayList<>(List.of(x, kernel, recurrentKernel));
        if (bias != null) parents.add(bias);
        if (initialStates != null) for (Tensor s : initialStates) if (s != null) parents.add(s);
        boolean grad = Tape.needsGrad(parents.toArray(new Tensor[0]));
        Tensor core = new Tensor(Nd4j.zeros(DataType.FLOAT, 1), grad);
        final INDArray[] gSeq = new INDArray[1], gLast = new INDArray[1], gH = new INDArray[1], gC = new INDArray[1];
        if (!grad) give(wk);
        Tape.push(core, g -> {
            float[] dhT = new float[BU], dcT = new float[BU];
            float[] dl = new float[BU];
            if (gH[0] != null) Elementwise.toFloats(gH[0], dl);
            if (gLast[0] != null) {
                float[] d2 = Elementwise.toFloats(gLast[0], null);
                for (int i = 0; i < BU; i++) dl[i] += d2[i];
            }
            transpose(dl, B, U, dhT);
            if (gC[0] != null) transpose(Elementwise.toFloats(gC[0], null), B, U, dcT);
            float[] dSeq = gSeq[0] == null ? null : Elementwise.toFloats(gSeq[0], null);
            boolean dxNeeded = x.requiresGrad();
            float[] dx = dxNeeded ? new float[B * T * I] : null;
            float[] dbAcc = new float[BG];
            final FloatBuffer dzBuf = wk.dzBuf;
            // the product's rows: all of W (dx_t and dh_{t-1}) or the recurrent kernel's only
            int m = dxNeeded ? K : U;
            FloatBuffer wRows = dxNeeded ? wBuf : wBuf.slice(I * G, U * G);
            int hRow = dxNeeded ? I : 0;
            for (int t = T - 1; t >= 0; t--) {
                if (dSeq != null) {
                    for (int u = 0; u < U; u++) {
                        int dst = u * B, src = t * U + u;
                        for (int b = 0; b < B; b++) dhT[dst + b] += dSeq[b * T * U + src];
                    }
                }
                RnnCells.lstmPlaneBackwardF(gates, t * BG, tc, cs, t * BU, dhT, dcT, pl, dbAcc, B, U);
                for (int n = 0; n < G; n++) dzBuf.put(n * TB + t * B, pl, n * B, B);
                // (m, B) = W[rows] (m, 4U) @ dz_t^T (4U, B)
                Gemm.sgemmRaw(false, false, m, B, G, 1f, wRows, G, dzBuf.slice(t * B, G * TB - t * B), TB, 0f, stepBuf, B);
                stepBuf.get(0, pl, 0, m * B);
                System.arraycopy(pl, hRow * B, dhT, 0, BU);
                if (dxNeeded) {
                    for (int b = 0; b < B; b++) {
                        int dst = (b * T + t) * I;
                        for (int i = 0; i < I; i++) dx[dst + i] = pl[i * B + b];
                    }
                }
            }
            if (dxNeeded) x.accumulate(Elementwise.fromFloats(dx, xs));
            if (kernel.requiresGrad() || recurrentKernel.requiresGrad()) {
                // [dkernel; drecurrent] (I + U, 4U) = [x; h_prev] (I + U, T*B) @ dz (T*B, 4U): one gemm over all steps
                float[] dw = Elementwise.toFloats(Gemm.gemm(wk.xh, wk.dz, false, true), null);
                if (kernel.requiresGrad()) kernel.accumulate(Elementwise.fromFloats(dw, I, G));
                if (recurrentKernel.requiresGrad()) {
                    recurrentKernel.accumulate(Elementwise.fromFloats(java.util.Arrays.copyOfRange(dw, I * G, K * G), U, G));
                }
            }
            if (bias != null && bias.requiresGrad()) {
                float[] db = new float[G];
                for (int n = 0; n < G; n++) {
                    float s = 0;
                    for (int b = 0; b < B; b++) s += dbAcc[n * B + b];
                    db[n] = s;
                }
                bias.accumulate(Elementwise.fromFloats(db, bias.value().shape()));
            }
            if (h0 != null && h0.requiresGrad()) {
                float[] d = new float[BU];
                transpose(dhT, U, B, d);
                h0.accumulate(Elementwise.fromFloats(d, B, U));
            }
            if (c0 != null && c0.requiresGrad()) {
                float[] d = new float[BU];
                transpose(dcT, U, B, d);
                c0.accumulate(Elementwise.fromFloats(d, B, U));
            }
            give(wk);
        });
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 1);
        Tensor seq = out == null ? null : RnnOps.derived(Elementwise.fromFloats(out, B, T, U), core, gSeq, zero);
        Tensor last = RnnOps.derived(Elementwise.fromFloats(hLast, B, U), core, gLast, zero);
        List<Tensor> states = new ArrayList<>();
        states.add(RnnOps.derived(Elementwise.fromFloats(hLast, B, U), core, gH, zero));
        states.add(RnnOps.derived(Elementwise.fromFloats(cLast, B, U), core, gC, zero));
        return new RnnOps.Result(seq, last, states);
    }
}
