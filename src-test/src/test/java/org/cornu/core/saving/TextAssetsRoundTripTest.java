package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cornu.core.Cornu;
import org.cornu.core.InputLayer;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Dense;
import org.cornu.layers.IntegerLookup;
import org.cornu.layers.TextVectorization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lookup layers' state in a {@code .keras} archive as Keras 3 keeps it: the vocabulary in {@code assets/<layer
 * path>/vocabulary.txt} (TextVectorization's also under {@code _lookup_layer/}), tf_idf weights as the named variable
 * {@code idf_weights} in the layer's {@code vars} group (and its {@code _lookup_layer}'s); the layout was read off a
 * file Keras 3.15.1 wrote for the same model ({@code keras315_text_tfidf.keras}, {@link RealKerasFilesTest}).
 */
class TextAssetsRoundTripTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
    }

    private static double[] d(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static <T extends Layer> T layer(Model m, Class<T> c) {
        for (Layer l : m.layers()) if (c.isInstance(l)) return c.cast(l);
        throw new AssertionError("no " + c.getSimpleName() + " in " + m.layers());
    }

    static Model textModel() {
        TextVectorization tv = new TextVectorization().outputMode("tf_idf").ngrams(2).maxTokens(20);
        tv.adapt(List.of("The cat sat.", "the dog sat!", "A cat; a DOG", "b a"));
        KerasTensor in = new InputLayer(1).dtype("string").tensor();
        KerasTensor out = new Dense(2, "softmax").apply(tv.apply(in));
        return new Model(List.of(in), List.of(out), "text_model");
    }

    @Test
    @SuppressWarnings("unchecked")
    void textVectorizationVocabularyAndIdfTravelInTheArchive() throws Exception {
        Model m = textModel();
        Path p = dir.resolve("text.keras");
        m.save(p);
        Map<String, byte[]> z = SavingTestSupport.zipEntries(p);
        assertEquals(List.of("metadata.json", "config.json", "model.weights.h5", "assets/layers/text_vectorization/vocabulary.txt",
                "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt"), new ArrayList<>(z.keySet()), "Keras's entries and order");
        String vocab = "[UNK]\na\nthe\nsat\ndog\ncat\nthe dog\nthe cat\ndog sat\ncat sat\ncat a\nb a\nb\na dog\na cat";
        assertEquals(vocab, new String(z.get("assets/layers/text_vectorization/vocabulary.txt"), StandardCharsets.UTF_8));
        assertEquals(vocab, new String(z.get("assets/layers/text_vectorization/_lookup_layer/vocabulary.txt"), StandardCharsets.UTF_8));
        try (HdfFile h5 = HdfFile.fromBytes(z.get("model.weights.h5"))) {
            for (String g : List.of("layers/text_vectorization/vars/idf_weights", "layers/text_vectorization/_lookup_layer/vars/idf_weights")) {
                Dataset ds = (Dataset) h5.getByPath(g);
                assertArrayEquals(new long[] {15}, ds.getDimensionsAsLong(), g);
                assertEquals(float.class, ds.getJavaType(), g);
                float[] w = (float[]) ds.getDataFlat();
                assertEquals(Math.log(1 + 4.0 / 3), w[1], 1e-6, g + ": idf of 'a' (2 of 4 documents)");
            }
        }
        Map<String, Object> cfg = new ObjectMapper().readValue(z.get("config.json"), Map.class);
        Map<String, Object> input = (Map<String, Object>) ((List<Map<String, Object>>) ((Map<String, Object>) cfg.get("config")).get("layers")).get(0);
        assertEquals("string", ((Map<String, Object>) input.get("config")).get("dtype"));
        assertTrue(KerasFileCheck.check(p) >= 4);

        Model back = Models.loadModel(p);
        TextVectorization a = layer(m, TextVectorization.class), b = layer(back, TextVectorization.class);
        assertEquals(a.getVocabulary(), b.getVocabulary());
        assertArrayEquals(a.idfWeights(), b.idfWeights(), 1e-7);
        INDArray x = b.apply("the cat", "zzz a");
        assertArrayEquals(d(a.apply("the cat", "zzz a")), d(x), 0);
        Dense da = layer(m, Dense.class), db = layer(back, Dense.class);
        assertArrayEquals(d(da.weights().get(0).value()), d(db.weights().get(0).value()), 0);
        // saved again by Cornu: the same archive content
        Path again = dir.resolve("again.keras");
        back.save(again);
        Map<String, byte[]> z2 = SavingTestSupport.zipEntries(again);
        assertEquals(z.keySet(), z2.keySet());
        assertArrayEquals(z.get("assets/layers/text_vectorization/vocabulary.txt"), z2.get("assets/layers/text_vectorization/vocabulary.txt"));
    }

    @Test
    void integerLookupsInASequentialHaveTheirOwnPaths() throws Exception {
        IntegerLookup first = new IntegerLookup().outputMode("count");
        first.adapt(Nd4j.createFromArray(new long[][] {{3, 3, 7}, {7, 7, 1}}));
        Sequential s = new Sequential(new InputLayer(3), first, new Dense(2));
        Path p = dir.resolve("lookup.keras");
        s.save(p);
        Map<String, byte[]> z = SavingTestSupport.zipEntries(p);
        // counts 7: 3, 3: 2, 1: 1
        assertEquals("-1\n7\n3\n1", new String(z.get("assets/layers/integer_lookup/vocabulary.txt"), StandardCharsets.UTF_8));
        KerasFileCheck.check(p);
        Model back = Models.loadModel(p);
        INDArray x = Nd4j.createFromArray(new float[][] {{7, 1, 9}, {3, 3, 3}});
        assertArrayEquals(d(s.predict(x)), d(back.predict(x)), 1e-6);
        assertEquals(first.getVocabulary(), layer(back, IntegerLookup.class).getVocabulary());

        Cornu.clearSession();
        IntegerLookup a = new IntegerLookup().outputMode("multi_hot").vocabulary(List.of(5L, 6L));
        IntegerLookup b = new IntegerLookup().maskToken(0L);
        b.adapt(Nd4j.createFromArray(8L, 8L, 9L));
        Sequential two = new Sequential(new InputLayer(2), b, a);
        Path q = dir.resolve("two.keras");
        two.save(q);
        Map<String, byte[]> zq = SavingTestSupport.zipEntries(q);
        assertEquals("0\n-1\n8\n9", new String(zq.get("assets/layers/integer_lookup/vocabulary.txt"), StandardCharsets.UTF_8));
        assertTrue(zq.keySet().stream().noneMatch(k -> k.startsWith("assets/layers/integer_lookup_1")),
                "a vocabulary given to the constructor stays in the config: " + zq.keySet());
        Model backTwo = Models.loadModel(q);
        assertEquals(b.getVocabulary(), layer(backTwo, IntegerLookup.class).getVocabulary());
    }

    @Test
    void stringLookupBehindAStringInput() throws Exception {
        org.cornu.layers.StringLookup lookup = new org.cornu.layers.StringLookup().outputMode("multi_hot");
        lookup.adapt(List.of("red", "blue", "red", "green", "blue", "red"));
        KerasTensor in = new InputLayer(1).dtype("string").tensor();
        Model m = new Model(List.of(in), List.of(new Dense(1).apply(lookup.apply(in))), "colors");
        Path p = dir.resolve("colors.keras");
        m.save(p);
        Map<String, byte[]> z = SavingTestSupport.zipEntries(p);
        // counts red 3, blue 2, green 1; no mask token: [UNK] first
        assertEquals("[UNK]\nred\nblue\ngreen", new String(z.get("assets/layers/string_lookup/vocabulary.txt"), StandardCharsets.UTF_8));
        KerasFileCheck.check(p);
        org.cornu.layers.StringLookup back = layer(Models.loadModel(p), org.cornu.layers.StringLookup.class);
        assertEquals(List.of("[UNK]", "red", "blue", "green"), back.getVocabulary());
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0, 1, 0}, d(back.apply(new String[][] {{"zz"}, {"blue"}})), 0);
    }

    @Test
    void aMissingVocabularyNamesTheFileAndTheLayer() throws Exception {
        Path p = dir.resolve("text.keras");
        textModel().save(p);
        Map<String, byte[]> z = SavingTestSupport.zipEntries(p);
        Path bad = dir.resolve("bad.keras");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : z.entrySet()) {
                if (e.getKey().startsWith("assets/")) continue;
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Files.write(bad, bytes.toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.loadModel(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("text_vectorization")
                && e.getMessage().contains("vocabulary.txt"), e.getMessage());
    }
}
