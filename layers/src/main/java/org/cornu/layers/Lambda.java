package org.cornu.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.cornu.core.Layer;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * Wraps an arbitrary expression as a {@code Layer} object, {@code keras.layers.Lambda}.
 *
 * <p>The {@code Lambda} layer exists so that arbitrary expressions can be used as a {@code Layer}
 * when constructing Sequential and Functional API models. {@code Lambda} layers are best suited
 * for simple operations or quick experimentation. For more advanced use cases, prefer writing
 * new subclasses of {@code Layer}.
 *
 * <p>In Cornu the function is a Java {@code Function<Tensor, Tensor>} composed of differentiable
 * {@link org.cornu.core.ops.Ops}, registered under a name with {@link #register}; the layer holds
 * the name, and a {@code .keras} file carries it as Keras carries a registered function
 * ({@code {"class_name": "function", "config": "<name>"}}), so that a model loads wherever the
 * same name is registered (in Python, as a Keras custom object of that name).
 *
 * <p>A file saved by Python Keras with a {@code Lambda} over a Python lambda holds marshalled
 * Python bytecode, which Cornu cannot run: loading it fails with a message naming the layer;
 * registering a Java function under the layer's name ({@code Lambda.register("<layer name>", fn)})
 * before loading makes the layer use it.
 *
 * <pre>{@code
 * Lambda.register("double", x -> Ops.mulScalar(x, 2));
 * Sequential m = new Sequential(new Dense(4).inputShape(3), new Lambda("double"));
 * }</pre>
 */
public class Lambda extends Layer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Lambda.class);
    private static final Map<String, Function<Tensor, Tensor>> FUNCTIONS = new ConcurrentHashMap<>();

    private final String function;
    private final Function<Tensor, Tensor> fn;
    private long[] outputShape;

    /**
     * Registers {@code fn} under {@code name} for {@code Lambda} layers (replacing an earlier
     * function of that name). The function must compose differentiable ops so that gradients flow.
     *
     * @param name the name a layer and a {@code .keras} file refer to the function by
     * @param fn the function, from the layer's input to its output
     * @throws IllegalArgumentException if {@code name} is null or empty, or {@code fn} is null
     */
    public static void register(String name, Function<Tensor, Tensor> fn) {
        if (name == null || name.isEmpty() || fn == null) {
            throw new IllegalArgumentException("Lambda.register needs a non-empty name and a function");
        }
        FUNCTIONS.put(name, fn);
    }

    /**
     * Whether a function is registered under {@code name}.
     *
     * @param name the name
     * @return true if {@link #register} was called with it
     */
    public static boolean isRegistered(String name) {
        return FUNCTIONS.containsKey(name);
    }

    /**
     * A Lambda layer applying the function registered under {@code function} (see {@link #register}).
     *
     * @param function the registered name of the function (Keras's {@code function})
     * @throws IllegalArgumentException if no function is registered under that name
     */
    public Lambda(String function) {
        Function<Tensor, Tensor> f = function == null ? null : FUNCTIONS.get(function);
        if (f == null) {
            throw new IllegalArgumentException("Lambda: no function is registered under the name '" + function
                    + "'. Register one first: Lambda.register(\"" + function + "\", x -> ...). Registered: "
                    + new java.util.TreeSet<>(FUNCTIONS.keySet()));
        }
        this.function = function;
        this.fn = f;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Lambda name(String n) {
        return super.name(n);
    }

    /**
     * Expected output shape from the function, without the batch dimension. If unset, it is
     * inferred by running the function (as Keras infers it). Keras's {@code output_shape}, default None.
     *
     * @param shape the output shape without the batch dimension; none to infer it
     * @return this layer
     */
    public Lambda outputShape(long... shape) {
        this.outputShape = shape == null || shape.length == 0 ? null : shape.clone();
        return this;
    }

    /**
     * The function this layer applies.
     *
     * @return its registered name
     */
    public String function() {
        return function;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        return fn.apply(x);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> in) {
        if (outputShape == null) return super.computeOutputShapes(in);
        long[] s = new long[outputShape.length + 1];
        s[0] = Shape.NONE;
        System.arraycopy(outputShape, 0, s, 1, outputShape.length);
        return List.of(Shape.of(s));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("module", "builtins");
        f.put("class_name", "function");
        f.put("config", function);
        f.put("registered_name", "function");
        c.put("function", f);
        if (outputShape != null) {
            List<Object> l = new ArrayList<>();
            for (long d : outputShape) l.add(d);
            c.put("output_shape", l);
        }
        c.put("arguments", new LinkedHashMap<>());
        return c;
    }

    /**
     * Re-creates a Lambda layer from Keras's config: the function by its registered name. A Python
     * lambda ({@code "__lambda__"}, marshalled bytecode) is used only if a Java function is
     * registered under the layer's name; otherwise loading fails, saying how to register one.
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    @SuppressWarnings("unchecked")
    public static Lambda fromConfig(Map<String, Object> c) {
        String layer = String.valueOf(c.get("name"));
        Object f = c.get("function");
        String fnName;
        if (f instanceof Map<?, ?> fm && "__lambda__".equals(fm.get("class_name"))) {
            if (!FUNCTIONS.containsKey(layer)) {
                throw new IllegalArgumentException("Layer \"" + layer + "\" is a Lambda over a Python lambda: its config holds "
                        + "marshalled Python bytecode, which Cornu cannot run. Register a Java equivalent under the layer's name "
                        + "before loading, e.g. Lambda.register(\"" + layer + "\", x -> Ops.mulScalar(x, 2.0)) for `lambda x: x * 2`"
                        + ", or save the model in Python with a named function (then register that name)");
            }
            LOG.info("Lambda layer \"{}\": using the Java function registered under the layer's name in place of its Python lambda",
                    layer);
            fnName = layer;
        } else if (f instanceof Map<?, ?> fm && fm.get("config") instanceof String s) {
            fnName = s.contains(">") ? s.substring(s.indexOf('>') + 1) : s;
            if (!FUNCTIONS.containsKey(fnName) && FUNCTIONS.containsKey(s)) fnName = s;
        } else if (f instanceof String s) {
            fnName = s;
        } else {
            throw new IllegalArgumentException("Layer \"" + layer + "\" (Lambda): unreadable 'function' in its config: " + f);
        }
        if (!FUNCTIONS.containsKey(fnName)) {
            throw new IllegalArgumentException("Layer \"" + layer + "\" is a Lambda over the function '" + fnName
                    + "', which is not registered in Cornu. Register a Java equivalent before loading: Lambda.register(\""
                    + fnName + "\", x -> ...)");
        }
        Object args = c.get("arguments");
        if (args instanceof Map<?, ?> am && !am.isEmpty()) {
            throw new IllegalArgumentException("Layer \"" + layer + "\" (Lambda): keyword arguments " + am.keySet()
                    + " for the function are not supported; register a Java function that holds them");
        }
        Lambda l = new Lambda(fnName);
        Object os = c.get("output_shape");
        if (os instanceof List<?>) {
            l.outputShape(Configs.getLongs(c, "output_shape"));
        } else if (os != null) {
            LOG.warn("Lambda layer \"{}\": its output_shape is a Python function, which Cornu cannot run; the shape is inferred"
                    + " by running the Java function instead", layer);
        }
        return l;
    }
}
