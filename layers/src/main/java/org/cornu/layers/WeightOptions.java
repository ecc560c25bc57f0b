package org.cornu.layers;

import java.util.Map;
import org.cornu.core.Registry;
import org.cornu.core.Weight;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.regularizers.Regularizer;
import org.cornu.core.saving.Configs;

/**
 * The initializer, regularizer and constraint of one weight of a layer, as Keras's layers take
 * them: three arguments under one prefix, {@code <prefix>_initializer},
 * {@code <prefix>_regularizer} and {@code <prefix>_constraint} ({@code kernel_*},
 * {@code bias_*}, {@code recurrent_*}, {@code embeddings_*}, {@code gamma_*}...). The
 * initializer starts at the layer's Keras default; regularizer and constraint start unset.
 *
 * <p>Keras writes a layer's config grouped by kind, not by weight: every initializer, then
 * every regularizer (then {@code activity_regularizer}, where the layer writes it), then every
 * constraint. {@link #putConfig} (or {@link #putConfigWithActivity}) and {@link #readConfig} work
 * on all of a layer's options at once in that order; {@link #putInitializers}, {@link #putRegularizers} and
 * {@link #putConstraints} are the three groups for a layer that writes other keys between them.
 */
final class WeightOptions {
    private final String prefix;
    private Initializer initializer;
    private Regularizer regularizer;
    private Constraint constraint;

    /**
     * Options written under {@code prefix}; the initializer starts as {@code defaultInitializer},
     * a registered name ({@code "glorot_uniform"}) resolved through {@link Registry}.
     */
    WeightOptions(String prefix, String defaultInitializer) {
        this.prefix = prefix;
        this.initializer = Registry.initializer(defaultInitializer);
    }

    /** A kernel's options: {@code kernel_*}, glorot_uniform. */
    static WeightOptions kernel() {
        return new WeightOptions("kernel", "glorot_uniform");
    }

    /** A bias's options: {@code bias_*}, zeros. */
    static WeightOptions bias() {
        return new WeightOptions("bias", "zeros");
    }

    /** A recurrent kernel's options: {@code recurrent_*}, orthogonal. */
    static WeightOptions recurrent() {
        return new WeightOptions("recurrent", "orthogonal");
    }

    /** Takes the initializer, regularizer and constraint (the same objects) of {@code other}; the prefix stays. */
    void copyFrom(WeightOptions other) {
        this.initializer = other.initializer;
        this.regularizer = other.regularizer;
        this.constraint = other.constraint;
    }

    // ------------------------------------------------------------------ values

    /** A registered name or an {@link Initializer}. */
    void initializer(Object id) {
        this.initializer = Registry.initializer(id);
    }

    /** A registered name, a {@link Regularizer}, or null for none. */
    void regularizer(Object id) {
        this.regularizer = Registry.regularizer(id);
    }

    /** A registered name, a {@link Constraint}, or null for none. */
    void constraint(Object id) {
        this.constraint = Registry.constraint(id);
    }

    Initializer initializer() {
        return initializer;
    }

    Regularizer regularizer() {
        return regularizer;
    }

    Constraint constraint() {
        return constraint;
    }

    /** {@link org.cornu.core.Layer}'s protected {@code addWeight}: a layer passes {@code this::addWeight}. */
    @FunctionalInterface
    interface WeightAdder {
        Weight addWeight(String name, long[] shape, Initializer initializer, Regularizer regularizer, boolean trainable,
                         Constraint constraint);
    }

    /** Creates the trainable weight {@code name} of {@code shape} with these options (call from the layer's build). */
    Weight add(WeightAdder layer, String name, long... shape) {
        return layer.addWeight(name, shape, initializer, regularizer, true, constraint);
    }

    // ------------------------------------------------------------------ config

    /** Writes {@code <prefix>_initializer} of each of {@code options}, in order. */
    static void putInitializers(Map<String, Object> config, WeightOptions... options) {
        for (WeightOptions o : options) config.put(o.prefix + "_initializer", LayerConfigs.serialize(o.initializer));
    }

    /** Writes {@code <prefix>_regularizer} of each of {@code options}, in order (null where unset). */
    static void putRegularizers(Map<String, Object> config, WeightOptions... options) {
        for (WeightOptions o : options) config.put(o.prefix + "_regularizer", LayerConfigs.serialize(o.regularizer));
    }

    /** Writes {@code <prefix>_constraint} of each of {@code options}, in order (null where unset). */
    static void putConstraints(Map<String, Object> config, WeightOptions... options) {
        for (WeightOptions o : options) config.put(o.prefix + "_constraint", LayerConfigs.serialize(o.constraint));
    }

    /** Keras's order: the initializers, the regularizers, then the constraints of {@code options}. */
    static void putConfig(Map<String, Object> config, WeightOptions... options) {
        putInitializers(config, options);
        putRegularizers(config, options);
        putConstraints(config, options);
    }

    /**
     * Keras's order with the layer's {@code activity_regularizer} (null where unset) between the
     * regularizers and the constraints of {@code options}.
     */
    static void putConfigWithActivity(Map<String, Object> config, Regularizer activityRegularizer, WeightOptions... options) {
        putInitializers(config, options);
        putRegularizers(config, options);
        config.put("activity_regularizer", LayerConfigs.serialize(activityRegularizer));
        putConstraints(config, options);
    }

    /**
     * Reads the three entries of each of {@code options} back from a layer config (a name or
     * Keras's serialized dict): an absent or null initializer keeps the current one (the
     * default); an absent or null regularizer or constraint means none. Initializers are read
     * first, then regularizers, then constraints, as they are written.
     */
    static void readConfig(Map<String, Object> config, WeightOptions... options) {
        for (WeightOptions o : options) {
            Object spec = config.get(o.prefix + "_initializer");
            if (spec != null) o.initializer = Configs.initializer(spec);
        }
        for (WeightOptions o : options) o.regularizer = Configs.regularizer(config.get(o.prefix + "_regularizer"));
        for (WeightOptions o : options) o.constraint = Configs.constraint(config.get(o.prefix + "_constraint"));
    }
}
