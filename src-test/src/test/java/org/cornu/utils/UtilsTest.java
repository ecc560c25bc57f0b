package org.cornu.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.callbacks.ProgbarLogger;
import org.cornu.core.metrics.Metrics;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.Evaluate;
import org.cornu.core.Fit;
import org.cornu.core.Metric;
import org.cornu.core.Sequential;
import org.cornu.testing.Fixtures;

/** Utils, accuracy resolution as Keras's get_metric, and the progress bar's format. */
class UtilsTest {
    @Test
    void toCategoricalAsKeras() {
        INDArray y = Utils.toCategorical(Nd4j.createFromArray(new byte[] {2, 0, 1}).castTo(DataType.UBYTE), 3);
        assertEquals(DataType.FLOAT, y.dataType());
        assertArrayEquals(new long[] {3, 3}, y.shape());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, y.castTo(DataType.DOUBLE).data().asDouble(), 0);
        // uint8 labels above 127 stay unsigned
        INDArray big = Utils.toCategorical(Nd4j.createFromArray(new int[] {200}).castTo(DataType.UBYTE), 201);
        assertEquals(1.0, big.getDouble(0, 200), 0);
        // (n, 1) labels give (n, classes)
        assertArrayEquals(new long[] {2, 4}, Utils.toCategorical(Nd4j.create(new float[] {1, 3}, new long[] {2, 1}), 4).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Utils.toCategorical(Nd4j.createFromArray(new int[] {0, 10}), 10));
        assertTrue(e.getMessage().contains("label 10.0 at index 1"), e.getMessage());
    }

    @Test
    void normalizeIsL2AlongTheLastAxis() {
        INDArray x = Nd4j.create(new double[][] {{3, 4}, {0, 0}});
        INDArray n = Utils.normalize(x);
        assertArrayEquals(new double[] {0.6, 0.8, 0, 0}, n.data().asDouble(), 1e-12);
        INDArray l1 = Utils.normalize(Nd4j.create(new double[][] {{1, 3}}), -1, 1);
        assertArrayEquals(new double[] {0.25, 0.75}, l1.data().asDouble(), 1e-12);
    }

    @Test
    void accuracyIsResolvedFromShapesAsKeras() {
        long[] pred10 = {-1, 10};
        assertEquals(0.5, accuracy(Metrics.resolve("accuracy", null, new long[] {4, 10}, pred10), true), 1e-12);
        Metric sparse = Metrics.resolve("acc", null, new long[] {4}, pred10);
        assertEquals("acc", sparse.name());
        assertEquals(0.5, accuracy(sparse, false), 1e-12);
        Metric binary = Metrics.resolve("accuracy", null, new long[] {4, 1}, new long[] {-1, 1});
        binary.updateState(Nd4j.create(new float[] {1, 0, 1, 0}, new long[] {4, 1}), Nd4j.create(new float[] {0.9f, 0.2f, 0.4f, 0.6f}, new long[] {4, 1}), null);
        assertEquals(0.5, binary.result(), 1e-12);
    }

    /** Predictions right for samples 0 and 2 of 4. */
    private static double accuracy(Metric m, boolean oneHot) {
        INDArray p = Nd4j.zeros(DataType.FLOAT, 4, 10);
        int[] predicted = {3, 1, 7, 2};
        int[] truth = {3, 5, 7, 0};
        for (int i = 0; i < 4; i++) p.putScalar(i, predicted[i], 1f);
        INDArray t = Nd4j.createFromArray(truth).castTo(DataType.FLOAT);
        m.updateState(oneHot ? Utils.toCategorical(t, 10) : t, p, null);
        return m.result();
    }

    @Test
    void progressBarHasKerasFormat() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgbarLogger bar = new ProgbarLogger(new PrintStream(buf, true, StandardCharsets.UTF_8), false, () -> 0L);
        bar.setParams(Map.of("epochs", 5, "steps", 469, "verbose", 1));
        bar.onEpochBegin(0, Map.of());
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 0.25701);
        logs.put("accuracy", 0.92543);
        for (int b = 0; b < 469; b++) bar.onTrainBatchEnd(b, logs);
        bar.onEpochEnd(0, logs);
        String out = buf.toString(StandardCharsets.UTF_8);
        String[] lines = out.split("\n");
        assertEquals("Epoch 1/5", lines[0]);
        assertTrue(lines[10].matches("469/469 \\[==============================\\] - \\d+s \\d+(us|ms|s)/step - loss: 0\\.2570 - accuracy: 0\\.9254"),
                lines[10]);
        // without a terminal: a line every tenth of the epoch (47 steps: 47, 94, ..., 423), then the final one
        assertEquals(11, lines.length, out);
        assertTrue(lines[1].startsWith(" 47/469 [==>"), lines[1]);
    }

    @Test
    void verboseTwoPrintsOneLinePerEpoch() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgbarLogger bar = new ProgbarLogger(new PrintStream(buf, true, StandardCharsets.UTF_8), true);
        bar.setParams(Map.of("epochs", 2, "steps", 10, "verbose", 2));
        bar.onEpochBegin(1, Map.of());
        for (int b = 0; b < 10; b++) bar.onTrainBatchEnd(b, Map.of("loss", 1.0));
        bar.onEpochEnd(1, Map.of("loss", 1.0, "val_loss", 0.00012));
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("Epoch 2/2", lines[0]);
        assertTrue(lines[1].startsWith("10/10 - "), lines[1]);
        assertTrue(lines[1].contains("val_loss: 1.2000e-04"), lines[1]);
        assertEquals(2, lines.length);
    }

    @Test
    void verboseZeroFitPrintsNothing() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Sequential m = new Sequential(new org.cornu.layers.Dense(1).inputShape(2));
            m.compile(new Fixtures.PlainSgd(0.1), new Fixtures.Mse());
            m.fit(Nd4j.rand(DataType.FLOAT, 10, 2), Nd4j.rand(DataType.FLOAT, 10, 1), Fit.epochs(2).verbose(0));
            m.evaluate(Nd4j.rand(DataType.FLOAT, 10, 2), Nd4j.rand(DataType.FLOAT, 10, 1), Evaluate.verbose(0));
        } finally {
            System.setOut(old);
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }
}
