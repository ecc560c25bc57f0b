package org.cornu.layers;

import static org.cornu.layers.LayerGradientTest.checkLayer;
import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.cornu.testing.GradCheck.rand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.testing.Float64Test;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Attention, AdditiveAttention and MultiHeadAttention against Keras 3's equations, written out here. */
class AttentionLayersTest extends Float64Test {
    private static final double NEG = 1e9;

    /** softmax of one row, Keras's masking: masked positions get scores - 1e9. */
    private static double[] softmax(double[] s, boolean[] keep) {
        double[] z = s.clone();
        for (int j = 0; j < z.length; j++) if (!keep[j]) z[j] -= NEG;
        double mx = Double.NEGATIVE_INFINITY;
        for (double v : z) mx = Math.max(mx, v);
        double sum = 0;
        for (int j = 0; j < z.length; j++) sum += (z[j] = Math.exp(z[j] - mx));
        for (int j = 0; j < z.length; j++) z[j] /= sum;
        return z;
    }

    /**
     * Keras's Attention: scores (b, tq, tv) from {@code score}, value mask and causal mask as
     * scores - 1e9, softmax, weights @ value, output zero where the query mask is false.
     */
    private static double[][][] attention(INDArray q, INDArray v, java.util.function.IntBinaryOperator unused,
                                          ScoreFn score, INDArray qMask, INDArray vMask, boolean causal, double[][][] weightsOut) {
        int b = (int) q.size(0), tq = (int) q.size(1), tv = (int) v.size(1), d = (int) v.size(2);
        double[][][] out = new double[b][tq][d];
        for (int n = 0; n < b; n++) for (int i = 0; i < tq; i++) {
            double[] s = new double[tv];
            boolean[] keep = new boolean[tv];
            for (int j = 0; j < tv; j++) {
                s[j] = score.at(n, i, j);
                keep[j] = (vMask == null || vMask.getDouble(n, j) > 0.5) && (!causal || i >= j);
            }
            double[] w = softmax(s, keep);
            if (weightsOut != null) weightsOut[n][i] = w;
            for (int c = 0; c < d; c++) {
                double acc = 0;
                for (int j = 0; j < tv; j++) acc += w[j] * v.getDouble(n, j, c);
                out[n][i][c] = qMask != null && qMask.getDouble(n, i) < 0.5 ? 0 : acc;
            }
        }
        return out;
    }

    @FunctionalInterface
    interface ScoreFn {
        double at(int n, int i, int j);
    }

    private static void assertClose(double[][][] want, INDArray got, double tol) {
        for (int n = 0; n < want.length; n++) for (int i = 0; i < want[n].length; i++) for (int c = 0; c < want[n][i].length; c++) {
            assertEquals(want[n][i][c], got.getDouble(n, i, c), tol, "at [" + n + ", " + i + ", " + c + "]");
        }
    }

    private static List<INDArray> run(org.cornu.core.Layer layer, INDArray q, INDArray qMask, INDArray v, INDArray vMask) {
        List<Tensor> in = List.of(Tensor.constant(q).withMask(qMask), Tensor.constant(v).withMask(vMask));
        List<INDArray> r = new ArrayList<>();
        for (Tensor t : layer.invoke(in, false)) r.add(t.value());
        return r;
    }

    @Test
    void dotAttentionWithScaleMasksAndCausalMaskIsKerasEquation() {
        INDArray q = rand(1, -1, 1, 2, 4, 3), v = rand(2, -1, 1, 2, 5, 3);
        INDArray qMask = Nd4j.create(new double[][] {{1, 1, 0, 1}, {1, 1, 1, 1}});
        INDArray vMask = Nd4j.create(new double[][] {{1, 0, 1, 1, 1}, {1, 1, 1, 0, 0}});
        Attention a = new Attention().useScale(true).useCausalMask(true).returnAttentionScores(true);
        a.build(List.of(Shape.of(-1, 4, 3), Shape.of(-1, 5, 3)));
        a.scale().assign(Nd4j.scalar(DataType.DOUBLE, 0.7));
        List<INDArray> r = run(a, q, qMask, v, vMask);
        double[][][] w = new double[2][4][];
        double[][][] want = attention(q, v, null, (n, i, j) -> {
            double s = 0;
            for (int c = 0; c < 3; c++) s += q.getDouble(n, i, c) * v.getDouble(n, j, c);
            return 0.7 * s;
        }, qMask, vMask, true, w);
        assertClose(want, r.get(0), 1e-12);
        assertArrayEquals(new long[] {2, 4, 5}, r.get(1).shape());
        for (int n = 0; n < 2; n++) for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) {
            assertEquals(w[n][i][j], r.get(1).getDouble(n, i, j), 1e-12);
        }
        assertEquals(0.0, r.get(1).getDouble(0, 0, 1), 1e-12, "causal and value mask: nothing flows from masked steps");
        // without masks and scale: plain softmax(q k^T) v, the key defaulting to the value
        Attention plain = new Attention();
        INDArray out = plain.applyAll(q, v).get(0);
        assertClose(attention(q, v, null, (n, i, j) -> {
            double s = 0;
            for (int c = 0; c < 3; c++) s += q.getDouble(n, i, c) * v.getDouble(n, j, c);
            return s;
        }, null, null, false, null), out, 1e-12);
        assertEquals(0, plain.weights().size());
    }

    @Test
    void concatScoresAndAdditiveAttentionAreKerasEquations() {
        INDArray q = rand(3, -1, 1, 2, 3, 4), v = rand(4, -1, 1, 2, 5, 4), k = rand(5, -1, 1, 2, 5, 4);
        Attention a = new Attention().scoreMode("concat").useScale(true);
        a.build(List.of(Shape.of(-1, 3, 4), Shape.of(-1, 5, 4), Shape.of(-1, 5, 4)));
        a.scale().assign(Nd4j.scalar(DataType.DOUBLE, 0.5));
        a.concatScoreWeight().assign(Nd4j.scalar(DataType.DOUBLE, 1.5));
        INDArray out = a.applyAll(q, v, k).get(0);
        assertClose(attention(q, v, null, (n, i, j) -> {
            double s = 0;
            for (int c = 0; c < 4; c++) s += Math.tanh(0.5 * (q.getDouble(n, i, c) + k.getDouble(n, j, c)));
            return 1.5 * s;
        }, null, null, false, null), out, 1e-12);

        AdditiveAttention add = new AdditiveAttention();
        INDArray outAdd = add.applyAll(q, v, k).get(0);
        Weight scale = add.scale();
        assertArrayEquals(new long[] {4}, scale.shape());
        assertClose(attention(q, v, null, (n, i, j) -> {
            double s = 0;
            for (int c = 0; c < 4; c++) s += scale.value().getDouble(c) * Math.tanh(q.getDouble(n, i, c) + k.getDouble(n, j, c));
            return s;
        }, null, null, false, null), outAdd, 1e-12);
        AdditiveAttention unscaled = new AdditiveAttention().useScale(false);
        INDArray outUnscaled = unscaled.applyAll(q, v).get(0);
        assertEquals(0, unscaled.weights().size());
        assertClose(attention(q, v, null, (n, i, j) -> {
            double s = 0;
            for (int c = 0; c < 4; c++) s += Math.tanh(q.getDouble(n, i, c) + v.getDouble(n, j, c));
            return s;
        }, null, null, false, null), outUnscaled, 1e-12);
    }

    @Test
    void attentionGradientsMatchFiniteDifferences() {
        INDArray q = rand(6, -1, 1, 2, 3, 4), v = rand(7, -1, 1, 2, 4, 4), k = rand(8, -1, 1, 2, 4, 4);
        checkLayer(new Attention().useScale(true), q, v);
        checkLayer(new Attention().scoreMode("concat").useScale(true).useCausalMask(true), q, v, k);
        checkLayer(new AdditiveAttention(), q, v, k);
    }

    @Test
    void attentionInputsAndArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Attention().scoreMode("cosine"));
        INDArray q = rand(9, -1, 1, 2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Attention().applyAll(q));
        assertTrue(e.getMessage().contains("[query, value]"), e.getMessage());
    }

    @Test
    void attentionInAFunctionalGraphGivesOutputAndScoresShapes() {
        KerasTensor q = Input.of(4, 6), v = Input.of(5, 6);
        List<KerasTensor> outs = new Attention().returnAttentionScores(true).applyAll(List.of(q, v));
        assertEquals(Shape.of(-1, 4, 6), outs.get(0).shape());
        assertEquals(Shape.of(-1, 4, 5), outs.get(1).shape());
        KerasTensor m = new MultiHeadAttention(2, 3).outputShape(7).returnAttentionScores(true).applyAll(List.of(q, v)).get(1);
        assertEquals(Shape.of(-1, 2, 4, 5), m.shape());
    }

    // ------------------------------------------------------------------ MultiHeadAttention

    /**
     * Keras's einsum formulation over the layer's weights: query "abc,cde->abde", key and value
     * the same, scores "aecd,abcd->acbe" of key and query / sqrt(key_dim), masked softmax over the
     * last axis (mask: 1 attends; Keras's Softmax: where(mask, s, -1e9), and 0 after), combine
     * "acbe,aecd->abcd", output "abcd,cde->abe". Returns the output and fills {@code scoresOut}.
     */
    private static INDArray mhaReference(MultiHeadAttention m, INDArray query, INDArray value, INDArray key, double[][][] mask,
                                         double[][][][] scoresOut) {
        INDArray wq = m.sublayerWeights("query").get(0).value(), bq = m.sublayerWeights("query").get(1).value();
        INDArray wk = m.sublayerWeights("key").get(0).value(), bk = m.sublayerWeights("key").get(1).value();
        INDArray wv = m.sublayerWeights("value").get(0).value(), bv = m.sublayerWeights("value").get(1).value();
        INDArray wo = m.sublayerWeights("attention_output").get(0).value(), bo = m.sublayerWeights("attention_output").get(1).value();
        int B = (int) query.size(0), T = (int) query.size(1), S = (int) value.size(1);
        int N = m.numHeads(), H = m.keyDim(), Hv = m.valueDim(), O = (int) wo.size(2);
        double[][][][] qp = proj(query, wq, bq), kp = proj(key, wk, bk), vp = proj(value, wv, bv);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, B, T, O);
        for (int a = 0; a < B; a++) {
            double[][][] ctx = new double[T][N][Hv];
            for (int c = 0; c < N; c++) for (int b = 0; b < T; b++) {
                double[] s = new double[S];
                boolean[] keep = new boolean[S];
                for (int e = 0; e < S; e++) {
                    for (int d = 0; d < H; d++) s[e] += kp[a][e][c][d] * qp[a][b][c][d] / Math.sqrt(H);
                    keep[e] = mask == null || mask[a][b][e] > 0.5;
                }
                double[] z = s.clone();
                for (int e = 0; e < S; e++) if (!keep[e]) z[e] = -1e9;
                double[] p = softmax(z, fill(S));
                for (int e = 0; e < S; e++) if (!keep[e]) p[e] = 0;
                if (scoresOut != null) scoresOut[a][c][b] = p;
                for (int d = 0; d < Hv; d++) for (int e = 0; e < S; e++) ctx[b][c][d] += p[e] * vp[a][e][c][d];
            }
            for (int b = 0; b < T; b++) for (int e = 0; e < O; e++) {
                double acc = bo.getDouble(e);
                for (int c = 0; c < N; c++) for (int d = 0; d < Hv; d++) acc += ctx[b][c][d] * wo.getDouble(c, d, e);
                out.putScalar(new long[] {a, b, e}, acc);
            }
        }
        return out;
    }

    private static boolean[] fill(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    /** "abc,cde->abde" + bias "de". */
    private static double[][][][] proj(INDArray x, INDArray w, INDArray bias) {
        int A = (int) x.size(0), Bn = (int) x.size(1), C = (int) x.size(2), D = (int) w.size(1), E = (int) w.size(2);
        double[][][][] r = new double[A][Bn][D][E];
        for (int a = 0; a < A; a++) for (int b = 0; b < Bn; b++) for (int d = 0; d < D; d++) for (int e = 0; e < E; e++) {
            double acc = bias.getDouble(d, e);
            for (int c = 0; c < C; c++) acc += x.getDouble(a, b, c) * w.getDouble(c, d, e);
            r[a][b][d][e] = acc;
        }
        return r;
    }

    private static MultiHeadAttention randomMha(MultiHeadAttention m, long q, long v, long k) {
        m.build(List.of(Shape.of(-1, 4, q), Shape.of(-1, 5, v), Shape.of(-1, 5, k)));
        long seed = 20;
        for (Weight w : m.weights()) w.assign(rand(seed++, -0.8, 0.8, w.shape()));
        return m;
    }

    @Test
    void multiHeadAttentionWeightsHaveKerasShapesAndOrder() {
        MultiHeadAttention m = new MultiHeadAttention(2, 3).valueDim(4).outputShape(7);
        m.build(List.of(Shape.of(-1, 4, 6), Shape.of(-1, 5, 5), Shape.of(-1, 5, 2)));
        List<long[]> want = List.of(new long[] {6, 2, 3}, new long[] {2, 3}, new long[] {2, 2, 3}, new long[] {2, 3},
                new long[] {5, 2, 4}, new long[] {2, 4}, new long[] {2, 4, 7}, new long[] {7});
        List<Weight> ws = m.weights();
        assertEquals(8, ws.size());
        for (int i = 0; i < 8; i++) assertArrayEquals(want.get(i), ws.get(i).shape(), ws.get(i).path());
        assertEquals(m.name() + "/query/kernel", ws.get(0).path());
        assertEquals(List.of(1), m.getConfig().get("attention_axes"), "resolved at build, as Keras's config shows it");
        MultiHeadAttention noBias = new MultiHeadAttention(2, 3).useBias(false);
        INDArray y = noBias.applyAll(rand(1, -1, 1, 1, 4, 6), rand(2, -1, 1, 1, 5, 6), null, null).get(0);
        assertEquals(4, noBias.weights().size());
        assertArrayEquals(new long[] {1, 4, 6}, y.shape(), "projects back to the query's last dimension");
    }

    @Test
    void multiHeadAttentionIsKerasEinsumFormulationWithMasks() {
        INDArray query = rand(30, -1, 1, 2, 4, 6), value = rand(31, -1, 1, 2, 5, 5), key = rand(32, -1, 1, 2, 5, 3);
        MultiHeadAttention m = randomMha(new MultiHeadAttention(2, 3).valueDim(4).outputShape(7).returnAttentionScores(true), 6, 5, 3);
        List<INDArray> r = m.applyAll(query, value, key, null);
        double[][][][] scores = new double[2][2][4][];
        assertTrue(r.get(0).equalsWithEps(mhaReference(m, query, value, key, null, scores), 1e-10));
        assertArrayEquals(new long[] {2, 2, 4, 5}, r.get(1).shape());
        for (int a = 0; a < 2; a++) for (int c = 0; c < 2; c++) for (int b = 0; b < 4; b++) for (int e = 0; e < 5; e++) {
            assertEquals(scores[a][c][b][e], r.get(1).getDouble(a, c, b, e), 1e-12);
        }

        // masks: the query's and the value's masks, causal mask, and an explicit attention mask, ANDed
        INDArray qMask = Nd4j.create(new double[][] {{1, 1, 1, 0}, {1, 1, 1, 1}});
        INDArray vMask = Nd4j.create(new double[][] {{1, 1, 0, 1, 1}, {1, 1, 1, 1, 0}});
        INDArray att = Nd4j.ones(DataType.DOUBLE, 2, 4, 5);
        att.putScalar(new long[] {1, 3, 1}, 0);
        MultiHeadAttention causal = new MultiHeadAttention(2, 3).valueDim(4).outputShape(7).useCausalMask(true);
        randomMha(causal, 6, 5, 3);
        List<Tensor> in = List.of(Tensor.constant(query).withMask(qMask), Tensor.constant(value).withMask(vMask),
                Tensor.constant(key), Tensor.constant(att));
        Tensor out = causal.invoke(in, false).get(0);
        double[][][] mask = new double[2][4][5];
        for (int a = 0; a < 2; a++) for (int b = 0; b < 4; b++) for (int e = 0; e < 5; e++) {
            mask[a][b][e] = qMask.getDouble(a, b) * vMask.getDouble(a, e) * (b >= e ? 1 : 0) * att.getDouble(a, b, e);
        }
        assertTrue(out.value().equalsWithEps(mhaReference(causal, query, value, key, mask, null), 1e-10));
        assertEquals(qMask, out.mask(), "the output carries the query's mask");
    }

    @Test
    void multiHeadAttentionOverTwoAxesEqualsFlattenedAttention() {
        // attention over axes (1, 2) of (B, 2, 3, dim) is attention over the 6 flattened positions
        INDArray x = rand(40, -1, 1, 2, 2, 3, 4);
        MultiHeadAttention m2 = new MultiHeadAttention(2, 3).attentionAxes(1, 2).returnAttentionScores(true);
        m2.build(List.of(Shape.of(-1, 2, 3, 4), Shape.of(-1, 2, 3, 4)));
        MultiHeadAttention m1 = new MultiHeadAttention(2, 3);
        m1.build(List.of(Shape.of(-1, 6, 4), Shape.of(-1, 6, 4)));
        long seed = 50;
        for (int i = 0; i < m1.weights().size(); i++) {
            INDArray w = rand(seed++, -0.8, 0.8, m1.weights().get(i).shape());
            m1.weights().get(i).assign(w);
            m2.weights().get(i).assign(w);
        }
        List<INDArray> r2 = m2.applyAll(x, x, null, null);
        INDArray r1 = m1.applyAll(x.reshape(2, 6, 4), x.reshape(2, 6, 4), null, null).get(0);
        assertTrue(r1.equalsWithEps(r2.get(0).reshape(2, 6, 4), 1e-10));
        assertArrayEquals(new long[] {2, 2, 2, 3, 2, 3}, r2.get(1).shape());
    }

    @Test
    void multiHeadAttentionGradientsMatchFiniteDifferences() {
        INDArray q = rand(60, -1, 1, 2, 3, 4), v = rand(61, -1, 1, 2, 4, 5), k = rand(62, -1, 1, 2, 4, 3);
        checkLayer(new MultiHeadAttention(2, 2).biasInitializer("random_normal"), q, v);
        checkLayer(new MultiHeadAttention(2, 2).valueDim(3).outputShape(2, 3).useCausalMask(true).biasInitializer("random_normal"),
                q, v, k);
    }

    @Test
    void configsAreKerasKeysAndRoundTrip() {
        String[] base = {"name", "trainable", "dtype"};
        configRoundTrip(new Attention().useScale(true).scoreMode("concat").dropout(0.1).seed(3), "Attention",
                cat(base, "use_scale", "score_mode", "dropout", "seed"));
        configRoundTrip(new AdditiveAttention().useScale(false), "AdditiveAttention", cat(base, "use_scale", "dropout", "seed"));
        MultiHeadAttention m = new MultiHeadAttention(4, 8).valueDim(5).dropout(0.2).useBias(false).outputShape(3, 2)
                .attentionAxes(1).slidingWindow(3).kernelInitializer("he_normal").kernelRegularizer("l2").seed(7);
        MultiHeadAttention back = (MultiHeadAttention) configRoundTrip(m, "MultiHeadAttention", cat(base, "num_heads", "key_dim",
                "value_dim", "dropout", "use_bias", "use_gate", "output_shape", "attention_axes", "sliding_window",
                "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                "kernel_constraint", "bias_constraint", "seed"));
        assertEquals(5, back.valueDim());
        assertEquals(8, new MultiHeadAttention(2, 8).getConfig().get("value_dim"), "value_dim defaults to key_dim");
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(0, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MultiHeadAttention.fromConfig(
                LayerTestSupport.json("{\"num_heads\": 2, \"key_dim\": 2, \"use_gate\": true}")));
        assertTrue(e.getMessage().contains("use_gate"), e.getMessage());
    }

    private static String[] cat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
