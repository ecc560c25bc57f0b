package org.cornu.layers;

import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.saving.LayerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TextVectorization against Keras 3's semantics, written out here: TensorFlow's standardization (ASCII-only lowercasing,
 * the punctuation regex), splitting on ASCII whitespace, {@code tf.strings.ngrams}'s width-by-width order, the
 * vocabulary by count with ties broken by the term descending (UTF-8 bytes), padding {@code ""} at 0 and {@code [UNK]}
 * at 1 in int mode, tf-idf {@code log(1 + N / (1 + df))} with the mean weight for OOV. The expected values were worked
 * out by hand from those rules (each case was also run through Keras 3.15.1 with TensorFlow 2.21, which agreed).
 */
class TextVectorizationTest {
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

    private static long[] l(INDArray a) {
        return a.castTo(DataType.LONG).dup('c').data().asLong();
    }

    @Test
    void kerasDocstringExample() {
        TextVectorization tv = new TextVectorization().maxTokens(5000).outputMode("int").outputSequenceLength(4);
        tv.adapt(List.of("foo bar", "bar baz", "baz bada boom"));
        // counts bar 2, baz 2 (tie: baz first), then foo, boom, bada (count 1, descending)
        assertEquals(List.of("", "[UNK]", "baz", "bar", "foo", "boom", "bada"), tv.getVocabulary());
        INDArray y = tv.apply("foo qux bar", "qux baz");
        assertEquals(DataType.LONG, y.dataType());
        assertArrayEquals(new long[] {2, 4}, y.shape());
        assertArrayEquals(new long[] {4, 1, 3, 0, 1, 2, 0, 0}, l(y));
        TextVectorization given = new TextVectorization().outputSequenceLength(4).vocabulary(List.of("earth", "wind", "and", "fire"));
        assertEquals(List.of("", "[UNK]", "earth", "wind", "and", "fire"), given.getVocabulary());
        assertEquals(6, given.vocabularySize());
    }

    @Test
    void intModeTruncatesPadsAndOrdersTies() {
        TextVectorization tv = new TextVectorization().outputSequenceLength(5);
        tv.adapt(new String[] {"b b a c", "c a", "d"});
        // a, b, c twice each: c, b, a; then d
        assertEquals(List.of("", "[UNK]", "c", "b", "a", "d"), tv.getVocabulary());
        assertArrayEquals(new long[] {4, 3, 2, 5, 1, 5, 0, 0, 0, 0}, l(tv.apply("a b c d e f g", "d")));
        // without output_sequence_length a batch is padded to its longest row
        TextVectorization free = new TextVectorization().vocabulary(List.of("c", "b"));
        INDArray y = free.apply("b", "c c x", "");
        assertArrayEquals(new long[] {3, 3}, y.shape());
        assertArrayEquals(new long[] {3, 0, 0, 2, 2, 1, 0, 0, 0}, l(y));
        // a stream and an iterable adapt as the list does
        TextVectorization s = new TextVectorization();
        s.adapt(java.util.stream.Stream.of("b b a c", "c a", "d"));
        assertEquals(tv.getVocabulary(), s.getVocabulary());
        // max_tokens keeps max_tokens - 2 terms in int mode
        TextVectorization m = new TextVectorization().maxTokens(4);
        m.adapt(List.of("b b a c", "c a", "d"));
        assertEquals(List.of("", "[UNK]", "c", "b"), m.getVocabulary());
    }

    @Test
    void standardizationIsTensorFlowsAsciiOnlyLowerAndPunctuationRegex() {
        TextVectorization tv = new TextVectorization().split(null);
        // tf.strings.lower without an encoding lowercases A-Z only; the regex removes ASCII punctuation only
        assertEquals(List.of("ÀÉb İi ß Σ"), tv.tokens("ÀÉB İI ß Σ"));
        assertEquals(List.of("abcde\u2019f\u00bfg\u2014hi"), tv.tokens("a-b,c.d'e\u2019f\u00bfg\u2014h!\"#$%&()*+/:;<=>?@[\\]^_`{|}~i"));
        assertEquals(List.of("a-b"), new TextVectorization().split(null).standardize("lower").tokens("A-B"));
        assertEquals(List.of("AB"), new TextVectorization().split(null).standardize("strip_punctuation").tokens("A-B"));
        // whitespace: runs of space, \t, \n, \v, \f, \r split; U+00A0, U+2003, U+3000, U+0085, \x1c-\x1f do not
        TextVectorization ws = new TextVectorization().standardize(null);
        assertEquals(List.of("a\u00a0b", "c\u2003d\u001ce\u001ff\u3000g", "h", "i", "j", "k", "l\u0085m"),
                ws.tokens(" a\u00a0b c\u2003d\u001ce\u001ff\u3000g\th\ni\u000bj\u000ck\rl\u0085m  "));
    }

    @Test
    void ngramsComeWidthByWidthInTheGivenOrder() {
        TextVectorization up = new TextVectorization().ngrams(2);
        assertEquals(List.of("a", "b", "c", "a b", "b c"), up.tokens("a b c"));
        assertEquals(List.of("x"), up.tokens("x"));
        TextVectorization tv = new TextVectorization().ngrams(2, 1).vocabulary(List.of("a", "b", "a b", "c"));
        // "a b"(4), "b c"(OOV), "c x"(OOV), a(2), b(3), c(5), x(OOV)
        assertArrayEquals(new long[] {4, 1, 1, 2, 3, 5, 1}, l(tv.apply("a b c x")));
        assertEquals(List.of("a c"), new TextVectorization().ngrams(new int[] {2}).tokens("a c"));
    }

    @Test
    void characterSplitAndNoSplit() {
        TextVectorization ch = new TextVectorization().split("character").standardize(null);
        ch.adapt(List.of("héllo wörld", "Ab"));
        // l three times; the rest once, in descending UTF-8 byte order (ö C3 B6 > é C3 A9 > ASCII)
        assertEquals(List.of("", "[UNK]", "l", "ö", "é", "w", "r", "o", "h", "d", "b", "A", " "), ch.getVocabulary());
        assertArrayEquals(new long[] {8, 4, 0, 11, 10, 1}, l(ch.apply("hé", "Ab!")));
        assertEquals(List.of("\ud83d\ude00", "x"), ch.tokens("\ud83d\ude00x"), "code points, not UTF-16 units");
        TextVectorization whole = new TextVectorization().split(null);
        whole.adapt(List.of("x y", "x y", "z"));
        assertEquals(List.of("", "[UNK]", "x y", "z"), whole.getVocabulary());
        INDArray y = whole.apply("x y", "q");
        assertArrayEquals(new long[] {2}, y.shape());
        assertArrayEquals(new long[] {2, 1}, l(y));
    }

    @Test
    void encodedModesAndTfIdfBigrams() {
        TextVectorization tv = new TextVectorization().outputMode("tf_idf").ngrams(2).maxTokens(20);
        tv.adapt(List.of("The cat sat.", "the dog sat!", "A cat; a DOG", "b a"));
        // counts: a 3; the, sat, dog, cat 2; nine terms once (descending); no mask in tf_idf mode
        assertEquals(List.of("[UNK]", "a", "the", "sat", "dog", "cat", "the dog", "the cat", "dog sat", "cat sat", "cat a", "b a",
                "b", "a dog", "a cat"), tv.getVocabulary());
        double two = Math.log(1 + 4.0 / 3), one = Math.log(1 + 4.0 / 2); // document frequency 2 and 1, of 4 documents
        double unk = (5 * (float) two + 9 * (float) one) / 14;
        double[] idf = tv.idfWeights();
        assertEquals(unk, idf[0], 1e-6);
        for (int i = 1; i <= 5; i++) assertEquals(two, idf[i], 1e-6);
        for (int i = 6; i < 15; i++) assertEquals(one, idf[i], 1e-6);
        double[] y = d(tv.apply("the cat", "zzz a"));
        double[] want = new double[30];
        want[2] = two;       // the
        want[5] = two;       // cat
        want[7] = one;       // the cat
        want[15] = 2 * unk;  // zzz, "zzz a"
        want[16] = two;      // a
        assertArrayEquals(want, y, 1e-6);

        TextVectorization mh = new TextVectorization().outputMode("multi_hot").vocabulary(List.of("x", "y"));
        assertArrayEquals(new double[] {1, 0, 1, 0, 0, 0}, d(mh.apply("y q y", "")), 0);
        TextVectorization c = new TextVectorization().outputMode("count").padToMaxTokens(true).maxTokens(6);
        c.adapt(List.of("x y", "x"));
        assertEquals(List.of("[UNK]", "x", "y"), c.getVocabulary());
        assertArrayEquals(new double[] {1, 2, 0, 0, 0, 0}, d(c.apply("x x q")), 0);
    }

    @Test
    void configHasKeras3KeysAndRoundTrips() {
        String[] keys = {"name", "trainable", "dtype", "max_tokens", "standardize", "split", "ngrams", "output_mode",
            "output_sequence_length", "pad_to_max_tokens", "sparse", "ragged", "vocabulary", "idf_weights", "encoding", "vocabulary_size"};
        TextVectorization r = (TextVectorization) configRoundTrip(new TextVectorization().ngrams(1, 3).outputSequenceLength(7)
                .vocabulary(List.of("x", "y")), "TextVectorization", keys);
        assertEquals(List.of(1, 3), r.getConfig().get("ngrams"));
        assertEquals(List.of("", "[UNK]", "x", "y"), r.getVocabulary());
        assertEquals(4, r.getConfig().get("vocabulary_size"));
        configRoundTrip(new TextVectorization().outputMode("tf_idf").ngrams(2).vocabulary(List.of("p", "q"), 1.0, 3.0),
                "TextVectorization", keys);
        // a fresh layer counts its special tokens, as Keras's vocabulary_size(): 2 in int mode, 1 otherwise
        assertEquals(2, new TextVectorization().getConfig().get("vocabulary_size"));
        assertEquals(1, new TextVectorization().outputMode("multi_hot").getConfig().get("vocabulary_size"));
        // Keras 3.15.1's own config of an adapted tf_idf layer
        Map<String, Object> keras = LayerTestSupport.json("{\"name\": \"text_vectorization\", \"trainable\": true, \"dtype\": {\"module\":"
                + " \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, \"registered_name\": null},"
                + " \"max_tokens\": 20, \"standardize\": \"lower_and_strip_punctuation\", \"split\": \"whitespace\", \"ngrams\": 2,"
                + " \"output_mode\": \"tf_idf\", \"output_sequence_length\": null, \"pad_to_max_tokens\": false, \"sparse\": false,"
                + " \"ragged\": false, \"vocabulary\": null, \"idf_weights\": null, \"encoding\": \"utf-8\", \"vocabulary_size\": 15}");
        TextVectorization k = (TextVectorization) LayerFactory.create("TextVectorization", keras);
        assertEquals(new java.util.TreeSet<>(keras.keySet()), new java.util.TreeSet<>(k.getConfig().keySet()));
        assertEquals(List.of("a", "b", "a b"), k.tokens("A b"));
        assertArrayEquals(new long[] {org.cornu.core.Shape.NONE, 15},
                k.computeOutputShape(org.cornu.core.Shape.of(org.cornu.core.Shape.NONE, 1)).dims());
        Map<String, Object> ragged = new java.util.HashMap<>(keras);
        ragged.put("ragged", true);
        assertThrows(IllegalArgumentException.class, () -> TextVectorization.fromConfig(ragged));
    }

    @Test
    void registeredFunctionsAreSavedByName() {
        TextVectorization.registerStandardize("tv_test_no_digits", s -> s.replaceAll("[0-9]", "").toLowerCase());
        TextVectorization.registerSplit("tv_test_commas", s -> List.of(s.split(",")));
        TextVectorization tv = new TextVectorization().standardize("tv_test_no_digits").split("tv_test_commas");
        assertEquals(List.of("a", "bc"), tv.tokens("A1,B2C"));
        Map<String, Object> c = tv.getConfig();
        assertEquals(Map.of("module", "builtins", "class_name", "function", "config", "tv_test_no_digits",
                "registered_name", "function"), c.get("standardize"));
        TextVectorization back = TextVectorization.fromConfig(c);
        assertEquals(List.of("a", "bc"), back.tokens("A1,B2C"));
        Map<String, Object> unknown = new java.util.HashMap<>(c);
        unknown.put("split", Map.of("class_name", "function", "config", "python_only_fn"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextVectorization.fromConfig(unknown));
        assertTrue(e.getMessage().contains("python_only_fn") && e.getMessage().contains("registerSplit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().standardize("upper"));
    }

    @Test
    void vocabularyFileAndSetVocabulary() throws Exception {
        Path f = dir.resolve("vocab.txt");
        Files.writeString(f, "earth\nwind\nand\nfire\n", StandardCharsets.UTF_8);
        TextVectorization tv = new TextVectorization().vocabulary(f);
        assertEquals(List.of("", "[UNK]", "earth", "wind", "and", "fire"), tv.getVocabulary());
        assertEquals(f.toString(), tv.getConfig().get("vocabulary"));
        assertThrows(IllegalArgumentException.class, () -> TextVectorization.fromConfig(tv.getConfig()), "a path outside the archive");
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().outputMode("tf_idf").vocabulary(f));
        assertThrows(IllegalStateException.class, () -> tv.adapt(List.of("x")), "adapt after a static vocabulary");

        TextVectorization set = new TextVectorization().outputMode("tf_idf");
        set.setVocabulary(List.of("p", "q"), 1.0, 3.0);
        assertArrayEquals(new double[] {2, 1, 3}, set.idfWeights(), 0);
        assertEquals(null, set.getConfig().get("vocabulary"), "set_vocabulary is saved in the assets, not the config");
        set.adapt(List.of("r"));
        assertEquals(List.of("[UNK]", "r"), set.getVocabulary());
    }

    @Test
    void assetsAndIdfWeightsAreSavedAsKerasSavesThem() {
        TextVectorization tv = new TextVectorization().outputMode("tf_idf").ngrams(2);
        tv.adapt(List.of("b a", "a"));
        Map<String, byte[]> assets = tv.saveAssets();
        assertEquals(java.util.Set.of("vocabulary.txt", "_lookup_layer/vocabulary.txt"), assets.keySet());
        // counts a 2, b 1, "b a" 1: "b a" > "b" in byte order
        assertEquals("[UNK]\na\nb a\nb", new String(assets.get("vocabulary.txt"), StandardCharsets.UTF_8));
        Map<String, INDArray> vars = tv.saveOwnVariables();
        assertEquals(java.util.Set.of("idf_weights", "_lookup_layer/idf_weights"), vars.keySet());
        TextVectorization back = TextVectorization.fromConfig(tv.getConfig());
        back.loadOwnVariables(vars);
        back.loadAssets(assets);
        assertEquals(tv.getVocabulary(), back.getVocabulary());
        assertArrayEquals(d(tv.apply("a b", "q")), d(back.apply("a b", "q")), 0);
        // only the inner layer's copy (as an older file might hold) is enough
        TextVectorization inner = TextVectorization.fromConfig(tv.getConfig());
        inner.loadOwnVariables(Map.of("_lookup_layer/idf_weights", vars.get("idf_weights")));
        inner.loadAssets(Map.of("_lookup_layer/vocabulary.txt", assets.get("vocabulary.txt")));
        assertEquals(tv.getVocabulary(), inner.getVocabulary());
        // a vocabulary given to the constructor travels in the config, not the assets
        assertEquals(Map.of(), new TextVectorization().vocabulary(List.of("x")).saveAssets());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().outputMode("multi_hot").outputSequenceLength(3));
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().outputSequenceLength(3).outputMode("count"));
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().split("words"));
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().maxTokens(1));
        assertThrows(IllegalArgumentException.class, () -> new TextVectorization().encoding("latin-1"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TextVectorization().outputMode("multi_hot").apply("a"));
        assertTrue(e.getMessage().contains("adapt"), e.getMessage());
    }
}
