package org.cornu.core.saving;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras 2's legacy {@code .h5} model files: the {@code model_config} attribute (JSON) and the
 * {@code model_weights} group, one group per layer name with a {@code weight_names} attribute
 * listing its datasets in the layer's weight order. Reading only.
 *
 * <p>Files are read with {@link Hdf5Reader} (the layout h5py writes by default, as Keras saves),
 * and with jHDF only when they use more of HDF5 than that, so that loading a Keras file logs
 * nothing of jHDF's.
 */
final class LegacyH5 {
    private LegacyH5() {}

    private static final Logger LOG = LoggerFactory.getLogger(LegacyH5.class);

    /** How many files were read with jHDF because {@link Hdf5Reader} could not read them (for tests). */
    static final AtomicInteger JHDF_READS = new AtomicInteger();

    static Model loadModel(Path path, boolean compile) {
        return read(path, false, f -> loadModel(f, path.toString(), compile));
    }

    private static Model loadModel(Source f, String label, boolean compile) {
        String config = text(f.strings("", "model_config"));
        if (config == null) {
            throw new IllegalArgumentException("File " + label + " has no model_config attribute: it holds weights only, not a model");
        }
        Map<String, Object> top = Models.parse(config.getBytes(StandardCharsets.UTF_8), label + " (model_config)");
        String version = text(f.strings("", "keras_version"));
        if (Keras2.wrote(version)) Keras2.adapt(top, label);
        Model model;
        try {
            model = ModelConfig.deserialize(top, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("File " + label + ": " + e.getMessage(), e);
        }
        String tc = text(f.strings("", "training_config"));
        if (compile && tc != null) {
            Map<String, Object> t = Models.parse(tc.getBytes(StandardCharsets.UTF_8), label + " (training_config)");
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
                LOG.warn("{}: the training config cannot be restored ({}); the model is not compiled", label, e.getMessage());
            }
        }
        assign(model, f, f.isGroup("model_weights") ? "model_weights" : "", label);
        return model;
    }

    private static void assign(Model model, Source f, String root, String label) {
        Map<Weight, INDArray> plan = new LinkedHashMap<>();
        for (Layer l : model.layers()) {
            List<Weight> ws = l.weights();
            if (ws.isEmpty()) continue;
            String g = child(root, l.name());
            if (!f.isGroup(g)) {
                throw new IllegalArgumentException("File " + label + " has no weights for layer \"" + l.name() + "\"");
            }
            List<String> names = f.strings(g, "weight_names");
            if (names == null) names = List.of();
            if (names.size() != ws.size()) {
                throw new IllegalArgumentException("File " + label + ": layer \"" + l.name() + "\" expects " + ws.size()
                        + " weights, but the file lists " + names.size() + " " + names);
            }
            for (int i = 0; i < ws.size(); i++) {
                String d = child(g, names.get(i));
                if (f.shape(d) == null) throw new IllegalArgumentException("File " + label + ": no dataset " + names.get(i));
                INDArray v = f.array(d);
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
        read(path, true, f -> {
            loadWeightsTopological(model, f, path.toString());
            return null;
        });
    }

    private static void loadWeightsTopological(Model model, Source f, String label) {
        String root = weightsRoot(f);
        List<Layer> layers = new ArrayList<>();
        for (Layer l : model.layers()) if (!legacyWeights(l).isEmpty()) layers.add(l);
        List<String> names = new ArrayList<>();
        for (String n : attributeList(f, root, "layer_names")) {
            if (!attributeList(f, layerGroup(f, root, n, label), "weight_names").isEmpty()) names.add(n);
        }
        if (names.size() != layers.size()) {
            throw new IllegalArgumentException("File " + label + ": layer count mismatch when loading weights from file. Model \""
                    + model.name() + "\" expected " + layers.size() + " layers with weights, found " + names.size()
                    + " saved layers with weights " + names);
        }
        List<Weight> targets = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            Layer l = layers.get(k);
            String what = "layer #" + k + " (named " + l.name() + " in the current model, " + names.get(k) + " in the save file)";
            plan(f, layerGroup(f, root, names.get(k), label), legacyWeights(l), what, label, false, targets, sources);
        }
        assignAll(f, targets, sources);
    }

    /**
     * Keras's {@code load_weights("x.h5", by_name=True, skip_mismatch=...)}
     * ({@code load_weights_from_hdf5_group_by_name}): each layer of the file goes to the layers of
     * {@code model.layers} with the same name; layers without a match are skipped. A layer whose
     * weight count or shapes differ is an error, or with {@code skipMismatch} skipped with a
     * warning. Everything is checked before anything is assigned.
     */
    static void loadWeightsByName(Model model, Path path, boolean skipMismatch) {
        read(path, true, f -> {
            loadWeightsByName(model, f, path.toString(), skipMismatch);
            return null;
        });
    }

    private static void loadWeightsByName(Model model, Source f, String label, boolean skipMismatch) {
        String root = weightsRoot(f);
        Map<String, List<Layer>> index = new LinkedHashMap<>();
        for (Layer l : model.layers()) index.computeIfAbsent(l.name(), k -> new ArrayList<>()).add(l);
        List<String> names = attributeList(f, root, "layer_names");
        List<Weight> targets = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            List<Layer> matches = index.getOrDefault(names.get(k), List.of());
            if (matches.isEmpty()) continue;
            String g = layerGroup(f, root, names.get(k), label);
            for (Layer l : matches) {
                plan(f, g, legacyWeights(l), "layer #" + k + " (named " + l.name() + ")", label, skipMismatch, targets, sources);
            }
        }
        assignAll(f, targets, sources);
    }

    /** Keras's {@code _legacy_weights}: trainable weights, then the others. */
    private static List<Weight> legacyWeights(Layer l) {
        List<Weight> r = new ArrayList<>(l.trainableWeights());
        r.addAll(l.nonTrainableWeights());
        return r;
    }

    /** The group holding {@code layer_names}: the file's root, or a whole-model file's {@code model_weights}. */
    private static String weightsRoot(Source f) {
        if (f.strings("", "layer_names") == null && f.isGroup("model_weights")) return "model_weights";
        return "";
    }

    private static String layerGroup(Source f, String root, String name, String label) {
        String g = child(root, name);
        if (!f.isGroup(g)) {
            throw new IllegalArgumentException("File " + label + ": layer_names lists \"" + name + "\", but the file has no group of that name");
        }
        return g;
    }

    /**
     * Keras's {@code load_attributes_from_hdf5_group}: the strings of attribute {@code name}, or of
     * its chunks {@code name0, name1, ...} (written so when too large for one HDF5 object header);
     * an absent or empty attribute is an empty list.
     */
    private static List<String> attributeList(Source f, String group, String name) {
        List<String> a = f.strings(group, name);
        if (a != null) return a;
        List<String> r = new ArrayList<>();
        for (int chunk = 0; (a = f.strings(group, name + chunk)) != null; chunk++) r.addAll(a);
        return r;
    }

    /** Checks one layer's saved weights against its weights and adds the pairs to assign. */
    private static void plan(Source f, String g, List<Weight> ws, String what, String label, boolean skipMismatch,
                             List<Weight> targets, List<String> sources) {
        List<String> names = attributeList(f, g, "weight_names");
        if (names.size() != ws.size()) {
            String m = "Weight count mismatch for " + what + ". Layer expects " + ws.size()
                    + " weight(s). Received " + names.size() + " saved weight(s) " + names;
            if (skipMismatch) {
                LOG.warn("Skipping loading of weights for {}: {}", what, m);
                return;
            }
            throw new IllegalArgumentException("File " + label + ": " + m);
        }
        List<String> ds = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String d = child(g, names.get(i));
            long[] shape = f.shape(d);
            if (shape == null) {
                throw new IllegalArgumentException("File " + label + ": " + what + " lists weight " + names.get(i)
                        + ", but the group /" + g + " has no such dataset");
            }
            Weight w = ws.get(i);
            if (!java.util.Arrays.equals(shape, w.shape())) {
                String m = "Shape mismatch in " + what + " for weight " + w.path() + ". Weight expects shape "
                        + Shape.format(w.shape()) + ". Received saved weight " + names.get(i) + " with shape " + Shape.format(shape);
                if (skipMismatch) {
                    LOG.warn("Skipping loading of weights for {}: {}", what, m);
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
    private static void assignAll(Source f, List<Weight> targets, List<String> sources) {
        for (int i = 0; i < targets.size(); i++) {
            Weight w = targets.get(i);
            INDArray v = f.array(sources.get(i));
            w.assign(v.dataType() == w.value().dataType() ? v : v.castTo(w.value().dataType()));
        }
    }

    private static String child(String group, String name) {
        return group.isEmpty() ? name : group + "/" + name;
    }

    private static String text(List<String> strings) {
        return strings == null || strings.isEmpty() ? null : strings.get(0);
    }

    // ------------------------------------------------------------------ reading the file

    /**
     * Runs {@code body} on the file read by {@link Hdf5Reader}, or, if that throws
     * {@link Hdf5Reader.Unsupported} (a part of HDF5 it does not read), on the file read by jHDF.
     * Nothing is assigned before the weights are read, so a second run starts from the same model.
     * {@code weights}: the file must exist as a regular file (Keras's {@code load_weights}).
     */
    private static <T> T read(Path path, boolean weights, Function<Source, T> body) {
        if (weights && !Files.isRegularFile(path)) {
            throw new UncheckedIOException(new java.nio.file.NoSuchFileException("File not found: " + path));
        }
        String why;
        try {
            Hdf5Reader r = Hdf5Reader.read(map(path));
            return body.apply(new ReaderSource(r));
        } catch (Hdf5Reader.Unsupported e) {
            why = e.getMessage();
        }
        JHDF_READS.incrementAndGet();
        LOG.debug("{}: reading with jHDF ({})", path, why);
        try (JhdfSource j = new JhdfSource(openJhdf(path, weights))) {
            return body.apply(j);
        }
    }

    /** The file's bytes, mapped (a weight file of hundreds of MB is read as its datasets are). */
    private static ByteBuffer map(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) throw new Hdf5Reader.Unsupported("over 2 GB");
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e, e);
        }
    }

    private static HdfFile openJhdf(Path path, boolean weights) {
        try {
            return weights ? new HdfFile(path) : HdfFile.fromBytes(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("File " + path + " is not a valid HDF5 file: " + e.getMessage(), e);
        }
    }

    /** What loading reads of a file: groups, string attributes and datasets, by path without a leading slash ("" for the root). */
    private interface Source {
        boolean isGroup(String path);

        /** The strings of an attribute (one for a scalar, none for an empty array), or null when there is no such attribute. */
        List<String> strings(String path, String name);

        /** The shape of dataset {@code path}, or null when it is not a dataset. */
        long[] shape(String path);

        INDArray array(String path);
    }

    private record ReaderSource(Hdf5Reader r) implements Source {
        @Override
        public boolean isGroup(String path) {
            return r.isGroup(path);
        }

        @Override
        public List<String> strings(String path, String name) {
            return r.stringsAttribute(path, name);
        }

        @Override
        public long[] shape(String path) {
            Hdf5Reader.Dataset d = r.datasets().get(path);
            return d == null ? null : d.shape();
        }

        @Override
        public INDArray array(String path) {
            return r.array(r.datasets().get(path));
        }
    }

    private record JhdfSource(HdfFile f) implements Source, AutoCloseable {
        private Node node(String path) {
            if (path.isEmpty()) return f;
            try {
                return f.getByPath(path);
            } catch (RuntimeException e) { // jHDF's HdfInvalidPathException: no such object
                return null;
            }
        }

        @Override
        public boolean isGroup(String path) {
            return node(path) instanceof Group;
        }

        @Override
        public List<String> strings(String path, String name) {
            Node n = node(path);
            Attribute a = n == null ? null : n.getAttribute(name);
            if (a == null) return null;
            List<String> out = new ArrayList<>();
            if (a.isEmpty()) return out;
            Object d = a.getData();
            if (d instanceof String[] arr) out.addAll(List.of(arr));
            else if (d != null && d.getClass().isArray() && java.lang.reflect.Array.getLength(d) == 0) return out;
            else if (d instanceof byte[] b) out.add(new String(b, StandardCharsets.UTF_8));
            else if (d != null) out.add(String.valueOf(d));
            return out;
        }

        @Override
        public long[] shape(String path) {
            return node(path) instanceof Dataset d ? (d.isScalar() ? new long[0] : d.getDimensionsAsLong()) : null;
        }

        @Override
        public INDArray array(String path) {
            return WeightsStore.toArray((Dataset) node(path));
        }

        @Override
        public void close() {
            f.close();
        }
    }
}
