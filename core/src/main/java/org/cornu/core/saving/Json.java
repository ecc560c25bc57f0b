package org.cornu.core.saving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for configs: maps, lists, strings, numbers, booleans and nulls, written and read with
 * Jackson's streaming generator and parser, with the same bytes and the same Java values as
 * Jackson's {@code ObjectMapper} (which writes through the same generator). The streaming API
 * starts in a fraction of the time the {@code ObjectMapper} takes to set itself up, and that
 * set-up was most of the first save in a JVM; values of other types go to an {@code ObjectMapper}.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    /** Thrown while streaming a value of a type the generator path does not write. */
    private static final class OtherType extends RuntimeException {
        OtherType() {
            super(null, null, false, false);
        }
    }

    /** The ObjectMapper, made on first use. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper();
    }

    /** {@code o} as JSON (UTF-8), byte for byte what {@code new ObjectMapper().writeValueAsBytes(o)} gives. */
    static byte[] write(Object o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            value(g, o);
        } catch (OtherType e) {
            return Mapper.INSTANCE.writeValueAsBytes(o);
        }
        return out.toByteArray();
    }

    private static void value(JsonGenerator g, Object o) throws IOException {
        if (o == null) {
            g.writeNull();
        } else if (o instanceof String s) {
            g.writeString(s);
        } else if (o instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (o instanceof Integer || o instanceof Short || o instanceof Byte) {
            g.writeNumber(((Number) o).intValue());
        } else if (o instanceof Long l) {
            g.writeNumber(l);
        } else if (o instanceof Double d) {
            g.writeNumber(d);
        } else if (o instanceof Float f) {
            g.writeNumber(f);
        } else if (o instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (o instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (o instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new OtherType();
                g.writeFieldName(k);
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (o instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object x : c) value(g, x);
            g.writeEndArray();
        } else if (o instanceof Object[] a) {
            g.writeStartArray();
            for (Object x : a) value(g, x);
            g.writeEndArray();
        } else if (o instanceof int[] a) {
            g.writeStartArray();
            for (int x : a) g.writeNumber(x);
            g.writeEndArray();
        } else if (o instanceof long[] a) {
            g.writeStartArray();
            for (long x : a) g.writeNumber(x);
            g.writeEndArray();
        } else if (o instanceof double[] a) {
            g.writeStartArray();
            for (double x : a) g.writeNumber(x);
            g.writeEndArray();
        } else {
            throw new OtherType();
        }
    }

    /**
     * The JSON value in {@code bytes[off, off + len)} as Java values, as {@code ObjectMapper}
     * reads into {@code Object}: objects as {@code LinkedHashMap}, arrays as {@code ArrayList},
     * integers as Integer, Long or BigInteger by size, other numbers as Double.
     *
     * @throws IOException if the bytes are not valid JSON (Jackson's message)
     */
    static Object read(byte[] bytes, int off, int len) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes, off, len)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                // what ObjectMapper says, through ObjectMapper (an empty document)
                return Mapper.INSTANCE.readValue(bytes, off, len, new TypeReference<Object>() {});
            }
            return value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                    if (x == null) throw new IOException("Unexpected end-of-input in an array");
                    l.add(value(p, x));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_EMBEDDED_OBJECT -> {
                return p.getEmbeddedObject();
            }
            default -> throw new IOException("Unexpected token " + t + " at " + p.currentLocation());
        }
    }
}
