package org.cornu.core.ops;

import org.cornu.core.autodiff.StatelessScope;
import static org.cornu.testing.GradCheck.check;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.layers.Bidirectional;
import org.cornu.layers.Dense;
import org.cornu.layers.Embedding;
import org.cornu.layers.GRU;
import org.cornu.layers.LSTM;
import org.cornu.layers.Masking;
import org.cornu.layers.RNNBase;
import org.cornu.layers.RepeatVector;
import org.cornu.layers.SimpleRNN;
import org.cornu.layers.TimeDistributed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.testing.Float64Test;
import org.cornu.testing.RnnModes;

/**
 * Recurrent layers, Embedding and the sequence wrappers: gradients (inputs, initial states and
 * every weight) against central differences in float64, and outputs against a plain per-step
 * implementation of Keras's equations written here.
 */
class RnnGradientTest extends Float64Test {
    private static final double TOL = 1e-6;

    /**
     * Checks gradients of a weighted sum of ALL the layer's outputs (sequence or last output, and
     * states) w.r.t. the inputs {@code xs} and every weight; {@code mask} (may be null) is attached
     * to input 0; {@code before} runs before every evaluation (to restore stateful states).
     */
    static void checkMasked(Layer layer, INDArray mask, Runnable before, INDArray... xs) {
        if (!layer.isBuilt()) {
            List<Shape> shapes = new ArrayList<>();
            for (INDArray x : xs) shapes.add(Shape.of(x.shape()).with(0, Shape.NONE));
            layer.build(shapes);
        }
        List<Weight> ws = layer.weights();
        INDArray[] all = new INDArray[xs.length + ws.size()];
        System.arraycopy(xs, 0, all, 0, xs.length);
        for (int i = 0; i < ws.size(); i++) all[xs.length + i] = ws.get(i).value();
        check(t -> {
            try (StatelessScope scope = new StatelessScope(ws, t.subList(xs.length, t.size()))) {
                if (before != null) before.run();
                List<Tensor> ins = new ArrayList<>(t.subList(0, xs.length));
                if (mask != null) ins.get(0).withMask(mask);
                List<Tensor> outs = layer.invoke(ins, true);
                Tensor total = null;
                int seed = 7;
                for (Tensor o : outs) {
                    Tensor s = Ops.sum(Ops.mul(o, Tensor.constant(rand(seed++, -1, 1, o.shape()))));
                    total = total == null ? s : Ops.add(total, s);
                }
                return total;
            }
        }, TOL, all);
    }

    static void checkRnn(Layer layer, INDArray... xs) {
        checkMasked(layer, null, null, xs);
    }

    private static <T extends RNNBase> T randomBias(T l) {
        return l.biasInitializer("random_normal");
    }

    private static INDArray mask(double[][] m) {
        return Nd4j.create(m);
    }

    // ------------------------------------------------------------------ gradients

    @ParameterizedTest
    @ValueSource(strings = {"last", "sequences", "backwards", "state"})
    void simpleRnnGradients(String mode) {
        SimpleRNN l = randomBias(new SimpleRNN(3));
        if (mode.equals("sequences")) l.returnSequences(true);
        if (mode.equals("backwards")) l.goBackwards(true).returnSequences(true);
        if (mode.equals("state")) l.returnState(true);
        checkRnn(l, rand(1, -1, 1, 2, 4, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"last", "sequences", "backwards", "state", "relu"})
    void lstmGradients(String mode) {
        LSTM l = randomBias(new LSTM(3));
        if (mode.equals("sequences")) l.returnSequences(true);
        if (mode.equals("backwards")) l.goBackwards(true).returnSequences(true).returnState(true);
        if (mode.equals("state")) l.returnState(true);
        if (mode.equals("relu")) l.activation("relu").recurrentActivation("hard_sigmoid").returnSequences(true);
        checkRnn(l, rand(2, -1, 1, 2, 4, 3));
    }

    @Test
    void lstmGradientsReachInitialStates() {
        LSTM l = randomBias(new LSTM(3)).returnSequences(true).returnState(true);
        checkRnn(l, rand(3, -1, 1, 2, 3, 2), rand(4, -1, 1, 2, 3), rand(5, -1, 1, 2, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"last", "sequences", "backwards", "state"})
    void gruGradients(String mode) {
        GRU l = randomBias(new GRU(3));
        if (mode.equals("sequences")) l.returnSequences(true);
        if (mode.equals("backwards")) l.goBackwards(true).returnSequences(true);
        if (mode.equals("state")) l.returnState(true).returnSequences(true);
        checkRnn(l, rand(6, -1, 1, 2, 4, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "simple", "lstm_zero", "lstm_backwards"})
    void maskedGradients(String kind) {
        RNNBase l = switch (kind) {
            case "gru" -> new GRU(3);
            case "simple" -> new SimpleRNN(3);
            default -> new LSTM(3);
        };
        randomBias(l).returnSequences(true).returnState(true);
        if (kind.endsWith("zero")) l.zeroOutputForMask(true);
        if (kind.endsWith("backwards")) l.goBackwards(true);
        // sample 0 padded at the end, sample 1 masked at the start and in the middle
        INDArray m = mask(new double[][] {{1, 1, 1, 0, 0}, {0, 1, 0, 1, 1}});
        checkMasked(l, m, null, rand(7, -1, 1, 2, 5, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "simple"})
    void dropoutGradientsWithFixedMasks(String kind) {
        RNNBase l = switch (kind) {
            case "gru" -> new GRU(3);
            case "simple" -> new SimpleRNN(3);
            default -> new LSTM(3);
        };
        randomBias(l).returnSequences(true).dropout(0.3).recurrentDropout(0.4);
        // re-seeding before each evaluation gives the same masks, so the function is deterministic
        checkMasked(l, null, () -> l.seed(5), rand(17, -1, 1, 3, 4, 3));
        // masks act in training only
        l.seed(5);
        INDArray x = rand(18, -1, 1, 3, 4, 3);
        INDArray train = l.invoke(List.of(Tensor.constant(x)), true).get(0).value();
        INDArray infer = l.apply(x);
        assertTrue(!train.equalsWithEps(infer, 1e-6));
        RNNBase plain = switch (kind) {
            case "gru" -> new GRU(3);
            case "simple" -> new SimpleRNN(3);
            default -> new LSTM(3);
        };
        plain.returnSequences(true).build(Shape.of(Shape.NONE, 4, 3));
        plain.setWeights(l.getWeights());
        assertTrue(plain.apply(x).equalsWithEps(infer, 1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "simple"})
    void nd4jStepProductGivesTheSameValuesAndGradients(String kind) {
        // large layers run each step's recurrent product and the input-side products as ND4J gemms: force them on small ones
        RnnModes.stepGemm("nd4j");
        try {
            RNNBase l = switch (kind) {
                case "gru" -> new GRU(3);
                case "simple" -> new SimpleRNN(3);
                default -> new LSTM(3);
            };
            randomBias(l).returnSequences(true).returnState(true).recurrentDropout(0.3);
            INDArray m = mask(new double[][] {{1, 1, 0, 1}, {0, 1, 1, 1}});
            checkMasked(l, m, () -> l.seed(3), rand(19, -1, 1, 2, 4, 3));
            INDArray x = rand(20, -1, 1, 2, 4, 3);
            INDArray viaNd4j = l.apply(x);
            RnnModes.stepGemm("jvm");
            assertTrue(viaNd4j.equalsWithEps(l.apply(x), 1e-12));
        } finally {
            RnnModes.stepGemm("auto");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat", "sum", "mul", "ave"})
    void bidirectionalGradients(String merge) {
        Bidirectional b = new Bidirectional(randomBias(new LSTM(2)).returnSequences(true), merge);
        checkRnn(b, rand(8, -1, 1, 2, 3, 2));
        assertEquals(6, b.weights().size());
    }

    @Test
    void bidirectionalMaskedWithStatesGradients() {
        Bidirectional b = new Bidirectional(randomBias(new GRU(2)).returnState(true));
        checkMasked(b, mask(new double[][] {{1, 1, 0}, {1, 0, 0}}), null, rand(9, -1, 1, 2, 3, 2));
    }

    @Test
    void statefulGradients() {
        LSTM l = randomBias(new LSTM(3)).stateful(true).returnSequences(true);
        l.build(Shape.of(Shape.NONE, 3, 2));
        l.apply(rand(10, -1, 1, 2, 3, 2)); // states now non-zero
        List<INDArray> saved = new ArrayList<>();
        for (INDArray s : l.states()) saved.add(s.dup());
        assertTrue(saved.get(0).norm2Number().doubleValue() > 0);
        checkMasked(l, null, () -> {
            for (int i = 0; i < saved.size(); i++) l.states().get(i).assign(saved.get(i));
        }, rand(11, -1, 1, 2, 3, 2));
    }

    @Test
    void statefulCarriesStatesAndResets() {
        SimpleRNN l = randomBias(new SimpleRNN(2)).stateful(true);
        INDArray x = rand(12, -1, 1, 1, 6, 2);
        INDArray whole = l.apply(x).dup();
        l.resetStates();
        l.apply(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).dup());
        INDArray second = l.apply(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6)).dup());
        assertTrue(whole.equalsWithEps(second, 1e-12), whole + " vs " + second);
        l.resetStates();
        assertEquals(0.0, l.states().get(0).norm2Number().doubleValue(), 0.0);
    }

    @Test
    void timeDistributedAndRepeatVectorGradients() {
        checkRnn(new TimeDistributed(new Dense(3, "tanh").biasInitializer("random_normal")), rand(13, -1, 1, 2, 4, 5));
        checkRnn(new RepeatVector(3), rand(14, -1, 1, 2, 4));
        assertArrayEquals(new long[] {2, 3, 4}, new RepeatVector(3).apply(rand(14, -1, 1, 2, 4)).shape());
    }

    @Test
    void embeddingGradientIsScatterAdd() {
        Embedding e = new Embedding(5, 3);
        e.build(Shape.of(Shape.NONE, 4));
        INDArray idx = Nd4j.create(new double[][] {{1, 4, 1, 0}, {2, 2, 2, 3}});
        INDArray table = e.weights().get(0).value();
        check(t -> {
            try (StatelessScope scope = new StatelessScope(e.weights(), List.of(t.get(0)))) {
                Tensor o = e.invoke(List.of(Tensor.constant(idx)), true).get(0);
                return Ops.mul(o, Tensor.constant(rand(15, -1, 1, o.shape())));
            }
        }, TOL, table);
        INDArray out = e.apply(idx);
        assertArrayEquals(new long[] {2, 4, 3}, out.shape());
        assertEquals(table.getRow(4), out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
        // int indices work too
        assertEquals(out, e.apply(idx.castTo(org.nd4j.linalg.api.buffer.DataType.INT)));
    }

    @Test
    void embeddingMaskZeroAndMaskingMakePaddingIrrelevant() {
        // Embedding(mask_zero) -> LSTM: padded steps at the end do not change the result
        Embedding e = new Embedding(6, 3).maskZero(true);
        LSTM l = randomBias(new LSTM(2));
        INDArray padded = Nd4j.create(new double[][] {{3, 1, 5, 0, 0}});
        INDArray shortSeq = Nd4j.create(new double[][] {{3, 1, 5}});
        Tensor ep = e.invoke(List.of(Tensor.constant(padded)), false).get(0);
        assertEquals(Nd4j.create(new double[][] {{1, 1, 1, 0, 0}}), ep.mask());
        INDArray a = l.invoke(List.of(ep), false).get(0).value();
        INDArray b = l.invoke(e.invoke(List.of(Tensor.constant(shortSeq)), false), false).get(0).value();
        assertTrue(a.equalsWithEps(b, 1e-12));
        // Masking: all-zero steps skipped, also at the start
        Masking mk = new Masking(0.0);
        INDArray x = rand(16, -1, 1, 1, 3, 2);
        INDArray xp = Nd4j.concat(1, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 2, 2), x);
        Tensor mp = mk.invoke(List.of(Tensor.constant(xp)), false).get(0);
        assertEquals(Nd4j.create(new double[][] {{0, 0, 1, 1, 1}}), mp.mask());
        LSTM l2 = randomBias(new LSTM(2));
        INDArray c = l2.invoke(List.of(mp), false).get(0).value();
        INDArray d = l2.apply(x);
        assertTrue(c.equalsWithEps(d, 1e-12));
    }

    // ------------------------------------------------------------------ against Keras's equations

    private static double sig(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Keras's LSTM, one step at a time, gates i, f, c, o. Returns the sequence (B, T, U). */
    private static double[][][] lstmReference(INDArray x, INDArray k, INDArray rk, INDArray bias) {
        int bsz = (int) x.size(0), tl = (int) x.size(1), in = (int) x.size(2), u = (int) rk.size(0);
        double[][][] out = new double[bsz][tl][u];
        for (int b = 0; b < bsz; b++) {
            double[] h = new double[u], c = new double[u];
            for (int t = 0; t < tl; t++) {
                double[] z = new double[4 * u];
                for (int n = 0; n < 4 * u; n++) {
                    double s = bias.getDouble(n);
                    for (int i = 0; i < in; i++) s += x.getDouble(b, t, i) * k.getDouble(i, n);
                    for (int q = 0; q < u; q++) s += h[q] * rk.getDouble(q, n);
                    z[n] = s;
                }
                for (int j = 0; j < u; j++) {
                    double ig = sig(z[j]), fg = sig(z[u + j]), cc = Math.tanh(z[2 * u + j]), og = sig(z[3 * u + j]);
                    c[j] = fg * c[j] + ig * cc;
                    h[j] = og * Math.tanh(c[j]);
                }
                out[b][t] = h.clone();
            }
        }
        return out;
    }

    /** Keras's GRU with reset_after, gates z, r, h; bias (2, 3U). */
    private static double[][][] gruReference(INDArray x, INDArray k, INDArray rk, INDArray bias) {
        int bsz = (int) x.size(0), tl = (int) x.size(1), in = (int) x.size(2), u = (int) rk.size(0);
        double[][][] out = new double[bsz][tl][u];
        for (int b = 0; b < bsz; b++) {
            double[] h = new double[u];
            for (int t = 0; t < tl; t++) {
                double[] mx = new double[3 * u], mh = new double[3 * u];
                for (int n = 0; n < 3 * u; n++) {
                    mx[n] = bias.getDouble(0, n);
                    for (int i = 0; i < in; i++) mx[n] += x.getDouble(b, t, i) * k.getDouble(i, n);
                    mh[n] = bias.getDouble(1, n);
                    for (int q = 0; q < u; q++) mh[n] += h[q] * rk.getDouble(q, n);
                }
                double[] hn = new double[u];
                for (int j = 0; j < u; j++) {
                    double z = sig(mx[j] + mh[j]);
                    double r = sig(mx[u + j] + mh[u + j]);
                    double hh = Math.tanh(mx[2 * u + j] + r * mh[2 * u + j]);
                    hn[j] = z * h[j] + (1 - z) * hh;
                }
                h = hn;
                out[b][t] = h.clone();
            }
        }
        return out;
    }

    @Test
    void lstmMatchesKerasEquations() {
        LSTM l = new LSTM(3).returnSequences(true);
        l.build(Shape.of(Shape.NONE, 4, 2));
        INDArray k = rand(20, -1, 1, 2, 12), rk = rand(21, -1, 1, 3, 12), b = rand(22, -1, 1, 12);
        l.setWeights(List.of(k, rk, b));
        INDArray x = rand(23, -1, 1, 2, 4, 2);
        assertTrue(Nd4j.create(lstmReference(x, k, rk, b)).equalsWithEps(l.apply(x), 1e-12));
        // go_backwards equals the forward run on the reversed input, output in processing order
        LSTM back = new LSTM(3).returnSequences(true).goBackwards(true);
        back.build(Shape.of(Shape.NONE, 4, 2));
        back.setWeights(List.of(k, rk, b));
        INDArray revc = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, x.shape());
        for (int t = 0; t < 4; t++) {
            revc.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                    .assign(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(3 - t)));
        }
        assertTrue(Nd4j.create(lstmReference(revc, k, rk, b)).equalsWithEps(back.apply(x), 1e-12));
    }

    @Test
    void gruMatchesKerasEquations() {
        GRU l = new GRU(3).returnSequences(true);
        l.build(Shape.of(Shape.NONE, 5, 2));
        INDArray k = rand(30, -1, 1, 2, 9), rk = rand(31, -1, 1, 3, 9), b = rand(32, -1, 1, 2, 9);
        l.setWeights(List.of(k, rk, b));
        INDArray x = rand(33, -1, 1, 2, 5, 2);
        assertTrue(Nd4j.create(gruReference(x, k, rk, b)).equalsWithEps(l.apply(x), 1e-12));
    }

    @Test
    void simpleRnnMatchesKerasEquations() {
        SimpleRNN l = new SimpleRNN(2);
        l.build(Shape.of(Shape.NONE, 3, 2));
        INDArray k = rand(40, -1, 1, 2, 2), rk = rand(41, -1, 1, 2, 2), b = rand(42, -1, 1, 2);
        l.setWeights(List.of(k, rk, b));
        INDArray x = rand(43, -1, 1, 1, 3, 2);
        INDArray h = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 2);
        for (int t = 0; t < 3; t++) {
            INDArray xt = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t));
            h = org.nd4j.linalg.ops.transforms.Transforms.tanh(xt.mmul(k).add(h.mmul(rk)).addRowVector(b));
        }
        assertTrue(h.equalsWithEps(l.apply(x), 1e-12));
    }

    // ------------------------------------------------------------------ shapes, layout, errors

    @Test
    void weightLayoutAndDefaultsAsKeras() {
        LSTM l = new LSTM(4);
        l.build(Shape.of(Shape.NONE, 7, 3));
        assertArrayEquals(new long[] {3, 16}, l.kernel().shape());
        assertArrayEquals(new long[] {4, 16}, l.recurrentKernel().shape());
        assertArrayEquals(new long[] {16}, l.bias().shape());
        // unit_forget_bias: [0]*4, [1]*4, [0]*8
        INDArray expect = Nd4j.concat(0, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 4), Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 4), Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 8));
        assertEquals(expect, l.bias().value());
        GRU g = new GRU(2);
        g.build(Shape.of(Shape.NONE, 7, 3));
        assertArrayEquals(new long[] {2, 6}, g.bias().shape());
        assertEquals("lstm", new LSTM(1).name().replaceAll("_\\d+$", ""));
        assertEquals(true, l.getConfig().get("unit_forget_bias"));
        assertEquals("sigmoid", l.getConfig().get("recurrent_activation"));
    }

    @Test
    void outputShapes() {
        LSTM l = new LSTM(5).returnSequences(true).returnState(true);
        List<Shape> s = l.computeOutputShapes(List.of(Shape.of(Shape.NONE, 7, 3)));
        assertEquals(List.of(Shape.of(Shape.NONE, 7, 5), Shape.of(Shape.NONE, 5), Shape.of(Shape.NONE, 5)), s);
        List<Tensor> outs = l.invoke(List.of(Tensor.constant(rand(1, -1, 1, 2, 7, 3))), false);
        assertEquals(3, outs.size());
        assertArrayEquals(new long[] {2, 7, 5}, outs.get(0).shape());
        // the last state is the last output
        assertTrue(outs.get(1).value().equalsWithEps(outs.get(0).value().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(6)), 1e-12));
        Bidirectional b = new Bidirectional(new GRU(4).returnSequences(true));
        assertArrayEquals(new long[] {2, 7, 8}, b.apply(rand(1, -1, 1, 2, 7, 3)).shape());
    }

    @Test
    void errorsNameLayerAndValue() {
        LSTM l = new LSTM(3).name("my_lstm");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.apply(rand(1, -1, 1, 4, 5)));
        assertTrue(e.getMessage().contains("my_lstm") && e.getMessage().contains("(4, 5)") && e.getMessage().contains("ndim=3"),
                e.getMessage());
        Embedding emb = new Embedding(10, 2).name("emb");
        e = assertThrows(IllegalArgumentException.class, () -> emb.apply(Nd4j.create(new double[][] {{1, 12}})));
        assertTrue(e.getMessage().contains("emb") && e.getMessage().contains("12") && e.getMessage().contains("10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> emb.apply(Nd4j.create(new double[][] {{-1, 2}})));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        LSTM m = new LSTM(2).name("masked_lstm");
        Tensor x = Tensor.constant(rand(1, -1, 1, 2, 4, 3)).withMask(Nd4j.ones(2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> m.invoke(List.of(x), false));
        assertTrue(e.getMessage().contains("masked_lstm") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }
}
