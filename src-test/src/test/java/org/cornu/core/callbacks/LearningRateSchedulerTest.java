package org.cornu.core.callbacks;

import static org.cornu.core.callbacks.CallbackTestSupport.captureLog;
import static org.cornu.core.callbacks.CallbackTestSupport.logs;
import static org.cornu.core.callbacks.CallbackTestSupport.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cornu.core.Fit;
import org.cornu.core.LearningRateSchedule;
import org.cornu.core.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LearningRateSchedulerTest {

    @Test
    void setsTheRateAtEachEpochBeginFromEpochAndCurrentRate() {
        Sequential m = model(0.1);
        List<Integer> seenEpochs = new ArrayList<>();
        List<Double> seenRates = new ArrayList<>();
        LearningRateScheduler cb = new LearningRateScheduler((epoch, lr) -> {
            seenEpochs.add(epoch);
            seenRates.add(lr);
            return epoch < 2 ? lr : lr * 0.5;
        });
        cb.setModel(m);
        cb.onTrainBegin(logs());
        List<Double> during = new ArrayList<>();
        List<Double> logged = new ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            cb.onEpochBegin(epoch, logs());
            during.add(m.optimizer().learningRate());
            Map<String, Double> l = logs("loss", 1.0);
            cb.onEpochEnd(epoch, l);
            logged.add(l.get("learning_rate"));
        }
        assertEquals(List.of(0, 1, 2, 3), seenEpochs);
        assertEquals(List.of(0.1, 0.1, 0.1, 0.05), seenRates);
        assertEquals(List.of(0.1, 0.1, 0.05, 0.025), during);
        assertEquals(during, logged);
    }

    @Test
    void fitTrainsWithTheScheduledRateAndRecordsIt() {
        // lr(epoch) = 0.1 / (epoch + 1); one batch per epoch, so each epoch's first batch sees that epoch's rate.
        Sequential m = model(0.5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1);
        List<Double> atBatch = new ArrayList<>();
        LambdaCallback probe = new LambdaCallback().onTrainBatchBegin((b, l) -> atBatch.add(m.optimizer().learningRate()));
        History h = m.fit(x, y, Fit.epochs(3).batchSize(4).verbose(0)
                .callbacks(new LearningRateScheduler((epoch, lr) -> 0.1 / (epoch + 1)), probe));
        assertEquals(List.of(0.1, 0.05, 0.1 / 3), atBatch);
        assertEquals(List.of(0.1, 0.05, 0.1 / 3), h.get("learning_rate"));
    }

    @Test
    void verboseLogsTheNewRate() {
        Sequential m = model(0.1);
        LearningRateScheduler cb = new LearningRateScheduler((epoch, lr) -> 1e-05).verbose(1);
        cb.setModel(m);
        String log = captureLog(() -> cb.onEpochBegin(2, logs()));
        assertTrue(log.contains("Epoch 3: LearningRateScheduler setting learning rate to 1e-05."), log);
    }

    @Test
    void anOptimizerWithAScheduleIsRefused() {
        Sequential m = model(0.1);
        m.optimizer().learningRate(new LearningRateSchedule() {
            @Override
            public double apply(long step) {
                return 0.01;
            }

            @Override
            public String name() {
                return "Constant";
            }

            @Override
            public Map<String, Object> getConfig() {
                return Map.of();
            }
        });
        LearningRateScheduler cb = new LearningRateScheduler((epoch, lr) -> lr);
        cb.setModel(m);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cb.onEpochBegin(0, logs()));
        assertTrue(e.getMessage().contains("not settable"), e.getMessage());
    }
}
