package org.cornu.core.saving;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.cornu.core.KerasTensor;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Loss;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Optimizer;
import org.cornu.core.Registry;
import org.cornu.core.metrics.Metrics;
import org.cornu.core.training.CompileArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's {@code compile_config}, as Keras 3 writes it ({@code Trainer.get_compile_config}:
 * the compile arguments as the user gave them, each Keras object through
 * {@code serialize_keras_object}) and reads it ({@code Trainer.compile_from_config}:
 * {@code compile(**deserialize_keras_object(config))}).
 *
 * <p>Read forms: objects as {@code {"module", "class_name", "config", "registered_name"}}
 * (module {@code keras.losses} or {@code keras.src.losses.losses}, {@code registered_name}
 * present or not), Keras 2's {@code {"class_name", "config"}}, plain names ({@code "mse"},
 * {@code "CategoricalCrossentropy"}, {@code "acc"}), functions
 * ({@code {"class_name": "function", "config": "categorical_crossentropy", ...}}) and the
 * {@code LossFunctionWrapper} / {@code MeanMetricWrapper} forms; losses and metrics as one
 * object, a list (per output for a multi-output model) or a dict by output name.
 *
 * <p>A Keras option that Cornu lacks is ignored with a warning when ignoring it leaves training
 * the same (metric options, names, run_eagerly...); otherwise loading fails with an error naming
 * the option, and {@code Models.loadModel(path, false)} loads the model without its compile config.
 */
final class CompileConfig {
    private static final Logger LOG = LoggerFactory.getLogger(CompileConfig.class);

    /** The keys of Keras 3's {@code compile()} that a compile config carries. */
    private static final Set<String> KNOWN_KEYS = Set.of("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics",
            "run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss");

    private static final String HINT = "; load the model with compile=false (Models.loadModel(path, false)) to skip its compile config";

    private CompileConfig() {}

    // ------------------------------------------------------------------ writing

    /** Keras's {@code get_compile_config()} of a compiled model. */
    static Map<String, Object> serialize(Model model) {
        CompileArguments a = model.compileArguments();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", a.optimizer() == null ? null : serializeOptimizer(a.optimizer()));
        c.put("loss", serializeLoss(a.loss()));
        double[] lw = a.lossWeights();
        if (lw == null) {
            c.put("loss_weights", null);
        } else {
            List<Double> l = new ArrayList<>();
            for (double d : lw) l.add(d);
            c.put("loss_weights", l);
        }
        c.put("metrics", serializeMetrics(a.metrics(), model.outputs().size()));
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /** An optimizer as Keras serializes it, its learning-rate schedule included. */
    static Map<String, Object> serializeOptimizer(Optimizer o) {
        Map<String, Object> config = new LinkedHashMap<>(o.getConfig());
        LearningRateSchedule s = o.schedule();
        if (s != null) config.put("learning_rate", object(s, "keras.optimizers.schedules", s.name(), s.getConfig()));
        return object(o, "keras.optimizers", o.getClass().getSimpleName(), config);
    }

    /** {@code serialize_keras_object} of a compile loss argument: names stay names, objects become dicts. */
    static Object serializeLoss(Object spec) {
        if (spec == null || spec instanceof String) return spec;
        if (spec instanceof Loss l) return object(l, "keras.losses", l.getClass().getSimpleName(), l.getConfig());
        if (spec instanceof List<?> list) {
            List<Object> r = new ArrayList<>();
            for (Object o : list) r.add(serializeLoss(o));
            return r;
        }
        if (spec instanceof Map<?, ?> map) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) r.put(String.valueOf(e.getKey()), serializeLoss(e.getValue()));
            return r;
        }
        throw new IllegalArgumentException("Cannot save the compile config: loss " + spec + " is not a name, a Loss, a List or a Map");
    }

    /**
     * The metrics argument in Keras 3's structure: a list for one output; for several, one list
     * per output (Cornu applies a flat list to every output, Keras 3 would read it as one metric
     * per output), or a dict by output name.
     */
    static Object serializeMetrics(List<Object> metrics, int outputs) {
        if (metrics.isEmpty()) return null;
        if (metrics.size() == 1 && metrics.get(0) instanceof Map<?, ?> map) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) r.put(String.valueOf(e.getKey()), serializeMetric(e.getValue()));
            return r;
        }
        boolean perOutput = outputs > 1 && metrics.size() == outputs && metrics.stream().allMatch(m -> m instanceof List);
        List<Object> flat = new ArrayList<>();
        for (Object m : metrics) flat.add(serializeMetric(m));
        if (perOutput || outputs <= 1) return flat;
        List<Object> r = new ArrayList<>();
        for (int i = 0; i < outputs; i++) r.add(flat);
        return r;
    }

    static Object serializeMetric(Object spec) {
        if (spec == null || spec instanceof String) return spec;
        if (spec instanceof Metric m) return object(m, "keras.metrics", m.getClass().getSimpleName(), m.getConfig());
        if (spec instanceof List<?> list) {
            List<Object> r = new ArrayList<>();
            for (Object o : list) r.add(serializeMetric(o));
            return r;
        }
        throw new IllegalArgumentException("Cannot save the compile config: metric " + spec + " is not a name or a Metric");
    }

    /** {@code {"module", "class_name", "config", "registered_name"}}: Keras's public module for Cornu's own classes. */
    private static Map<String, Object> object(Object o, String kerasModule, String className, Map<String, Object> config) {
        boolean builtIn = o.getClass().getName().startsWith("org.cornu.");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", builtIn ? kerasModule : o.getClass().getPackageName());
        m.put("class_name", className);
        m.put("config", config);
        m.put("registered_name", builtIn ? null : className);
        return m;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Keras's {@code compile_from_config}: compiles {@code model} from a compile config. An empty
     * config leaves the model uncompiled (Keras compiles only when the config is not empty); a
     * missing {@code optimizer} is Keras's default {@code "rmsprop"}, a null one compiles without
     * an optimizer (the model evaluates but cannot train), a null {@code loss} compiles without a loss.
     */
    static void compile(Model model, Map<String, Object> cc) {
        if (cc == null || cc.isEmpty()) return;
        for (String k : cc.keySet()) {
            if (!KNOWN_KEYS.contains(k)) LOG.warn("compile_config: unknown key '{}' = {} is ignored", k, cc.get(k));
        }
        List<String> outputs = outputNames(model);
        Optimizer opt = cc.containsKey("optimizer") ? deserializeOptimizer(cc.get("optimizer")) : Registry.optimizer("rmsprop");
        Object loss = lossArgument(cc.get("loss"));
        double[] lw = lossWeights(cc.get("loss_weights"), outputs);
        Object[] metrics = metricsArgument(cc.get("metrics"), outputs);
        Object wm = cc.get("weighted_metrics");
        if (wm != null && !(wm instanceof List<?> l && l.isEmpty()) && !(wm instanceof Map<?, ?> m && m.isEmpty())) {
            LOG.warn("compile_config: weighted_metrics {} are not supported by Cornu and are not restored", wm);
        }
        Object spe = cc.get("steps_per_execution");
        if (spe instanceof Number n && n.intValue() != 1) {
            LOG.warn("compile_config: steps_per_execution = {} is not supported by Cornu; every step runs on its own", spe);
        }
        model.compile(opt, loss, lw, metrics);
    }

    /** The output layer names, or null when the model's graph does not exist yet. */
    private static List<String> outputNames(Model model) {
        try {
            List<String> r = new ArrayList<>();
            for (KerasTensor t : model.outputs()) r.add(t.layer().name());
            return r;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- optimizer

    /**
     * An optimizer from a name, or Keras's serialized form (Keras 3's, or Keras 2's with
     * {@code lr} and {@code decay}); null for null. Config keys are set through the optimizer's
     * fluent setters; a learning-rate schedule is restored; a Keras 2 {@code decay} becomes
     * {@code InverseTimeDecay(lr, 1, decay)}, Keras 2's formula.
     */
    static Optimizer deserializeOptimizer(Object spec) {
        if (spec == null) return null;
        if (spec instanceof String s) return Registry.optimizer(s);
        if (!(spec instanceof Map<?, ?>)) throw new IllegalArgumentException("compile_config: optimizer " + spec + " is not a name or a dict" + HINT);
        Map<String, Object> m = Configs.map(spec);
        String cls = className(m, Registry.Kind.OPTIMIZER);
        if (cls == null) {
            throw new IllegalArgumentException("Unknown optimizer class '" + m.get("class_name") + "': Cornu has no such optimizer. Known: "
                    + String.join(", ", Registry.names(Registry.Kind.OPTIMIZER)) + HINT);
        }
        Optimizer o = Registry.optimizer(cls);
        Map<String, Object> defaults = o.getConfig();
        Map<String, Object> c = m.get("config") instanceof Map ? Configs.map(m.get("config")) : Map.of();
        Object lr = c.containsKey("learning_rate") ? c.get("learning_rate") : c.get("lr");
        if (lr instanceof Number n) {
            o.learningRate(n.doubleValue());
        } else if (lr instanceof Map<?, ?> sm) {
            o.learningRate(deserializeSchedule(Configs.map(sm), cls));
        } else if (lr != null) {
            throw new IllegalArgumentException("Optimizer " + cls + ": learning_rate " + lr + " is not a number or a schedule" + HINT);
        }
        for (Map.Entry<String, Object> e : c.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k.equals("name") || k.equals("learning_rate") || k.equals("lr") || k.equals("decay")) continue;
            if (v == null) continue;
            if (setProperty(o, ModelConfig.camel(k), v)) continue;
            switch (k) {
                case "use_ema" -> {
                    if (Boolean.TRUE.equals(v)) throw unsupportedOptimizer(cls, k, v, "exponential moving averages of the weights");
                }
                case "gradient_accumulation_steps" -> {
                    if (!(v instanceof Number n) || n.doubleValue() != 1) throw unsupportedOptimizer(cls, k, v, "gradient accumulation");
                }
                case "loss_scale_factor" -> LOG.warn("Optimizer {}: loss_scale_factor = {} is not used by Cornu (it scales the loss"
                        + " and unscales the gradients, which leaves the update the same up to rounding)", cls, v);
                // only in effect with use_ema; the jit flag and the Keras 2 marker change nothing
                case "ema_momentum", "ema_overwrite_frequency", "jit_compile", "is_legacy_optimizer" -> { }
                // Keras 2's Nadam momentum schedule, which Keras 3 and Cornu fix at 0.004
                case "schedule_decay" -> {
                    if (!(v instanceof Number n) || n.doubleValue() != 0.004) throw unsupportedOptimizer(cls, k, v, "a Nadam schedule_decay other than 0.004");
                }
                default -> {
                    if (!isInert(v, defaults.get(k))) throw unsupportedOptimizer(cls, k, v, "this option");
                }
            }
        }
        if (c.get("decay") instanceof Number d && d.doubleValue() != 0) {
            if (o.schedule() != null) {
                throw new IllegalArgumentException("Optimizer " + cls + ": Keras 2's decay = " + d + " on top of a learning-rate schedule"
                        + " is not supported by Cornu" + HINT);
            }
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("initial_learning_rate", o.learningRate());
            sc.put("decay_steps", 1);
            sc.put("decay_rate", d.doubleValue());
            o.learningRate(Registry.schedule("InverseTimeDecay", sc));
        }
        return o;
    }

    private static IllegalArgumentException unsupportedOptimizer(String cls, String key, Object v, String what) {
        return new IllegalArgumentException("Optimizer " + cls + ": config key '" + key + "' = " + v + " asks for " + what
                + ", which Cornu's " + cls + " does not support; ignoring it would change training" + HINT);
    }

    /** A learning-rate schedule from Keras's serialized form. */
    static LearningRateSchedule deserializeSchedule(Map<String, Object> m, String optimizer) {
        String cls = className(m, Registry.Kind.SCHEDULE);
        if (cls == null) {
            throw new IllegalArgumentException("Optimizer " + optimizer + ": unknown learning rate schedule '" + m.get("class_name")
                    + "'. Known: " + String.join(", ", Registry.names(Registry.Kind.SCHEDULE)) + HINT);
        }
        Map<String, Object> c = m.get("config") instanceof Map ? Configs.map(m.get("config")) : Map.of();
        return Registry.schedule(cls, c);
    }

    // --------------------------------------------------------------------- loss

    /** The compile loss argument: a name, a Loss, a per-output List or a Map by output name, or null. */
    private static Object lossArgument(Object spec) {
        if (spec == null) return null;
        if (spec instanceof List<?> l) {
            List<Object> r = new ArrayList<>();
            for (Object x : l) {
                if (x == null || x instanceof List) {
                    throw new IllegalArgumentException("compile_config: loss list " + spec
                            + " has an entry that is not one loss; Cornu takes one loss per output" + HINT);
                }
                r.add(deserializeLoss(x));
            }
            return r;
        }
        if (spec instanceof Map<?, ?> m && !m.containsKey("class_name")) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("compile_config: output \"" + e.getKey() + "\" has no loss; Cornu needs one loss"
                            + " for every output" + HINT);
                }
                r.put(String.valueOf(e.getKey()), deserializeLoss(e.getValue()));
            }
            return r;
        }
        return deserializeLoss(spec);
    }

    /**
     * One loss: a registered name stays a name ({@code "mse"}, {@code "CategoricalCrossentropy"});
     * a Keras function form becomes its name; a serialized object becomes a {@link Loss} with its
     * config set ({@code from_logits}, {@code label_smoothing}, {@code axis}, {@code delta},
     * {@code reduction}...).
     */
    static Object deserializeLoss(Object spec) {
        if (spec instanceof String s) {
            if (!Registry.has(Registry.Kind.LOSS, s)) throw unknownLoss(s);
            return s;
        }
        if (!(spec instanceof Map<?, ?>)) throw new IllegalArgumentException("compile_config: loss " + spec + " is not a name or a dict" + HINT);
        Map<String, Object> m = Configs.map(spec);
        String cn = String.valueOf(m.get("class_name"));
        Map<String, Object> cfg = m.get("config") instanceof Map ? Configs.map(m.get("config")) : Map.of();
        if (cn.equals("function")) {
            String fn = functionName(m);
            if (!Registry.has(Registry.Kind.LOSS, fn)) throw unknownLoss(fn);
            return fn;
        }
        Loss loss;
        if (cn.equals("LossFunctionWrapper")) {
            String fn = functionName(cfg.get("fn"));
            if (fn == null || !Registry.has(Registry.Kind.LOSS, fn)) throw unknownLoss(String.valueOf(cfg.get("fn")));
            loss = Registry.loss(fn);
        } else {
            String cls = className(m, Registry.Kind.LOSS);
            if (cls == null) throw unknownLoss(cn);
            loss = Registry.loss(cls);
        }
        configureLoss(loss, cfg);
        return loss;
    }

    private static IllegalArgumentException unknownLoss(String name) {
        return new IllegalArgumentException("compile_config: unknown loss '" + name + "': Cornu has no such loss. Known: "
                + String.join(", ", Registry.names(Registry.Kind.LOSS)) + HINT);
    }

    private static void configureLoss(Loss loss, Map<String, Object> cfg) {
        String cls = loss.getClass().getSimpleName();
        Map<String, Object> defaults = loss.getConfig();
        for (Map.Entry<String, Object> e : cfg.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (k) {
                case "fn" -> { }
                // a loss's name shows nowhere in training (its logs say "loss")
                case "name" -> {
                    if (!Objects.equals(v, defaults.get("name"))) LOG.debug("Loss {}: name '{}' is not kept", cls, v);
                }
                case "reduction" -> {
                    String r = v == null ? "none" : String.valueOf(v);
                    if (r.equals("auto")) r = "sum_over_batch_size"; // tf.keras 2's default, the same reduction
                    try {
                        loss.reduction(r);
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException("Loss " + cls + ": reduction '" + r + "' is not supported by Cornu ("
                                + ex.getMessage() + ")" + HINT, ex);
                    }
                }
                case "dtype" -> {
                    if (v != null && !"float32".equals(v)) {
                        LOG.warn("Loss {}: dtype '{}' is not supported; Cornu computes the loss in the prediction's type", cls, v);
                    }
                }
                default -> {
                    if (setProperty(loss, ModelConfig.camel(k), unwrapSingle(v))) continue;
                    if (!isInert(v, defaults.get(k))) {
                        throw new IllegalArgumentException("Loss " + cls + ": Keras option '" + k + "' = " + v
                                + " is not supported by Cornu's " + cls + "; ignoring it would change the loss" + HINT);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ metrics

    private static double[] lossWeights(Object spec, List<String> outputs) {
        if (spec == null) return null;
        if (spec instanceof Number n) return new double[] {n.doubleValue()};
        if (spec instanceof List<?> l) {
            double[] r = new double[l.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(l.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException("compile_config: loss_weights " + spec + " must hold numbers" + HINT);
                }
                r[i] = n.doubleValue();
            }
            return r;
        }
        if (spec instanceof Map<?, ?> m) {
            if (outputs == null) {
                throw new IllegalArgumentException("compile_config: loss_weights by output name " + spec
                        + " need the model's outputs, and the model is not built" + HINT);
            }
            double[] r = new double[outputs.size()];
            for (int i = 0; i < r.length; i++) {
                if (!(m.get(outputs.get(i)) instanceof Number n)) {
                    throw new IllegalArgumentException("compile_config: loss_weights " + spec + " has no weight for output \""
                            + outputs.get(i) + "\"" + HINT);
                }
                r[i] = n.doubleValue();
            }
            return r;
        }
        throw new IllegalArgumentException("compile_config: loss_weights " + spec + " is not a number, a list or a dict" + HINT);
    }

    /**
     * The compile metrics argument in Cornu's form, read as Keras 3 reads it: for one output, a
     * list (nested lists flattened, as Keras 2 wrote them); for several, a list with one entry
     * (a metric or a list) per output, or a dict by output name.
     */
    private static Object[] metricsArgument(Object spec, List<String> outputs) {
        if (spec == null) return new Object[0];
        if (spec instanceof Map<?, ?> m && !m.containsKey("class_name")) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) r.put(String.valueOf(e.getKey()), metricList(e.getValue()));
            return new Object[] {r};
        }
        if (!(spec instanceof List<?> l)) return metricList(spec).toArray();
        int n = outputs == null ? 1 : outputs.size();
        if (n > 1 && l.size() == n) {
            Object[] r = new Object[n];
            for (int i = 0; i < n; i++) r[i] = metricList(l.get(i));
            return r;
        }
        if (n > 1) {
            LOG.warn("compile_config: metrics {} has {} entries for a model with {} outputs; every output gets all of them", spec, l.size(), n);
        }
        return metricList(l).toArray();
    }

    /** The metrics of one entry (a metric, or a possibly nested list), unknown ones dropped with a warning. */
    private static List<Object> metricList(Object spec) {
        List<Object> r = new ArrayList<>();
        if (spec instanceof List<?> l) {
            for (Object x : l) r.addAll(metricList(x));
        } else if (spec != null) {
            Object m = deserializeMetric(spec);
            if (m != null) r.add(m);
        }
        return r;
    }

    /**
     * One metric: a known name stays a name (named as written, as Keras names it); a function
     * form becomes its function's name; a serialized object becomes a {@link Metric} with its name
     * and config; null, with a warning, for what Cornu cannot compute (a metric never changes
     * training, so the model still loads).
     */
    static Object deserializeMetric(Object spec) {
        if (spec instanceof String s) {
            if (Metrics.isKnown(s)) return s;
            LOG.warn("compile_config: metric '{}' is not known to Cornu and is not restored", s);
            return null;
        }
        if (!(spec instanceof Map<?, ?>)) {
            LOG.warn("compile_config: metric {} is not a name or a dict and is not restored", spec);
            return null;
        }
        Map<String, Object> m = Configs.map(spec);
        String cn = String.valueOf(m.get("class_name"));
        Map<String, Object> cfg = m.get("config") instanceof Map ? Configs.map(m.get("config")) : Map.of();
        if (cn.equals("function")) return deserializeMetric(functionName(m));
        Metric metric;
        if (cn.equals("MeanMetricWrapper")) {
            String fn = functionName(cfg.get("fn"));
            Object name = cfg.get("name");
            String id = fn != null ? fn : name == null ? null : String.valueOf(name);
            if (id == null || !Registry.has(Registry.Kind.METRIC, id)) {
                LOG.warn("compile_config: metric {} wraps a function Cornu does not know and is not restored", spec);
                return null;
            }
            metric = Registry.metric(id);
        } else {
            String cls = className(m, Registry.Kind.METRIC);
            if (cls == null) {
                LOG.warn("compile_config: metric class '{}' is not known to Cornu and is not restored", cn);
                return null;
            }
            metric = Registry.metric(cls);
        }
        return configureMetric(metric, cfg) ? metric : null;
    }

    /** Sets a metric's name and config; false, with a warning, when an option is one Cornu does not have. */
    private static boolean configureMetric(Metric metric, Map<String, Object> cfg) {
        String cls = metric.getClass().getSimpleName();
        Map<String, Object> defaults = metric.getConfig();
        for (Map.Entry<String, Object> e : cfg.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (k) {
                case "fn" -> { }
                case "name" -> {
                    if (v != null) metric.name(String.valueOf(v));
                }
                case "dtype" -> {
                    if (v != null && !"float32".equals(v)) LOG.warn("Metric {}: dtype '{}' is not supported; Cornu accumulates in float64", cls, v);
                }
                default -> {
                    if (v == null) continue;
                    if (setProperty(metric, ModelConfig.camel(k), unwrapSingle(v))) continue;
                    if (!isInert(v, defaults.get(k))) {
                        LOG.warn("Metric {} (\"{}\"): Keras option '{}' = {} is not supported by Cornu; the metric is not restored",
                                cls, metric.name(), k, v);
                        return false;
                    }
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The registered name of a serialized object's class: its {@code registered_name} when that
     * is registered (a user's own class), else its {@code class_name}; null when neither is.
     */
    private static String className(Map<String, Object> m, Registry.Kind kind) {
        Object rn = m.get("registered_name");
        if (rn instanceof String s && !s.equals("function") && Registry.has(kind, s)) return s;
        Object cn = m.get("class_name");
        if (cn instanceof String s && Registry.has(kind, s)) return s;
        return null;
    }

    /**
     * The name of a Keras function reference: a plain name, or
     * {@code {"class_name": "function", "config": name, "registered_name": name or "function"}}.
     */
    private static String functionName(Object spec) {
        if (spec instanceof String s) return s;
        if (spec instanceof Map<?, ?> m) {
            if (m.get("config") instanceof String s) return s;
            if (m.get("registered_name") instanceof String s && !s.equals("function")) return s;
        }
        return null;
    }

    /** A Keras value that asks for nothing Cornu lacks: null, false, or the value Cornu already has. */
    private static boolean isInert(Object v, Object cornuValue) {
        if (v == null || Boolean.FALSE.equals(v)) return true;
        if (v instanceof Number a && cornuValue instanceof Number b) return a.doubleValue() == b.doubleValue();
        return Objects.equals(v, cornuValue);
    }

    /** Keras writes some single settings as one-element lists ({@code "thresholds": [0.5]}). */
    private static Object unwrapSingle(Object v) {
        return v instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Number ? l.get(0) : v;
    }

    /** Calls the one-argument setter {@code method} with {@code v} converted to its type; false when there is none. */
    private static boolean setProperty(Object target, String method, Object v) {
        for (Method mt : target.getClass().getMethods()) {
            if (!mt.getName().equals(method) || mt.getParameterCount() != 1) continue;
            Class<?> p = mt.getParameterTypes()[0];
            Object arg;
            if ((p == double.class || p == Double.class) && v instanceof Number n) {
                arg = n.doubleValue();
            } else if ((p == int.class || p == Integer.class) && v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                arg = n.intValue();
            } else if ((p == long.class || p == Long.class) && v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                arg = n.longValue();
            } else if ((p == boolean.class || p == Boolean.class) && v instanceof Boolean bo) {
                arg = bo;
            } else if (p == String.class && v instanceof String s) {
                arg = s;
            } else {
                continue;
            }
            try {
                mt.invoke(target, arg);
                return true;
            } catch (ReflectiveOperationException e) {
                Throwable t = e.getCause() != null ? e.getCause() : e;
                throw new IllegalArgumentException("Cannot set " + method + "=" + v + " on " + target + ": " + t.getMessage(), t);
            }
        }
        return false;
    }
}
