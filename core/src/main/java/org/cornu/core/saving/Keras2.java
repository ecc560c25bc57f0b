package org.cornu.core.saving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model written by Keras 2 meant, in Keras 3's terms, so that it predicts in Cornu what
 * it predicted in Keras 2. Keras 3 reads these files with Keras 3's meanings and changes some
 * predictions; Cornu keeps Keras 2's:
 *
 * <ul>
 *   <li>{@code hard_sigmoid} was {@code clip(0.2 x + 0.5, 0, 1)} (Keras 3: {@code x / 6 + 0.5});
 *       it becomes {@code hard_sigmoid_keras2} wherever a layer names it as an activation
 *       ({@code activation}, {@code recurrent_activation});</li>
 *   <li>a GRU whose config has no {@code reset_after} (Keras 2.0 and 2.1) computed the original
 *       GRU ({@code reset_after=False}; Keras 3's default is {@code True});</li>
 *   <li>optimizer configs name the learning rate {@code lr} (Keras 2.0 to 2.2); it becomes
 *       {@code learning_rate}.</li>
 * </ul>
 *
 * Keras 2's other differences need no change here: its configs spell out {@code epsilon},
 * {@code momentum} and the other arguments whose defaults changed (BatchNormalization,
 * optimizers), and the Keras 2 names ({@code batch_input_shape}, list-form Sequential configs,
 * {@code VarianceScaling} with {@code distribution="normal"}) are read where configs are read.
 */
final class Keras2 {
    private static final Logger LOG = LoggerFactory.getLogger(Keras2.class);

    private Keras2() {}

    /** Whether a legacy file with this {@code keras_version} attribute was written by Keras 1 or 2 (absent: yes). */
    static boolean wrote(String kerasVersion) {
        if (kerasVersion == null || kerasVersion.isBlank()) return true;
        String major = kerasVersion.trim().split("\\.")[0];
        return major.equals("1") || major.equals("2");
    }

    /** Rewrites a Keras 2 {@code model_config} in place (nested models and wrapped layers too). */
    static void adapt(Object node, String label) {
        if (node instanceof List<?> l) {
            for (Object o : l) adapt(o, label);
            return;
        }
        if (!(node instanceof Map<?, ?> raw)) return;
        Map<String, Object> m = Configs.map(raw);
        Object cls = m.get("class_name");
        if (cls != null && m.get("config") instanceof Map<?, ?> c) {
            Map<String, Object> cfg = Configs.map(c);
            for (String key : new String[] {"activation", "recurrent_activation"}) {
                if ("hard_sigmoid".equals(cfg.get(key))) {
                    cfg.put(key, "hard_sigmoid_keras2");
                    LOG.debug("{}: layer \"{}\" {}=hard_sigmoid is Keras 2's clip(0.2 x + 0.5, 0, 1)", label, cfg.get("name"), key);
                }
            }
            if ("GRU".equals(cls) && !cfg.containsKey("reset_after")) cfg.put("reset_after", false);
        }
        for (Object v : m.values()) adapt(v, label);
    }

    /** A Keras 2 optimizer config with {@code lr} renamed {@code learning_rate}. */
    static Object optimizer(Object spec) {
        if (!(spec instanceof Map<?, ?> raw) || !(raw.get("config") instanceof Map<?, ?> c) || !c.containsKey("lr")) return spec;
        Map<String, Object> m = new LinkedHashMap<>(Configs.map(raw));
        Map<String, Object> cfg = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : c.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (k.equals("lr")) {
                if (!c.containsKey("learning_rate")) cfg.put("learning_rate", e.getValue());
            } else {
                cfg.put(k, e.getValue());
            }
        }
        m.put("config", cfg);
        return m;
    }
}
