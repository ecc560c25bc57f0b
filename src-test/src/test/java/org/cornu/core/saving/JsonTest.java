package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.zipEntries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Bidirectional;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Conv2D;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.layers.Embedding;
import org.cornu.layers.GRU;
import org.cornu.layers.LSTM;
import org.cornu.layers.MaxPooling2D;
import org.cornu.layers.Rescaling;
import org.cornu.optimizers.Adam;
import org.cornu.optimizers.SGD;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cornu's streaming JSON writes the bytes and reads the values that Jackson's ObjectMapper does. */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(4);
    }

    private static List<Model> models() {
        List<Model> r = new ArrayList<>();
        Sequential a = new Sequential(new Dense(8, "relu").inputShape(5), new Dropout(0.1), new Dense(3, "softmax"));
        a.compile(new Adam(0.002), "categorical_crossentropy", "accuracy");
        r.add(a);
        Sequential b = new Sequential(new Conv2D(4, 3, "relu").padding("same").inputShape(8, 8, 2), new MaxPooling2D(2),
                new Rescaling(1 / 255.0, 0.5));
        b.compile(new SGD(0.05).momentum(0.9).nesterov(true), "mse", "mae");
        r.add(b);
        Sequential c = new Sequential(new Embedding(12, 5).maskZero(true).inputShape(7),
                new Bidirectional(new LSTM(4).returnSequences(true)), new GRU(3), new Dense(1));
        c.compile("rmsprop", "binary_crossentropy", "accuracy");
        r.add(c);
        KerasTensor x = Input.of("left", 3);
        KerasTensor y = Input.of("right", 2);
        KerasTensor cat = new Concatenate().name("cat").apply(x, y);
        r.add(new Model(List.of(x, y), List.of(new Dense(1).name("out").apply(cat)), "fn"));
        return r;
    }

    private static Map<String, Object> tricky() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 del \u007f \u00fc \u2028 \ud83d\ude00");
        m.put("ints", Arrays.asList(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, (short) 7, (byte) -3));
        m.put("longs", List.of(Long.MAX_VALUE, Long.MIN_VALUE, 3000000000L));
        m.put("doubles", List.of(0.1, -0.0, 1e-7, 1e21, 123456789.125, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY));
        m.put("floats", List.of(0.1f, 1e-7f, 3.4028235e38f, Float.NaN));
        m.put("big", List.of(new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50"), new BigDecimal("1E+3")));
        m.put("null", null);
        m.put("bools", List.of(true, false));
        m.put("empty map", Map.of());
        m.put("empty list", List.of());
        m.put("arrays", Arrays.asList(new int[] {1, 2}, new long[] {3L}, new double[] {0.5, -2}, new Object[] {"a", null}));
        m.put("set", new LinkedHashSet<>(List.of("x", "y")));
        m.put("nested", Map.of("a", List.of(Map.of("b", List.of(List.of())))));
        return m;
    }

    @Test
    void writesWhatObjectMapperWrites() throws Exception {
        for (Model m : models()) {
            Map<String, Object> cfg = ModelConfig.serialize(m);
            assertArrayEquals(MAPPER.writeValueAsBytes(cfg), Json.write(cfg), m.name());
        }
        assertArrayEquals(MAPPER.writeValueAsBytes(tricky()), Json.write(tricky()),
                new String(MAPPER.writeValueAsBytes(tricky()), StandardCharsets.UTF_8));
        Map<String, Object> meta = Models.metadata();
        assertArrayEquals(MAPPER.writeValueAsBytes(meta), Json.write(meta));
    }

    @Test
    void typesItDoesNotStreamGoToObjectMapper() throws Exception {
        Map<Object, Object> nonStringKeys = new LinkedHashMap<>();
        nonStringKeys.put(1, "one");
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("bytes", new byte[] {1, 2, 3}); // ObjectMapper writes base64
        odd.put("chars", new char[] {'h', 'i'}); // and a string
        odd.put("keys", nonStringKeys);
        odd.put("enum", java.util.concurrent.TimeUnit.SECONDS);
        assertArrayEquals(MAPPER.writeValueAsBytes(odd), Json.write(odd), new String(MAPPER.writeValueAsBytes(odd), StandardCharsets.UTF_8));
    }

    private static void assertReadsAsObjectMapper(byte[] json) throws IOException {
        Object expected = MAPPER.readValue(json, new TypeReference<Object>() {});
        Object got = Json.read(json, 0, json.length);
        assertEquals(expected, got, new String(json, StandardCharsets.UTF_8));
        assertEquals(String.valueOf(expected), String.valueOf(got));
        // and from the middle of a larger array
        byte[] padded = new byte[json.length + 10];
        System.arraycopy(json, 0, padded, 5, json.length);
        assertEquals(expected, Json.read(padded, 5, json.length));
    }

    @Test
    void readsWhatObjectMapperReads() throws Exception {
        for (Model m : models()) assertReadsAsObjectMapper(MAPPER.writeValueAsBytes(ModelConfig.serialize(m)));
        for (String f : List.of("keras3_sequential.keras", "keras3_functional.keras")) {
            Path p = Path.of("src-test/src/test/resources/saving", f);
            if (!Files.exists(p)) p = Path.of("src/test/resources/saving", f);
            for (byte[] entry : zipEntries(p).values()) {
                if (entry.length > 0 && entry[0] == '{') assertReadsAsObjectMapper(entry);
            }
        }
        assertReadsAsObjectMapper(MAPPER.writeValueAsBytes(tricky()));
        String edge = "{\"i\": 2147483648, \"j\": -2147483649, \"k\": 99999999999999999999, \"f\": 1.0, \"e\": 2E3, "
                + "\"dup\": 1, \"dup\": [2], \"u\": \"\\u00fc\\ud83d\\ude00\", \"list\": [[], {}, null, true, -0.0]} trailing";
        assertReadsAsObjectMapper(edge.getBytes(StandardCharsets.UTF_8));
        assertReadsAsObjectMapper("[1, 2]".getBytes(StandardCharsets.UTF_8));
        assertReadsAsObjectMapper("\"just a string\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void badJsonFailsAsObjectMapperDoes() {
        for (String bad : List.of("", "   ", "{\"class_name\": \"Sequential\", ", "[1, 2", "{\"a\" 1}", "{'a': 1}", "nul")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(IOException.class, () -> MAPPER.readValue(b, new TypeReference<Object>() {}), bad);
            assertThrows(IOException.class, () -> Json.read(b, 0, b.length), bad);
        }
    }
}
