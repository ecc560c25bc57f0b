package org.cornu.applications;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Weight;
import org.cornu.layers.DepthwiseConv2D;
import org.cornu.testing.LegacyWeightsFile;
import org.cornu.utils.GetFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight files in the layout of Keras's application weights (legacy {@code .h5}: root
 * {@code layer_names}, per-layer {@code weight_names}, datasets {@code layer/layer/kernel:0}),
 * written by the tests (with jHDF, and with h5py where it is installed), loaded as Keras loads
 * them: {@code load_weights} by position among the layers with weights, {@code by_name} by layer
 * name; through {@code weights(path)} and through {@code weights("imagenet")} from Keras's cache.
 */
class ApplicationWeightsTest {
    @TempDir
    Path dir;
    private String savedHome;
    private String savedOffline;

    @BeforeEach
    void setUp() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        savedHome = System.getProperty(GetFile.PROP_KERAS_HOME);
        savedOffline = System.getProperty(GetFile.PROP_OFFLINE);
        System.setProperty(GetFile.PROP_KERAS_HOME, dir.resolve("keras").toString());
        System.setProperty(GetFile.PROP_OFFLINE, "true");
    }

    @AfterEach
    void tearDown() {
        if (savedHome == null) System.clearProperty(GetFile.PROP_KERAS_HOME);
        else System.setProperty(GetFile.PROP_KERAS_HOME, savedHome);
        if (savedOffline == null) System.clearProperty(GetFile.PROP_OFFLINE);
        else System.setProperty(GetFile.PROP_OFFLINE, savedOffline);
    }

    private static MobileNetV2.Builder smallMobileNet() {
        return MobileNetV2.builder().weights((String) null).alpha(0.35).includeTop(false).inputShape(96, 96, 3);
    }

    /** Every weight of {@code m} set to distinct values (the moving variances positive). */
    private static void randomize(Model m, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Weight w : m.weights()) w.assign(Nd4j.rand(DataType.FLOAT, w.shape()).addi(0.1));
    }

    private static void assertSameWeights(Model a, Model b) {
        List<Weight> wa = a.weights(), wb = b.weights();
        assertEquals(wa.size(), wb.size());
        for (int i = 0; i < wa.size(); i++) {
            assertArrayEquals(wa.get(i).value().data().asFloat(), wb.get(i).value().data().asFloat(), 0f, wa.get(i).path());
        }
    }

    @Test
    void mobilenetWeightsLoadByPositionThroughEveryDoor() throws Exception {
        Model source = smallMobileNet().build();
        randomize(source, 1);
        Path file = dir.resolve("mobilenet.h5");
        LegacyWeightsFile.of(source).write(file);

        Model a = smallMobileNet().build();
        a.loadWeights(file);
        assertSameWeights(source, a);

        Model b = smallMobileNet().weights(file).build();
        assertSameWeights(source, b);

        // weights("imagenet"): Keras's file name in Keras's cache (MobileNetV2's files have no hash to check)
        Path models = Files.createDirectories(dir.resolve("keras").resolve("models"));
        Files.copy(file, models.resolve("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"));
        Model c = MobileNetV2.builder().alpha(0.35).includeTop(false).inputShape(96, 96, 3).build();
        assertSameWeights(source, c);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 96, 96, 3).muli(255);
        assertArrayEquals(source.predict(MobileNetV2.preprocessInput(x)).data().asFloat(),
                c.predict(MobileNetV2.preprocessInput(x)).data().asFloat(), 0f);
    }

    @Test
    void positionalLoadingIgnoresNamesAndCountsLayersWithWeights() {
        Model source = smallMobileNet().build();
        randomize(source, 2);
        // the same weights under other layer names, with extra layers without weights in between
        LegacyWeightsFile f = new LegacyWeightsFile();
        f.layer("input_1", List.of());
        int k = 0;
        for (Layer l : source.layers()) {
            List<Weight> ws = new ArrayList<>(l.trainableWeights());
            ws.addAll(l.nonTrainableWeights());
            if (ws.isEmpty()) continue;
            List<Map.Entry<String, INDArray>> entries = new ArrayList<>();
            for (Weight w : ws) entries.add(Map.entry(w.name() + ":0", w.value()));
            f.layer("renamed_" + k++, entries);
            f.layer("no_weights_" + k, List.of());
        }
        Path file = dir.resolve("renamed.h5");
        f.write(file);
        Model a = smallMobileNet().build();
        a.loadWeights(file);
        assertSameWeights(source, a);

        // by name, none of these names exist in the model: nothing changes
        Model b = smallMobileNet().build();
        INDArray before = b.getLayer("Conv1").weights().get(0).value().dup();
        b.loadWeightsByName(file, false);
        assertArrayEquals(before.data().asFloat(), b.getLayer("Conv1").weights().get(0).value().data().asFloat(), 0f);

        // one layer with weights too few: Keras's count mismatch, and nothing assigned
        LegacyWeightsFile shortFile = new LegacyWeightsFile();
        shortFile.layer("only", List.of(Map.entry("kernel:0", source.getLayer("Conv1").weights().get(0).value())));
        Path sf = dir.resolve("short.h5");
        shortFile.write(sf);
        String m = assertThrows(IllegalArgumentException.class, () -> b.loadWeights(sf)).getMessage();
        assertTrue(m.contains("short.h5") && m.contains("layer count mismatch") && m.contains("found 1 saved layers"), m);
        assertArrayEquals(before.data().asFloat(), b.getLayer("Conv1").weights().get(0).value().data().asFloat(), 0f);
    }

    @Test
    void byNameLoadsTheLayersOfTheSameNameAndSkipsMismatchesOnRequest() {
        Model vgg = VGG16.builder().weights((String) null).includeTop(false).inputShape(32, 32, 3).build();
        INDArray k1 = Nd4j.rand(DataType.FLOAT, 3, 3, 3, 64), b1 = Nd4j.rand(DataType.FLOAT, 64);
        INDArray k53 = Nd4j.rand(DataType.FLOAT, 3, 3, 512, 512), b53 = Nd4j.rand(DataType.FLOAT, 512);
        INDArray block2Before = vgg.getLayer("block2_conv1").weights().get(0).value().dup();
        LegacyWeightsFile f = new LegacyWeightsFile()
                .layer("input_1", List.of())
                .layer("block1_conv1", List.of(Map.entry("kernel:0", k1), Map.entry("bias:0", b1)))
                .layer("dense_from_elsewhere", List.of(Map.entry("kernel:0", Nd4j.rand(DataType.FLOAT, 4, 2))))
                .layer("block5_conv3", List.of(Map.entry("kernel:0", k53), Map.entry("bias:0", b53)));
        Path file = dir.resolve("partial.h5");
        f.write(file);
        vgg.loadWeightsByName(file, false);
        assertArrayEquals(k1.data().asFloat(), vgg.getLayer("block1_conv1").weights().get(0).value().data().asFloat(), 0f);
        assertArrayEquals(b53.data().asFloat(), vgg.getLayer("block5_conv3").weights().get(1).value().data().asFloat(), 0f);
        assertArrayEquals(block2Before.data().asFloat(), vgg.getLayer("block2_conv1").weights().get(0).value().data().asFloat(), 0f);

        // a wrong shape: an error naming the layer, the weight and both shapes; with skipMismatch, skipped
        INDArray k2 = Nd4j.rand(DataType.FLOAT, 3, 3, 64, 128);
        LegacyWeightsFile bad = new LegacyWeightsFile()
                .layer("block1_conv2", List.of(Map.entry("kernel:0", Nd4j.rand(DataType.FLOAT, 3, 3, 64, 32)),
                        Map.entry("bias:0", Nd4j.rand(DataType.FLOAT, 32))))
                .layer("block2_conv1", List.of(Map.entry("kernel:0", k2), Map.entry("bias:0", Nd4j.rand(DataType.FLOAT, 128))));
        Path bf = dir.resolve("bad.h5");
        bad.write(bf);
        String m = assertThrows(IllegalArgumentException.class, () -> vgg.loadWeightsByName(bf, false)).getMessage();
        assertTrue(m.contains("bad.h5") && m.contains("block1_conv2/kernel") && m.contains("(3, 3, 64, 64)")
                && m.contains("(3, 3, 64, 32)"), m);
        assertArrayEquals(block2Before.data().asFloat(), vgg.getLayer("block2_conv1").weights().get(0).value().data().asFloat(), 0f,
                "a failed load assigns nothing");
        vgg.loadWeightsByName(bf, true);
        assertArrayEquals(k2.data().asFloat(), vgg.getLayer("block2_conv1").weights().get(0).value().data().asFloat(), 0f);
        String w = assertThrows(IllegalArgumentException.class, () -> vgg.loadWeightsByName(dir.resolve("x.weights.h5"), false))
                .getMessage();
        assertTrue(w.contains("legacy .h5"), w);
    }

    // ------------------------------------------------------------------ a file written by h5py

    private static String pythonWithH5py() {
        for (String py : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import h5py, numpy").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return py;
            } catch (IOException | InterruptedException e) {
                // try the next
            }
        }
        return null;
    }

    /** Keras 2's writer: byte-string attributes, empty float64 weight_names, layer_names split in two chunks. */
    private static final String WRITE = String.join("\n",
            "import h5py, json, sys, numpy as np",
            "spec = json.load(open(sys.argv[1]))",
            "with h5py.File(sys.argv[2], 'w') as f:",
            "    names = [n.encode('utf8') for n, _ in spec]",
            "    half = len(names) // 2",
            "    f.attrs['layer_names0'] = np.array(names[:half])",
            "    f.attrs['layer_names1'] = np.array(names[half:])",
            "    f.attrs['backend'] = b'tensorflow'",
            "    f.attrs['keras_version'] = b'2.1.6'",
            "    for i, (name, weights) in enumerate(spec):",
            "        g = f.create_group(name)",
            "        g.attrs['weight_names'] = np.array([(name + '/' + w).encode('utf8') for w, _ in weights])",
            "        for j, (w, shape) in enumerate(weights):",
            "            n = int(np.prod(shape))",
            "            g.create_dataset(name + '/' + w, data=((np.arange(n) % 251) * 0.01 + i + 0.001 * j).astype('f4').reshape(shape))");

    @Test
    void aFileWrittenByH5pyInKeras2sLayoutLoads() throws Exception {
        String py = pythonWithH5py();
        assumeTrue(py != null, "h5py is not installed");
        Model m = smallMobileNet().build();
        List<Object> spec = new ArrayList<>();
        for (Layer l : m.layers()) {
            List<Weight> ws = new ArrayList<>(l.trainableWeights());
            ws.addAll(l.nonTrainableWeights());
            List<Object> entries = new ArrayList<>();
            for (Weight w : ws) {
                // Keras 2 called the depthwise kernel depthwise_kernel
                String n = l instanceof DepthwiseConv2D && w.name().equals("kernel") ? "depthwise_kernel" : w.name();
                entries.add(List.of(n + ":0", w.shape()));
            }
            spec.add(List.of(l.name(), entries));
        }
        Path json = dir.resolve("spec.json");
        Files.write(json, new ObjectMapper().writeValueAsBytes(spec));
        Path file = dir.resolve("h5py.h5");
        Process p = new ProcessBuilder(py, "-c", WRITE, json.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);

        m.loadWeights(file);
        int i = 0;
        Map<String, Integer> checked = new LinkedHashMap<>();
        for (Layer l : m.layers()) {
            List<Weight> ws = new ArrayList<>(l.trainableWeights());
            ws.addAll(l.nonTrainableWeights());
            for (int j = 0; j < ws.size(); j++) {
                float[] v = ws.get(j).value().data().asFloat();
                for (int e = 0; e < v.length; e += 97) {
                    assertEquals((float) ((e % 251) * 0.01 + i + 0.001 * j), v[e], 1e-4f, ws.get(j).path() + "[" + e + "]");
                }
                checked.merge(l.getClass().getSimpleName(), 1, Integer::sum);
            }
            i++;
        }
        assertEquals(52, checked.get("BatchNormalization") / 4); // 52 BN layers, 4 weights each
        assertNotEquals(null, checked.get("DepthwiseConv2D"));
        // by name too
        Model n = smallMobileNet().build();
        n.loadWeightsByName(file, false);
        assertSameWeights(m, n);
    }
}
