package org.cornu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Models;
import org.cornu.datasets.DatasetFiles;
import org.cornu.datasets.Npz;
import org.cornu.examples.TextTransformer.PositionalEmbedding;
import org.cornu.examples.TextTransformer.TransformerEncoder;
import org.cornu.testing.KerasNpz;
import org.cornu.testing.RealData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The text-transformer example's custom layers against the book's equations (float64, written
 * out here as loops), their save/load round trip, and the example itself on a slice of Reuters.
 */
class TextTransformerTest {
    @TempDir
    Path dir;

    private String oldDatasets;
    private String oldCache;

    @BeforeEach
    void reset() throws Exception {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(3);
        TextTransformer.registerLayers();
        oldDatasets = System.getProperty(DatasetFiles.PROP_DATASETS);
        oldCache = System.getProperty(DatasetFiles.PROP_CACHE_DIR);
        System.setProperty(DatasetFiles.PROP_DATASETS, Files.createDirectories(dir.resolve("no-datasets")).toString());
        System.setProperty(DatasetFiles.PROP_CACHE_DIR, Files.createDirectories(dir.resolve("empty-cache")).toString());
    }

    @AfterEach
    void restore() {
        Cornu.setFloatx("float32");
        restore(DatasetFiles.PROP_DATASETS, oldDatasets);
        restore(DatasetFiles.PROP_CACHE_DIR, oldCache);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void positionalEmbeddingAddsTheTokenRowAndThePositionRowAndMasksZeros() {
        Cornu.setFloatx("float64");
        PositionalEmbedding pe = new PositionalEmbedding(4, 10, 3);
        INDArray ids = Nd4j.createFromArray(new double[][] {{1, 2, 0, 0}, {5, 5, 5, 9}});
        Tensor out = pe.invoke(List.of(Tensor.constant(ids)), false).get(0);
        assertEquals(List.of(2L, 4L, 3L), List.of(out.shape()[0], out.shape()[1], out.shape()[2]));
        List<Weight> w = pe.weights();
        assertEquals(2, w.size());
        INDArray tok = w.get(0).value(), pos = w.get(1).value();
        assertEquals(List.of(10L, 3L), List.of(tok.size(0), tok.size(1)));
        assertEquals(List.of(4L, 3L), List.of(pos.size(0), pos.size(1)));
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 4; t++) {
                int id = ids.getInt(b, t);
                for (int d = 0; d < 3; d++) {
                    assertEquals(tok.getDouble(id, d) + pos.getDouble(t, d), out.value().getDouble(b, t, d), 1e-12);
                }
                assertEquals(id != 0 ? 1.0 : 0.0, out.mask().getDouble(b, t), 0.0, "mask at " + b + "," + t);
            }
        }
        assertEquals(10 * 3 + 4 * 3, pe.countParams());
    }

    @Test
    void positionalEmbeddingRefusesSequencesLongerThanItsPositions() {
        PositionalEmbedding pe = new PositionalEmbedding(3, 10, 2).name("pos");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> pe.apply(Nd4j.ones(DataType.FLOAT, 1, 4)));
        assertTrue(e.getMessage().contains("\"pos\"") && e.getMessage().contains("at most 3") && e.getMessage().contains("(1, 4)"),
                e.getMessage());
    }

    /**
     * The encoder against its equations with random weights (biases, gammas and betas included):
     * per head h, softmax over unmasked keys of (x Wq_h + bq_h)(x Wk_h + bk_h)^T / sqrt(key_dim),
     * times x Wv_h + bv_h; concatenated heads times Wo plus bo; y = LN(x + attention);
     * out = LN(y + relu(y W1 + b1) W2 + b2), LN with Keras's epsilon 1e-3. Rows of padded queries
     * are left out (Keras versions differ there; nothing downstream in the book's model reads them
     * but the max pooling).
     */
    @Test
    void encoderEqualsTheBooksEquations() {
        Cornu.setFloatx("float64");
        int B = 2, T = 5, D = 4, F = 3, H = 2;
        TransformerEncoder enc = new TransformerEncoder(D, F, H);
        Random r = new Random(11);
        INDArray x = Nd4j.create(DataType.DOUBLE, B, T, D);
        for (int i = 0; i < x.length(); i++) x.putScalar(i, r.nextGaussian());
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}});
        enc.invoke(List.of(Tensor.constant(x).withMask(mask)), false); // builds
        List<Weight> ws = enc.weights();
        List<String> names = new ArrayList<>();
        for (Weight w : ws) names.add(w.name());
        assertEquals(List.of("query/kernel", "query/bias", "key/kernel", "key/bias", "value/kernel", "value/bias",
                "attention_output/kernel", "attention_output/bias", "kernel", "bias", "kernel", "bias", "gamma", "beta", "gamma", "beta"), names);
        List<INDArray> values = new ArrayList<>();
        for (Weight w : ws) {
            INDArray v = Nd4j.create(DataType.DOUBLE, w.shape());
            for (int i = 0; i < v.length(); i++) v.putScalar(i, 0.5 * r.nextGaussian());
            values.add(v);
        }
        enc.setWeights(values);
        INDArray out = enc.invoke(List.of(Tensor.constant(x).withMask(mask)), false).get(0).value();

        INDArray wq = values.get(0), bq = values.get(1), wk = values.get(2), bk = values.get(3), wv = values.get(4), bv = values.get(5);
        INDArray wo = values.get(6), bo = values.get(7), w1 = values.get(8), b1 = values.get(9), w2 = values.get(10), b2 = values.get(11);
        INDArray g1 = values.get(12), be1 = values.get(13), g2 = values.get(14), be2 = values.get(15);
        for (int b = 0; b < B; b++) {
            double[][][] q = new double[H][T][D], k = new double[H][T][D], v = new double[H][T][D];
            for (int h = 0; h < H; h++) {
                for (int t = 0; t < T; t++) {
                    for (int j = 0; j < D; j++) {
                        double sq = bq.getDouble(h, j), sk = bk.getDouble(h, j), sv = bv.getDouble(h, j);
                        for (int d = 0; d < D; d++) {
                            sq += x.getDouble(b, t, d) * wq.getDouble(d, h, j);
                            sk += x.getDouble(b, t, d) * wk.getDouble(d, h, j);
                            sv += x.getDouble(b, t, d) * wv.getDouble(d, h, j);
                        }
                        q[h][t][j] = sq;
                        k[h][t][j] = sk;
                        v[h][t][j] = sv;
                    }
                }
            }
            for (int t = 0; t < T; t++) {
                if (mask.getDouble(b, t) == 0) continue;
                double[] att = new double[D];
                for (int o = 0; o < D; o++) att[o] = bo.getDouble(o);
                for (int h = 0; h < H; h++) {
                    double[] p = new double[T];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int s = 0; s < T; s++) {
                        if (mask.getDouble(b, s) == 0) continue;
                        double dot = 0;
                        for (int j = 0; j < D; j++) dot += q[h][t][j] * k[h][s][j];
                        p[s] = dot / Math.sqrt(D);
                        max = Math.max(max, p[s]);
                    }
                    for (int s = 0; s < T; s++) {
                        p[s] = mask.getDouble(b, s) == 0 ? 0 : Math.exp(p[s] - max);
                        sum += p[s];
                    }
                    for (int j = 0; j < D; j++) {
                        double c = 0;
                        for (int s = 0; s < T; s++) c += p[s] / sum * v[h][s][j];
                        for (int o = 0; o < D; o++) att[o] += c * wo.getDouble(h, j, o);
                    }
                }
                double[] res = new double[D];
                for (int o = 0; o < D; o++) res[o] = x.getDouble(b, t, o) + att[o];
                double[] y = layerNorm(res, g1, be1);
                double[] hid = new double[F];
                for (int f = 0; f < F; f++) {
                    double s = b1.getDouble(f);
                    for (int d = 0; d < D; d++) s += y[d] * w1.getDouble(d, f);
                    hid[f] = Math.max(0, s);
                }
                double[] res2 = new double[D];
                for (int o = 0; o < D; o++) {
                    double s = b2.getDouble(o);
                    for (int f = 0; f < F; f++) s += hid[f] * w2.getDouble(f, o);
                    res2[o] = y[o] + s;
                }
                double[] expected = layerNorm(res2, g2, be2);
                for (int o = 0; o < D; o++) {
                    assertEquals(expected[o], out.getDouble(b, t, o), 1e-9, "output at " + b + "," + t + "," + o);
                }
            }
        }
        assertFalse(out.isNaN().any() || out.isInfinite().any(), "padded query rows are finite too");
    }

    private static double[] layerNorm(double[] v, INDArray gamma, INDArray beta) {
        double mean = 0, var = 0;
        for (double a : v) mean += a / v.length;
        for (double a : v) var += (a - mean) * (a - mean) / v.length;
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (v[i] - mean) / Math.sqrt(var + 1e-3) * gamma.getDouble(i) + beta.getDouble(i);
        return r;
    }

    /** One training step moves every weight of both custom layers (gradients reach each sub-layer). */
    @Test
    void trainingUpdatesEverySubLayerWeight() {
        Sequential m = TextTransformer.model(6, 30, 8, 4, 2, 3);
        List<Weight> ws = new ArrayList<>(m.layers().get(0).weights());
        ws.addAll(m.layers().get(1).weights());
        assertEquals(2 + 16, ws.size());
        assertEquals(ws.size(), m.trainableWeights().size() - 2, "the custom layers' weights, then Dense's kernel and bias");
        List<INDArray> before = new ArrayList<>();
        for (Weight w : ws) before.add(w.value().dup());
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 0, 0, 0}, {10, 11, 12, 13, 14, 0}});
        INDArray y = Nd4j.createFromArray(new float[] {0, 1, 2});
        m.trainOnBatch(x, y);
        for (int i = 0; i < ws.size(); i++) {
            if (ws.get(i).name().equals("embeddings") && i == 0) {
                // token rows never seen (15..29) stay; a seen row moves
                assertFalse(before.get(i).getRow(1).equalsWithEps(ws.get(i).value().getRow(1), 0), ws.get(i).path());
                continue;
            }
            assertFalse(before.get(i).equalsWithEps(ws.get(i).value(), 0), ws.get(i).path() + " did not change");
        }
    }

    @Test
    void savedModelLoadsWithTheCustomLayersAndPredictsTheSame() {
        Sequential m = TextTransformer.model(6, 30, 8, 4, 2, 3);
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 0, 0, 0}});
        m.trainOnBatch(x, Nd4j.createFromArray(new float[] {0, 2}));
        Path p = dir.resolve("tt.keras");
        m.save(p);
        Model r = Models.loadModel(p);
        assertInstanceOf(PositionalEmbedding.class, r.layers().get(0));
        assertInstanceOf(TransformerEncoder.class, r.layers().get(1));
        Map<String, Object> c = r.layers().get(1).getConfig();
        assertEquals(8, ((Number) c.get("embed_dim")).intValue());
        assertEquals(4, ((Number) c.get("dense_dim")).intValue());
        assertEquals(2, ((Number) c.get("num_heads")).intValue());
        assertEquals(6, ((Number) r.layers().get(0).getConfig().get("sequence_length")).intValue());
        INDArray a = m.predict(x), b = r.predict(x);
        assertTrue(a.equalsWithEps(b, 1e-6), a + " vs " + b);
    }

    @Test
    void decodingIsKerasOffsetOfThree() {
        // index i is the word of rank i - 3; 0, 1, 2 (padding, start, unknown) and unknown ranks give "?"
        List<String> t = TextTransformer.decodedTexts(new int[][] {{1, 4, 5, 2, 99}}, Map.of("the", 1, "said", 2));
        assertEquals(List.of("? the said ? ?"), t);
    }

    /** The example through the launcher on 600 real newswires, tiny dimensions; --load gives back the same test numbers. */
    @Test
    void exampleTrainsSavesAndLoadsOnASliceOfReuters() throws Exception {
        int[][] x;
        int[] y;
        try (Npz npz = Npz.open(RealData.file("reuters.npz"))) {
            x = java.util.Arrays.copyOf(npz.getSequences("x"), 600);
            y = java.util.Arrays.copyOf(npz.get("y").castTo(DataType.INT).data().asInt(), 600);
        }
        Path data = KerasNpz.create().sequences("x", x).int64("y", y).write(dir.resolve("reuters-600.npz"));
        Files.copy(RealData.file("reuters_word_index.json"), dir.resolve("reuters_word_index.json"));
        Path saved = dir.resolve("tt.keras");
        String[] common = {"--data", data.toString(), "--max-tokens", "2000", "--sequence-length", "40", "--embed-dim", "8",
            "--dense-dim", "4", "--num-heads", "2", "--batch-size", "144"};
        List<String> a = new ArrayList<>(List.of("text-transformer", "--epochs", "1", "--verbose", "1", "--save", saved.toString()));
        a.addAll(List.of(common));
        String text = Vgg16TransferTest.run(a.toArray(String[]::new));
        assertTrue(text.contains("Training newswires: 480, test: 120"), text);
        assertTrue(text.contains("Validation: the first 48 training newswires"), text);
        // 432 training newswires at batch 144: 3 steps
        assertTrue(Pattern.compile("(?m)^\\s*3/3 ").matcher(text).find(), text);
        Matcher first = Pattern.compile("First newswire, decoded: (.*)").matcher(text);
        assertTrue(first.find(), text);
        assertTrue(first.group(1).split(" ").length > 5 && first.group(1).matches("[a-z0-9 ?'\\-.]+"), first.group(1));
        assertTrue(Files.isRegularFile(saved), text);
        assertTrue(text.contains("bag_of_words_test_accuracy: "), text);
        List<String> l = new ArrayList<>(List.of("text-transformer", "--load", saved.toString()));
        l.addAll(List.of(common));
        String loaded = Vgg16TransferTest.run(l.toArray(String[]::new));
        assertEquals(metric(text, "test_accuracy"), metric(loaded, "test_accuracy"));
        assertEquals(metric(text, "test_loss"), metric(loaded, "test_loss"));
    }

    private static String metric(String out, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }
}
