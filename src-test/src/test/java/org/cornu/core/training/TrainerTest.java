package org.cornu.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.FastPaths;
import org.cornu.core.Fit;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Metric;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.callbacks.History;
import org.cornu.core.callbacks.LambdaCallback;
import org.cornu.core.metrics.Mean;
import org.cornu.core.metrics.MeanAbsoluteError;
import org.cornu.layers.Dense;
import org.cornu.losses.MeanSquaredError;
import org.cornu.testing.GradCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The trainer seam: overriding {@code trainStep}, compile before build, empty data, sparse labels. */
class TrainerTest {
    @AfterEach
    void paths() {
        FastPaths.SMALL_MODEL.setEnabled(true);
    }

    /** Keras's guide "Customizing what happens in fit()": its own loss, trackers listed as metrics. */
    static final class CustomModel extends Model {
        final Mean lossTracker = new Mean("loss");
        final MeanAbsoluteError mae = new MeanAbsoluteError("mae");
        final MeanSquaredError mse = new MeanSquaredError();
        /** Every batch's loss and size as the step computed them, to check the epoch means independently. */
        final List<double[]> batches = new ArrayList<>();

        CustomModel(KerasTensor in, KerasTensor out) {
            super(in, out);
        }

        @Override
        public Map<String, Double> trainStep(StepData data) {
            Tensor yPred;
            Tensor loss;
            List<INDArray> grads;
            try (GradientTape tape = new GradientTape()) {
                yPred = call(data.x(), true);
                loss = mse.compute(data.y(), yPred, null);
                grads = tape.gradient(loss, trainableWeights());
            }
            optimizer().apply(grads, trainableWeights());
            batches.add(new double[] {loss.value().getDouble(0), data.size()});
            lossTracker.updateState(loss.value().getDouble(0));
            mae.updateState(data.y(), yPred.value(), null);
            return Map.of("mae", mae.result(), "loss", lossTracker.result());
        }

        @Override
        public List<Metric> metrics() {
            return List.of(lossTracker, mae);
        }
    }

    @Test
    void overriddenTrainStepDrivesFitWithCallbacksAndHistory() {
        Cornu.setSeed(3);
        KerasTensor in = Input.of(8);
        CustomModel m = new CustomModel(in, new Dense(1).apply(in));
        m.compile("adam");
        INDArray x = GradCheck.rand(11, 0, 1, 100, 8).castTo(DataType.FLOAT);
        INDArray y = x.sum(true, 1).muli(0.5).reshape(100, 1);
        List<Map<String, Double>> batchLogs = new ArrayList<>();
        List<Integer> epochsBegun = new ArrayList<>();
        LambdaCallback cb = new LambdaCallback()
                .onEpochBegin((e, l) -> epochsBegun.add(e))
                .onTrainBatchEnd((b, l) -> batchLogs.add(Map.copyOf(l)));
        History h = m.fit(x, y, Fit.epochs(3).batchSize(32).verbose(0).callbacks(cb));

        // the step's keys, in the order of metrics(), not of the Map.of it returned
        assertEquals(List.of("loss", "mae"), new ArrayList<>(h.history().keySet()));
        assertEquals(List.of(0, 1, 2), epochsBegun);
        assertEquals(3 * 4, batchLogs.size(), "4 batches (32, 32, 32, 4) per epoch");
        assertEquals(12, m.batches.size(), "fit ran the overridden step for every batch");
        // the trackers are reset each epoch: the epoch's loss is the plain mean of its 4 batch losses
        for (int e = 0; e < 3; e++) {
            double sum = 0;
            for (int b = 0; b < 4; b++) sum += m.batches.get(e * 4 + b)[0];
            assertEquals(sum / 4, h.get("loss").get(e), 1e-7, "epoch " + e);
            assertEquals(h.get("loss").get(e), batchLogs.get(e * 4 + 3).get("loss"), 0.0, "epoch logs are the last batch's");
        }
        assertTrue(h.get("loss").get(2) < h.get("loss").get(0), "the custom step trains: " + h.get("loss"));
        assertEquals(List.of("loss", "mae"), m.metricsNames());
        // compiled without a loss: the default test step says what is missing
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.evaluate(x, y));
        assertTrue(e.getMessage().contains("without a loss") && e.getMessage().contains("testStep"), e.getMessage());
    }

    /** Keras 3 compiles a Sequential without an input shape; fit builds it. Same draws, same result as building first. */
    @Test
    void compileBeforeBuildTrainsAsBuildingFirst() {
        INDArray x = GradCheck.rand(12, -1, 1, 40, 5).castTo(DataType.FLOAT);
        INDArray y = GradCheck.rand(13, -1, 1, 40, 2).castTo(DataType.FLOAT);

        Cornu.setSeed(9);
        Sequential late = new Sequential(new Dense(4, "relu"), new Dense(2));
        late.compile("rmsprop", "mse", "mae");
        assertTrue(late.isCompiled());
        History hl = late.fit(x, y, Fit.epochs(2).batchSize(8).verbose(0));

        Cornu.setSeed(9);
        Sequential early = new Sequential(new Dense(4, "relu").inputShape(5), new Dense(2));
        early.compile("rmsprop", "mse", "mae");
        History he = early.fit(x, y, Fit.epochs(2).batchSize(8).verbose(0));

        assertEquals(List.of("loss", "mae"), new ArrayList<>(hl.history().keySet()));
        // every entry point builds an unbuilt compiled model from its data, as fit does
        for (java.util.function.Consumer<Sequential> first : List.<java.util.function.Consumer<Sequential>>of(
                m -> m.evaluate(x, y), m -> m.trainOnBatch(x, y), m -> m.testOnBatch(x, y),
                m -> m.fit(List.<INDArray[]>of(new INDArray[] {x, y}).iterator(), Fit.epochs(1).stepsPerEpoch(1).verbose(0)))) {
            Sequential fresh = new Sequential(new Dense(4, "relu"), new Dense(2));
            fresh.compile("rmsprop", "mse", "mae");
            first.accept(fresh);
            assertEquals(List.of("loss", "mae"), fresh.metricsNames());
        }
        assertEquals(he.get("loss"), hl.get("loss"));
        List<Weight> a = late.weights(), b = early.weights();
        for (int i = 0; i < a.size(); i++) assertEquals(b.get(i).value(), a.get(i).value(), b.get(i).path());
    }

    @Test
    void emptyDataIsRefusedByName() {
        Sequential m = new Sequential(new Dense(2).inputShape(3));
        m.compile("sgd", "mse");
        INDArray x = Nd4j.create(DataType.FLOAT, 0, 3);
        INDArray y = Nd4j.create(DataType.FLOAT, 0, 2);
        for (Runnable r : new Runnable[] {
            () -> m.fit(x, y, Fit.epochs(1).verbose(0)),
            () -> m.evaluate(x, y),
            () -> m.predict(x),
            () -> m.trainOnBatch(x, y),
            () -> m.testOnBatch(x, y)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
            assertTrue(e.getMessage().contains("non-empty") && e.getMessage().contains("(0, 3)"), e.getMessage());
        }
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> m.fit(Nd4j.ones(DataType.FLOAT, 4, 3), Nd4j.ones(DataType.FLOAT, 4, 2),
                        Fit.epochs(1).verbose(0).validationData(x, y)));
        assertTrue(v.getMessage().contains("validation_data") && v.getMessage().contains("non-empty"), v.getMessage());
    }

    /** A label of 1.5 is not a class index: every path says so rather than "outside the valid range". */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fractionalSparseLabelIsNamedAsSuch(boolean smallPath) {
        FastPaths.SMALL_MODEL.setEnabled(smallPath);
        Sequential m = new Sequential(new Dense(3, "softmax").inputShape(2));
        m.compile("sgd", "sparse_categorical_crossentropy", "accuracy");
        INDArray x = Nd4j.ones(DataType.FLOAT, 2, 2);
        INDArray y = Nd4j.createFromArray(0.0f, 1.5f);
        long runs = FastPaths.SMALL_MODEL.runs();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, Fit.epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("integer class indices"), e.getMessage());
        assertEquals(smallPath ? runs + 1 : runs, FastPaths.SMALL_MODEL.runs(), "the path under test raised it");
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(x, Nd4j.createFromArray(0.0f, 3.0f)));
        assertTrue(range.getMessage().contains("label value of 3 ") && range.getMessage().contains("[0, 3)"), range.getMessage());
    }
}
