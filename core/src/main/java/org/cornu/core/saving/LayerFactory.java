package org.cornu.core.saving;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cornu.core.InputLayer;
import org.cornu.core.Layer;
import org.cornu.core.Registry;

/**
 * Re-creates layers from Keras configs. A layer class joins by registering under its Keras
 * class name ({@code Registry.register(Kind.LAYER, "Dense", () -> Dense.class)}) and declaring
 * one method:
 *
 * <pre>{@code
 * public static Dense fromConfig(Map<String, Object> config) { ... }
 * }</pre>
 *
 * which reads the layer's own keys (with {@link Configs}); the common keys ({@code name},
 * {@code trainable}, {@code batch_input_shape} / {@code batch_shape}) are applied here. A
 * registry entry may also supply a {@code Function<Map<String, Object>, Layer>} directly.
 */
public final class LayerFactory {
    private LayerFactory() {}

    /**
     * Checks that {@code className} can be re-created, before anything is built: an unknown class,
     * or one without {@code fromConfig}, is an error naming the class and the layer.
     *
     * @param className the Keras class name
     * @param layerName the layer's name, for the message
     * @throws IllegalArgumentException if the class cannot be re-created
     */
    public static void check(String className, String layerName) {
        if (className == null) {
            throw new IllegalArgumentException("Layer \"" + layerName + "\" has no class_name in its config");
        }
        if (className.equals("InputLayer") || className.equals("Sequential") || className.equals("Functional")
                || className.equals("Model")) {
            return;
        }
        if (!Registry.has(Registry.Kind.LAYER, className)) {
            throw new IllegalArgumentException("Unknown layer class '" + className + "' (layer \"" + layerName
                    + "\"): Cornu has no such layer. Known layer classes: "
                    + String.join(", ", knownClasses()));
        }
        Object entry = Registry.create(Registry.Kind.LAYER, className);
        if (entry instanceof Class<?> c && factoryMethod(c) == null) {
            throw new IllegalArgumentException("Layer class '" + className + "' (layer \"" + layerName
                    + "\") cannot be re-created from a config: " + c.getName()
                    + " declares no public static fromConfig(Map<String, Object>)");
        }
    }

    /**
     * The registered layer class names.
     *
     * @return the class names
     */
    public static List<String> knownClasses() {
        List<String> r = new ArrayList<>(List.of("InputLayer", "Sequential", "Functional"));
        for (String n : Registry.names(Registry.Kind.LAYER)) {
            Object e = Registry.create(Registry.Kind.LAYER, n);
            r.add(e instanceof Class<?> c ? c.getSimpleName() : n);
        }
        return r;
    }

    /**
     * A new, unbuilt layer of Keras class {@code className} from its config.
     *
     * @param className the Keras class name, e.g. {@code "Dense"}
     * @param config the layer's {@code get_config()}
     * @return the layer
     */
    @SuppressWarnings("unchecked")
    public static Layer create(String className, Map<String, Object> config) {
        String name = String.valueOf(config.get("name"));
        if (className.equals("InputLayer")) return inputLayer(config);
        check(className, name);
        checkDtype(className, config);
        Object entry = Registry.create(Registry.Kind.LAYER, className);
        Layer layer;
        try {
            if (entry instanceof Class<?> c) {
                layer = (Layer) factoryMethod(c).invoke(null, config);
            } else if (entry instanceof Function<?, ?> f) {
                layer = ((Function<Map<String, Object>, Layer>) f).apply(config);
            } else {
                throw new IllegalArgumentException("Layer class '" + className + "': the registry entry is a "
                        + entry.getClass().getName() + ", neither a Layer class nor a config function");
            }
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            throw new IllegalArgumentException("Could not re-create layer \"" + name + "\" (" + className
                    + ") from its config: " + t.getMessage(), t);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("Could not re-create layer \"" + name + "\" (" + className
                    + ") from its config " + config + ": " + e, e);
        }
        applyCommon(layer, config);
        return layer;
    }

    static InputLayer inputLayer(Map<String, Object> config) {
        Object bs = config.get("batch_shape");
        if (bs == null) bs = config.get("batch_input_shape");
        if (bs == null) {
            throw new IllegalArgumentException("InputLayer \"" + config.get("name") + "\" has no batch_shape in its config");
        }
        for (String flag : new String[] {"sparse", "ragged"}) {
            if (Boolean.TRUE.equals(config.get(flag))) {
                throw new IllegalArgumentException("InputLayer \"" + config.get("name") + "\" has " + flag
                        + "=True: Cornu's inputs are dense arrays, it has no " + flag + " tensors");
            }
        }
        // "optional" (Keras 3.6+) only lets a caller pass None for this input; a dense input is always given
        long[] b = Configs.getLongs(Map.of("s", bs), "s");
        InputLayer l = new InputLayer(java.util.Arrays.copyOfRange(b, 1, b.length));
        if (config.get("name") != null) l.name(config.get("name").toString());
        if ("string".equals(config.get("dtype"))) l.dtype("string"); // a text model's input (see InputLayer.dtype)
        return l;
    }

    /**
     * The layer's {@code dtype}: a plain name (Keras 3.0 to 3.3, and Cornu) or a serialized
     * policy ({@code {"module": "keras", "class_name": "DTypePolicy", "config": {"name":
     * "float32"}}} since Keras 3.4; {@code FloatDTypePolicy} in 3.4 and 3.5). Quantized policies
     * ({@code int8_from_float32}, {@code float8_...}, {@code int4_...}) give layers other
     * variables than Cornu's, so they are refused by name; a float policy other than the session's
     * float type is computed in the session's type (see {@code Cornu.setFloatx}).
     */
    static void checkDtype(String className, Map<String, Object> config) {
        Object d = config.get("dtype");
        String policy = null;
        String cls = null;
        if (d instanceof String s) {
            policy = s;
        } else if (d instanceof Map<?, ?> m) {
            cls = String.valueOf(m.get("class_name"));
            if (m.get("config") instanceof Map<?, ?> c && c.get("name") != null) policy = c.get("name").toString();
        }
        boolean quantized = (cls != null && cls.startsWith("Quantized"))
                || (policy != null && (policy.startsWith("int8") || policy.startsWith("int4") || policy.startsWith("float8")
                        || policy.startsWith("gptq")));
        if (quantized) {
            throw new IllegalArgumentException("Layer \"" + config.get("name") + "\" (" + className + ") has the quantized dtype"
                    + " policy '" + policy + "'" + (cls != null ? " (" + cls + ")" : "") + ": Cornu does not support quantized"
                    + " layers; save the model from Keras before quantizing it");
        }
    }

    /** Name, trainable flag and declared input shape, common to all layers. */
    static void applyCommon(Layer layer, Map<String, Object> config) {
        if (config.get("name") != null) layer.name(config.get("name").toString());
        if (config.get("trainable") instanceof Boolean t) layer.trainable(t);
        Object bs = config.get("batch_input_shape");
        if (bs == null) bs = config.get("batch_shape");
        if (bs instanceof List<?>) {
            long[] b = Configs.getLongs(Map.of("s", bs), "s");
            layer.inputShape(java.util.Arrays.copyOfRange(b, 1, b.length));
        }
    }

    private static Method factoryMethod(Class<?> c) {
        try {
            Method m = c.getMethod("fromConfig", Map.class);
            if (Modifier.isStatic(m.getModifiers()) && Layer.class.isAssignableFrom(m.getReturnType())) return m;
        } catch (NoSuchMethodException e) {
            // fall through
        }
        return null;
    }
}
