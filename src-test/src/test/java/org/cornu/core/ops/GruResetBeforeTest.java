package org.cornu.core.ops;

import static org.cornu.testing.GradCheck.rand;
import static org.cornu.core.ops.RnnGradientTest.checkMasked;
import static org.cornu.core.ops.RnnGradientTest.checkRnn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.layers.Bidirectional;
import org.cornu.layers.GRU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Shape;
import org.cornu.testing.Float64Test;
import org.cornu.testing.RnnModes;

/**
 * GRU with {@code reset_after=False} (the reset gate multiplies the state before the candidate's
 * recurrent product; one bias of shape {@code (3*units)}): outputs against a plain per-step
 * implementation of Keras's equations written here, and gradients (inputs, initial state, kernel,
 * recurrent kernel, bias) against central differences, in float64.
 */
class GruResetBeforeTest extends Float64Test {
    private static final int U = 3, T = 5, IN = 2, B = 2;

    private static double sig(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * Keras's GRUCell with reset_after=False, one step at a time:
     * {@code z = sig(x W_z + b_z + hm U_z)}, {@code r = sig(x W_r + b_r + hm U_r)},
     * {@code hh = tanh(x W_h + b_h + (r * hm) U_h)}, {@code h = z * h + (1 - z) * hh}, where
     * {@code hm = h * rm} (recurrent dropout mask, or h). A masked step keeps the state and repeats
     * the previous output (zeros before the first). Returns the outputs in processing order (B, T, U).
     *
     * @param bias (3U) or null; mask (B, T) or null; h0 (B, U) or null; rm (B*U) or null
     */
    static double[][][] reference(INDArray x, INDArray k, INDArray rk, INDArray bias, INDArray mask, boolean backwards,
                                  INDArray h0, double[] rm) {
        int bsz = (int) x.size(0), tl = (int) x.size(1), in = (int) x.size(2), u = (int) rk.size(0);
        double[][][] out = new double[bsz][tl][u];
        for (int b = 0; b < bsz; b++) {
            double[] h = new double[u], prev = new double[u];
            if (h0 != null) for (int j = 0; j < u; j++) h[j] = h0.getDouble(b, j);
            for (int step = 0; step < tl; step++) {
                int t = backwards ? tl - 1 - step : step;
                if (mask != null && mask.getDouble(b, t) == 0) {
                    out[b][step] = prev.clone();
                    continue;
                }
                double[] hm = new double[u];
                for (int q = 0; q < u; q++) hm[q] = rm == null ? h[q] : h[q] * rm[b * u + q];
                double[] xp = new double[3 * u];
                for (int n = 0; n < 3 * u; n++) {
                    xp[n] = bias == null ? 0 : bias.getDouble(n);
                    for (int i = 0; i < in; i++) xp[n] += x.getDouble(b, t, i) * k.getDouble(i, n);
                }
                double[] z = new double[u], r = new double[u];
                for (int j = 0; j < u; j++) {
                    double sz = xp[j], sr = xp[u + j];
                    for (int q = 0; q < u; q++) {
                        sz += hm[q] * rk.getDouble(q, j);
                        sr += hm[q] * rk.getDouble(q, u + j);
                    }
                    z[j] = sig(sz);
                    r[j] = sig(sr);
                }
                double[] hn = new double[u];
                for (int j = 0; j < u; j++) {
                    double sh = xp[2 * u + j];
                    for (int q = 0; q < u; q++) sh += r[q] * hm[q] * rk.getDouble(q, 2 * u + j);
                    double hh = Math.tanh(sh);
                    hn[j] = z[j] * h[j] + (1 - z[j]) * hh;
                }
                h = hn;
                prev = hn.clone();
                out[b][step] = hn.clone();
            }
        }
        return out;
    }

    private static GRU layer(boolean useBias, INDArray k, INDArray rk, INDArray b) {
        GRU l = new GRU(U).resetAfter(false).useBias(useBias).returnSequences(true);
        l.build(Shape.of(Shape.NONE, T, IN));
        List<INDArray> ws = new ArrayList<>(List.of(k, rk));
        if (useBias) ws.add(b);
        l.setWeights(ws);
        return l;
    }

    private static INDArray seq(double[][][] v) {
        return Nd4j.create(v);
    }

    private static INDArray reversed(INDArray x) {
        INDArray r = x.dup();
        long tl = x.size(1);
        for (long t = 0; t < tl; t++) {
            r.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                    .assign(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(tl - 1 - t)));
        }
        return r;
    }

    // ------------------------------------------------------------------ values

    @Test
    void matchesKerasEquations() {
        INDArray k = rand(30, -1, 1, IN, 3 * U), rk = rand(31, -1, 1, U, 3 * U), b = rand(32, -1, 1, 3 * U);
        INDArray x = rand(33, -1, 1, B, T, IN);
        GRU l = layer(true, k, rk, b);
        double[][][] want = reference(x, k, rk, b, null, false, null, null);
        assertTrue(seq(want).equalsWithEps(l.apply(x), 1e-12));
        // the last output alone
        GRU last = new GRU(U).resetAfter(false);
        last.build(Shape.of(Shape.NONE, T, IN));
        last.setWeights(List.of(k, rk, b));
        INDArray lastWant = seq(want).get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(T - 1));
        assertTrue(lastWant.equalsWithEps(last.apply(x), 1e-12));
        // and it is not the reset_after form with a zero recurrent bias
        GRU after = new GRU(U).returnSequences(true);
        after.build(Shape.of(Shape.NONE, T, IN));
        after.setWeights(List.of(k, rk, Nd4j.concat(0, b.reshape(1, 3 * U), Nd4j.zeros(b.dataType(), 1, 3 * U))));
        assertFalse(after.apply(x).equalsWithEps(l.apply(x), 1e-6));
    }

    @Test
    void goBackwardsMatchesKerasEquations() {
        INDArray k = rand(34, -1, 1, IN, 3 * U), rk = rand(35, -1, 1, U, 3 * U), b = rand(36, -1, 1, 3 * U);
        INDArray x = rand(37, -1, 1, B, T, IN);
        GRU l = layer(true, k, rk, b).goBackwards(true);
        INDArray want = seq(reference(x, k, rk, b, null, true, null, null));
        assertTrue(want.equalsWithEps(l.apply(x), 1e-12));
        // equals the forward run on the reversed input (outputs in processing order)
        assertTrue(seq(reference(reversed(x), k, rk, b, null, false, null, null)).equalsWithEps(want, 1e-14));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void maskedMatchesKerasEquations(boolean backwards) {
        INDArray k = rand(38, -1, 1, IN, 3 * U), rk = rand(39, -1, 1, U, 3 * U), b = rand(40, -1, 1, 3 * U);
        INDArray x = rand(41, -1, 1, B, T, IN);
        INDArray m = Nd4j.create(new double[][] {{1, 1, 1, 0, 0}, {0, 1, 0, 1, 1}});
        GRU l = layer(true, k, rk, b).goBackwards(backwards);
        INDArray got = l.invoke(List.of(Tensor.constant(x).withMask(m)), false).get(0).value();
        assertTrue(seq(reference(x, k, rk, b, m, backwards, null, null)).equalsWithEps(got, 1e-12));
    }

    @Test
    void withoutBiasMatchesKerasEquations() {
        INDArray k = rand(42, -1, 1, IN, 3 * U), rk = rand(43, -1, 1, U, 3 * U);
        INDArray x = rand(44, -1, 1, B, T, IN);
        GRU l = layer(false, k, rk, null);
        assertEquals(2, l.weights().size());
        assertTrue(seq(reference(x, k, rk, null, null, false, null, null)).equalsWithEps(l.apply(x), 1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "nd4j"})
    void initialStateAndRecurrentDropoutMaskMatchKerasEquations(String stepGemm) {
        // the fused loop directly, with a given recurrent dropout mask (Keras: h * mask in each gate's product)
        RnnModes.stepGemm(stepGemm);
        try {
            INDArray k = rand(45, -1, 1, IN, 3 * U), rk = rand(46, -1, 1, U, 3 * U), b = rand(47, -1, 1, 3 * U);
            INDArray x = rand(48, -1, 1, B, T, IN), h0 = rand(49, -1, 1, B, U);
            INDArray m = Nd4j.create(new double[][] {{1, 0, 1, 1, 0}, {1, 1, 1, 1, 1}});
            double[] rm = {0, 2, 2, 2, 0, 2};
            RnnOps.Options o = new RnnOps.Options();
            o.cell = RnnOps.Cell.GRU;
            o.resetAfter = false;
            o.recurrentMask = rm;
            RnnOps.Result r = RnnOps.rnn(Tensor.constant(x), Tensor.constant(k), Tensor.constant(rk), Tensor.constant(b),
                    List.of(Tensor.constant(h0)), m, o);
            double[][][] want = reference(x, k, rk, b, m, false, h0, rm);
            assertTrue(seq(want).equalsWithEps(r.sequence.value(), 1e-12));
            assertTrue(Nd4j.create(new double[][] {want[0][4], want[1][4]}).equalsWithEps(r.states.get(0).value(), 1e-12));
        } finally {
            RnnModes.stepGemm("auto");
        }
    }

    @Test
    void nd4jStepProductGivesTheSameValues() {
        INDArray k = rand(50, -1, 1, IN, 3 * U), rk = rand(51, -1, 1, U, 3 * U), b = rand(52, -1, 1, 3 * U);
        INDArray x = rand(53, -1, 1, B, T, IN);
        GRU l = layer(true, k, rk, b);
        INDArray viaJvm = l.apply(x);
        RnnModes.stepGemm("nd4j");
        try {
            assertTrue(viaJvm.equalsWithEps(l.apply(x), 1e-12));
        } finally {
            RnnModes.stepGemm("auto");
        }
    }

    // ------------------------------------------------------------------ gradients

    private static GRU gru() {
        return new GRU(U).resetAfter(false).biasInitializer("random_normal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"last", "sequences", "backwards", "state", "nobias", "relu"})
    void gradients(String mode) {
        GRU l = gru();
        if (mode.equals("sequences")) l.returnSequences(true);
        if (mode.equals("backwards")) l.goBackwards(true).returnSequences(true);
        if (mode.equals("state")) l.returnState(true).returnSequences(true);
        if (mode.equals("nobias")) l.useBias(false).returnSequences(true);
        if (mode.equals("relu")) l.activation("relu").recurrentActivation("hard_sigmoid").returnSequences(true);
        checkRnn(l, rand(6, -1, 1, B, 4, IN));
    }

    @Test
    void gradientsReachInitialState() {
        checkRnn(gru().returnSequences(true).returnState(true), rand(8, -1, 1, B, 4, IN), rand(9, -1, 1, B, U));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "zero", "backwards"})
    void maskedGradients(String mode) {
        GRU l = gru().returnSequences(true).returnState(true);
        if (mode.equals("zero")) l.zeroOutputForMask(true);
        if (mode.equals("backwards")) l.goBackwards(true);
        INDArray m = Nd4j.create(new double[][] {{1, 1, 1, 0, 0}, {0, 1, 0, 1, 1}});
        checkMasked(l, m, null, rand(7, -1, 1, B, 5, IN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "nd4j"})
    void dropoutAndMaskGradientsWithFixedMasks(String stepGemm) {
        RnnModes.stepGemm(stepGemm);
        try {
            GRU l = gru().returnSequences(true).returnState(true).dropout(0.3).recurrentDropout(0.4);
            INDArray m = Nd4j.create(new double[][] {{1, 1, 0, 1}, {0, 1, 1, 1}, {1, 1, 1, 1}});
            // re-seeding before each evaluation gives the same masks, so the function is deterministic
            checkMasked(l, m, () -> l.seed(5), rand(17, -1, 1, 3, 4, IN), rand(18, -1, 1, 3, U));
        } finally {
            RnnModes.stepGemm("auto");
        }
    }

    @Test
    void bidirectionalGradients() {
        Bidirectional b = new Bidirectional(gru().returnSequences(true));
        checkRnn(b, rand(10, -1, 1, B, 4, IN));
        assertArrayEquals(new long[] {3 * U}, ((GRU) b.backwardLayer()).bias().shape());
        assertFalse(((GRU) b.backwardLayer()).resetAfter());
    }

    // ------------------------------------------------------------------ layout, errors

    @Test
    void weightLayoutAsKeras() {
        GRU g = new GRU(4).resetAfter(false);
        g.build(Shape.of(Shape.NONE, 7, 3));
        assertArrayEquals(new long[] {3, 12}, g.kernel().shape());
        assertArrayEquals(new long[] {4, 12}, g.recurrentKernel().shape());
        assertArrayEquals(new long[] {12}, g.bias().shape());
        assertEquals(false, g.getConfig().get("reset_after"));
        assertEquals(true, new GRU(4).getConfig().get("reset_after"));
        // the bias shape is fixed at build
        assertThrows(IllegalStateException.class, () -> g.resetAfter(true));
        // the fused loop refuses a (2, 3U) bias in the reset_before form
        RnnOps.Options o = new RnnOps.Options();
        o.cell = RnnOps.Cell.GRU;
        o.resetAfter = false;
        o.layerName = "g";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RnnOps.rnn(
                Tensor.constant(rand(1, -1, 1, 1, 2, 3)), Tensor.constant(rand(2, -1, 1, 3, 6)),
                Tensor.constant(rand(3, -1, 1, 2, 6)), Tensor.constant(rand(4, -1, 1, 2, 6)), null, null, o));
        assertTrue(e.getMessage().contains("\"g\"") && e.getMessage().contains("(6)"), e.getMessage());
    }
}
