package org.cornu.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.ops.Ops;
import org.cornu.core.ops.RnnOps;
import org.cornu.core.autodiff.Tape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.FastPaths;
import org.cornu.testing.GradCheck;

/**
 * The float32 LSTM recurrence gives the general recurrence's float32 results (whose equations the
 * float64 tests check against Keras's and finite differences) to float rounding: every output,
 * final state and gradient, with initial states and a loss on all outputs; and its gradients
 * match float32 central differences directly.
 */
class Float32LstmTest {
    private static final int B = 64, T = 7, I = 5, U = 32; // B*U*4U >= 65536: the float32 path applies

    @AfterEach
    void clear() {
        FastPaths.FLOAT32_LSTM.setEnabled(true);
    }

    private static INDArray f(long seed, double lo, double hi, long... shape) {
        return GradCheck.rand(seed, lo, hi, shape).castTo(DataType.FLOAT);
    }

    /** Outputs then gradients (x, kernel, recurrent kernel, bias, h0, c0) of one call. */
    private static List<INDArray> run(boolean float32) {
        FastPaths.FLOAT32_LSTM.setEnabled(float32);
        Tensor x = Tensor.variable(f(1, -1, 1, B, T, I));
        Tensor k = Tensor.variable(f(2, -0.4, 0.4, I, 4 * U));
        Tensor rk = Tensor.variable(f(3, -0.3, 0.3, U, 4 * U));
        Tensor b = Tensor.variable(f(4, -0.5, 0.5, 4 * U));
        Tensor h0 = Tensor.variable(f(5, -0.5, 0.5, B, U));
        Tensor c0 = Tensor.variable(f(6, -0.5, 0.5, B, U));
        RnnOps.Options o = new RnnOps.Options();
        o.cell = RnnOps.Cell.LSTM;
        List<INDArray> res = new ArrayList<>();
        try (Tape tape = Tape.record()) {
            RnnOps.Result r = RnnOps.rnn(x, k, rk, b, List.of(h0, c0), null, o);
            Tensor loss = Ops.sum(Ops.mul(r.sequence, Tensor.constant(f(7, -1, 1, B, T, U))));
            loss = Ops.add(loss, Ops.sum(Ops.mul(r.last, Tensor.constant(f(8, -1, 1, B, U)))));
            loss = Ops.add(loss, Ops.sum(Ops.mul(r.states.get(1), Tensor.constant(f(9, -1, 1, B, U)))));
            res.add(r.sequence.value().dup());
            res.add(r.last.value().dup());
            res.add(r.states.get(0).value().dup());
            res.add(r.states.get(1).value().dup());
            tape.backward(loss);
        }
        for (Tensor t : new Tensor[] {x, k, rk, b, h0, c0}) res.add(t.grad().dup());
        return res;
    }

    @Test
    void matchesTheGeneralRecurrenceInFloat32() {
        long before = FastPaths.FLOAT32_LSTM.runs();
        List<INDArray> general = run(false);
        assertEquals(before, FastPaths.FLOAT32_LSTM.runs());
        List<INDArray> fast = run(true);
        assertEquals(before + 1, FastPaths.FLOAT32_LSTM.runs(), "the float32 path ran");
        String[] names = {"sequence", "last", "h", "c", "dx", "dkernel", "drecurrent", "dbias", "dh0", "dc0"};
        for (int i = 0; i < names.length; i++) {
            INDArray a = general.get(i), c = fast.get(i);
            assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(c.shape()), names[i]);
            double scale = Math.max(1, a.amaxNumber().doubleValue());
            double diff = a.castTo(DataType.DOUBLE).sub(c.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            // float32 sums over up to B*T = 448 terms in different orders
            assertTrue(diff <= 2e-4 * scale, names[i] + ": max difference " + diff + " (scale " + scale + ")");
        }
        assertTrue(general.get(5).amaxNumber().doubleValue() > 1, "the gradients are not trivially small");
    }

    /** Central differences in float32 (h = 1e-2) on sampled coordinates of every input of the float32 path. */
    @Test
    void gradientsMatchFloat32FiniteDifferences() {
        FastPaths.FLOAT32_LSTM.setEnabled(true);
        INDArray[] vals = {f(1, -1, 1, B, T, I), f(2, -0.4, 0.4, I, 4 * U), f(3, -0.3, 0.3, U, 4 * U), f(4, -0.5, 0.5, 4 * U),
                f(5, -0.5, 0.5, B, U), f(6, -0.5, 0.5, B, U)};
        INDArray wSeq = f(7, -1, 1, B, T, U), wC = f(9, -1, 1, B, U);
        java.util.function.Function<INDArray[], Double> loss = v -> {
            RnnOps.Options o = new RnnOps.Options();
            o.cell = RnnOps.Cell.LSTM;
            RnnOps.Result r = RnnOps.rnn(Tensor.constant(v[0]), Tensor.constant(v[1]), Tensor.constant(v[2]), Tensor.constant(v[3]),
                    List.of(Tensor.constant(v[4]), Tensor.constant(v[5])), null, o);
            return r.sequence.value().castTo(DataType.DOUBLE).mul(wSeq.castTo(DataType.DOUBLE)).sumNumber().doubleValue()
                    + r.states.get(1).value().castTo(DataType.DOUBLE).mul(wC.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
        };
        Tensor[] ts = new Tensor[vals.length];
        for (int i = 0; i < vals.length; i++) ts[i] = Tensor.variable(vals[i].dup());
        long before = FastPaths.FLOAT32_LSTM.runs();
        try (Tape tape = Tape.record()) {
            RnnOps.Options o = new RnnOps.Options();
            o.cell = RnnOps.Cell.LSTM;
            RnnOps.Result r = RnnOps.rnn(ts[0], ts[1], ts[2], ts[3], List.of(ts[4], ts[5]), null, o);
            tape.backward(Ops.add(Ops.sum(Ops.mul(r.sequence, Tensor.constant(wSeq))), Ops.sum(Ops.mul(r.states.get(1), Tensor.constant(wC)))));
        }
        assertEquals(before + 1, FastPaths.FLOAT32_LSTM.runs(), "the float32 path ran");
        java.util.SplittableRandom pick = new java.util.SplittableRandom(11);
        for (int k = 0; k < vals.length; k++) {
            INDArray g = ts[k].grad();
            for (int trial = 0; trial < 4; trial++) {
                long at = pick.nextLong(vals[k].length());
                INDArray[] plus = vals.clone(), minus = vals.clone();
                plus[k] = vals[k].dup();
                minus[k] = vals[k].dup();
                float v0 = vals[k].getFloat(at);
                plus[k].putScalar(at, v0 + 1e-2f);
                minus[k].putScalar(at, v0 - 1e-2f);
                double numeric = (loss.apply(plus) - loss.apply(minus)) / (2e-2);
                double analytic = g.getDouble(at);
                assertEquals(numeric, analytic, 2e-2 * Math.max(1, Math.abs(numeric)), "input " + k + " at " + at);
            }
        }
    }

    @Test
    void floatTanhAndSigmoidStayWithinFloatRounding() {
        int n = 100_001;
        float[] t = new float[n], s = new float[n];
        for (int i = 0; i < n; i++) t[i] = s[i] = -12f + 24f * i / (n - 1);
        float[] xs = t.clone();
        ActivationKernels.tanhRational(t, 0, n);
        // the gate pass's sigmoid: 0.5 + 0.5 tanh(x / 2)
        for (int i = 0; i < n; i++) s[i] *= 0.5f;
        ActivationKernels.tanhRational(s, 0, n);
        for (int i = 0; i < n; i++) s[i] = 0.5f + 0.5f * s[i];
        for (int i = 0; i < n; i++) {
            assertEquals(Math.tanh(xs[i]), t[i], 6e-7, "tanh at " + xs[i]);
            assertEquals(1 / (1 + Math.exp(-xs[i])), s[i], 4e-7, "sigmoid at " + xs[i]);
        }
    }

    /** Outputs then gradients of kernel, recurrent kernel and bias for a run without initial states. */
    private static List<INDArray> runPlain(boolean float32, boolean sequenceUsed, boolean xNeedsGrad, long seed) {
        FastPaths.FLOAT32_LSTM.setEnabled(float32);
        Tensor x = xNeedsGrad ? Tensor.variable(f(seed, -1, 1, B, T, I)) : Tensor.constant(f(seed, -1, 1, B, T, I));
        Tensor k = Tensor.variable(f(seed + 1, -0.4, 0.4, I, 4 * U));
        Tensor rk = Tensor.variable(f(seed + 2, -0.3, 0.3, U, 4 * U));
        Tensor b = Tensor.variable(f(seed + 3, -0.5, 0.5, 4 * U));
        RnnOps.Options o = new RnnOps.Options();
        o.sequenceUsed = sequenceUsed;
        List<INDArray> res = new ArrayList<>();
        try (Tape tape = Tape.record()) {
            RnnOps.Result r = RnnOps.rnn(x, k, rk, b, null, null, o);
            if (float32 && !sequenceUsed) assertEquals(null, r.sequence, "no sequence when the caller does not use it");
            res.add(r.last.value().dup());
            res.add(r.states.get(1).value().dup());
            tape.backward(Ops.add(Ops.sum(Ops.mul(r.last, Tensor.constant(f(seed + 4, -1, 1, B, U)))),
                    Ops.sum(Ops.mul(r.states.get(1), Tensor.constant(f(seed + 5, -1, 1, B, U))))));
        }
        for (Tensor t : new Tensor[] {k, rk, b}) res.add(t.grad().dup());
        if (xNeedsGrad) res.add(x.grad().dup());
        return res;
    }

    private static void assertClose(List<INDArray> expected, List<INDArray> actual, double tol, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            INDArray a = expected.get(i), c = actual.get(i);
            double scale = Math.max(1, a.amaxNumber().doubleValue());
            double diff = a.castTo(DataType.DOUBLE).sub(c.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertTrue(diff <= tol * scale, what + ", result " + i + ": max difference " + diff + " (scale " + scale + ")");
        }
    }

    /**
     * Only the last output and states (Keras's return_sequences=False), with and without a
     * gradient for the input (the backward products then skip the input's rows): the general
     * recurrence's values and weight gradients.
     */
    @Test
    void lastOutputOnlyWithAndWithoutAnInputGradient() {
        for (boolean xGrad : new boolean[] {true, false}) {
            List<INDArray> general = runPlain(false, true, xGrad, 21);
            long before = FastPaths.FLOAT32_LSTM.runs();
            List<INDArray> fast = runPlain(true, false, xGrad, 21);
            assertEquals(before + 1, FastPaths.FLOAT32_LSTM.runs(), "the float32 path ran");
            assertClose(general, fast, 2e-4, "input gradient " + xGrad);
        }
    }

    /**
     * The per-shape buffers are reused: repeated calls of one shape give the same results as the
     * first, and two calls recorded before one backward pass (two layers of one shape) keep apart.
     */
    @Test
    void reusedBuffersKeepCallsApart() {
        List<INDArray> first = runPlain(true, true, true, 31);
        List<INDArray> other = runPlain(true, true, true, 41);
        assertClose(first, runPlain(true, true, true, 31), 0, "a repeated call");
        FastPaths.FLOAT32_LSTM.setEnabled(true);
        Tensor[] ks = new Tensor[2];
        Tensor x1 = Tensor.constant(f(31, -1, 1, B, T, I)), x2 = Tensor.constant(f(41, -1, 1, B, T, I));
        List<INDArray> outs = new ArrayList<>();
        try (Tape tape = Tape.record()) {
            Tensor loss = null;
            for (int c = 0; c < 2; c++) {
                long seed = c == 0 ? 31 : 41;
                ks[c] = Tensor.variable(f(seed + 1, -0.4, 0.4, I, 4 * U));
                RnnOps.Result r = RnnOps.rnn(c == 0 ? x1 : x2, ks[c], Tensor.constant(f(seed + 2, -0.3, 0.3, U, 4 * U)),
                        Tensor.constant(f(seed + 3, -0.5, 0.5, 4 * U)), null, null, new RnnOps.Options());
                outs.add(r.last.value().dup());
                Tensor l = Ops.add(Ops.sum(Ops.mul(r.last, Tensor.constant(f(seed + 4, -1, 1, B, U)))),
                        Ops.sum(Ops.mul(r.states.get(1), Tensor.constant(f(seed + 5, -1, 1, B, U)))));
                loss = loss == null ? l : Ops.add(loss, l);
            }
            tape.backward(loss);
        }
        // (a product over other buffers may round differently: a float ulp, where mixed-up buffers differ by far more)
        assertClose(List.of(first.get(0), first.get(2)), List.of(outs.get(0), ks[0].grad()), 1e-6, "the first of two calls");
        assertClose(List.of(other.get(0), other.get(2)), List.of(outs.get(1), ks[1].grad()), 1e-6, "the second of two calls");
        assertTrue(first.get(0).sub(other.get(0)).amaxNumber().doubleValue() > 0.01, "the two calls differ");
    }
}
