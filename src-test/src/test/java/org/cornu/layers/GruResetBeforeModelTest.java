package org.cornu.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** GRU(reset_after=False) trains through {@code model.fit} (inside the step workspaces) and learns. */
class GruResetBeforeModelTest {
    @Test
    void embeddingGruDenseTrainsTwoEpochs() {
        Cornu.setSeed(11);
        // label: whether token 1 occurs in the (zero-padded, masked) sequence
        int n = 256, t = 8;
        java.util.Random r = new java.util.Random(1);
        double[][] x = new double[n][t];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int len = 3 + r.nextInt(t - 3);
            for (int j = 0; j < len; j++) x[i][j] = 2 + r.nextInt(8);
            if (i % 2 == 0) {
                x[i][r.nextInt(len)] = 1;
                y[i] = 1;
            }
        }
        Sequential model = new Sequential(new Embedding(10, 8).maskZero(true).inputShape(t),
                new GRU(8).resetAfter(false).recurrentDropout(0.1), new Dense(1, "sigmoid"));
        model.compile("adam", "binary_crossentropy", "accuracy");
        INDArray xs = Nd4j.create(x).castTo(DataType.FLOAT);
        INDArray ys = Nd4j.create(y, new long[] {n, 1}).castTo(DataType.FLOAT);
        History h = model.fit(xs, ys, Fit.epochs(2).batchSize(32).validationSplit(0.25).verbose(0));
        List<Double> loss = h.get("loss");
        assertEquals(2, loss.size());
        assertTrue(loss.get(1) < loss.get(0), "loss " + loss);
        assertEquals(2, h.get("val_loss").size());
        assertEquals(n, model.predict(xs).size(0));
        assertEquals(List.of(8L * 3), List.of(((GRU) model.layers().get(1)).bias().shape()[0]));
    }
}
