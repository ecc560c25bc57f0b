package org.cornu.layers;

import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * StringLookup and IntegerLookup against Keras's IndexLookup semantics (TensorFlow, which Keras's lookup layers need,
 * is not installed here, so the expected values follow index_lookup.py's equations): vocabulary by count descending,
 * ties by the term descending; mask at 0 and OOV next in int mode; tf_idf = count * log(1 + N / (1 + df)).
 */
class LookupLayersTest {
    private static double[] d(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    @Test
    void adaptOrdersByCountThenTermDescending() {
        StringLookup l = new StringLookup();
        // counts: b 3, a 2, c 2, d 1, [UNK] 1 (removed from the counts as Keras does)
        l.adapt(List.of("a", "b", "c", "b", "a", "b", "c", "d", "[UNK]"));
        // ties a/c (2): np.lexsort((tokens, counts))[::-1] puts the larger term first
        assertEquals(List.of("[UNK]", "b", "c", "a", "d"), l.getVocabulary());
        assertEquals(List.of("b", "c", "a", "d"), l.getVocabulary(false));
        assertArrayEquals(new long[] {3, 1, 0, 4, 2}, l.apply("a", "b", "zzz", "d", "c").data().asLong());
        // max_tokens keeps the first max_tokens - 1 terms; the mask token takes index 0 in int mode
        StringLookup m = new StringLookup().maxTokens(4).maskToken("");
        m.adapt(List.of("a", "b", "c", "b", "a", "b", "c", "d", "", ""));
        assertEquals(List.of("", "[UNK]", "b", "c"), m.getVocabulary());
        assertArrayEquals(new long[] {0, 1, 2, 3, 1}, m.apply("", "a", "b", "c", "d").data().asLong());
        // strings tie in UTF-8 byte order, not UTF-16: U+FF5E (EF BD 9E) is above U+1F600 (F0 9F 98 80) in UTF-16 only
        StringLookup u = new StringLookup();
        u.adapt(List.of("\uff5e", "\ud83d\ude00"));
        assertEquals(List.of("[UNK]", "\ud83d\ude00", "\uff5e"), u.getVocabulary());
    }

    @Test
    void encodedModesDropTheMaskAndUseTheVocabularySize() {
        StringLookup l = new StringLookup().maskToken("").outputMode("multi_hot").vocabulary(List.of("x", "y"));
        // no mask index outside int mode: [UNK] 0, x 1, y 2; the mask is dropped
        assertEquals(List.of("[UNK]", "x", "y"), l.getVocabulary());
        assertArrayEquals(new double[] {1, 0, 1, 0, 1, 0}, d(l.apply(new String[][] {{"q", "y", ""}, {"x", "", ""}})), 0);
        StringLookup c = new StringLookup().outputMode("count").padToMaxTokens(true).maxTokens(5).vocabulary(List.of("x", "y"));
        assertArrayEquals(new double[] {1, 0, 2, 0, 0}, d(c.apply(new String[][] {{"q", "y", "y"}})), 0);
        StringLookup oh = new StringLookup().outputMode("one_hot").vocabulary(List.of("x", "y"));
        assertArrayEquals(new long[] {2, 3}, oh.apply(new String[][] {{"x"}, {"y"}}).shape());
    }

    @Test
    void tfIdfWeightsAreKerasInverseDocumentFrequencies() {
        StringLookup l = new StringLookup().outputMode("tf_idf");
        // three documents; counts a 3, d 3 (tie: d first), b 2, c 1; document frequencies a 2, d 1, b 2, c 1
        l.adapt(new String[][] {{"a", "a", "b"}, {"a", "b", "c"}, {"d", "d", "d"}});
        assertEquals(List.of("[UNK]", "d", "a", "b", "c"), l.getVocabulary());
        double wd = Math.log(1 + 3.0 / 2), wa = Math.log(1 + 3.0 / 3), wb = Math.log(1 + 3.0 / 3), wc = Math.log(1 + 3.0 / 2);
        double unk = (wd + wa + wb + wc) / 4;
        assertArrayEquals(new double[] {unk, wd, wa, wb, wc}, l.idfWeights(), 1e-6);
        INDArray y = l.apply(new String[][] {{"a", "a", "zz"}});
        assertArrayEquals(new double[] {unk, 0, 2 * wa, 0, 0}, d(y), 1e-6);
        // a given vocabulary without special tokens gets the mean weight in front, as set_vocabulary pads it
        StringLookup g = new StringLookup().outputMode("tf_idf").vocabulary(List.of("p", "q"), 1.0, 3.0);
        assertArrayEquals(new double[] {2, 1, 3}, g.idfWeights(), 0);
        assertThrows(IllegalArgumentException.class, () -> new StringLookup().outputMode("tf_idf").vocabulary(List.of("p")));
    }

    @Test
    void invertAndOovBuckets() {
        StringLookup l = new StringLookup().invert(true).vocabulary(List.of("a", "b"));
        assertArrayEquals(new String[] {"[UNK]", "a", "b", "[UNK]"}, l.invertLookup(Nd4j.createFromArray(0L, 1, 2, 9)));
        StringLookup h = new StringLookup().numOovIndices(3).vocabulary(List.of("a"));
        assertEquals(3, h.apply("a").getLong(0));
        assertEquals(StringHashes.fastBucket("zz", 3), h.apply("zz").getLong(0));
        IntegerLookup i = new IntegerLookup().numOovIndices(2).vocabulary(List.of(12L, 36L));
        assertArrayEquals(new long[] {2, 3, 1, 0}, i.apply(Nd4j.createFromArray(12L, 36, 7, -4)).data().asLong(), "floormod buckets");
        IntegerLookup inv = new IntegerLookup().invert(true).vocabulary(List.of(12L, 36L));
        assertArrayEquals(new long[] {-1, 12, 36}, inv.apply(Nd4j.createFromArray(0L, 1, 2)).data().asLong());
        assertThrows(IllegalArgumentException.class, () -> new StringLookup().numOovIndices(0).vocabulary(List.of("a")).apply("b"));
    }

    @Test
    void integerLookupAdaptsRowsAsDocumentsAndTiesByLargerValue() {
        IntegerLookup l = new IntegerLookup();
        l.adapt(Nd4j.createFromArray(new long[][] {{5, 7, 7}, {5, 9, 3}}));
        // counts: 5 2, 7 2, 9 1, 3 1 -> ties by value descending
        assertEquals(List.of(-1L, 7L, 5L, 9L, 3L), l.getVocabulary());
        assertArrayEquals(new long[] {2, 1, 0, 4}, l.apply(Nd4j.createFromArray(5L, 7, 100, 3)).data().asLong());
    }

    @Test
    void configsHaveKerasKeysAndRestoreTheVocabulary() {
        String[] common = {"name", "trainable", "dtype", "invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token",
            "output_mode", "sparse", "pad_to_max_tokens", "idf_weights", "vocabulary", "vocabulary_size", "oov_method", "salt"};
        String[] s = java.util.Arrays.copyOf(common, common.length + 1);
        s[common.length] = "encoding";
        StringLookup r = (StringLookup) configRoundTrip(new StringLookup().maskToken("").vocabulary(List.of("x", "y")), "StringLookup", s);
        assertEquals(List.of("", "[UNK]", "x", "y"), r.getVocabulary());
        String[] in = java.util.Arrays.copyOf(common, common.length + 1);
        in[common.length] = "vocabulary_dtype";
        IntegerLookup i = (IntegerLookup) configRoundTrip(new IntegerLookup().outputMode("count").vocabulary(List.of(4L, 2L)), "IntegerLookup", in);
        assertEquals(List.of(-1L, 4L, 2L), i.getVocabulary());
        assertEquals(3, i.getConfig().get("vocabulary_size"));
    }

    @Test
    void adaptedVocabularyTravelsAsKerasAssetFile() {
        StringLookup l = new StringLookup().maskToken("");
        l.adapt(List.of("b", "a", "b"));
        byte[] f = l.saveAssets().get("vocabulary.txt");
        assertEquals("\n[UNK]\nb\na", new String(f, java.nio.charset.StandardCharsets.UTF_8), "Keras writes '\\n'.join(vocabulary)");
        StringLookup back = StringLookup.fromConfig(l.getConfig());
        back.loadAssets(java.util.Map.of("vocabulary.txt", f));
        assertEquals(l.getVocabulary(), back.getVocabulary());
    }
}
