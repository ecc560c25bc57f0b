package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.data;
import static org.cornu.core.saving.SavingTestSupport.zipEntries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cornu.core.Cornu;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Concatenate;
import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.cornu.optimizers.Adam;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The files are what Keras 3 writes: zip entries, JSON keys, and the HDF5 layout of
 * {@code model.weights.h5} (read back with jHDF, and with h5py when python3-h5py is installed).
 */
class FormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(5);
    }

    /** Sequential 5 -> Dense(8) -> Dropout -> Dense(3), Adam, two updates. */
    private Path savedSequential() {
        Sequential m = new Sequential(new Dense(8, "relu").inputShape(5), new Dropout(0.1), new Dense(3, "softmax"));
        m.compile(new Adam(0.002), "categorical_crossentropy", "accuracy");
        INDArray x = data(1, 4, 5);
        INDArray y = org.nd4j.linalg.factory.Nd4j.eye(3).getRows(0, 1, 2, 0);
        m.trainOnBatch(x, y);
        m.trainOnBatch(x, y);
        Path p = dir.resolve("model.keras");
        m.save(p);
        KerasFileCheck.check(p);
        return p;
    }

    /** What Keras 3 writes for this model: path -> [dtype, shape...]. */
    private static Map<String, String> expectedLayout() {
        Map<String, String> e = new TreeMap<>();
        e.put("layers/dense/vars/0", "float32 (5, 8)");
        e.put("layers/dense/vars/1", "float32 (8,)");
        e.put("layers/dense_1/vars/0", "float32 (8, 3)");
        e.put("layers/dense_1/vars/1", "float32 (3,)");
        e.put("optimizer/vars/0", "int64 ()");
        e.put("optimizer/vars/1", "float32 ()");
        // momentum and velocity weight by weight (m0, v0, m1, v1, ...): Adam.build's order, as in the
        // real Keras 3.3.3 and 3.13.2 files in ../shared/keras-models
        String[] shapes = {"(5, 8)", "(8,)", "(8, 3)", "(3,)"};
        for (int i = 0; i < 8; i++) e.put("optimizer/vars/" + (2 + i), "float32 " + shapes[i / 2]);
        return e;
    }

    @Test
    void zipEntriesAndJsonKeysAreKeras() throws Exception {
        Path p = savedSequential();
        Map<String, byte[]> z = zipEntries(p);
        assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), new ArrayList<>(z.keySet()));
        Map<?, ?> meta = JSON.readValue(z.get("metadata.json"), Map.class);
        // Keras's two keys, and who wrote the file (Keras reads none of them when loading)
        assertEquals(List.of("keras_version", "date_saved", "cornu_version"), new ArrayList<>(meta.keySet()));
        assertTrue(meta.get("date_saved").toString().matches("\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d"), meta.toString());
        Map<?, ?> cfg = JSON.readValue(z.get("config.json"), Map.class);
        assertEquals(List.of("module", "class_name", "config", "registered_name", "build_config", "compile_config"),
                new ArrayList<>(cfg.keySet()));
        assertEquals("keras", cfg.get("module"));
        assertEquals("Sequential", cfg.get("class_name"));
        assertEquals(Map.of("input_shape", java.util.Arrays.asList(null, 5)), cfg.get("build_config"));
        Map<?, ?> c = (Map<?, ?>) cfg.get("config");
        assertTrue(c.keySet().containsAll(List.of("name", "trainable", "dtype", "layers", "build_input_shape")), c.keySet().toString());
        List<?> layers = (List<?>) c.get("layers");
        assertEquals(4, layers.size());
        Map<?, ?> in = (Map<?, ?>) layers.get(0);
        assertEquals("InputLayer", in.get("class_name"));
        assertEquals(List.of("batch_shape", "dtype", "sparse", "name"), new ArrayList<>(((Map<?, ?>) in.get("config")).keySet()));
        Map<?, ?> dense = (Map<?, ?>) layers.get(1);
        assertEquals(List.of("module", "class_name", "config", "registered_name", "build_config"), new ArrayList<>(dense.keySet()));
        assertEquals("keras.layers", dense.get("module"));
        assertEquals("Dense", dense.get("class_name"));
        Map<?, ?> dc = (Map<?, ?>) dense.get("config");
        assertTrue(!dc.containsKey("batch_input_shape"), "Keras 3 layers take no batch_input_shape: " + dc.keySet());
        assertEquals(Map.of("input_shape", java.util.Arrays.asList(null, 5)), dense.get("build_config"));
        assertTrue(dc.keySet().containsAll(List.of("name", "trainable", "dtype", "units", "activation", "use_bias",
                "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "kernel_constraint",
                "bias_constraint")), dc.keySet().toString());
        assertEquals(Map.of("module", "keras.initializers", "class_name", "GlorotUniform", "config", Map.of("seed", "x")).keySet(),
                ((Map<?, ?>) dc.get("kernel_initializer")).keySet().stream().filter(k -> !k.equals("registered_name"))
                        .collect(java.util.stream.Collectors.toSet()));
        Map<?, ?> cc = (Map<?, ?>) cfg.get("compile_config");
        assertEquals(List.of("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                "steps_per_execution", "jit_compile"), new ArrayList<>(cc.keySet()));
        Map<?, ?> opt = (Map<?, ?>) cc.get("optimizer");
        assertEquals("keras.optimizers", opt.get("module"));
        assertEquals("Adam", opt.get("class_name"));
        Map<?, ?> oc = (Map<?, ?>) opt.get("config");
        assertEquals(0.002, ((Number) oc.get("learning_rate")).doubleValue(), 0.0);
        assertEquals(0.9, ((Number) oc.get("beta_1")).doubleValue(), 0.0);
        assertEquals("categorical_crossentropy", cc.get("loss"));
        assertEquals(List.of("accuracy"), cc.get("metrics"));
        assertNull(cc.get("loss_weights"));
    }

    @Test
    void functionalConfigHasKerasNodes() throws Exception {
        KerasTensor a = Input.of("left", 3);
        KerasTensor b = Input.of("right", 2);
        KerasTensor cat = new Concatenate().name("cat").apply(a, b);
        KerasTensor out = new Dense(1).name("out").apply(cat);
        Model m = new Model(List.of(a, b), List.of(out), "fn");
        Path p = dir.resolve("fn.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Map<?, ?> cfg = JSON.readValue(zipEntries(p).get("config.json"), Map.class);
        assertEquals("Functional", cfg.get("class_name"));
        assertEquals("keras.src.models.functional", cfg.get("module"));
        assertEquals("Functional", cfg.get("registered_name"));
        Map<?, ?> c = (Map<?, ?>) cfg.get("config");
        assertEquals(List.of(List.of("left", 0, 0), List.of("right", 0, 0)), c.get("input_layers"));
        assertEquals(List.of("out", 0, 0), c.get("output_layers"));
        List<?> layers = (List<?>) c.get("layers");
        Map<?, ?> catL = (Map<?, ?>) layers.stream().filter(l -> "cat".equals(((Map<?, ?>) l).get("name"))).findFirst().orElseThrow();
        List<?> nodes = (List<?>) catL.get("inbound_nodes");
        assertEquals(1, nodes.size());
        Map<?, ?> node = (Map<?, ?>) nodes.get(0);
        List<?> args = (List<?>) node.get("args");
        assertEquals(1, args.size(), "a merge layer takes one argument: the list of tensors");
        List<?> tensors = (List<?>) args.get(0);
        Map<?, ?> t0 = (Map<?, ?>) tensors.get(0);
        assertEquals("__keras_tensor__", t0.get("class_name"));
        assertEquals(List.of("left", 0, 0), ((Map<?, ?>) t0.get("config")).get("keras_history"));
        assertEquals(java.util.Arrays.asList(null, 3), ((Map<?, ?>) t0.get("config")).get("shape"));
        assertEquals(Map.of(), node.get("kwargs"));
        Map<?, ?> outL = (Map<?, ?>) layers.get(layers.size() - 1);
        assertEquals(Map.of("input_shape", java.util.Arrays.asList(null, 5)), outL.get("build_config"));
    }

    @Test
    void weightsH5LayoutReadWithJhdf() throws Exception {
        Path p = savedSequential();
        Path h5 = dir.resolve("model.weights.h5");
        Files.write(h5, zipEntries(p).get("model.weights.h5"));
        Map<String, String> found = new TreeMap<>();
        try (HdfFile f = new HdfFile(h5)) {
            collect(f, "", found);
            Dataset it = f.getDatasetByPath("optimizer/vars/0");
            assertEquals(2L, ((Number) it.getData()).longValue(), "iterations after two updates");
            Dataset lr = f.getDatasetByPath("optimizer/vars/1");
            assertEquals(0.002f, ((Number) lr.getData()).floatValue(), 0f);
        }
        assertEquals(expectedLayout(), found);
    }

    private static void collect(io.jhdf.api.Group g, String prefix, Map<String, String> out) {
        for (io.jhdf.api.Node n : g.getChildren().values()) {
            if (n instanceof Dataset d) {
                Class<?> jt = d.getJavaType();
                String dt = jt == float.class || jt == Float.class ? "float32" : jt == long.class || jt == Long.class ? "int64" : jt.toString();
                int[] s = d.getDimensions();
                StringBuilder b = new StringBuilder("(");
                for (int i = 0; i < s.length; i++) b.append(i > 0 ? ", " : "").append(s[i]);
                if (s.length == 1) b.append(",");
                out.put(prefix + n.getName(), dt + " " + b.append(")"));
            } else if (n instanceof io.jhdf.api.Group c) {
                collect(c, prefix + n.getName() + "/", out);
            }
        }
    }

    @Test
    void weightsH5OpensInH5py() throws Exception {
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): h5py check skipped");
        Path p = savedSequential();
        Path h5 = dir.resolve("model.weights.h5");
        Files.write(h5, zipEntries(p).get("model.weights.h5"));
        List<String> lines = SavingTestSupport.python(py, String.join("\n",
                "import sys, h5py",
                "f = h5py.File(sys.argv[1], 'r')",
                "def show(name, obj):",
                "    if isinstance(obj, h5py.Dataset):",
                "        print(name, obj.dtype, obj.shape)",
                "f.visititems(show)",
                "print('iterations', int(f['optimizer/vars/0'][()]))"), h5.toString());
        Map<String, String> found = new TreeMap<>();
        String iterations = null;
        for (String l : lines) {
            if (l.startsWith("iterations")) {
                iterations = l;
                continue;
            }
            int sp = l.indexOf(' ');
            found.put(l.substring(0, sp), l.substring(sp + 1));
        }
        assertEquals(expectedLayout(), found);
        assertEquals("iterations 2", iterations);
        // the kernel values match what Cornu holds
        Path w = dir.resolve("k.weights.h5");
        Sequential m = new Sequential(new Dense(2).inputShape(3));
        m.saveWeights(w);
        List<String> vals = SavingTestSupport.python(py, String.join("\n",
                "import sys, h5py",
                "f = h5py.File(sys.argv[1], 'r')",
                "print(' '.join(repr(float(v)) for v in f['layers/dense/vars/0'][()].ravel()))"), w.toString());
        float[] expected = m.layers().get(0).getWeights().get(0).data().asFloat();
        String[] got = vals.get(0).split(" ");
        float[] g = new float[got.length];
        for (int i = 0; i < g.length; i++) g[i] = Float.parseFloat(got[i]);
        assertArrayEquals(expected, g, 0f);
    }

    /** A larger file (many groups, a nested model, Adam slots): h5py reads every dataset with the values Cornu holds. */
    @Test
    void largerLayoutsOpenInH5py() throws Exception {
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): h5py check skipped");
        KerasTensor in = Input.of(6);
        KerasTensor x = in;
        for (int i = 0; i < 12; i++) x = new Dense(5 + i % 3, "relu").apply(x);
        Sequential inner = new Sequential(new Dense(4, "tanh").inputShape(x.shape().get(-1)), new Dropout(0.1), new Dense(3));
        KerasTensor out = new Concatenate().apply(inner.apply(x), new Dense(2).apply(x));
        Model m = new Model(in, out);
        m.compile(new Adam(), "mse");
        m.trainOnBatch(data(3, 4, 6), data(4, 4, 5));
        Path p = dir.resolve("big.weights.h5");
        m.saveWeights(p);
        List<String> lines = SavingTestSupport.python(py, String.join("\n",
                "import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'r')",
                "def show(name, obj):",
                "    if isinstance(obj, h5py.Dataset):",
                "        print(name, obj.dtype, repr(float(np.asarray(obj[()], dtype=np.float64).sum())))",
                "f.visititems(show)"), p.toString());
        Map<String, Double> sums = new TreeMap<>();
        for (String l : lines) {
            String[] parts = l.split(" ");
            sums.put(parts[0], Double.parseDouble(parts[2]));
        }
        // 13 Dense layers of the outer model, the nested Sequential's 2 Dense layers, 2 + 2 * 30 optimizer variables
        assertEquals(26, sums.keySet().stream().filter(k -> k.startsWith("layers/dense")).count());
        assertEquals(4, sums.keySet().stream().filter(k -> k.startsWith("layers/sequential/layers/")).count(), sums.keySet().toString());
        assertEquals(2 + 2 * 30, sums.keySet().stream().filter(k -> k.startsWith("optimizer/vars/")).count());
        List<org.cornu.core.Weight> ws = m.weights();
        assertEquals(30, ws.size());
        INDArray k0 = ((Dense) m.getLayer(1)).kernel().value();
        assertEquals(k0.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().doubleValue(), sums.get("layers/dense/vars/0"), 1e-9);
        INDArray innerK = ((Dense) inner.layers().get(2)).kernel().value();
        assertEquals(innerK.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().doubleValue(),
                sums.get("layers/sequential/layers/dense_1/vars/0"), 1e-9);
        assertEquals(1.0, sums.get("optimizer/vars/0"), 0.0);
    }

    /**
     * The way back to Python: a reader written only from Keras 3's loading rules (config.json's
     * layers in order, weights under {@code layers/<snake_case class>[_n]/vars/<i>}, activations by
     * name) rebuilds the forward pass in numpy from Cornu's .keras file and matches Cornu's predictions.
     */
    @Test
    void pythonReaderFollowingKerasRulesReproducesPredictions() throws Exception {
        String py = SavingTestSupport.pythonWithH5py();
        Assumptions.assumeTrue(py != null, "python3 with h5py not installed (apt-get install python3-h5py): check skipped");
        Sequential m = new Sequential(new Dense(6, "relu").inputShape(4), new Dropout(0.3), new Dense(5, "tanh"),
                new Dense(3, "softmax"));
        m.compile("adam", "categorical_crossentropy");
        INDArray x = data(30, 7, 4);
        m.trainOnBatch(x, org.nd4j.linalg.factory.Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        Path p = dir.resolve("py.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Path xs = dir.resolve("x.json");
        Files.writeString(xs, JSON.writeValueAsString(toLists(x)));
        List<String> out = SavingTestSupport.python(py, String.join("\n",
                "import io, json, sys, zipfile, re, h5py, numpy as np",
                "zf = zipfile.ZipFile(sys.argv[1])",
                "cfg = json.loads(zf.read('config.json'))",
                "h5 = h5py.File(io.BytesIO(zf.read('model.weights.h5')), 'r')",
                "def snake(n):",
                "    n = re.sub(r'(.)([A-Z][a-z]+)', r'\\1_\\2', n)",
                "    return re.sub(r'([a-z])([A-Z])', r'\\1_\\2', n).lower()",
                "acts = {'relu': lambda z: np.maximum(z, 0), 'tanh': np.tanh, 'linear': lambda z: z,",
                "        'softmax': lambda z: np.exp(z - z.max(-1, keepdims=True)) / np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True)}",
                "x = np.array(json.load(open(sys.argv[2])), dtype=np.float64)",
                "used = {}",
                "assert cfg['class_name'] == 'Sequential'",
                "for layer in cfg['config']['layers']:",
                "    cls = layer['class_name']",
                "    if cls == 'InputLayer':",
                "        continue",
                "    name = snake(cls)",
                "    if name in used:",
                "        used[name] += 1; name = name + '_' + str(used[name])",
                "    else:",
                "        used[name] = 0",
                "    if cls == 'Dense':",
                "        v = h5['layers/' + name + '/vars']",
                "        x = acts[layer['config']['activation']](x @ v['0'][()] + v['1'][()])",
                "    elif cls != 'Dropout':",
                "        raise SystemExit('unexpected ' + cls)",
                "print(json.dumps(x.tolist()))"), p.toString(), xs.toString());
        List<?> rows = JSON.readValue(out.get(out.size() - 1), List.class);
        INDArray pred = m.predict(x);
        for (int i = 0; i < rows.size(); i++) {
            List<?> r = (List<?>) rows.get(i);
            for (int j = 0; j < r.size(); j++) {
                assertEquals(((Number) r.get(j)).doubleValue(), pred.getDouble(i, j), 1e-6, "row " + i + ", column " + j);
            }
        }
    }

    private static List<List<Double>> toLists(INDArray a) {
        List<List<Double>> r = new ArrayList<>();
        for (int i = 0; i < a.rows(); i++) {
            List<Double> row = new ArrayList<>();
            for (int j = 0; j < a.columns(); j++) row.add(a.getDouble(i, j));
            r.add(row);
        }
        return r;
    }
}
