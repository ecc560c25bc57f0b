package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.zipEntries;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.cornu.core.Cornu;
import org.cornu.core.Sequential;
import org.cornu.layers.Bidirectional;
import org.cornu.layers.Dense;
import org.cornu.layers.GRU;
import org.cornu.layers.LSTM;
import org.cornu.layers.TimeDistributed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Recurrent layers' variables sit where Keras 3 writes them: under the layer's {@code cell}, under
 * Bidirectional's {@code forward_layer}/{@code backward_layer}, and under TimeDistributed's
 * {@code layer} (Keras's saver walks each layer's trackable attributes).
 */
class RnnWeightPathsTest {
    @TempDir
    Path dir;

    @Test
    void variablesAtKerasPaths() throws Exception {
        Cornu.clearSession();
        Cornu.setSeed(3);
        Sequential m = new Sequential(
                new LSTM(4).returnSequences(true).inputShape(5, 3),
                new Bidirectional(new GRU(2).returnSequences(true)),
                new TimeDistributed(new Dense(1)));
        m.compile("rmsprop", "mse");
        Path p = dir.resolve("rnn.keras");
        m.save(p);
        KerasFileCheck.check(p);
        Path h5 = dir.resolve("model.weights.h5");
        Files.write(h5, zipEntries(p).get("model.weights.h5"));
        Map<String, String> found = new TreeMap<>();
        try (HdfFile f = new HdfFile(h5)) {
            collect(f, "", found);
        }
        Map<String, String> expected = new TreeMap<>(Map.of(
                "layers/lstm/cell/vars/0", "(3, 16)",
                "layers/lstm/cell/vars/1", "(4, 16)",
                "layers/lstm/cell/vars/2", "(16,)",
                "layers/bidirectional/forward_layer/cell/vars/0", "(4, 6)",
                "layers/bidirectional/forward_layer/cell/vars/1", "(2, 6)",
                "layers/bidirectional/forward_layer/cell/vars/2", "(2, 6)",
                "layers/bidirectional/backward_layer/cell/vars/0", "(4, 6)",
                "layers/bidirectional/backward_layer/cell/vars/1", "(2, 6)",
                "layers/bidirectional/backward_layer/cell/vars/2", "(2, 6)",
                "layers/time_distributed/layer/vars/0", "(4, 1)"));
        expected.put("layers/time_distributed/layer/vars/1", "(1,)");
        expected.put("optimizer/vars/0", "()");
        expected.put("optimizer/vars/1", "()");
        assertEquals(expected, found);

        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 5, 3);
        assertEquals(m.predict(x), Models.loadModel(p).predict(x), "the same weights come back from those paths");
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
