package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cornu.core.Cornu;
import org.cornu.core.FastPaths;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Dense;
import org.cornu.optimizers.SGD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which rows {@code validationSplit} holds out, read directly: a model that predicts 0 (zero
 * kernel and bias, learning rate 0) has mean absolute error = the mean of |y| over the rows it
 * sees, and targets {@code y_i = 2^i} make every set of rows give a different mean. Keras holds
 * out rows {@code floor(n * (1 - split))} to {@code n - 1}, before shuffling; on the tape and on
 * the small-model path.
 */
class ValidationSplitRowsTest {
    @AfterEach
    void restore() {
        FastPaths.SMALL_MODEL.setEnabled(true);
        Cornu.setFloatx("float32");
    }

    @ParameterizedTest(name = "n={0} split={1} small path {3}")
    @CsvSource({"8, 0.25, 6, false", "8, 0.25, 6, true", "10, 0.3, 7, false", "10, 0.7, 3, true", "7, 0.1, 6, false",
            "9, 0.2, 7, true", "3, 0.5, 1, false"})
    void theLastRowsFromFloorOfNTimesOneMinusSplitAreHeldOut(int n, double split, int at, boolean small) {
        Cornu.setFloatx("float64");
        FastPaths.SMALL_MODEL.setEnabled(small);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, n, 2);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 1);
        for (int i = 0; i < n; i++) y.putScalar(i, 0, Math.pow(2, i));
        Sequential m = new Sequential(new Dense(1).kernelInitializer("zeros").inputShape(2));
        m.compile(new SGD(0.0), "mae");
        History h = m.fit(x, y, Fit.epochs(2).batchSize(64).verbose(0).validationSplit(split));
        double train = 0, val = 0;
        for (int i = 0; i < at; i++) train += Math.pow(2, i) / at;
        for (int i = at; i < n; i++) val += Math.pow(2, i) / (n - at);
        assertEquals(train, h.get("loss").get(1), 1e-9, "training rows 0.." + (at - 1));
        assertEquals(val, h.get("val_loss").get(1), 1e-9, "validation rows " + at + ".." + (n - 1));
    }

    /** 10 * (1 - 0.9) = 0.99999... and 1 * 0.5 floor to 0 training rows: refused, as Keras. */
    @ParameterizedTest(name = "n={0} split={1}")
    @CsvSource({"10, 0.9", "1, 0.5"})
    void aSplitThatLeavesNoTrainingRowsIsRefused(int n, double split) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, 2), y = Nd4j.zeros(DataType.FLOAT, n, 1);
        Sequential m = new Sequential(new Dense(1).inputShape(2));
        m.compile("sgd", "mae");
        assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, Fit.epochs(1).verbose(0).validationSplit(split)));
    }
}
