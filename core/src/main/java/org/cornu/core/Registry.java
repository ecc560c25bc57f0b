package org.cornu.core;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.regularizers.Regularizer;

/**
 * Name registries: how {@code "rmsprop"}, {@code "categorical_crossentropy"} or
 * {@code "relu"} become objects. Core never names an implementation; modules fill the
 * registries through {@link java.util.ServiceLoader} ({@link Module} entries in
 * {@code META-INF/services/org.cornu.core.Registry$Module}), and users register their
 * own with {@link #register}.
 */
public final class Registry {
    /** What a name stands for. */
    public enum Kind {
        /** Optimizers ({@code "adam"}, {@code "sgd"}, ...). */
        OPTIMIZER("optimizer"),
        /** Losses ({@code "mse"}, {@code "categorical_crossentropy"}, ...). */
        LOSS("loss"),
        /** Metrics ({@code "mae"}, {@code "auc"}, ...). */
        METRIC("metric"),
        /** Activation functions ({@code "relu"}, {@code "softmax"}, ...). */
        ACTIVATION("activation"),
        /** Weight initializers ({@code "glorot_uniform"}, {@code "zeros"}, ...). */
        INITIALIZER("initializer"),
        /** Weight and activity regularizers ({@code "l1"}, {@code "l2"}, ...). */
        REGULARIZER("regularizer"),
        /** Weight constraints ({@code "max_norm"}, {@code "non_neg"}, ...). */
        CONSTRAINT("constraint"),
        /** Layers, by their Keras class name. */
        LAYER("layer"),
        /** Learning-rate schedules, made from their Keras config ({@link #registerFromConfig}). */
        SCHEDULE("learning rate schedule");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** A module's registrations, found by {@link ServiceLoader}. */
    public interface Module {
        /** Registers the module's names with {@link Registry#register} and {@link Registry#registerFromConfig}. */
        void register();
    }

    private static final Map<Kind, Map<String, Supplier<?>>> TABLES = new java.util.EnumMap<>(Kind.class);
    private static final Map<Kind, Map<String, Function<Map<String, Object>, ?>>> CONFIG_TABLES = new java.util.EnumMap<>(Kind.class);
    private static volatile boolean loaded;

    private Registry() {}

    /**
     * Registers {@code factory} under {@code name} (case-insensitive); replaces an earlier entry.
     *
     * @param kind what the name stands for
     * @param name the name, e.g. {@code "my_loss"}
     * @param factory makes a new object for each lookup
     */
    public static synchronized void register(Kind kind, String name, Supplier<?> factory) {
        TABLES.computeIfAbsent(kind, k -> new TreeMap<>()).put(name.toLowerCase(), factory);
    }

    /**
     * Registers {@code fromConfig} under {@code name} (case-insensitive) for objects that need
     * arguments, such as learning-rate schedules: it makes the object from its Keras
     * {@code get_config()} map. Replaces an earlier entry.
     *
     * @param kind what the name stands for
     * @param name the Keras class name, e.g. {@code "ExponentialDecay"}
     * @param fromConfig makes the object from its config map
     */
    public static synchronized void registerFromConfig(Kind kind, String name, Function<Map<String, Object>, ?> fromConfig) {
        CONFIG_TABLES.computeIfAbsent(kind, k -> new TreeMap<>()).put(name.toLowerCase(), fromConfig);
    }

    /**
     * A new object for {@code name} made from its Keras {@code config} by the factory given to
     * {@link #registerFromConfig}; an unknown name is an error that lists the valid names.
     *
     * @param kind what the name stands for
     * @param name the registered name
     * @param config the object's Keras config
     * @return the new object
     */
    public static Object fromConfig(Kind kind, String name, Map<String, Object> config) {
        ensureLoaded();
        Function<Map<String, Object>, ?> f = CONFIG_TABLES.getOrDefault(kind, Map.of()).get(name.toLowerCase());
        if (f == null) {
            throw new IllegalArgumentException("Could not interpret " + kind.label + " identifier: '" + name
                    + "'. Valid names: " + String.join(", ", names(kind)));
        }
        return f.apply(config == null ? Map.of() : config);
    }

    private static void ensureLoaded() {
        if (loaded) return;
        synchronized (Registry.class) {
            if (loaded) return;
            loaded = true;
            BuiltIns.register();
            for (Module m : ServiceLoader.load(Module.class, Registry.class.getClassLoader())) {
                m.register();
            }
        }
    }

    /**
     * Whether {@code name} is registered for {@code kind}.
     *
     * @param kind what the name stands for
     * @param name the name, in any case
     * @return true if it is registered
     */
    public static boolean has(Kind kind, String name) {
        ensureLoaded();
        Map<String, Supplier<?>> t = TABLES.get(kind);
        Map<String, Function<Map<String, Object>, ?>> c = CONFIG_TABLES.get(kind);
        return (t != null && t.containsKey(name.toLowerCase())) || (c != null && c.containsKey(name.toLowerCase()));
    }

    /**
     * The registered names for {@code kind}, sorted.
     *
     * @param kind what the names stand for
     * @return the names, lower case
     */
    public static synchronized java.util.Set<String> names(Kind kind) {
        ensureLoaded();
        java.util.Set<String> s = new java.util.TreeSet<>(TABLES.getOrDefault(kind, Map.of()).keySet());
        s.addAll(CONFIG_TABLES.getOrDefault(kind, Map.of()).keySet());
        return java.util.Collections.unmodifiableSet(s);
    }

    /**
     * A new object for {@code name}; an unknown name is an error that lists the valid names.
     *
     * @param kind what the name stands for
     * @param name the name, in any case
     * @return a new object
     * @throws IllegalArgumentException for an unknown name
     */
    public static Object create(Kind kind, String name) {
        ensureLoaded();
        Supplier<?> f = TABLES.getOrDefault(kind, Map.of()).get(name.toLowerCase());
        if (f == null) {
            throw new IllegalArgumentException("Could not interpret " + kind.label + " identifier: '" + name
                    + "'. Valid names: " + String.join(", ", names(kind)));
        }
        return f.get();
    }

    private static <T> T get(Kind kind, Object id, Class<T> type) {
        if (id == null) return null;
        if (type.isInstance(id)) return type.cast(id);
        if (id instanceof String s) return type.cast(create(kind, s));
        throw new IllegalArgumentException("Could not interpret " + kind.label + " identifier: " + id
                + " (a " + id.getClass().getSimpleName() + "); expected a name or a " + type.getSimpleName());
    }

    /**
     * Resolves an optimizer identifier, as {@code keras.optimizers.get}.
     *
     * @param id a name such as {@code "adam"} (a new optimizer with Keras's defaults), or an {@link Optimizer} (returned as is)
     * @return the optimizer
     */
    public static Optimizer optimizer(Object id) {
        return get(Kind.OPTIMIZER, id, Optimizer.class);
    }

    /**
     * Resolves a loss identifier, as {@code keras.losses.get}.
     *
     * @param id a name such as {@code "mse"} or {@code "categorical_crossentropy"}, or a {@link Loss} (returned as is)
     * @return the loss
     */
    public static Loss loss(Object id) {
        return get(Kind.LOSS, id, Loss.class);
    }

    /**
     * Resolves a metric identifier, as {@code keras.metrics.get}; {@code accuracy} is resolved by
     * the model, which knows its targets, not here.
     *
     * @param id a metric name, or a {@link Metric} (returned as is)
     * @return the metric
     */
    public static Metric metric(Object id) {
        return get(Kind.METRIC, id, Metric.class);
    }

    /**
     * Resolves an activation identifier, as {@code keras.activations.get}.
     *
     * @param id a name such as {@code "relu"}, an {@link ActivationFunction}, or null for linear
     * @return the activation function
     */
    public static ActivationFunction activation(Object id) {
        if (id == null) return get(Kind.ACTIVATION, "linear", ActivationFunction.class);
        return get(Kind.ACTIVATION, id, ActivationFunction.class);
    }

    /**
     * Resolves an initializer identifier, as {@code keras.initializers.get}.
     *
     * @param id a name such as {@code "glorot_uniform"}, or an {@link Initializer}
     * @return the initializer
     */
    public static Initializer initializer(Object id) {
        return get(Kind.INITIALIZER, id, Initializer.class);
    }

    /**
     * Resolves a regularizer identifier, as {@code keras.regularizers.get}.
     *
     * @param id a name such as {@code "l2"} (with Keras's default factor), a {@link Regularizer}, or null for none
     * @return the regularizer, or null
     */
    public static Regularizer regularizer(Object id) {
        return get(Kind.REGULARIZER, id, Regularizer.class);
    }

    /**
     * Resolves a constraint identifier, as {@code keras.constraints.get}.
     *
     * @param id a name such as {@code "non_neg"}, a {@link Constraint}, or null for none
     * @return the constraint, or null
     */
    public static Constraint constraint(Object id) {
        return get(Kind.CONSTRAINT, id, Constraint.class);
    }

    /**
     * A learning-rate schedule from its Keras class name and config
     * ({@code "ExponentialDecay"}, {@code {"initial_learning_rate": 0.1, ...}}).
     *
     * @param className the schedule's Keras class name
     * @param config its Keras config
     * @return the schedule
     */
    public static LearningRateSchedule schedule(String className, Map<String, Object> config) {
        return (LearningRateSchedule) fromConfig(Kind.SCHEDULE, className, config);
    }
}
