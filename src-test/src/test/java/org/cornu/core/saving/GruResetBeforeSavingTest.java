package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.cornu.core.saving.SavingTestSupport.zipEntries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.cornu.core.Cornu;
import org.cornu.core.Layer;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Bidirectional;
import org.cornu.layers.Dense;
import org.cornu.layers.GRU;
import org.cornu.optimizers.RMSprop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GRU(reset_after=False) in configs and {@code .keras} files: reset_after=false survives
 * getConfig/fromConfig (alone and inside Bidirectional), a saved model comes back with the same
 * weights, predictions and continued training, and its variables have Keras's shapes: kernel
 * {@code (in, 3u)}, recurrent kernel {@code (u, 3u)}, bias {@code (3u,)} (at Keras's paths, named by class).
 */
class GruResetBeforeSavingTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(5);
    }

    @Test
    void configRoundTrip() {
        GRU g = new GRU(3).resetAfter(false).returnSequences(true).name("gru");
        Map<String, Object> c = g.getConfig();
        assertEquals(false, c.get("reset_after"));
        Layer back = LayerFactory.create("GRU", c);
        assertFalse(((GRU) back).resetAfter());
        assertEquals(c, back.getConfig());
        // absent: Keras's default True
        assertEquals(true, ((GRU) LayerFactory.create("GRU", Map.of("units", 2))).resetAfter());
        Bidirectional b = new Bidirectional(new GRU(2).resetAfter(false)).name("bi");
        Bidirectional b2 = (Bidirectional) LayerFactory.create("Bidirectional", b.getConfig());
        assertEquals(b.getConfig(), b2.getConfig());
        assertFalse(((GRU) b2.forwardLayer()).resetAfter());
        assertFalse(((GRU) b2.backwardLayer()).resetAfter());
    }

    @Test
    void saveLoadGivesTheSameModel() throws Exception {
        Sequential m = new Sequential(new GRU(4).resetAfter(false).returnSequences(true).inputShape(5, 3).name("gru"),
                new Bidirectional(new GRU(2).resetAfter(false)).name("bi"), new Dense(1).name("out"));
        m.compile(new RMSprop(0.01), "mse");
        INDArray x = data(1, 6, 5, 3), y = data(2, 6, 1);
        for (int i = 0; i < 3; i++) m.trainOnBatch(x, y);
        Path p = dir.resolve("gru.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Model r = Models.loadModel(p);
        assertFalse(((GRU) r.layers().get(0)).resetAfter());
        assertFalse(((GRU) ((Bidirectional) r.layers().get(1)).backwardLayer()).resetAfter());
        assertEquals(m.getConfig(), r.getConfig(), "model config");
        assertSameWeights(m, r);
        assertSame(m.predict(x), r.predict(x), "predictions after loading");
        for (int step = 0; step < 2; step++) {
            assertEquals(m.trainOnBatch(x, y)[0], r.trainOnBatch(x, y)[0], 0.0, "loss at continued step " + step);
        }
        assertSame(m.predict(x), r.predict(x), "predictions after continued training");

        // the variables as Keras 3 writes them
        Path h5 = dir.resolve("model.weights.h5");
        Files.write(h5, zipEntries(p).get("model.weights.h5"));
        Map<String, String> found = new TreeMap<>();
        try (HdfFile f = new HdfFile(h5)) {
            collect(f, "", found);
        }
        Map<String, String> expected = new TreeMap<>(Map.of(
                "layers/gru/cell/vars/0", "(3, 12)",
                "layers/gru/cell/vars/1", "(4, 12)",
                "layers/gru/cell/vars/2", "(12,)",
                "layers/bidirectional/forward_layer/cell/vars/0", "(4, 6)",
                "layers/bidirectional/forward_layer/cell/vars/1", "(2, 6)",
                "layers/bidirectional/forward_layer/cell/vars/2", "(6,)",
                "layers/bidirectional/backward_layer/cell/vars/0", "(4, 6)",
                "layers/bidirectional/backward_layer/cell/vars/1", "(2, 6)",
                "layers/bidirectional/backward_layer/cell/vars/2", "(6,)"));
        for (Map.Entry<String, String> e : expected.entrySet()) assertEquals(e.getValue(), found.get(e.getKey()), e.getKey() + " in " + found);
        assertArrayEquals(new long[] {12}, ((GRU) r.layers().get(0)).bias().shape());
    }

    private static void collect(io.jhdf.api.Group g, String prefix, Map<String, String> out) {
        for (io.jhdf.api.Node n : g.getChildren().values()) {
            if (n instanceof Dataset d) {
                int[] s = d.getDimensions();
                StringBuilder b = new StringBuilder("(");
                for (int i = 0; i < s.length; i++) b.append(i > 0 ? ", " : "").append(s[i]);
                if (s.length == 1) b.append(",");
                out.put(prefix + n.getName(), b.append(")").toString());
            } else if (n instanceof io.jhdf.api.Group c) {
                collect(c, prefix + n.getName() + "/", out);
            }
        }
    }
}
