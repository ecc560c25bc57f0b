package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.regularizers.Regularizer;
import org.cornu.core.saving.Configs;

/** Keras's serialized form of initializers, regularizers and constraints inside layer configs. */
final class LayerConfigs {
    private LayerConfigs() {}

    static Object serialize(Object o) {
        if (o == null) return null;
        String name;
        Map<String, Object> config;
        if (o instanceof Initializer i) {
            name = i.name();
            config = i.getConfig();
        } else if (o instanceof Regularizer r) {
            name = r.name();
            config = r.getConfig();
        } else if (o instanceof Constraint c) {
            name = c.name();
            config = c.getConfig();
        } else {
            return o.toString();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras." + (o instanceof Initializer ? "initializers" : o instanceof Regularizer ? "regularizers" : "constraints"));
        m.put("class_name", className(name));
        m.put("config", config);
        m.put("registered_name", null);
        return m;
    }

    /** {@code glorot_uniform -> GlorotUniform}, {@code l1_l2 -> L1L2}. */
    static String className(String snake) {
        StringBuilder b = new StringBuilder();
        for (String part : snake.split("_")) {
            if (part.isEmpty()) continue;
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    /**
     * Integers {@code key} as an {@code n}-tuple ({@code kernel_size}, {@code strides}...): a
     * single number is repeated; {@code def} (one value repeated, or n values) when absent.
     */
    static int[] ints(Map<String, Object> c, String key, int n, int... def) {
        Object v = c.get(key);
        int[] r;
        if (v == null) {
            if (def.length == 0) Configs.require(c, key);
            r = def;
        } else if (v instanceof Number num) {
            r = new int[] {num.intValue()};
        } else {
            java.util.List<?> l = (java.util.List<?>) v;
            r = new int[l.size()];
            for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).intValue();
        }
        if (r.length == 1 && n > 1) {
            int[] t = new int[n];
            java.util.Arrays.fill(t, r[0]);
            r = t;
        }
        return r;
    }

    /** The activation of a layer config: a name, a serialized dict, or null (linear). */
    static Object activation(Object spec) {
        return spec instanceof Map ? Configs.activation(spec) : spec;
    }

    /** {@code data_format} ("channels_last" when absent or null); the layers reject anything else. */
    static String dataFormat(Map<String, Object> c) {
        String f = Configs.getString(c, "data_format", "channels_last");
        if (!"channels_last".equals(f)) {
            throw new IllegalArgumentException("Layer \"" + c.get("name") + "\": only data_format=\"channels_last\""
                    + " is supported. Received: data_format=" + f);
        }
        return f;
    }

    /** Convolutions: only {@code groups=1} is implemented. */
    static void checkGroups(String cls, Map<String, Object> c) {
        int g = Configs.getInt(c, "groups", 1);
        if (g != 1) {
            throw new IllegalArgumentException(cls + " \"" + c.get("name") + "\": only groups=1 is supported. Received: groups=" + g);
        }
    }

    /** A number, or a 1-element list of one (Keras may write scale/offset as lists); {@code def} when absent (null: required). */
    static double scalar(Map<String, Object> c, String key, Double def) {
        Object v = c.get(key);
        if (v == null) {
            if (def == null) Configs.require(c, key);
            return def;
        }
        if (v instanceof java.util.List<?> l) {
            if (l.size() != 1) {
                throw new IllegalArgumentException("Layer \"" + c.get("name") + "\": only a scalar " + key
                        + " is supported. Received: " + key + "=" + v);
            }
            v = l.get(0);
        }
        return ((Number) v).doubleValue();
    }

    /** A nested serialized layer ({@code {"class_name": ..., "config": {...}}}), required. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> nested(Map<String, Object> c, String key) {
        Object v = Configs.require(c, key);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("Layer \"" + c.get("name") + "\": '" + key + "' should be a serialized layer. Received: " + v);
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> innerConfig(Map<String, Object> serialized) {
        Object cfg = serialized.get("config");
        return cfg instanceof Map ? (Map<String, Object>) cfg : Map.of();
    }
}
