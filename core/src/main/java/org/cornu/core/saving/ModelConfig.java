package org.cornu.core.saving;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.InputLayer;
import org.cornu.core.KerasTensor;
import org.cornu.core.Layer;
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

    /**
     * Keras's class name of a layer or model: {@code Sequential}, {@code Functional}, {@code Dense}...
     *
     * @param l a layer or model
     * @return the class name
     */
    public static String kerasClassName(Layer l) {
        if (l instanceof Sequential) return "Sequential";
        if (l instanceof Model) return "Functional";
        return l.getClass().getSimpleName();
    }

    /**
     * One layer's serialized form: module, class_name, config, registered_name and, when known, build_config.
     *
     * @param l the layer
     * @param buildInputShape the shape it was built for, or null
     * @return the serialized layer
     */
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
            if (l instanceof KerasCallArguments call) {
                bc = call.kerasBuildConfig(buildInputShape instanceof List<?> bl && !bl.isEmpty() && bl.get(0) instanceof List<?>
                        ? new ArrayList<>(bl) : new ArrayList<>(java.util.Collections.singletonList(buildInputShape)));
            }
            m.put("build_config", bc);
        }
        return m;
    }

    /**
     * The whole {@code config.json} object of {@code model}, with its compile config if compiled.
     *
     * @param model the model
     * @return the config
     */
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

    /** Keras's {@code get_compile_config()}: see {@link CompileConfig}. */
    static Map<String, Object> compileConfig(Model model) {
        return CompileConfig.serialize(model);
    }

    /**
     * An optimizer as Keras serializes it: {@code {"module": "keras.optimizers", "class_name": "Adam",
     * "config": ..., "registered_name": null}}, a learning-rate schedule serialized inside its
     * {@code learning_rate}.
     *
     * @param o the optimizer
     * @return the serialized form
     */
    public static Map<String, Object> serializeOptimizer(Optimizer o) {
        return CompileConfig.serializeOptimizer(o);
    }

    /**
     * An optimizer from a name or Keras's serialized form (null for null); config keys are set
     * through the optimizer's fluent setters, a schedule is restored (see {@link CompileConfig}).
     *
     * @param spec a name, Keras's serialized form, or null
     * @return the optimizer, or null
     */
    public static Optimizer deserializeOptimizer(Object spec) {
        return CompileConfig.deserializeOptimizer(spec);
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

    // ------------------------------------------------------------------ loading

    /**
     * Checks every layer class of a model config (nested models included) before anything is built.
     *
     * @param top the model config
     * @throws IllegalArgumentException naming the first class Cornu cannot re-create
     */
    public static void checkClasses(Map<String, Object> top) {
        String cls = String.valueOf(top.get("class_name"));
        Map<String, Object> cfg = configOf(top);
        LayerFactory.check(cls, String.valueOf(cfg.getOrDefault("name", top.get("name"))));
        if (cls.equals("Sequential") || cls.equals("Functional") || cls.equals("Model")) {
            Object layers = cfg.get("layers");
            if (!(layers instanceof List<?> list)) {
                throw new IllegalArgumentException("Model config of \"" + cfg.get("name") + "\" has no 'layers' list");
            }
            for (Object o : list) checkClasses(Configs.map(o));
        }
    }

    /**
     * Re-creates a model from its serialized form; compiles it if {@code compile} and a compile
     * config is present. A compile config that Cornu cannot honour (an optimizer, loss or option
     * it lacks) never costs the model: a warning names what is missing and the model loads
     * uncompiled, as Keras loads a model whose {@code compile} it cannot call.
     *
     * @param top the model config
     * @param compile whether to compile from the compile config
     * @return the model
     */
    public static Model deserialize(Map<String, Object> top, boolean compile) {
        checkClasses(top);
        Model model = (Model) deserializeLayer(top);
        Object cc = top.get("compile_config");
        if (compile && cc instanceof Map) {
            try {
                compile(model, Configs.map(cc));
            } catch (IllegalArgumentException e) {
                LOG.warn("Model \"{}\" is loaded uncompiled: its compile config cannot be restored ({}). Compile it before"
                        + " training.", model.name(), e.getMessage());
            }
        }
        return model;
    }

    /**
     * The {@code config} of a serialized layer or model. Keras 2.2 and earlier wrote a
     * Sequential's config as the bare list of its layers; that becomes {@code {"layers": [...]}}
     * (named {@code sequential}, as Keras names it).
     */
    static Map<String, Object> configOf(Map<String, Object> entry) {
        Object c = entry.get("config");
        if (c instanceof List<?> layers && "Sequential".equals(entry.get("class_name"))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", entry.get("name") != null ? entry.get("name") : "sequential");
            m.put("layers", layers);
            return m;
        }
        if (c == null) return Map.of();
        if (!(c instanceof Map)) {
            throw new IllegalArgumentException("The config of " + entry.get("class_name") + " is not a JSON object: " + c);
        }
        return Configs.map(c);
    }

    static Layer deserializeLayer(Map<String, Object> entry) {
        String cls = String.valueOf(entry.get("class_name"));
        Map<String, Object> cfg = configOf(entry);
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
            KerasTensor t = resolveHistory(h, made, layers, layerName);
            if (t == null) return null;
            r.add(t);
        }
        if (layers.get(layerName) instanceof KerasCallArguments call && node instanceof Map<?, ?> nm) {
            // kwargs that are tensors (MultiHeadAttention's key) and flags (use_causal_mask)
            Map<String, KerasTensor> tensorKwargs = new LinkedHashMap<>();
            Map<String, Object> otherKwargs = new LinkedHashMap<>();
            if (nm.get("kwargs") instanceof Map<?, ?> kw) {
                for (Map.Entry<?, ?> e : kw.entrySet()) {
                    List<Object> hs = new ArrayList<>();
                    collectHistories(e.getValue(), hs);
                    if (hs.size() == 1 && e.getValue() instanceof Map) {
                        KerasTensor t = resolveHistory(hs.get(0), made, layers, layerName);
                        if (t == null) return null;
                        tensorKwargs.put(String.valueOf(e.getKey()), t);
                    } else {
                        otherKwargs.put(String.valueOf(e.getKey()), e.getValue());
                    }
                }
            }
            return call.fromKerasCall(r, tensorKwargs, otherKwargs);
        }
        return r;
    }

    private static KerasTensor resolveHistory(Object h, Map<String, List<List<KerasTensor>>> made,
                                              Map<String, Layer> layers, String layerName) {
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
        return outs.get(ni).get(ti);
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

    /**
     * Compiles {@code model} from a Keras compile config, as Keras's {@code compile_from_config}
     * (an empty config leaves it uncompiled); see {@link CompileConfig}.
     *
     * @param model the model
     * @param cc Keras's {@code compile_config}
     */
    public static void compile(Model model, Map<String, Object> cc) {
        CompileConfig.compile(model, cc);
    }
}
