package org.cornu.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Optimizer;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Losses and metrics found by name through compile, on a small softmax model. */
class LossInModelTest {
    /** Plain gradient descent, so that the test needs no optimizer module. */
    static final class Descent extends Optimizer {
        Descent(double lr) {
            super("descent", lr);
        }

        @Override
        protected void update(Weight w, INDArray grad, INDArray var, double lr) {
            var.subi(grad.mul(lr));
        }
    }

    @Test
    void sparseCrossentropyByNameTrainsAndMatchesTheLossOfThePredictions() {
        Cornu.setSeed(3);
        Sequential model = new Sequential(new Dense(3, "softmax").inputShape(4));
        model.compile(new Descent(0.5), "sparse_categorical_crossentropy",
                "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy", "acc");
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4).subi(0.5);
        INDArray y = Nd4j.createFromArray(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0);
        double[] before = model.evaluate(x, y);
        double direct = new SparseCategoricalCrossentropy().value(y, model.predict(x));
        assertEquals(direct, before[0], 1e-5);
        assertEquals(direct, before[1], 1e-5); // the metric of the same name
        assertEquals(1.0, before[2], 0.0); // 3 classes are always in the top 5
        assertEquals(List.of("loss", "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy", "acc"),
                model.metricsNames());
        assertEquals("sparse_categorical_crossentropy", model.losses().get(0).name());
        for (int i = 0; i < 20; i++) model.trainOnBatch(x, y);
        double after = model.evaluate(x, y)[0];
        assertTrue(after < before[0], "loss did not decrease: " + before[0] + " -> " + after);
    }

    @Test
    void aliasNamedLossKeepsItsKerasName() {
        Sequential model = new Sequential(new Dense(1).inputShape(2));
        model.compile(new Descent(0.1), "mse", "mae", "rmse");
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        INDArray y = Nd4j.createFromArray(1f, 2f, 3f); // shape (3,) against outputs (3, 1)
        double[] ev = model.evaluate(x, y);
        INDArray p = model.predict(x);
        double mse = new MeanSquaredError().value(y.reshape(3, 1), p);
        assertEquals("mean_squared_error", model.losses().get(0).name());
        assertEquals(mse, ev[0], 1e-4 * Math.max(1, mse));
        assertEquals(Math.sqrt(mse), ev[2], 1e-4 * Math.max(1, mse));
        assertEquals(List.of("loss", "mae", "rmse"), model.metricsNames());
    }
}
