package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cornu.layers.Dense;
import org.cornu.layers.Dropout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.Cornu;
import org.cornu.core.FastPaths;
import org.cornu.core.Sequential;
import org.cornu.testing.Float64Test;
import org.cornu.testing.GradCheck;

/**
 * The JVM predict path for few-row inputs through Dense chains gives the tape path's outputs:
 * to 1e-12 in float64, to float rounding in float32; it is taken only where it applies.
 */
class SmallPredictTest extends Float64Test {
    @AfterEach
    void enable() {
        FastPaths.SMALL_PREDICT.setEnabled(true);
    }

    /** Rows with about 30% nonzero entries, like an MNIST digit, plus an all-zero row. */
    private static INDArray sparseRows(DataType t, int n, int d, long seed) {
        INDArray x = GradCheck.rand(seed, -1, 1, n, d);
        INDArray keep = GradCheck.rand(seed + 1, 0, 1, n, d).lt(0.3).castTo(x.dataType());
        x.muli(keep);
        x.getRow(n - 1).assign(0);
        return x.castTo(t);
    }

    private static INDArray both(Sequential m, INDArray x, boolean expectFast) {
        FastPaths.SMALL_PREDICT.setEnabled(false);
        INDArray tape = m.predict(x);
        FastPaths.SMALL_PREDICT.setEnabled(true);
        long before = FastPaths.SMALL_PREDICT.runs();
        INDArray jvm = m.predict(x);
        assertEquals(expectFast ? before + 1 : before, FastPaths.SMALL_PREDICT.runs(), "JVM predict path taken");
        assertEquals(tape.dataType(), jvm.dataType());
        assertEquals(java.util.Arrays.toString(tape.shape()), java.util.Arrays.toString(jvm.shape()));
        return tape.sub(jvm);
    }

    @Test
    void equalsTapePathInFloat64ForEachActivation() {
        Cornu.setSeed(3);
        Sequential m = new Sequential(new Dense(9, "relu").inputShape(20), new Dense(7, "tanh"),
                new Dense(6, "sigmoid").useBias(false), new Dense(5), new Dense(4, "softmax"));
        INDArray diff = both(m, sparseRows(DataType.DOUBLE, 3, 20, 5), true);
        assertEquals(0.0, diff.amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void mnistShapedModelInFloat32MatchesToRounding() {
        Cornu.setFloatx("float32");
        Cornu.setSeed(4);
        Sequential m = new Sequential(new Dense(512, "relu").inputShape(784), new Dense(10, "softmax"));
        INDArray x = sparseRows(DataType.FLOAT, 2, 784, 9);
        INDArray diff = both(m, x, true);
        assertTrue(diff.amaxNumber().doubleValue() < 1e-6, "max difference " + diff.amaxNumber());
        // a dense row too: every kernel row contributes
        INDArray dense = GradCheck.rand(11, 0, 1, 1, 784).castTo(DataType.FLOAT);
        assertTrue(both(m, dense, true).amaxNumber().doubleValue() < 1e-6);
    }

    /**
     * The path keeps its working arrays per thread between calls: a float32 model, then a float64
     * one, then wider inputs and more rows on the same thread each still match the tape path, and
     * an input too wide to keep (70000 columns) works on arrays of its own.
     */
    @Test
    void workingArraysKeptBetweenCallsServeEveryModel() {
        Cornu.setFloatx("float32");
        Cornu.setSeed(6);
        Sequential f32 = new Sequential(new Dense(64, "relu").inputShape(300), new Dense(10, "softmax"));
        Cornu.setFloatx("float64");
        Sequential f64 = new Sequential(new Dense(9, "relu").inputShape(20), new Dense(4, "softmax"));
        Sequential wide = new Sequential(new Dense(2, "tanh").inputShape(70000));
        for (int round = 0; round < 2; round++) {
            Cornu.setFloatx("float32"); // inputs are cast to floatx, which must be the model's
            // a dense row first leaves nonzero values everywhere in the kept arrays
            assertTrue(both(f32, GradCheck.rand(20 + round, 0, 1, 1, 300).castTo(DataType.FLOAT), true)
                    .amaxNumber().doubleValue() < 1e-6);
            assertTrue(both(f32, sparseRows(DataType.FLOAT, 3, 300, 30 + round), true).amaxNumber().doubleValue() < 1e-6);
            Cornu.setFloatx("float64");
            assertEquals(0.0, both(f64, sparseRows(DataType.DOUBLE, 2, 20, 40 + round), true).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0.0, both(wide, sparseRows(DataType.DOUBLE, 1, 70000, 50 + round), true).amaxNumber().doubleValue(), 1e-12);
            assertEquals(0.0, both(f64, sparseRows(DataType.DOUBLE, 5, 20, 60 + round), true).amaxNumber().doubleValue(), 1e-12);
        }
    }

    @Test
    void notTakenForOtherLayersOrLargeBatches() {
        Cornu.setSeed(5);
        Sequential withDropout = new Sequential(new Dense(8, "relu").inputShape(6), new Dropout(0.5), new Dense(2));
        assertEquals(0.0, both(withDropout, sparseRows(DataType.DOUBLE, 2, 6, 1), false).amaxNumber().doubleValue(), 0.0);
        Sequential big = new Sequential(new Dense(512, "relu").inputShape(784), new Dense(10));
        // 64 rows x 406k multiply-adds is past the limit: the regular batched path answers
        both(big, sparseRows(DataType.DOUBLE, 64, 784, 2), false);
    }

    @Test
    void wrongWidthStillGetsTheLayerError() {
        Sequential m = new Sequential(new Dense(3).inputShape(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(Nd4j.zeros(DataType.DOUBLE, 1, 5)));
        assertTrue(e.getMessage().contains("dense"), e.getMessage());
    }
}
