package org.cornu.core.saving;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras 2's legacy {@code .h5} model files: the {@code model_config} attribute (JSON) and the
 * {@code model_weights} group, one group per layer name with a {@code weight_names} attribute
 * listing its datasets in the layer's weight order. Reading only.
 */
final class LegacyH5 {
    private LegacyH5() {}

    static Model loadModel(Path path, boolean compile) {
        String label = path.toString();
        try (HdfFile f = open(path)) {
            Attribute a = f.getAttribute("model_config");
            if (a == null) {
                throw new IllegalArgumentException("File " + label + " has no model_config attribute: it holds weights only, not a model");
            }
            Map<String, Object> top = Models.parse(text(a.getData()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    label + " (model_config)");
            String version = kerasVersion(f);
            if (Keras2.wrote(version)) Keras2.adapt(top, label);
            Model model;
            try {
                model = ModelConfig.deserialize(top, false);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("File " + label + ": " + e.getMessage(), e);
            }
            Attribute tc = f.getAttribute("training_config");
            if (compile && tc != null) {
                Map<String, Object> t = Models.parse(text(tc.getData()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        label + " (training_config)");
                Map<String, Object> cc = new LinkedHashMap<>();
                Object opt = t.get("optimizer_config");
                if (Keras2.wrote(version)) opt = Keras2.optimizer(opt);
                cc.put("optimizer", opt);
                cc.put("loss", t.get("loss"));
                cc.put("metrics", t.get("metrics"));
                cc.put("loss_weights", t.get("loss_weights"));
                try {
                    ModelConfig.compile(model, cc);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(LegacyH5.class).warn("{}: the training config cannot be restored ({}); the model is not compiled", label, e.getMessage());
                }
            }
            Node mw = f.getChild("model_weights");
            assign(model, mw instanceof Group g ? g : f, label);
            return model;
        }
    }

    static void loadWeights(Model model, Path path) {
        try (HdfFile f = open(path)) {
            Node mw = f.getChild("model_weights");
            assign(model, mw instanceof Group g ? g : f, path.toString());
        }
    }

    /** The file's {@code keras_version} attribute, or null when it has none (Keras 1 and early Keras 2). */
    static String kerasVersion(HdfFile f) {
        Attribute v = f.getAttribute("keras_version");
        return v == null ? null : text(v.getData());
    }

    private static HdfFile open(Path path) {
        try {
            return HdfFile.fromBytes(Files.readAllBytes(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + path + ": " + e, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("File " + path + " is not a valid HDF5 file: " + e.getMessage(), e);
        }
    }

    private static void assign(Model model, Group root, String label) {
        Map<Weight, INDArray> plan = new LinkedHashMap<>();
        for (Layer l : model.layers()) {
            List<Weight> ws = l.weights();
            if (ws.isEmpty()) continue;
            Node n = root.getChild(l.name());
            if (!(n instanceof Group g)) {
                throw new IllegalArgumentException("File " + label + " has no weights for layer \"" + l.name() + "\"");
            }
            List<String> names = new ArrayList<>();
            Attribute wn = g.getAttribute("weight_names");
            if (wn != null) {
                Object d = wn.getData();
                if (d instanceof String[] arr) names.addAll(List.of(arr));
                else names.add(text(d));
            }
            if (names.size() != ws.size()) {
                throw new IllegalArgumentException("File " + label + ": layer \"" + l.name() + "\" expects " + ws.size()
                        + " weights, but the file lists " + names.size() + " " + names);
            }
            for (int i = 0; i < ws.size(); i++) {
                Node dn = g.getByPath(names.get(i));
                if (!(dn instanceof Dataset d)) throw new IllegalArgumentException("File " + label + ": no dataset " + names.get(i));
                INDArray v = WeightsStore.toArray(d);
                if (!java.util.Arrays.equals(v.shape(), ws.get(i).shape())) {
                    throw new IllegalArgumentException("File " + label + ": weight " + names.get(i) + " has shape "
                            + Shape.format(v.shape()) + ", but layer \"" + l.name() + "\" expects " + Shape.format(ws.get(i).shape()));
                }
                plan.put(ws.get(i), v);
            }
        }
        for (Map.Entry<Weight, INDArray> e : plan.entrySet()) e.getKey().assign(e.getValue().castTo(e.getKey().value().dataType()));
    }

    private static String text(Object d) {
        if (d instanceof String s) return s;
        if (d instanceof String[] a && a.length > 0) return a[0];
        if (d instanceof byte[] b) return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        return String.valueOf(d);
    }
}
