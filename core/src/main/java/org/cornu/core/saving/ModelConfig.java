package org.cornu.core.saving;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.InputLayer;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
import org.cornu.core.Loss;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Optimizer;
import org.cornu.core.Registry;
import org.cornu.core.Sequential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras's {@code serialize_keras_object} / {@code deserialize_keras_object} for models: the
 * {@code config.json} of a {@code .keras} file ({@code module}, {@code class_name},
 * {@code config}, {@code registered_name}, {@code build_config}, {@code compile_config}).
 */
public final class ModelConfig {
    private static final Logger LOG = LoggerFactory.getLogger(ModelConfig.class);

    private ModelConfig() {}

    /** Keras's class name of a layer or model: {@code Sequential}, {@code Functional}, {@code Dense}... */
    public static String kerasClassName(Layer l) {
        if (l instanceof Sequential) return "Sequential";
        if (l instanceof Model) return "Functional";
        return l.getClass().getSimpleName();
    }

    /** One layer's serialized form: module, class_name, config, registered_name and, when known, build_config. */
    public static Map<String, Object> serializeLayer(Layer l, Object buildInputShape) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean functional = l instanceof Model && !(l instanceof Sequential);
        // where Keras 3 finds the class: keras.Sequential, keras.layers.Dense, and Functional by its source module
        m.put("module", functional ? "keras.src.models.functional" : l instanceof Sequential ? "keras" : "keras.layers");
        m.put("class_name", kerasClassName(l));
        Map<String, Object> config = new LinkedHashMap<>(l.getConfig());
        // Keras 3 layers reject batch_input_shape; the input shape travels in the InputLayer entry
        if (!(l instanceof InputLayer)) config.remove("batch_input_shape");
        m.put("config", config);
        m.put("registered_name", functional ? "Functional" : null);
        if (buildInputShape != null && !(l instanceof InputLayer)) {
            Map<String, Object> bc = new LinkedHashMap<>();
            bc.put("input_shape", buildInputShape);
            m.put("build_config", bc);
        }
        return m;
    }

    /** The whole {@code config.json} object of {@code model}, with its compile config if compiled. */
    public static Map<String, Object> serialize(Model model) {
        Map<String, Object> m = serializeLayer(model, null);
        Map<String, Object> bc = new LinkedHashMap<>();
        List<Object> shapes = new ArrayList<>();
        for (KerasTensor t : model.inputs()) shapes.add(Configs.shapeList(t.shape().dims()));
        bc.put("input_shape", shapes.size() == 1 ? shapes.get(0) : shapes);
        m.put("build_config", bc);
        m.put("compile_config", model.isCompiled() ? compileConfig(model) : null);
        return m;
    }

    static Map<String, Object> compileConfig(Model model) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", serializeOptimizer(model.optimizer()));
        List<Object> ls = new ArrayList<>();
        for (Loss l : model.losses()) ls.add(l.name());
        c.put("loss", ls.size() == 1 ? ls.get(0) : ls);
        double[] lw = model.lossWeights();
        if (lw == null) {
            c.put("loss_weights", null);
        } else {
            List<Double> l = new ArrayList<>();
            for (double d : lw) l.add(d);
            c.put("loss_weights", l);
        }
        List<List<Object>> ms = model.compiledMetricIds();
        List<Object> perOutput = new ArrayList<>();
        boolean same = true;
        for (List<Object> m : ms) {
            List<Object> names = new ArrayList<>();
            for (Object id : m) names.add(id instanceof Metric mt ? mt.name() : String.valueOf(id));
            perOutput.add(names);
            same &= names.equals(perOutput.get(0));
        }
        c.put("metrics", perOutput.isEmpty() ? null : same ? perOutput.get(0) : perOutput);
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /** An optimizer as Keras serializes it: {@code {"module": "keras.optimizers", "class_name": "Adam", "config": ...}}. */
    public static Map<String, Object> serializeOptimizer(Optimizer o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.optimizers");
        m.put("class_name", o.getClass().getSimpleName());
        m.put("config", o.getConfig());
        m.put("registered_name", null);
        return m;
    }

    /** An optimizer from a name or Keras's serialized form; config keys are set through the optimizer's fluent setters. */
    public static Optimizer deserializeOptimizer(Object spec) {
        if (!(spec instanceof Map)) return Registry.optimizer(String.valueOf(spec));
        Map<String, Object> m = Configs.map(spec);
        String cls = String.valueOf(m.get("class_name"));
        if (!Registry.has(Registry.Kind.OPTIMIZER, cls)) {
            throw new IllegalArgumentException("Unknown optimizer class '" + cls + "': Cornu has no such optimizer. Known: "
                    + String.join(", ", Registry.names(Registry.Kind.OPTIMIZER)));
        }
        Optimizer o = Registry.optimizer(cls);
        Map<String, Object> c = m.get("config") == null ? Map.of() : Configs.map(m.get("config"));
        for (Map.Entry<String, Object> e : c.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (v == null || k.equals("name")) continue;
            if (k.equals("learning_rate")) {
                if (v instanceof Number n) o.learningRate(n.doubleValue());
                else LOG.warn("Optimizer {}: learning-rate schedule {} is not restored; using {}", cls, v, o.learningRate());
                continue;
            }
            if (!setProperty(o, camel(k), v) && !isInertKerasDefault(k, v)) {
                LOG.warn("Optimizer {}: config key '{}' = {} is not supported by Cornu and is ignored", cls, k, v);
            }
        }
        return o;
    }

    private static boolean isInertKerasDefault(String k, Object v) {
        return switch (k) {
            case "use_ema", "is_legacy_optimizer" -> Boolean.FALSE.equals(v);
            case "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps" -> true;
            default -> false;
        };
    }

    static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    private static boolean setProperty(Object target, String method, Object v) {
        for (Method mt : target.getClass().getMethods()) {
            if (!mt.getName().equals(method) || mt.getParameterCount() != 1) continue;
            Class<?> p = mt.getParameterTypes()[0];
            Object arg;
            if ((p == double.class || p == Double.class) && v instanceof Number n) arg = n.doubleValue();
            else if ((p == int.class || p == Integer.class) && v instanceof Number n) arg = n.intValue();
            else if ((p == long.class || p == Long.class) && v instanceof Number n) arg = n.longValue();
            else if ((p == boolean.class || p == Boolean.class) && v instanceof Boolean bo) arg = bo;
            else if (p == String.class && v instanceof String s) arg = s;
            else continue;
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

    // ------------------------------------------------------------------ loading

    /** Checks every layer class of a model config (nested models included) before anything is built. */
    public static void checkClasses(Map<String, Object> top) {
        String cls = String.valueOf(top.get("class_name"));
        Map<String, Object> cfg = top.get("config") instanceof Map ? Configs.map(top.get("config")) : Map.of();
        LayerFactory.check(cls, String.valueOf(cfg.getOrDefault("name", top.get("name"))));
        if (cls.equals("Sequential") || cls.equals("Functional") || cls.equals("Model")) {
            Object layers = cfg.get("layers");
            if (!(layers instanceof List<?> list)) {
                throw new IllegalArgumentException("Model config of \"" + cfg.get("name") + "\" has no 'layers' list");
            }
            for (Object o : list) checkClasses(Configs.map(o));
        }
    }

    /** Re-creates a model from its serialized form; compiles it if {@code compile} and a compile config is present. */
    public static Model deserialize(Map<String, Object> top, boolean compile) {
        checkClasses(top);
        Model model = (Model) deserializeLayer(top);
        Object cc = top.get("compile_config");
        if (compile && cc instanceof Map) compile(model, Configs.map(cc));
        return model;
    }

    static Layer deserializeLayer(Map<String, Object> entry) {
        String cls = String.valueOf(entry.get("class_name"));
        Map<String, Object> cfg = Configs.map(entry.get("config"));
        return switch (cls) {
            case "Sequential" -> sequential(cfg);
            case "Functional", "Model" -> functional(cfg);
            default -> LayerFactory.create(cls, cfg);
        };
    }

    private static Sequential sequential(Map<String, Object> cfg) {
        Sequential s = new Sequential(String.valueOf(cfg.get("name")));
        List<?> layers = (List<?>) cfg.get("layers");
        boolean hasInput = false;
        for (Object o : layers) {
            Map<String, Object> e = Configs.map(o);
            Layer l = deserializeLayer(e);
            hasInput |= l instanceof InputLayer || l.batchInputShape() != null;
            s.add(l);
        }
        Object bis = cfg.get("build_input_shape");
        if (!hasInput && bis instanceof List<?>) {
            long[] b = Configs.getLongs(Map.of("s", bis), "s");
            s.buildGraph(java.util.Arrays.copyOfRange(b, 1, b.length));
        }
        if (cfg.get("trainable") instanceof Boolean t) setOwnTrainable(s, t);
        return s;
    }

    private static Model functional(Map<String, Object> cfg) {
        String modelName = String.valueOf(cfg.get("name"));
        List<?> layerEntries = (List<?>) cfg.get("layers");
        Map<String, Layer> layers = new LinkedHashMap<>();
        Map<String, List<Object>> inbound = new LinkedHashMap<>();
        for (Object o : layerEntries) {
            Map<String, Object> e = Configs.map(o);
            Layer l = deserializeLayer(e);
            String n = e.get("name") != null ? e.get("name").toString() : l.name();
            layers.put(n, l);
            Object nodes = e.get("inbound_nodes");
            inbound.put(n, nodes instanceof List<?> nl ? new ArrayList<>(nl) : new ArrayList<>());
        }
        // outputs.get(layer)[nodeIndex] = the node's output tensors
        Map<String, List<List<KerasTensor>>> made = new HashMap<>();
        for (Map.Entry<String, Layer> e : layers.entrySet()) {
            made.put(e.getKey(), new ArrayList<>());
            if (e.getValue() instanceof InputLayer il) made.get(e.getKey()).add(List.of(il.tensor()));
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, Layer> e : layers.entrySet()) {
                String n = e.getKey();
                List<Object> pending = inbound.get(n);
                while (!pending.isEmpty()) {
                    List<KerasTensor> ins = resolveArgs(pending.get(0), made, layers, n);
                    if (ins == null) break;
                    pending.remove(0);
                    List<KerasTensor> outs = e.getValue().applyAll(ins);
                    made.get(n).add(outs);
                    progress = true;
                }
            }
        }
        for (Map.Entry<String, List<Object>> e : inbound.entrySet()) {
            if (!e.getValue().isEmpty()) {
                throw new IllegalArgumentException("Model \"" + modelName + "\": the inputs of layer \"" + e.getKey()
                        + "\" cannot be found in the config (inbound node " + e.getValue().get(0) + ")");
            }
        }
        List<KerasTensor> ins = tensors(cfg.get("input_layers"), made, modelName);
        List<KerasTensor> outs = tensors(cfg.get("output_layers"), made, modelName);
        Model m = new Model(ins, outs, modelName);
        if (cfg.get("trainable") instanceof Boolean t) setOwnTrainable(m, t);
        return m;
    }

    /**
     * Sets a deserialized model's own flag but keeps its layers' flags as their configs gave them
     * (Keras sets {@code _trainable} at construction, without the setter's propagation).
     */
    private static void setOwnTrainable(Model m, boolean t) {
        List<Layer> ls = new ArrayList<>();
        collectLayers(m, ls);
        boolean[] flags = new boolean[ls.size()];
        for (int i = 0; i < flags.length; i++) flags[i] = ls.get(i).trainable();
        m.trainable(t);
        // parents before their layers: restoring a nested model's flag resets its layers, restored next
        for (int i = 0; i < flags.length; i++) ls.get(i).trainable(flags[i]);
    }

    private static void collectLayers(Model m, List<Layer> out) {
        for (Layer l : m.layers()) {
            if (l == m) continue;
            out.add(l);
            if (l instanceof Model inner) collectLayers(inner, out);
        }
    }

    /** The inputs of one inbound node, or null if some producer has not run yet. */
    private static List<KerasTensor> resolveArgs(Object node, Map<String, List<List<KerasTensor>>> made,
                                                 Map<String, Layer> layers, String layerName) {
        List<Object> histories = new ArrayList<>();
        if (node instanceof Map<?, ?> nm) {
            collectHistories(nm.get("args"), histories); // Keras 3: {"args": [...], "kwargs": {...}}
        } else if (node instanceof List<?> legacy) {
            for (Object t : legacy) { // Keras 2: [[layer, node, tensor, kwargs], ...]
                List<?> tl = (List<?>) t;
                histories.add(List.of(tl.get(0), tl.get(1), tl.get(2)));
            }
        }
        List<KerasTensor> r = new ArrayList<>();
        for (Object h : histories) {
            List<?> hl = (List<?>) h;
            String src = String.valueOf(hl.get(0));
            int ni = ((Number) hl.get(1)).intValue();
            int ti = ((Number) hl.get(2)).intValue();
            if (!layers.containsKey(src)) {
                throw new IllegalArgumentException("Layer \"" + layerName + "\" takes its input from layer \"" + src
                        + "\", which is not in the model's config");
            }
            List<List<KerasTensor>> outs = made.get(src);
            if (outs.size() <= ni) return null;
            r.add(outs.get(ni).get(ti));
        }
        return r;
    }

    private static void collectHistories(Object o, List<Object> out) {
        if (o instanceof Map<?, ?> m) {
            if ("__keras_tensor__".equals(m.get("class_name"))) {
                Object h = ((Map<?, ?>) m.get("config")).get("keras_history");
                out.add(h);
            } else {
                for (Object v : m.values()) collectHistories(v, out);
            }
        } else if (o instanceof List<?> l) {
            for (Object v : l) collectHistories(v, out);
        }
    }

    private static List<KerasTensor> tensors(Object spec, Map<String, List<List<KerasTensor>>> made, String model) {
        List<KerasTensor> r = new ArrayList<>();
        if (!(spec instanceof List<?> l) || l.isEmpty()) {
            throw new IllegalArgumentException("Model \"" + model + "\": input_layers / output_layers missing in the config");
        }
        List<?> triples = l.get(0) instanceof List<?> ? l : List.of(l);
        for (Object t : triples) {
            List<?> tl = (List<?>) t;
            String src = String.valueOf(tl.get(0));
            List<List<KerasTensor>> outs = made.get(src);
            int ni = ((Number) tl.get(1)).intValue();
            int ti = ((Number) tl.get(2)).intValue();
            if (outs == null || outs.size() <= ni) {
                throw new IllegalArgumentException("Model \"" + model + "\": tensor " + tl + " is not produced by any layer of the config");
            }
            r.add(outs.get(ni).get(ti));
        }
        return r;
    }

    /** Compiles {@code model} from a Keras compile config. */
    public static void compile(Model model, Map<String, Object> cc) {
        Optimizer opt = deserializeOptimizer(cc.get("optimizer"));
        Object loss = lossSpec(cc.get("loss"));
        double[] lw = null;
        if (cc.get("loss_weights") instanceof List<?> l) {
            lw = new double[l.size()];
            for (int i = 0; i < lw.length; i++) lw[i] = ((Number) l.get(i)).doubleValue();
        }
        List<Object> metrics = new ArrayList<>();
        Object ms = cc.get("metrics");
        if (ms instanceof List<?> l) {
            boolean nested = !l.isEmpty() && l.stream().allMatch(x -> x instanceof List);
            for (Object x : l) metrics.add(nested ? metricList((List<?>) x) : metricSpec(x));
        }
        model.compile(opt, loss, lw, metrics.toArray());
    }

    private static Object lossSpec(Object spec) {
        if (spec instanceof List<?> l) {
            List<Object> r = new ArrayList<>();
            for (Object x : l) r.add(lossSpec(x));
            return r;
        }
        if (spec instanceof Map<?, ?> m) {
            Object cls = m.get("class_name");
            Object cfg = m.get("config");
            String name = cfg instanceof Map<?, ?> cm && cm.get("name") != null ? cm.get("name").toString() : null;
            if (name != null && Registry.has(Registry.Kind.LOSS, name)) return name;
            if (Registry.has(Registry.Kind.LOSS, String.valueOf(cls))) return String.valueOf(cls);
            return Configs.snake(String.valueOf(cls));
        }
        return spec;
    }

    private static List<Object> metricList(List<?> l) {
        List<Object> r = new ArrayList<>();
        for (Object x : l) r.add(metricSpec(x));
        return r;
    }

    private static Object metricSpec(Object spec) {
        if (spec instanceof Map<?, ?> m) {
            Object cfg = m.get("config");
            if (cfg instanceof Map<?, ?> cm && cm.get("name") != null) return cm.get("name").toString();
            return Configs.snake(String.valueOf(m.get("class_name")));
        }
        return spec;
    }
}
