package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.regularizers.Regularizer;

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
}
