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

    // ------------------------------------------------------------------ load_weights (topological, by name)

    /**
     * Keras's {@code model.load_weights("x.h5")} for a legacy file (the applications' weight files
     * among them): the layers with weights, in the order of {@code model.layers}, take the
     * weights of the file's layers with weights, in its {@code layer_names} order, whatever their
     * names ({@code load_weights_from_hdf5_group}). A whole-model file is read from its
     * {@code model_weights} group. Every count and shape is checked before anything is assigned.
     */
    static void loadWeightsTopological(Model model, Path path) {
        String label = path.toString();
        try (HdfFile f = openFile(path)) {
            Group root = weightsRoot(f);
            List<Layer> layers = new ArrayList<>();
            for (Layer l : model.layers()) if (!legacyWeights(l).isEmpty()) layers.add(l);
            List<String> names = new ArrayList<>();
            for (String n : attributeList(root, "layer_names", label)) {
                if (!attributeList(layerGroup(root, n, label), "weight_names", label).isEmpty()) names.add(n);
            }
            if (names.size() != layers.size()) {
                throw new IllegalArgumentException("File " + label + ": layer count mismatch when loading weights from file. Model \""
                        + model.name() + "\" expected " + layers.size() + " layers with weights, found " + names.size()
                        + " saved layers with weights " + names);
            }
            List<Weight> targets = new ArrayList<>();
            List<Dataset> sources = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                Layer l = layers.get(k);
                String what = "layer #" + k + " (named " + l.name() + " in the current model, " + names.get(k) + " in the save file)";
                plan(layerGroup(root, names.get(k), label), legacyWeights(l), what, label, false, targets, sources);
            }
            assignAll(targets, sources);
        }
    }

    /**
     * Keras's {@code load_weights("x.h5", by_name=True, skip_mismatch=...)}
     * ({@code load_weights_from_hdf5_group_by_name}): each layer of the file goes to the layers of
     * {@code model.layers} with the same name; layers without a match are skipped. A layer whose
     * weight count or shapes differ is an error, or with {@code skipMismatch} skipped with a
     * warning. Everything is checked before anything is assigned.
     */
    static void loadWeightsByName(Model model, Path path, boolean skipMismatch) {
        String label = path.toString();
        try (HdfFile f = openFile(path)) {
            Group root = weightsRoot(f);
            Map<String, List<Layer>> index = new LinkedHashMap<>();
            for (Layer l : model.layers()) index.computeIfAbsent(l.name(), k -> new ArrayList<>()).add(l);
            List<String> names = attributeList(root, "layer_names", label);
            List<Weight> targets = new ArrayList<>();
            List<Dataset> sources = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                List<Layer> matches = index.getOrDefault(names.get(k), List.of());
                if (matches.isEmpty()) continue;
                Group g = layerGroup(root, names.get(k), label);
                for (Layer l : matches) {
                    plan(g, legacyWeights(l), "layer #" + k + " (named " + l.name() + ")", label, skipMismatch, targets, sources);
                }
            }
            assignAll(targets, sources);
        }
    }

    /** Keras's {@code _legacy_weights}: trainable weights, then the others. */
    private static List<Weight> legacyWeights(Layer l) {
        List<Weight> r = new ArrayList<>(l.trainableWeights());
        r.addAll(l.nonTrainableWeights());
        return r;
    }

    private static HdfFile openFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("File not found: " + path));
        }
        try {
            return new HdfFile(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("File " + path + " is not a valid HDF5 file: " + e.getMessage(), e);
        }
    }

    /** The group holding {@code layer_names}: the file's root, or a whole-model file's {@code model_weights}. */
    private static Group weightsRoot(HdfFile f) {
        if (f.getAttribute("layer_names") == null && f.getChild("model_weights") instanceof Group g) return g;
        return f;
    }

    private static Group layerGroup(Group root, String name, String label) {
        Node n = root.getChild(name);
        if (!(n instanceof Group g)) {
            throw new IllegalArgumentException("File " + label + ": layer_names lists \"" + name + "\", but the file has no group of that name");
        }
        return g;
    }

    /**
     * Keras's {@code load_attributes_from_hdf5_group}: the strings of attribute {@code name}, or of
     * its chunks {@code name0, name1, ...} (written so when too large for one HDF5 object header);
     * an absent or empty attribute is an empty list.
     */
    static List<String> attributeList(Group g, String name, String label) {
        List<String> r = new ArrayList<>();
        Attribute a = g.getAttribute(name);
        if (a != null) {
            addStrings(a, r);
            return r;
        }
        for (int chunk = 0; (a = g.getAttribute(name + chunk)) != null; chunk++) addStrings(a, r);
        return r;
    }

    private static void addStrings(Attribute a, List<String> out) {
        if (a.isEmpty()) return;
        Object d = a.getData();
        if (d instanceof String[] arr) out.addAll(List.of(arr));
        else if (d != null && d.getClass().isArray() && java.lang.reflect.Array.getLength(d) == 0) return;
        else if (d != null) out.add(text(d));
    }

    /** Checks one layer's saved weights against its weights and adds the pairs to assign. */
    private static void plan(Group g, List<Weight> ws, String what, String label, boolean skipMismatch,
                             List<Weight> targets, List<Dataset> sources) {
        List<String> names = attributeList(g, "weight_names", label);
        if (names.size() != ws.size()) {
            String m = "Weight count mismatch for " + what + ". Layer expects " + ws.size()
                    + " weight(s). Received " + names.size() + " saved weight(s) " + names;
            if (skipMismatch) {
                org.slf4j.LoggerFactory.getLogger(LegacyH5.class).warn("Skipping loading of weights for {}: {}", what, m);
                return;
            }
            throw new IllegalArgumentException("File " + label + ": " + m);
        }
        List<Dataset> ds = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Node n = g.getByPath(names.get(i));
            if (!(n instanceof Dataset d)) {
                throw new IllegalArgumentException("File " + label + ": " + what + " lists weight " + names.get(i)
                        + ", but the group " + g.getPath() + " has no such dataset");
            }
            long[] shape = d.isScalar() ? new long[0] : d.getDimensionsAsLong();
            Weight w = ws.get(i);
            if (!java.util.Arrays.equals(shape, w.shape())) {
                String m = "Shape mismatch in " + what + " for weight " + w.path() + ". Weight expects shape "
                        + Shape.format(w.shape()) + ". Received saved weight " + names.get(i) + " with shape " + Shape.format(shape);
                if (skipMismatch) {
                    org.slf4j.LoggerFactory.getLogger(LegacyH5.class).warn("Skipping loading of weights for {}: {}", what, m);
                    continue;
                }
                throw new IllegalArgumentException("File " + label + ": " + m);
            }
            ds.add(d);
            targets.add(w);
        }
        sources.addAll(ds);
    }

    /** Reads and assigns the planned weights one at a time (a large file is never all in memory). */
    private static void assignAll(List<Weight> targets, List<Dataset> sources) {
        for (int i = 0; i < targets.size(); i++) {
            Weight w = targets.get(i);
            INDArray v = WeightsStore.toArray(sources.get(i));
            w.assign(v.dataType() == w.value().dataType() ? v : v.castTo(w.value().dataType()));
        }
    }

    private static String text(Object d) {
        if (d instanceof String s) return s;
        if (d instanceof String[] a && a.length > 0) return a[0];
        if (d instanceof byte[] b) return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        return String.valueOf(d);
    }
}
