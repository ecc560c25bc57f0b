package org.cornu.core.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Registry;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.constraints.Constraints;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.initializers.Initializers;
import org.cornu.core.regularizers.Regularizer;
import org.cornu.core.regularizers.Regularizers;

/**
 * Reading Keras configs: typed getters for a layer's {@code fromConfig}, and the Keras
 * serialized forms of activations, initializers, regularizers and constraints
 * ({@code {"class_name": "GlorotUniform", "config": {...}}} or a plain name).
 */
public final class Configs {
    private Configs() {}

    /**
     * Whether {@code key} is present with a non-null value.
     *
     * @param c a layer's config
     * @param key the config key
     * @return true if set
     */
    public static boolean has(Map<String, Object> c, String key) {
        return c.get(key) != null;
    }

    /**
     * An integer, or {@code def} when absent or null.
     *
     * @param c a layer's config
     * @param key the config key
     * @param def the default
     * @return the value
     */
    public static int getInt(Map<String, Object> c, String key, int def) {
        Object v = c.get(key);
        return v == null ? def : ((Number) v).intValue();
    }

    /**
     * A required integer; a missing key is an error naming it.
     *
     * @param c a layer's config
     * @param key the config key
     * @return the value
     */
    public static int getInt(Map<String, Object> c, String key) {
        return ((Number) require(c, key)).intValue();
    }

    /**
     * A number, or {@code def} when absent or null.
     *
     * @param c a layer's config
     * @param key the config key
     * @param def the default
     * @return the value
     */
    public static double getDouble(Map<String, Object> c, String key, double def) {
        Object v = c.get(key);
        return v == null ? def : ((Number) v).doubleValue();
    }

    /**
     * A required number; a missing key is an error naming it.
     *
     * @param c a layer's config
     * @param key the config key
     * @return the value
     */
    public static double getDouble(Map<String, Object> c, String key) {
        return ((Number) require(c, key)).doubleValue();
    }

    /**
     * A boolean, or {@code def} when absent or null.
     *
     * @param c a layer's config
     * @param key the config key
     * @param def the default
     * @return the value
     */
    public static boolean getBoolean(Map<String, Object> c, String key, boolean def) {
        Object v = c.get(key);
        return v == null ? def : (Boolean) v;
    }

    /**
     * A string, or {@code def} when absent or null.
     *
     * @param c a layer's config
     * @param key the config key
     * @param def the default
     * @return the value
     */
    public static String getString(Map<String, Object> c, String key, String def) {
        Object v = c.get(key);
        return v == null ? def : v.toString();
    }

    /**
     * An integer, or null when absent (Keras's None), e.g. a {@code seed}.
     *
     * @param c a layer's config
     * @param key the config key
     * @return the value, or null
     */
    public static Long getLongOrNull(Map<String, Object> c, String key) {
        Object v = c.get(key);
        return v == null ? null : ((Number) v).longValue();
    }

    /**
     * A list of integers ({@code target_shape}, {@code kernel_size}); a single number gives a 1-element array.
     *
     * @param c a layer's config
     * @param key the config key
     * @return the values
     */
    public static long[] getLongs(Map<String, Object> c, String key) {
        Object v = require(c, key);
        if (v instanceof Number n) return new long[] {n.longValue()};
        List<?> l = (List<?>) v;
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = l.get(i) == null ? -1 : ((Number) l.get(i)).longValue();
        return r;
    }

    /**
     * The value of {@code key}, or an error naming the key.
     *
     * @param c a layer's config
     * @param key the config key
     * @return the value
     * @throws IllegalArgumentException if the key is missing
     */
    public static Object require(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            throw new IllegalArgumentException("The config of layer \"" + c.get("name") + "\" has no '" + key
                    + "' entry; keys: " + c.keySet());
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /**
     * Keras's class name in snake case ({@code GlorotUniform -> glorot_uniform}, {@code Conv2D -> conv2d}).
     *
     * @param className a Keras class name
     * @return its snake-case form
     */
    public static String snake(String className) {
        return Cornu.toSnakeCase(className);
    }

    /**
     * An activation from a name or a serialized dict.
     *
     * @param spec a name, or Keras's {@code {"class_name": ..., "config": ...}} dict
     * @return the activation
     */
    public static ActivationFunction activation(Object spec) {
        if (spec instanceof Map<?, ?> m) {
            Object cfg = m.get("config");
            // {"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": "function"}
            if (cfg instanceof String s) return Registry.activation(s);
            if (cfg instanceof Map<?, ?> cm && cm.get("name") != null) return Registry.activation(cm.get("name").toString());
            return Registry.activation(snake(String.valueOf(m.get("class_name"))));
        }
        return Registry.activation(spec == null ? null : spec.toString());
    }

    /**
     * An initializer from a name or Keras's serialized dict (with its config: seed, mean, stddev...).
     *
     * @param spec a name, or Keras's serialized dict
     * @return the initializer
     */
    public static Initializer initializer(Object spec) {
        if (spec == null) return null;
        if (!(spec instanceof Map)) return Registry.initializer(spec.toString());
        Map<String, Object> m = map(spec);
        String cls = String.valueOf(m.get("class_name"));
        Map<String, Object> c = m.get("config") == null ? Map.of() : map(m.get("config"));
        Long seed = getLongOrNull(c, "seed");
        switch (cls) {
            case "GlorotUniform": return Initializers.glorotUniform(seed);
            case "GlorotNormal": return Initializers.glorotNormal(seed);
            case "HeUniform": return Initializers.heUniform(seed);
            case "HeNormal": return Initializers.heNormal(seed);
            case "LecunUniform": return Initializers.lecunUniform(seed);
            case "LecunNormal": return Initializers.lecunNormal(seed);
            case "RandomUniform": return Initializers.randomUniform(getDouble(c, "minval", -0.05), getDouble(c, "maxval", 0.05), seed);
            case "RandomNormal": return Initializers.randomNormal(getDouble(c, "mean", 0), getDouble(c, "stddev", 0.05), seed);
            case "TruncatedNormal": return Initializers.truncatedNormal(getDouble(c, "mean", 0), getDouble(c, "stddev", 0.05), seed);
            case "Constant": return Initializers.constant(getDouble(c, "value", 0));
            case "Zeros": return Initializers.zeros();
            case "Ones": return Initializers.ones();
            // Keras 3.0 to 3.5 wrote the class as OrthogonalInitializer
            case "Orthogonal", "OrthogonalInitializer": return Initializers.orthogonal(getDouble(c, "gain", 1.0), seed);
            case "VarianceScaling": return new Initializers.VarianceScaling(getDouble(c, "scale", 1.0),
                    getString(c, "mode", "fan_in"), varianceScalingDistribution(getString(c, "distribution", "truncated_normal")),
                    seed);
            default: return Registry.initializer(snake(cls));
        }
    }

    /**
     * Keras 2's VarianceScaling distribution names: {@code "normal"} was the truncated normal
     * (Keras 2.0 to 2.2, and accepted as such by tf.keras 2).
     */
    static String varianceScalingDistribution(String d) {
        return d.equals("normal") ? "truncated_normal" : d;
    }

    /**
     * A regularizer from a name or Keras's serialized dict ({@code L2} with {@code {"l2": 0.01}}...).
     *
     * @param spec a name, Keras's serialized dict, or null
     * @return the regularizer, or null
     */
    public static Regularizer regularizer(Object spec) {
        if (spec == null) return null;
        if (!(spec instanceof Map)) return Registry.regularizer(spec.toString());
        Map<String, Object> m = map(spec);
        String cls = String.valueOf(m.get("class_name"));
        Map<String, Object> c = m.get("config") == null ? Map.of() : map(m.get("config"));
        switch (cls) {
            case "L1": return Regularizers.l1(getDouble(c, "l1", 0.01));
            case "L2": return Regularizers.l2(getDouble(c, "l2", 0.01));
            case "L1L2": return Regularizers.l1L2(getDouble(c, "l1", 0.0), getDouble(c, "l2", 0.0));
            default: return Registry.regularizer(cls);
        }
    }

    /**
     * A constraint from a name or Keras's serialized dict.
     *
     * @param spec a name, Keras's serialized dict, or null
     * @return the constraint, or null
     */
    public static Constraint constraint(Object spec) {
        if (spec == null) return null;
        if (!(spec instanceof Map)) return Registry.constraint(spec.toString());
        Map<String, Object> m = map(spec);
        String cls = String.valueOf(m.get("class_name"));
        Map<String, Object> c = m.get("config") == null ? Map.of() : map(m.get("config"));
        switch (cls) {
            case "MaxNorm": return Constraints.maxNorm(getDouble(c, "max_value", 2.0), getInt(c, "axis", 0));
            case "NonNeg": return Constraints.nonNeg();
            case "UnitNorm": return Constraints.unitNorm(getInt(c, "axis", 0));
            case "MinMaxNorm": return Constraints.minMaxNorm(getDouble(c, "min_value", 0.0), getDouble(c, "max_value", 1.0),
                    getDouble(c, "rate", 1.0), getInt(c, "axis", 0));
            default: return Registry.constraint(cls);
        }
    }

    /**
     * A shape list with nulls for unknown sizes, as Keras writes it.
     *
     * @param dims the sizes, negative for unknown
     * @return the sizes, null for unknown
     */
    public static List<Object> shapeList(long[] dims) {
        List<Object> l = new ArrayList<>();
        for (long d : dims) l.add(d < 0 ? null : d);
        return l;
    }

    static Map<String, Object> ordered() {
        return new LinkedHashMap<>();
    }
}
