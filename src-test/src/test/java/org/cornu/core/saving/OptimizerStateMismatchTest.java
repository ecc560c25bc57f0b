package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.cornu.core.Cornu;
import org.cornu.core.InputLayer;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.layers.Dense;
import org.cornu.optimizers.Adam;
import org.cornu.optimizers.RMSprop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saved optimizer state that does not fit never costs the model (Keras's
 * {@code load_own_variables}: a warning, and the optimizer starts fresh): the weights load,
 * predictions are the saved model's, and training goes on from a fresh optimizer.
 */
class OptimizerStateMismatchTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
    }

    private static Sequential model() {
        return new Sequential(new InputLayer(4), new Dense(5, "relu"), new Dense(2));
    }

    @Test
    void anotherOptimizersStateLoadsTheWeightsAndStartsFresh() {
        INDArray x = data(1, 8, 4);
        INDArray y = data(2, 8, 2);
        Sequential saved = model();
        saved.compile(new Adam(0.01), "mse");
        for (int i = 0; i < 3; i++) saved.trainOnBatch(x, y);
        Path p = dir.resolve("adam.weights.h5");
        Models.saveWeights(saved, p);

        Cornu.clearSession();
        Sequential other = model();
        other.compile(new RMSprop(0.01).momentum(0.5), "mse"); // 2 + 4 + 4 variables; the file has 2 + 8
        Models.loadWeights(other, p);
        assertArrayEquals(saved.predict(x).dup().data().asFloat(), other.predict(x).dup().data().asFloat(), 0f);
        assertEquals(0, other.optimizer().iterations(), "the optimizer starts fresh");
        double before = other.evaluate(x, y)[0];
        for (int i = 0; i < 5; i++) other.trainOnBatch(x, y);
        assertTrue(other.evaluate(x, y)[0] < before, "and trains");
    }

    @Test
    void stateOfAnotherModelOfTheSameOptimizerStartsFresh() {
        INDArray x = data(1, 8, 4);
        Sequential saved = model();
        saved.compile(new Adam(0.01), "mse");
        saved.trainOnBatch(x, data(2, 8, 2));
        Path p = dir.resolve("m.keras");
        saved.save(p);
        KerasFileCheck.check(p);

        // the same file loaded into a model whose first layer has no bias: Adam's slots do not fit
        Cornu.clearSession();
        Sequential narrower = new Sequential(new InputLayer(4), new Dense(5, "relu").useBias(false), new Dense(2));
        narrower.compile(new Adam(0.01), "mse");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Models.loadWeights(narrower, p));
        // a layer's own variables must fit (Keras raises too); the message names the layer
        assertTrue(e.getMessage().contains("dense"), e.getMessage());
        Model back = Models.loadModel(p);
        assertEquals(1, back.optimizer().iterations(), "its own file restores the state");
    }
}
