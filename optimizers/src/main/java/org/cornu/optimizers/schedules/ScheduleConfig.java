package org.cornu.optimizers.schedules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a schedule's Keras config ({@code get_config()}) for its {@code fromConfig}: typed
 * values by Keras key, with errors that name the schedule and the key. Keras's
 * {@code cls(**config)} rejects keys it does not know, and so does {@link #finish}.
 */
final class ScheduleConfig {
    private final String schedule;
    private final Map<String, Object> config;
    private final Set<String> read = new LinkedHashSet<>(List.of("name"));

    ScheduleConfig(String schedule, Map<String, Object> config) {
        this.schedule = schedule;
        this.config = config == null ? Map.of() : config;
    }

    private Object raw(String key) {
        read.add(key);
        return config.get(key);
    }

    /** A required number. */
    double number(String key) {
        Object v = raw(key);
        if (!(v instanceof Number n)) throw bad(key, v, "a number");
        return n.doubleValue();
    }

    /** A number, {@code def} when absent. */
    double number(String key, double def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Number n)) throw bad(key, v, "a number");
        return n.doubleValue();
    }

    /** A number or null. */
    Double numberOrNull(String key) {
        Object v = raw(key);
        if (v == null) return null;
        if (!(v instanceof Number n)) throw bad(key, v, "a number or null");
        return n.doubleValue();
    }

    /** A whole number of steps (Keras writes {@code 1000} or {@code 1000.0}). */
    long steps(String key) {
        double d = number(key);
        if (d != Math.rint(d)) throw bad(key, d, "a whole number of steps");
        return (long) d;
    }

    /** A whole number of steps, {@code def} when absent. */
    long steps(String key, long def) {
        if (raw(key) == null) return def;
        return steps(key);
    }

    boolean flag(String key, boolean def) {
        Object v = raw(key);
        if (v == null) return def;
        if (!(v instanceof Boolean b)) throw bad(key, v, "true or false");
        return b;
    }

    /** A required list of numbers. */
    List<?> list(String key) {
        Object v = raw(key);
        if (!(v instanceof List<?> l)) throw bad(key, v, "a list");
        for (Object o : l) if (!(o instanceof Number)) throw bad(key, v, "a list of numbers");
        return l;
    }

    /** Fails on keys that were not read: Keras's constructor would reject them too. */
    void finish() {
        for (String k : config.keySet()) {
            if (!read.contains(k)) {
                throw new IllegalArgumentException("Learning rate schedule " + schedule + ": unknown config key '" + k
                        + "' = " + config.get(k) + " (Cornu's " + schedule + " takes " + String.join(", ", read) + ")");
            }
        }
    }

    private IllegalArgumentException bad(String key, Object v, String expected) {
        return new IllegalArgumentException("Learning rate schedule " + schedule + ": config key '" + key
                + "' must be " + expected + ", got " + v);
    }
}
