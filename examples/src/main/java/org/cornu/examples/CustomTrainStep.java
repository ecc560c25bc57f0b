package org.cornu.examples;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.callbacks.History;
import org.cornu.core.metrics.Mean;
import org.cornu.core.metrics.MeanAbsoluteError;
import org.cornu.core.training.StepData;
import org.cornu.layers.Dense;
import org.cornu.losses.MeanSquaredError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's guide "Customizing what happens in fit()": a {@code Model} subclass whose
 * {@code trainStep} computes its own loss (mean squared error) under a {@link GradientTape},
 * applies the optimizer and updates two trackers, {@code Mean("loss")} and
 * {@code MeanAbsoluteError("mae")}, which it lists as its {@code metrics} so that {@code fit}
 * resets them each epoch. {@code compile("adam")} takes no loss; {@code fit} keeps the epochs,
 * progress bar, callbacks and History. Data: 1000 random samples of 32 features and a random
 * target, as in the guide, so the best possible MAE is that of predicting 0.5: 0.25.
 */
final class CustomTrainStep {
    private CustomTrainStep() {}

    /** The guide's {@code CustomModel}. */
    static final class CustomModel extends Model {
        private final Mean lossTracker = new Mean("loss");
        private final MeanAbsoluteError maeMetric = new MeanAbsoluteError("mae");
        private final MeanSquaredError mse = new MeanSquaredError();

        CustomModel(KerasTensor inputs, KerasTensor outputs) {
            super(inputs, outputs);
        }

        @Override
        public Map<String, Double> trainStep(StepData data) {
            INDArray x = data.x(), y = data.y();
            Tensor yPred;
            Tensor loss;
            List<INDArray> gradients;
            try (GradientTape tape = new GradientTape()) {
                yPred = call(x, true);                       // forward pass
                loss = mse.compute(y, yPred, null);          // the loss of this batch
                gradients = tape.gradient(loss, trainableWeights());
            }
            optimizer().apply(gradients, trainableWeights());
            lossTracker.updateState(loss.value().getDouble(0));
            maeMetric.updateState(y, yPred.value(), null);
            return Map.of("loss", lossTracker.result(), "mae", maeMetric.result());
        }

        @Override
        public List<Metric> metrics() {
            // listed here so that fit() resets them at the start of each epoch
            return List.of(lossTracker, maeMetric);
        }
    }

    static void run(Args args) {
        int epochs = args.getInt("epochs");
        int batchSize = args.getInt("batch-size");
        int verbose = args.getInt("verbose");
        long seed = args.getInt("seed");
        Cornu.setSeed(seed);

        KerasTensor inputs = Input.of(32);
        KerasTensor outputs = new Dense(1).apply(inputs);
        CustomModel model = new CustomModel(inputs, outputs);
        model.compile("adam");

        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1000, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 1000, 1);
        History h = model.fit(x, y, Fit.epochs(epochs).batchSize(batchSize).verbose(verbose));

        System.out.println("History keys: " + h.history().keySet());
        System.out.printf(Locale.ROOT, "loss: %.4f%n", h.last("loss"));
        System.out.printf(Locale.ROOT, "mae: %.4f%n", h.last("mae"));
    }
}
