package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cornu.core.Cornu;
import org.cornu.core.Model;
import org.cornu.core.Weight;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code .keras} files written by real Keras 3.15.1 ({@code saving/keras315/}, made by
 * {@code make_keras315_files.py} there): every Cornu layer family and every optimizer, trained 3
 * steps and saved. Loaded with the default {@code loadModel}, each predicts what Keras predicted,
 * and one {@code trainOnBatch} on the same batch gives the weights Keras had after its fourth
 * step: the optimizer state was read in Keras's order (m0, v0, m1, v1 for Adam; RMSprop's kinds
 * one after another; Nadam's u_product; no learning-rate variable under a schedule) and is
 * updated as Keras updates it (all but the Dropout model, whose training draws differ).
 * Tolerance 2e-5: float32 in both, summed in different orders.
 *
 * <p>{@code keras315_text_tfidf.keras} (the {@code text_files} entry) takes strings: two TextVectorization layers
 * (tf_idf bigrams, and int with {@code output_sequence_length}), adapted, their vocabularies in the archive's assets.
 * Loaded, each vectorizes the strings as Keras did, and the tf_idf head predicts what Keras's head predicted on them.
 */
class RealKerasFilesTest {
    private static Map<String, Object> expected;

    @TempDir
    Path dir;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        try (InputStream in = RealKerasFilesTest.class.getResourceAsStream("/saving/keras315/keras315_expected.json")) {
            expected = new ObjectMapper().readValue(in, Map.class);
        }
    }

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
    }

    static Stream<String> files() {
        return Stream.of("convnet_adam", "dropout_rmsprop", "dense_amsgrad", "recurrent_rmsprop", "conv1d_nadam", "upsampling_sgd",
                "schedule_adamw", "dense_adamax", "dense_adagrad", "dense_adadelta", "functional_adam", "nested_adam", "catalogue_adam",
                "preprocessing_adam", "attention_adam", "transpose_adam");
    }

    @org.junit.jupiter.api.Test
    @SuppressWarnings("unchecked")
    void textVectorizationFileLoadsAsKeras() throws Exception {
        Map<String, Object> ex = (Map<String, Object>) ((Map<String, Object>) expected.get("text_files")).get("text_tfidf");
        Path p = dir.resolve("keras315_text_tfidf.keras");
        try (InputStream in = getClass().getResourceAsStream("/saving/keras315/keras315_text_tfidf.keras")) {
            Files.copy(in, p);
        }
        assertTrue(KerasFileCheck.check(p) > 0, "the checker reads Keras's own text file");
        Model m = Models.loadModel(p);
        org.cornu.layers.TextVectorization tfidf = (org.cornu.layers.TextVectorization) m.getLayer("tfidf");
        org.cornu.layers.TextVectorization seq = (org.cornu.layers.TextVectorization) m.getLayer("seq");
        assertEquals(ex.get("vocabulary_tfidf"), tfidf.getVocabulary());
        assertEquals(ex.get("vocabulary_seq"), seq.getVocabulary());
        List<Double> idf = new ArrayList<>();
        flatten(ex.get("idf_weights"), idf);
        assertArrayEquals(idf.stream().mapToDouble(Double::doubleValue).toArray(), tfidf.idfWeights(), 1e-6);
        List<String> x = (List<String>) ex.get("x");
        INDArray v = tfidf.apply(x);
        assertArrayEquals(doubles(array(ex.get("tfidf"), DataType.DOUBLE)), doubles(v), 1e-6, "tf_idf output");
        INDArray ids = seq.apply(x);
        assertArrayEquals(doubles(array(ex.get("seq"), DataType.DOUBLE)), doubles(ids), 0, "int output");
        // the head, from its loaded weights: softmax(v W + b)
        List<Weight> head = m.getLayer("head").weights();
        INDArray z = v.castTo(DataType.DOUBLE).mmul(head.get(0).value().castTo(DataType.DOUBLE))
                .addRowVector(head.get(1).value().castTo(DataType.DOUBLE));
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(z, true);
        INDArray soft = e.divColumnVector(e.sum(1).reshape(-1, 1));
        assertArrayEquals(doubles(array(ex.get("head_predict"), DataType.DOUBLE)), doubles(soft), 2e-5, "head predictions");
    }

    @SuppressWarnings("unchecked")
    private static void flatten(Object o, List<Double> out) {
        if (o instanceof Number n) out.add(n.doubleValue());
        else for (Object x : (List<Object>) o) flatten(x, out);
    }

    private static long[] shapeOf(Object o) {
        List<Long> s = new ArrayList<>();
        while (o instanceof List<?> l) {
            s.add((long) l.size());
            o = l.isEmpty() ? null : l.get(0);
        }
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    static INDArray array(Object nested, DataType type) {
        List<Double> v = new ArrayList<>();
        flatten(nested, v);
        return Nd4j.create(v.stream().mapToDouble(Double::doubleValue).toArray(), shapeOf(nested), DataType.DOUBLE).castTo(type);
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static List<INDArray> arrays(Object spec, boolean multi, DataType type) {
        List<INDArray> r = new ArrayList<>();
        if (multi) for (Object o : (List<?>) spec) r.add(array(o, type));
        else r.add(array(spec, type));
        return r;
    }

    @ParameterizedTest
    @MethodSource("files")
    @SuppressWarnings("unchecked")
    void loadsPredictsAndTrainsOnAsKeras(String name) throws Exception {
        Map<String, Object> ex = (Map<String, Object>) ((Map<String, Object>) expected.get("files")).get(name);
        Path p = dir.resolve("keras315_" + name + ".keras");
        try (InputStream in = getClass().getResourceAsStream("/saving/keras315/keras315_" + name + ".keras")) {
            Files.copy(in, p);
        }
        Model m = Models.loadModel(p);
        assertTrue(m.isCompiled(), name);
        boolean multi = name.startsWith("functional");
        DataType xType = name.startsWith("recurrent") ? DataType.INT32 : DataType.FLOAT;
        List<INDArray> x = arrays(ex.get("x"), multi, xType);
        List<INDArray> y = arrays(ex.get("y"), multi, DataType.FLOAT);

        List<INDArray> pred = multi ? List.of(m.predictAll(x.toArray(new INDArray[0]), new org.cornu.core.training.RunOptions().verbose(0))) : List.of(m.predict(x.get(0)));
        List<INDArray> want = arrays(ex.get("predict"), multi, DataType.DOUBLE);
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(doubles(want.get(i)), doubles(pred.get(i)), 2e-5, name + " predict output " + i);
        }
        assertEquals(((Number) ex.get("optimizer_variables")).intValue(), m.optimizer().variables(m.trainableWeights()).size(),
                name + ": optimizer variables as Keras counts them");

        if (!Boolean.TRUE.equals(ex.get("step_comparable"))) return; // Dropout draws its masks differently
        if (multi) m.trainOnBatch(x.toArray(new INDArray[0]), y.toArray(new INDArray[0]), null);
        else m.trainOnBatch(x.get(0), y.get(0));
        List<Object> after = (List<Object>) ex.get("weights_after_step");
        List<Weight> ws = m.weights();
        assertEquals(after.size(), ws.size(), name + ": weights as Keras lists them");
        for (int i = 0; i < ws.size(); i++) {
            INDArray w = array(after.get(i), DataType.DOUBLE);
            assertArrayEquals(w.shape(), ws.get(i).shape(), name + " weight " + ws.get(i).path());
            assertArrayEquals(doubles(w), doubles(ws.get(i).value()), 2e-5, name + " weight " + ws.get(i).path()
                    + " after one more step");
        }
    }
}
