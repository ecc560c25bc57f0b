package org.cornu.core.kernels;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;

/**
 * The LSTM recurrence for float32 models on the CPU, kept in float32 end to end (the general
 * {@link RnnOps#rnn} keeps its state in double precision): time-major float arrays, one sgemm per
 * step for the recurrent product, and whole-block gate passes that vectorize. Used for the common
 * case: tanh/sigmoid, no mask, no recurrent dropout, forwards, layers large enough for a per-step
 * gemm (the IMDB LSTM: 128 x 500 x 32). The gate equations are {@link RnnCells}'s float32 block
 * forms, the general recurrence's equations over float arrays, whose float32 mode it matches to
 * float rounding (tested); {@code -Dcornu.rnn.float32=false} turns it off.
 */
public final class Float32Lstm {

    private Float32Lstm() {}

    /** Whether the call can run here. */
    public static boolean applies(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor bias, INDArray mask, RnnOps.Options opt) {
        if (!FastPaths.FLOAT32_LSTM.enabled() || FastPaths.rnnProductsForcedToNd4j()) {
            return false;
        }
        if (opt.cell != RnnOps.Cell.LSTM || mask != null || opt.recurrentMask != null || opt.goBackwards) return false;
        if (!"tanh".equals(opt.activation) || !"sigmoid".equals(opt.recurrentActivation)) return false;
        if (x.value().dataType() != DataType.FLOAT || x.value().rank() != 3) return false;
        for (Tensor t : new Tensor[] {x, kernel, recurrentKernel, bias}) {
            if (t != null && (t.value().dataType() != DataType.FLOAT || !Elementwise.fusable(t.value()))) return false;
        }
        long b = x.value().size(0), u = recurrentKernel.value().size(0);
        return b * u * 4 * u >= 65_536 && x.value().length() < Integer.MAX_VALUE / 8;
    }

    public static RnnOps.Result run(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor bias, List<Tensor> initialStates) {
        FastPaths.FLOAT32_LSTM.countRun();
        long[] xs = x.value().shape();
        final int B = (int) xs[0], T = (int) xs[1], I = (int) xs[2];
        final int U = (int) recurrentKernel.value().size(0), G = 4 * U;
        final int BU = B * U, BG = B * G;
        // x in time order: rows (t, b)
        float[] xb = Elementwise.toFloats(x.value(), null);
        float[] xt = new float[T * B * I];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) System.arraycopy(xb, (b * T + t) * I, xt, (t * B + b) * I, I);
        }
        final INDArray xT = Elementwise.fromFloats(xt, T * B, I);
        final INDArray w = kernel.value();
        final float[] P = Elementwise.toFloats(Gemm.gemm(xT, w, false, false), null); // (T*B, G)
        final float[] bv = bias == null ? new float[G] : Elementwise.toFloats(bias.value(), null);
        final INDArray ur = recurrentKernel.value();
        final INDArray urT = ur.transpose().dup('c');
        final INDArray hIn = Nd4j.create(DataType.FLOAT, B, U), rOut = Nd4j.create(DataType.FLOAT, B, G);
        final FloatBuffer hBuf = Elementwise.floats(hIn), rBuf = Elementwise.floats(rOut);
        float[] h = initialStates != null && initialStates.size() > 0 && initialStates.get(0) != null
                ? Elementwise.toFloats(initialStates.get(0).value(), null) : new float[BU];
        float[] c = initialStates != null && initialStates.size() > 1 && initialStates.get(1) != null
                ? Elementwise.toFloats(initialStates.get(1).value(), null) : new float[BU];
        final float[] gates = new float[T * BG]; // post-activation i, f, g, o per (t, b)
        final float[] hPrev = new float[T * BU], cPrev = new float[T * BU], tanhC = new float[T * BU];
        final float[] out = new float[B * T * U]; // (b, t, u)
        float[] r = new float[BG];
        final float[][] scaleShift = RnnCells.lstmScaleShiftF(U);
        for (int t = 0; t < T; t++) {
            System.arraycopy(h, 0, hPrev, t * BU, BU);
            System.arraycopy(c, 0, cPrev, t * BU, BU);
            hBuf.put(0, h, 0, BU);
            Gemm.gemm(hIn, ur, rOut, false, false, 1.0, 0.0);
            rBuf.get(0, r, 0, BG);
            int pt = t * BG;
            RnnCells.lstmBlockStepF(r, P, pt, bv, scaleShift[0], scaleShift[1], c, tanhC, t * BU, h, B, U);
            System.arraycopy(r, 0, gates, pt, BG);
            for (int b = 0; b < B; b++) System.arraycopy(h, b * U, out, (b * T + t) * U, U);
        }
        List<Tensor> parents = new ArrayList<>(List.of(x, kernel, recurrentKernel));
        if (bias != null) parents.add(bias);
        if (initialStates != null) for (Tensor s : initialStates) if (s != null) parents.add(s);
        Tensor core = new Tensor(Nd4j.zeros(DataType.FLOAT, 1), Tape.needsGrad(parents.toArray(new Tensor[0])));
        final INDArray[] gSeq = new INDArray[1], gLast = new INDArray[1], gH = new INDArray[1], gC = new INDArray[1];
        final float[] hLast = h.clone(), cLast = c.clone();
        Tape.push(core, g -> {
            float[] dh = gH[0] == null ? new float[BU] : Elementwise.toFloats(gH[0], null);
            float[] dc = gC[0] == null ? new float[BU] : Elementwise.toFloats(gC[0], null);
            if (gLast[0] != null) {
                float[] dl = Elementwise.toFloats(gLast[0], null);
                for (int i = 0; i < BU; i++) dh[i] += dl[i];
            }
            float[] dSeq = gSeq[0] == null ? null : Elementwise.toFloats(gSeq[0], null);
            float[] dZ = new float[T * BG];
            INDArray dIn = Nd4j.create(DataType.FLOAT, B, G), dOut = Nd4j.create(DataType.FLOAT, B, U);
            FloatBuffer dInBuf = Elementwise.floats(dIn), dOutBuf = Elementwise.floats(dOut);
            float[] dcj = new float[U];
            for (int t = T - 1; t >= 0; t--) {
                int pt = t * BG, st = t * BU;
                if (dSeq != null) {
                    for (int b = 0; b < B; b++) {
                        int s = b * U, ob = (b * T + t) * U;
                        for (int j = 0; j < U; j++) dh[s + j] += dSeq[ob + j];
                    }
                }
                RnnCells.lstmBlockBackwardF(gates, pt, tanhC, cPrev, st, dh, dc, dZ, dcj, B, U);
                dInBuf.put(0, dZ, pt, BG);
                Gemm.gemm(dIn, urT, dOut, false, false, 1.0, 0.0);
                dOutBuf.get(0, dh, 0, BU);
            }
            INDArray dZa = Elementwise.fromFloats(dZ, T * B, G);
            if (x.requiresGrad()) {
                float[] dxt = Elementwise.toFloats(Gemm.gemm(dZa, w, false, true), null);
                float[] dx = new float[B * T * I];
                for (int b = 0; b < B; b++) {
                    for (int t = 0; t < T; t++) System.arraycopy(dxt, (t * B + b) * I, dx, (b * T + t) * I, I);
                }
                x.accumulate(Elementwise.fromFloats(dx, xs));
            }
            if (kernel.requiresGrad()) kernel.accumulate(Gemm.gemm(xT, dZa, true, false));
            if (recurrentKernel.requiresGrad()) recurrentKernel.accumulate(Gemm.gemm(Elementwise.fromFloats(hPrev, T * B, U), dZa, true, false));
            if (bias != null && bias.requiresGrad()) {
                // column sums as a (1, T*B) x (T*B, 4U) product
                bias.accumulate(Gemm.columnSums(dZa, bias.value().shape()));
            }
            if (initialStates != null) {
                if (initialStates.size() > 0 && initialStates.get(0) != null && initialStates.get(0).requiresGrad()) {
                    initialStates.get(0).accumulate(Elementwise.fromFloats(dh, B, U));
                }
                if (initialStates.size() > 1 && initialStates.get(1) != null && initialStates.get(1).requiresGrad()) {
                    initialStates.get(1).accumulate(Elementwise.fromFloats(dc, B, U));
                }
            }
        });
        INDArray zero = Nd4j.zeros(DataType.FLOAT, 1);
        Tensor seq = RnnOps.derived(Elementwise.fromFloats(out, B, T, U), core, gSeq, zero);
        Tensor last = RnnOps.derived(Elementwise.fromFloats(hLast, B, U), core, gLast, zero);
        List<Tensor> states = new ArrayList<>();
        states.add(RnnOps.derived(Elementwise.fromFloats(hLast, B, U), core, gH, zero));
        states.add(RnnOps.derived(Elementwise.fromFloats(cLast, B, U), core, gC, zero));
        return new RnnOps.Result(seq, last, states);
    }
}
