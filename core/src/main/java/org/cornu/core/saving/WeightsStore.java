package org.cornu.core.saving;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Optimizer;
import org.cornu.core.Sequential;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.kernels.Workspaces;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras 3's {@code model.weights.h5} layout: each layer's variables under
 * {@code layers/<snake_case class name>[_n]/vars/<i>} (numbered per class in layer order, not by
 * the layers' names, as Keras's {@code _save_container_state}), nested models under their own
 * {@code layers/}, and the optimizer's variables under {@code optimizer/vars/<i>} in Keras's
 * order ({@link Optimizer#variables}: iterations, learning rate, then the slots as each
 * optimizer's {@code build} creates them, e.g. m0, v0, m1, v1 for Adam).
 *
 * <p>Written by {@link Hdf5Writer} (groups, empty ones included, and contiguous datasets, in the
 * layout h5py writes by default); read by {@link Hdf5Reader}, or by jHDF for files outside that
 * subset.
 */
final class WeightsStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WeightsStore.class);

    private WeightsStore() {}

    /** The variables to save, by HDF5 path ({@code layers/dense/vars/0}), in Keras's order. */
    static Map<String, INDArray> collect(Model model, boolean withOptimizer) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        collectLayers(model, "", out);
        Optimizer opt = model.optimizer();
        if (withOptimizer && opt != null) {
            List<INDArray> vars = opt.variables(model.trainableWeights());
            for (int i = 0; i < vars.size(); i++) out.put("optimizer/vars/" + i, vars.get(i));
        }
        return out;
    }

    private static void collectLayers(Model model, String prefix, Map<String, INDArray> out) {
        Map<String, Integer> used = new HashMap<>();
        for (Layer l : containerLayers(model)) {
            String path = prefix + "layers/" + containerName(l, used);
            if (!(l instanceof Model)) {
                for (Map.Entry<String, List<Weight>> g : KerasVariableGroups.of(l).entrySet()) {
                    String base = g.getKey().isEmpty() ? path : path + "/" + g.getKey();
                    List<Weight> ws = g.getValue();
                    for (int i = 0; i < ws.size(); i++) out.put(base + "/vars/" + i, ws.get(i).value());
                }
                if (l instanceof KerasAssets a) {
                    for (Map.Entry<String, INDArray> e : a.saveOwnVariables().entrySet()) out.put(namedPath(path, e.getKey()), e.getValue());
                }
            }
            if (l instanceof Model m) collectLayers(m, path + "/", out);
        }
    }

    /**
     * Every group Keras's saver creates for {@code model}, in the order it visits them: the
     * model's own {@code vars} (at the root), each layer's {@code layers/<name>/vars} (empty for
     * layers without weights), the {@code vars} of each sub-object that holds variables
     * ({@code cell}, {@code forward_layer} and {@code forward_layer/cell}...), nested models'
     * layers under their own {@code layers/}, and {@code optimizer/vars}. Keras 3.0 to 3.5 fail to
     * load a file without the root {@code vars}; later releases read missing groups as empty.
     */
    static List<String> kerasGroups(Model model, boolean withOptimizer) {
        List<String> out = new ArrayList<>();
        out.add("vars");
        groupsOf(model, "", out);
        if (withOptimizer && model.optimizer() != null) out.add("optimizer/vars");
        return out;
    }

    private static void groupsOf(Model model, String prefix, List<String> out) {
        Map<String, Integer> used = new HashMap<>();
        for (Layer l : containerLayers(model)) {
            String path = prefix + "layers/" + containerName(l, used);
            out.add(path + "/vars");
            if (l instanceof Model m) {
                groupsOf(m, path + "/", out);
                continue;
            }
            for (String key : KerasVariableGroups.of(l).keySet()) {
                if (key.isEmpty()) continue;
                String sub = path;
                for (String part : key.split("/")) {
                    sub += "/" + part;
                    if (!out.contains(sub + "/vars")) out.add(sub + "/vars");
                }
            }
        }
    }

    /**
     * The HDF5 path of a {@link KerasAssets} variable: {@code idf_weights} of the layer at {@code layers/tv} is
     * {@code layers/tv/vars/idf_weights}, {@code _lookup_layer/idf_weights} is {@code layers/tv/_lookup_layer/vars/idf_weights}.
     */
    static String namedPath(String layerPath, String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? layerPath + "/vars/" + key : layerPath + "/" + key.substring(0, slash) + "/vars/" + key.substring(slash + 1);
    }

    /** The named (non-numbered) variables stored under a layer's path, by {@link KerasAssets} key. */
    static Map<String, INDArray> namedVariables(String layerPath, Map<String, INDArray> stored) {
        Map<String, INDArray> r = new LinkedHashMap<>();
        String prefix = layerPath + "/";
        for (Map.Entry<String, INDArray> e : stored.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(prefix)) continue;
            String rel = k.substring(prefix.length());
            int v = rel.startsWith("vars/") ? 0 : rel.indexOf("/vars/");
            if (v < 0) continue;
            String sub = v == 0 ? "" : rel.substring(0, v);
            String name = rel.substring(v == 0 ? 5 : v + 6);
            if (name.isEmpty() || name.contains("/") || name.chars().allMatch(Character::isDigit)) continue;
            if (sub.startsWith("layers/") || sub.contains("/layers/")) continue; // a nested model's layers
            r.put(sub.isEmpty() ? name : sub + "/" + name, e.getValue());
        }
        return r;
    }

    /**
     * Every non-model layer with its path in the weights file ({@code layers/dense}, {@code layers/base/layers/conv2d}),
     * in the order Keras's saver visits them.
     */
    static Map<String, Layer> layerPaths(Model model) {
        Map<String, Layer> r = new LinkedHashMap<>();
        layerPaths(model, "", r);
        return r;
    }

    private static void layerPaths(Model model, String prefix, Map<String, Layer> out) {
        Map<String, Integer> used = new HashMap<>();
        for (Layer l : containerLayers(model)) {
            String path = prefix + "layers/" + containerName(l, used);
            if (l instanceof Model m) layerPaths(m, path + "/", out);
            else out.put(path, l);
        }
    }

    /** What Keras iterates: {@code model.layers} (a Sequential's without its InputLayer). */
    static List<Layer> containerLayers(Model model) {
        List<Layer> r = new ArrayList<>(model.layers());
        if (model instanceof Sequential) r.removeIf(l -> l instanceof org.cornu.core.InputLayer);
        return r;
    }

    static String containerName(Layer l, Map<String, Integer> used) {
        String name = Configs.snake(ModelConfig.kerasClassName(l));
        Integer n = used.get(name);
        if (n == null) {
            used.put(name, 0);
            return name;
        }
        used.put(name, n + 1);
        return name + "_" + (n + 1);
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code vars} (by HDF5 path) to an HDF5 file, with no other groups than those holding them. */
    static void write(Map<String, INDArray> vars, Path file) {
        write(vars, List.of(), file);
    }

    /**
     * Writes {@code datasets} (by HDF5 path, {@code layers/dense/vars/0}) to an HDF5 file, with the
     * groups {@code emptyGroups} (by path, {@code vars} or {@code layers/flatten/vars}) present even
     * when they hold nothing, as Keras 3.0 to 3.5's reader needs a model's top-level {@code vars}.
     * Replaces {@code file} in place; callers wanting an atomic replacement write through
     * {@link AtomicFiles}.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    static void write(Map<String, INDArray> datasets, Collection<String> emptyGroups, Path file) {
        Hdf5Writer w = writer(datasets, emptyGroups);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            w.writeTo(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e, e);
        }
    }

    /** The HDF5 file holding {@code datasets} and {@code emptyGroups}, planned and ready to write (see {@link Hdf5Writer}). */
    static Hdf5Writer writer(Map<String, INDArray> datasets, Collection<String> emptyGroups) {
        return new Hdf5Writer(datasets, emptyGroups);
    }

    // ------------------------------------------------------------------ reading

    /** Every dataset of an HDF5 file read with jHDF, by path (without leading slash). */
    static Map<String, INDArray> readAll(HdfFile f) {
        Map<String, INDArray> r = new LinkedHashMap<>();
        walk(f, "", r);
        return r;
    }

    private static void walk(io.jhdf.api.Group g, String prefix, Map<String, INDArray> out) {
        for (Node n : g.getChildren().values()) {
            String p = prefix + n.getName();
            if (n instanceof Dataset d) out.put(p, toArray(d));
            else if (n instanceof io.jhdf.api.Group c) walk(c, p + "/", out);
        }
    }

    static INDArray toArray(Dataset d) {
        long[] shape = d.getDimensionsAsLong();
        Object flat = d.isScalar() ? d.getData() : d.getDataFlat();
        INDArray r;
        try (MemoryWorkspace ws = Workspaces.outside()) {
            if (flat instanceof float[] f) r = Nd4j.create(f, shape, DataType.FLOAT);
            else if (flat instanceof double[] a) r = Nd4j.create(a, shape, DataType.DOUBLE);
            else if (flat instanceof long[] a) r = Nd4j.createFromArray(a).reshape(shape);
            else if (flat instanceof int[] a) r = Nd4j.createFromArray(a).castTo(DataType.LONG).reshape(shape);
            else if (flat instanceof Float x) r = Nd4j.scalar(DataType.FLOAT, x);
            else if (flat instanceof Double x) r = Nd4j.scalar(DataType.DOUBLE, x);
            else if (flat instanceof Long x) r = Nd4j.scalar(DataType.LONG, x);
            else if (flat instanceof Integer x) r = Nd4j.scalar(DataType.LONG, x.longValue());
            else throw new IllegalArgumentException("dataset " + d.getPath() + " has unsupported type " + d.getJavaType());
        }
        return r;
    }

    /**
     * Assigns stored variables to {@code model} (and its optimizer if {@code withOptimizer} and
     * the file has them). Checks everything first, so a mismatch changes nothing; errors name
     * {@code source}, the path and both shapes.
     */
    static void assign(Model model, Map<String, INDArray> stored, String source, boolean withOptimizer) {
        Map<Weight, INDArray> plan = new LinkedHashMap<>();
        planLayers(model, "", stored, source, plan);
        List<INDArray> optVars = new ArrayList<>();
        for (int i = 0; stored.containsKey("optimizer/vars/" + i); i++) optVars.add(stored.get("optimizer/vars/" + i));
        for (Map.Entry<Weight, INDArray> e : plan.entrySet()) e.getKey().assign(castFloat(e.getValue()));
        for (Map.Entry<String, Layer> e : layerPaths(model).entrySet()) {
            if (e.getValue() instanceof KerasAssets a) a.loadOwnVariables(namedVariables(e.getKey(), stored));
        }
        if (withOptimizer && model.optimizer() != null && !optVars.isEmpty()) {
            restoreOptimizer(model.optimizer(), model.trainableWeights(), optVars, source);
        }
    }

    private static void planLayers(Model model, String prefix, Map<String, INDArray> stored, String source,
                                   Map<Weight, INDArray> plan) {
        Map<String, Integer> used = new HashMap<>();
        for (Layer l : containerLayers(model)) {
            String path = prefix + "layers/" + containerName(l, used);
            Map<String, List<Weight>> groups = l instanceof Model ? Map.of() : KerasVariableGroups.of(l);
            for (Map.Entry<String, List<Weight>> g : groups.entrySet()) {
                String base = g.getKey().isEmpty() ? path : path + "/" + g.getKey();
                List<Weight> ws = g.getValue();
                int storedCount = 0;
                while (stored.containsKey(base + "/vars/" + storedCount)) storedCount++;
                if (storedCount != ws.size()) {
                    throw new IllegalArgumentException(source + ": layer \"" + l.name() + "\" (" + ModelConfig.kerasClassName(l)
                            + ") expects " + ws.size() + " variables, but the file has " + storedCount + " under '" + base
                            + "/vars'");
                }
                for (int i = 0; i < ws.size(); i++) {
                    INDArray v = stored.get(base + "/vars/" + i);
                    Weight w = ws.get(i);
                    if (!Arrays.equals(v.shape(), w.shape())) {
                        throw new IllegalArgumentException(source + ": variable '" + base + "/vars/" + i + "' has shape "
                                + Shape.format(v.shape()) + ", but weight '" + w.path() + "' of layer \"" + l.name()
                                + "\" has shape " + Shape.format(w.shape()));
                    }
                    plan.put(w, v);
                }
            }
            if (l instanceof Model m) planLayers(m, path + "/", stored, source, plan);
        }
    }

    private static INDArray castFloat(INDArray v) {
        DataType ft = Cornu.floatType();
        return v.dataType() == ft ? v : v.castTo(ft);
    }

    /**
     * Keras's {@code load_own_variables}: when the saved state does not fit this optimizer and
     * model (another optimizer, another variable count or shape), a warning, and the optimizer
     * starts fresh; the model and its weights load all the same.
     */
    private static void restoreOptimizer(Optimizer opt, List<Weight> trainable, List<INDArray> vars, String source) {
        if (opt.loadVariables(trainable, vars)) return;
        int expected = opt.variables(trainable).size();
        LOG.warn("{}: skipping variable loading for optimizer '{}', because it has {} variables whereas the saved optimizer"
                + " has {} variables (or their shapes differ); the optimizer starts fresh", source, opt.name(), expected,
                vars.size());
    }
}
