package org.cornu.layers;

import static org.cornu.layers.LayerTestSupport.configRoundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** CategoryEncoding and Hashing, against Keras 3.15.1's outputs and Keras's documented examples. */
class CategoricalPreprocessingTest {
    private static INDArray ints(long[] shape, long... v) {
        return Nd4j.createFromArray(v).reshape(shape);
    }

    private static void assertValues(double[] want, long[] shape, INDArray got) {
        assertArrayEquals(shape, got.shape());
        assertArrayEquals(want, got.castTo(DataType.DOUBLE).dup('c').data().asDouble(), 0);
    }

    @Test
    void categoryEncodingModesMatchKeras() {
        // Keras 3.15.1 (jax): CategoryEncoding(4, 'count')([[0,1,1],[3,3,2]]) = [[1,2,0,0],[0,0,1,2]]
        assertValues(new double[] {1, 2, 0, 0, 0, 0, 1, 2}, new long[] {2, 4},
                new CategoryEncoding(4).outputMode("count").apply(ints(new long[] {2, 3}, 0, 1, 1, 3, 3, 2)));
        // the docstring's examples
        assertValues(new double[] {0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0}, new long[] {4, 4},
                new CategoryEncoding(4).outputMode("one_hot").apply(ints(new long[] {4}, 3, 2, 0, 1)));
        assertValues(new double[] {1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1}, new long[] {4, 4},
                new CategoryEncoding(4).apply(ints(new long[] {4, 2}, 0, 1, 0, 0, 1, 2, 3, 1)));
        // one_hot replaces a trailing axis of 1 and appends to any other; multi_hot of a 1-D input is one sample
        assertValues(new double[] {0, 1, 0, 0, 0, 0, 0, 1}, new long[] {2, 4},
                new CategoryEncoding(4).outputMode("one_hot").apply(ints(new long[] {2, 1}, 1, 3)));
        assertArrayEquals(new long[] {2, 2, 4}, new CategoryEncoding(4).outputMode("one_hot").apply(ints(new long[] {2, 2}, 1, 2, 3, 0)).shape());
        assertValues(new double[] {0, 1, 0, 1}, new long[] {4}, new CategoryEncoding(4).apply(ints(new long[] {2}, 3, 1)));
        // count_weights: Keras gives [[0.5, 0.25, 0, 0], [0, 3, 0, 0]]
        CategoryEncoding c = new CategoryEncoding(4).outputMode("count");
        INDArray w = Nd4j.create(new double[] {.5, .25, 1, 2}, new long[] {2, 2}, DataType.DOUBLE);
        assertValues(new double[] {.5, .25, 0, 0, 0, 3, 0, 0}, new long[] {2, 4}, c.apply(ints(new long[] {2, 2}, 0, 1, 1, 1), w));
    }

    @Test
    void categoryEncodingRejectsOutOfRangeValuesAndBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CategoryEncoding(3).name("enc").apply(ints(new long[] {2}, 1, 3)));
        assertTrue(e.getMessage().contains("enc") && e.getMessage().contains("0 <= values < 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(0));
        assertThrows(IllegalArgumentException.class, () -> new CategoryEncoding(3).outputMode("tf_idf"));
        assertThrows(IllegalArgumentException.class,
                () -> new CategoryEncoding(3).apply(ints(new long[] {1}, 1), Nd4j.ones(1)));
    }

    @Test
    void categoryEncodingConfigHasKerasKeys() {
        CategoryEncoding r = (CategoryEncoding) configRoundTrip(new CategoryEncoding(7).outputMode("count"), "CategoryEncoding",
                "name", "trainable", "dtype", "num_tokens", "output_mode");
        assertEquals(7, r.numTokens());
        assertEquals("count", r.outputMode());
    }

    @Test
    void fingerprint64EqualsFarmHashReferenceValues() {
        // farmhash::Fingerprint64 (farmhashna::Hash64), one string per length branch (0, 1-3, 4-7, 8-16, 17-32, 33-64,
        // over 64): values from Guava's Hashing.farmHashFingerprint64, an independent implementation of the same function
        String[][] cases = {{"", "11160318154034397263"}, {"A", "16915294056622060564"}, {"hello", "13009744463427800296"},
            {"12345678", "3430003927990384362"}, {"a string of length twenty-nine", "9280686086396650461"},
            {"forty-eight bytes of text for the 33..64 branch", "6443193167166142857"},
            {"the quick brown fox jumps over the lazy dog and keeps running far", "4186410358512380148"}};
        for (String[] c : cases) {
            assertEquals(c[1], Long.toUnsignedString(StringHashes.fingerprint64(c[0].getBytes(StandardCharsets.UTF_8))), c[0]);
        }
    }

    @Test
    void sipHashEqualsThePapersTestVector() {
        // SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e
        byte[] m = new byte[15];
        for (int i = 0; i < 15; i++) m[i] = (byte) i;
        assertEquals(0xa129ca6149be45e5L, StringHashes.sipHash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, m));
    }

    @Test
    void hashingBinsAreKerasDocumentedBins() {
        String[][] in = {{"A"}, {"B"}, {"C"}, {"D"}, {"E"}};
        // Keras's Hashing docstring: FarmHash64, then SipHash64 with salt [133, 137] and with salt 133
        assertValues(new double[] {1, 0, 1, 1, 2}, new long[] {5, 1}, new Hashing(3).apply(in));
        assertValues(new double[] {1, 2, 1, 0, 2}, new long[] {5, 1}, new Hashing(3).saltValues(133, 137).apply(in));
        assertValues(new double[] {0, 0, 2, 1, 0}, new long[] {5, 1}, new Hashing(3).salt(133).apply(in));
        assertValues(new double[] {1, 1, 0, 2, 2}, new long[] {5, 1},
                new Hashing(3).maskValue("").apply(new String[][] {{"A"}, {"B"}, {""}, {"C"}, {"D"}}));
        assertEquals(DataType.LONG, new Hashing(3).apply(in).dataType());
    }

    @Test
    void hashingIntegersHashesTheirDecimalStrings() {
        Hashing h = new Hashing(5).maskValue(7);
        INDArray out = h.apply(ints(new long[] {2, 2}, 7, -1, 12, 7));
        long[] want = {0, 1 + StringHashes.fastBucket("-1", 4), 1 + StringHashes.fastBucket("12", 4), 0};
        assertArrayEquals(want, out.data().asLong());
        // floats are truncated to integers first
        assertEquals(StringHashes.fastBucket("3", 5), new Hashing(5).apply(Nd4j.createFromArray(3.7)).getLong(0));
        // multi_hot over the bins
        INDArray m = new Hashing(3).outputMode("multi_hot").apply(new String[][] {{"A", "B"}, {"E", "E"}});
        assertValues(new double[] {1, 1, 0, 0, 0, 1}, new long[] {2, 3}, m);
        INDArray oh = new Hashing(3).outputMode("one_hot").apply(new String[][] {{"A"}, {"E"}});
        assertValues(new double[] {0, 1, 0, 0, 0, 1}, new long[] {2, 3}, oh);
    }

    @Test
    void hashingConfigHasKerasKeys() {
        Hashing r = (Hashing) configRoundTrip(new Hashing(4).saltValues(1, 2).maskValue("x").outputMode("count"), "Hashing",
                "name", "trainable", "dtype", "num_bins", "salt", "mask_value", "output_mode", "sparse");
        assertValues(new double[] {2, 0, 0, 0}, new long[] {4}, r.apply(new String[] {"x", "x"}));
        assertEquals("int64", new Hashing(2).getConfig().get("dtype"));
        configRoundTrip(new Hashing(2), "Hashing", "name", "trainable", "dtype", "num_bins", "salt", "mask_value", "output_mode", "sparse");
        assertThrows(IllegalArgumentException.class, () -> new Hashing(0));
    }
}
