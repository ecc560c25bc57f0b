package org.cornu.core.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.layers.Dense;
import org.cornu.testing.RealData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Legacy Keras {@code .h5} files are read by Cornu's {@link Hdf5Reader}, attributes included
 * (fixed-length numpy {@code S} strings, h5py's variable-length {@code str} in a global heap,
 * Keras's chunked {@code layer_names0, layer_names1...}), not by jHDF: the real files Keras 2.2,
 * 2.3 and 3.5 wrote give the attributes and arrays jHDF gives, and load without a jHDF read.
 */
class LegacyH5ReaderTest {
    private static final List<String> REAL = List.of("k2_ikukang_mnist_cnn.h5", "k2_jiachengxing_lstm.h5", "k3h5_kimthangg_mnist.h5");

    @TempDir
    Path dir;

    private static Hdf5Reader read(Path p) throws Exception {
        return Hdf5Reader.read(ByteBuffer.wrap(Files.readAllBytes(p)));
    }

    /** Values h5py reports for these files (h5py 3.7: {@code f['model_weights'].attrs['layer_names']} and so on). */
    @Test
    void attributesOfRealFilesAreWhatH5pyReads() throws Exception {
        Hdf5Reader k2 = read(RealData.kerasModel("k2_ikukang_mnist_cnn.h5"));
        assertEquals("2.3.1", k2.attribute("", "keras_version"));
        assertEquals("tensorflow", k2.attribute("", "backend"));
        assertEquals("2.3.1", k2.attribute("model_weights", "keras_version"));
        assertEquals(3453, k2.attribute("", "model_config").length());
        assertTrue(k2.attribute("", "model_config").startsWith("{\"class_name\": \"Sequential\""));
        assertEquals(295, k2.attribute("", "training_config").length());
        // numpy S15 array
        assertEquals(List.of("conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "conv2d_3", "flatten_1", "dense_1",
                "dense_2"), k2.stringsAttribute("model_weights", "layer_names"));
        assertEquals(List.of("conv2d_1/kernel:0", "conv2d_1/bias:0"), k2.stringsAttribute("model_weights/conv2d_1", "weight_names"));
        // Keras writes an empty list as an empty float64 array
        assertEquals(List.of(), k2.stringsAttribute("model_weights/flatten_1", "weight_names"));
        assertNull(k2.stringsAttribute("model_weights", "no_such_attribute"));
        assertNull(k2.stringsAttribute("no/such/group", "weight_names"));
        assertEquals(List.of(3L, 3L, 1L, 32L), boxed(k2.datasets().get("model_weights/conv2d_1/conv2d_1/kernel:0").shape()));

        Hdf5Reader k3 = read(RealData.kerasModel("k3h5_kimthangg_mnist.h5"));
        assertEquals("3.5.0", k3.attribute("", "keras_version"));
        // Keras 3 writes arrays of variable-length strings
        assertEquals(List.of("conv2d_12", "max_pooling2d_10", "conv2d_13", "max_pooling2d_11", "conv2d_14", "flatten_4", "dense_8",
                "dropout_1", "dense_9"), k3.stringsAttribute("model_weights", "layer_names"));
        assertEquals(List.of("sequential_4/dense_9/kernel", "sequential_4/dense_9/bias"),
                k3.stringsAttribute("model_weights/dense_9", "weight_names"));
        assertEquals(4971, k3.attribute("", "model_config").length());
        assertEquals(List.of(64L, 10L), boxed(k3.datasets().get("model_weights/dense_9/sequential_4/dense_9/kernel").shape()));
    }

    /** Every attribute and dataset of the real files as jHDF reads it. */
    @Test
    void realFilesReadAsJhdfReadsThem() throws Exception {
        for (String name : REAL) {
            Path p = RealData.kerasModel(name);
            Hdf5Reader r = read(p);
            try (HdfFile f = new HdfFile(p)) {
                int checked = 0;
                List<String> paths = new ArrayList<>(List.of("", "model_weights"));
                for (String layer : r.stringsAttribute("model_weights", "layer_names")) paths.add("model_weights/" + layer);
                for (String path : paths) {
                    Node n = path.isEmpty() ? f : f.getByPath(path);
                    for (Map.Entry<String, Attribute> a : n.getAttributes().entrySet()) {
                        assertEquals(jhdfStrings(a.getValue()), r.stringsAttribute(path, a.getKey()), name + " " + path + " " + a.getKey());
                        checked++;
                    }
                }
                // the root's keras_version, backend, model_config, training_config; model_weights' layer_names,
                // keras_version, backend; each layer's weight_names
                assertEquals(4 + 3 + paths.size() - 2, checked, name + ": attributes compared");
                Map<String, INDArray> theirs = WeightsStore.readAll(f);
                Map<String, INDArray> ours = r.arrays();
                assertEquals(theirs.keySet(), ours.keySet(), name);
                for (String k : theirs.keySet()) assertEquals(theirs.get(k), ours.get(k), name + " " + k);
            }
        }
    }

    private static List<String> jhdfStrings(Attribute a) {
        if (a.isEmpty()) return List.of();
        Object d = a.getData();
        if (d instanceof String s) return List.of(s);
        if (d instanceof String[] s) return List.of(s);
        assertEquals(0, java.lang.reflect.Array.getLength(d), a.getName());
        return List.of();
    }

    /** loadModel, loadWeights and loadWeightsByName read the real files without jHDF. */
    @Test
    void realFilesLoadWithoutJhdf() {
        for (String name : REAL) {
            Cornu.clearSession();
            Path p = RealData.kerasModel(name);
            int before = LegacyH5.JHDF_READS.get();
            Model m = Models.loadModel(p);
            Model n = Models.loadModel(p, false);
            for (Weight w : n.weights()) w.assign(Nd4j.zeros(w.value().dataType(), w.shape()));
            n.loadWeights(p);
            assertSameWeights(m, n, name);
            for (Weight w : n.weights()) w.assign(Nd4j.zeros(w.value().dataType(), w.shape()));
            n.loadWeightsByName(p, false);
            assertSameWeights(m, n, name);
            assertEquals(before, LegacyH5.JHDF_READS.get(), name + " was read with jHDF");
        }
    }

    /** A file Cornu's reader does not read (jHDF's own layout) still loads, through jHDF. */
    @Test
    void otherLayoutsGoToJhdf() {
        Model m = model(3);
        Path p = dir.resolve("jhdf.h5");
        org.cornu.testing.LegacyWeightsFile.of(m).write(p);
        Model n = model(4);
        int before = LegacyH5.JHDF_READS.get();
        n.loadWeights(p);
        assertEquals(before + 1, LegacyH5.JHDF_READS.get());
        assertSameWeights(m, n, "jhdf.h5");
    }

    private static Model model(long seed) {
        Cornu.clearSession();
        Cornu.setSeed(seed);
        Sequential m = new Sequential(new Dense(4, "relu").inputShape(3), new Dense(5, "relu"), new Dense(2));
        return m;
    }

    /**
     * What h5py writes for Keras: a whole-model file whose {@code model_config} and
     * {@code keras_version} are variable-length strings (a Python {@code str}), one of them long
     * (its global heap object larger than a default 4 KB collection) and one not ASCII, whose
     * {@code layer_names} are split into {@code layer_names0} and {@code layer_names1} as Keras
     * does for large models, with {@code weight_names} as a numpy {@code S} array in one layer
     * and variable-length strings in the others.
     */
    @Test
    void h5pyLegacyFileWithVariableLengthAndChunkedAttributes() throws Exception {
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): h5py check skipped");
        Model m = model(7);
        List<Object> spec = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Layer l : m.layers()) {
            if (l.weights().isEmpty()) continue;
            names.add(l.name());
            List<Object> ws = new ArrayList<>();
            for (Weight w : l.weights()) ws.add(List.of(w.name() + ":0", w.shape(), w.value().castTo(DataType.DOUBLE).data().asDouble()));
            spec.add(List.of(l.name(), ws));
        }
        Path json = dir.resolve("spec.json");
        Files.write(json, new ObjectMapper().writeValueAsBytes(spec));
        Files.writeString(dir.resolve("config.json"), Models.toJson(m));
        Path file = dir.resolve("h5py.h5");
        SavingTestSupport.python(py, String.join("\n",
                "import sys, json, h5py, numpy as np",
                "spec = json.load(open(sys.argv[1]))",
                "f = h5py.File(sys.argv[3], 'w')",
                "f.attrs['model_config'] = open(sys.argv[2]).read()",
                "f.attrs['keras_version'] = '3.5.0'",
                "f.attrs['backend'] = 'tensorflow'",
                "f.attrs['note'] = 'caf\\u00e9 \\u2713 ' + 'x' * 20000",
                "f.attrs['numbers'] = np.arange(3)",
                "g = f.create_group('model_weights')",
                "names = [s[0] for s in spec]",
                "g.attrs['layer_names0'] = np.array([n.encode() for n in names[:2]])",
                "g.attrs['layer_names1'] = np.array([n.encode() for n in names[2:]])",
                "g.attrs['keras_version'] = '3.5.0'",
                "for i, (layer, ws) in enumerate(spec):",
                "    lg = g.create_group(layer)",
                "    wn = [layer + '/' + w[0] for w in ws]",
                "    lg.attrs['weight_names'] = np.array([n.encode() for n in wn]) if i == 0 else wn",
                "    for (n, shape, v), full in zip(ws, wn):",
                "        lg[full] = np.array(v, 'f4').reshape(shape)",
                "f.create_group('model_weights/top_level_model_weights').attrs['weight_names'] = np.array([], 'f8')",
                "f.close()",
                "f = h5py.File(sys.argv[3], 'r')",
                "print(type(f.attrs['keras_version']).__name__, f['model_weights'].attrs['layer_names0'].dtype)"),
                json.toString(), dir.resolve("config.json").toString(), file.toString());

        Hdf5Reader r = read(file);
        assertEquals("3.5.0", r.attribute("", "keras_version"));
        assertEquals("caf\u00e9 \u2713 " + "x".repeat(20000), r.attribute("", "note"));
        assertEquals(3, names.size());
        assertEquals(names.subList(0, 2), r.stringsAttribute("model_weights", "layer_names0"));
        assertEquals(names.subList(2, 3), r.stringsAttribute("model_weights", "layer_names1"));
        assertNull(r.stringsAttribute("model_weights", "layer_names"));
        assertEquals(List.of(names.get(1) + "/kernel:0", names.get(1) + "/bias:0"),
                r.stringsAttribute("model_weights/" + names.get(1), "weight_names"));
        // integers are not what a legacy file's attributes hold: jHDF reads them
        assertThrows(Hdf5Reader.Unsupported.class, () -> r.stringsAttribute("", "numbers"));

        int before = LegacyH5.JHDF_READS.get();
        Model back = Models.loadModel(file);
        assertSameWeights(m, back, "h5py.h5");
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3);
        assertEquals(m.predict(x), back.predict(x));
        Model n = model(8);
        n.loadWeights(file); // layer_names0 + layer_names1, in order
        assertSameWeights(m, n, "h5py.h5 (topological)");
        Model byName = model(9); // the same layer names, the session being cleared
        byName.loadWeightsByName(file, false);
        assertSameWeights(m, byName, "h5py.h5 (by name)");
        assertEquals(before, LegacyH5.JHDF_READS.get(), "the h5py file was read with jHDF");
    }

    private static void assertSameWeights(Model a, Model b, String what) {
        List<Weight> wa = a.weights();
        List<Weight> wb = b.weights();
        assertEquals(wa.size(), wb.size(), what);
        assertTrue(wa.size() > 0, what);
        for (int i = 0; i < wa.size(); i++) {
            assertNotNull(wb.get(i).value());
            assertArrayEquals(wa.get(i).shape(), wb.get(i).shape(), what);
            assertEquals(wa.get(i).value().castTo(DataType.FLOAT), wb.get(i).value().castTo(DataType.FLOAT), what + " " + wa.get(i).path());
        }
    }

    private static List<Long> boxed(long[] a) {
        List<Long> r = new ArrayList<>();
        for (long v : a) r.add(v);
        return r;
    }
}
