package org.cornu.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Loss;
import org.cornu.core.ops.Ops;
import org.cornu.core.Sequential;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.callbacks.History;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every optimizer trains a linear regression through {@code Model.fit}. */
class OptimizerTrainingTest {
    /** Mean squared error over the last axis (the losses module is separate). */
    static final class Mse extends Loss {
        Mse() {
            super("mean_squared_error");
        }

        @Override
        public Tensor call(INDArray yTrue, Tensor yPred) {
            Tensor d = Ops.sub(yPred, Tensor.constant(yTrue));
            return Ops.mean(Ops.square(d), -1, false);
        }
    }

    @Test
    void everyOptimizerReducesTheLoss() {
        Cornu.setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, 2).subi(0.5).muli(4);
        INDArray y = x.getColumn(0).mul(2).sub(x.getColumn(1).mul(3)).add(1).reshape(128, 1);
        // 20 steps: rates well above Keras's defaults, which would barely move the weights
        List<Object> optimizers = List.of(new SGD(0.05), new RMSprop(0.2), new Adam(0.3), new AdamW(0.3),
                new Adagrad(1.0), new Adadelta(1.0).epsilon(0.01), new Adamax(0.3), new Nadam(0.3),
                new SGD(0.02).momentum(0.9).nesterov(true));
        for (Object opt : optimizers) {
            Cornu.setSeed(7);
            Sequential model = new Sequential(new Dense(1).inputShape(2));
            model.compile(opt, new Mse());
            History h = model.fit(x, y, Fit.epochs(5).batchSize(32).verbose(0));
            List<Double> loss = h.get("loss");
            double first = loss.get(0), last = loss.get(loss.size() - 1);
            assertTrue(Double.isFinite(last) && last < 0.5 * first,
                    opt + ": loss should fall, from " + first + " to " + last);
            assertEquals(5 * 4, model.optimizer().iterations(), opt + ": one step per batch");
        }
    }
}
