package org.cornu.core.callbacks;

import static org.cornu.core.callbacks.CallbackTestSupport.allWeightsEqual;
import static org.cornu.core.callbacks.CallbackTestSupport.captureLog;
import static org.cornu.core.callbacks.CallbackTestSupport.fillWeights;
import static org.cornu.core.callbacks.CallbackTestSupport.logs;
import static org.cornu.core.callbacks.CallbackTestSupport.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Sequential;
import org.junit.jupiter.api.Test;

/** EarlyStopping driven with scripted epoch logs; expected epochs traced by hand with Keras 3's rule. */
class EarlyStoppingTest {

    /**
     * Runs epochs 0.. with {@code key} taking {@code values} in turn, as fit would: each epoch
     * sets the weights to {@code epoch + 1} (so each epoch's weights are recognisable), ends the
     * epoch, and stops when the model was asked to. Returns the epochs that ran.
     */
    private static List<Integer> drive(EarlyStopping es, Sequential m, String key, double... values) {
        m.stopTraining(false);
        es.setModel(m);
        es.onTrainBegin(logs());
        List<Integer> ran = new ArrayList<>();
        for (int epoch = 0; epoch < values.length; epoch++) {
            fillWeights(m, epoch + 1);
            ran.add(epoch);
            es.onEpochEnd(epoch, logs("loss", 9.0, key, values[epoch]));
            if (m.stopTraining()) break;
        }
        es.onTrainEnd(logs());
        return ran;
    }

    @Test
    void patienceTwoStopsAtEpochThree() {
        // e0 best 1.0; e1 0.9 improves (wait 0); e2 0.95 wait 1; e3 0.92 wait 2 >= 2 -> stop at 3.
        EarlyStopping es = new EarlyStopping().patience(2);
        List<Integer> ran = drive(es, model(0.01), "val_loss", 1.0, 0.9, 0.95, 0.92, 0.91);
        assertEquals(List.of(0, 1, 2, 3), ran);
        assertEquals(3, es.stoppedEpoch());
        assertEquals(0.9, es.best());
        assertEquals(1, es.bestEpoch());
    }

    @Test
    void minDeltaMakesSmallDecreasesCountAsNoImprovement() {
        // min_delta 0.05: e0 best 1.0; e1 0.97+0.05 !< 1.0 (wait 1); e2 0.94+0.05 < 1.0 improves (wait 0);
        // e3 0.90+0.05 !< 0.94 (wait 1); e4 0.89+0.05 !< 0.94 (wait 2) -> stop at 4.
        EarlyStopping es = new EarlyStopping().patience(2).minDelta(-0.05);
        List<Integer> ran = drive(es, model(0.01), "val_loss", 1.0, 0.97, 0.94, 0.90, 0.89, 0.5);
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
        assertEquals(4, es.stoppedEpoch());
        assertEquals(0.94, es.best());
        assertEquals(2, es.bestEpoch());
        // Without min_delta the same strictly decreasing values never stop training.
        EarlyStopping plain = new EarlyStopping().patience(2);
        assertEquals(6, drive(plain, model(0.01), "val_loss", 1.0, 0.97, 0.94, 0.90, 0.89, 0.5).size());
        assertEquals(0, plain.stoppedEpoch());
    }

    @Test
    void patienceZeroStopsAtFirstEpochWithoutImprovement() {
        EarlyStopping es = new EarlyStopping();
        assertEquals(List.of(0, 1, 2), drive(es, model(0.01), "val_loss", 3.0, 2.0, 2.0, 1.0));
        assertEquals(2, es.stoppedEpoch());
    }

    @Test
    void restoreBestWeightsPutsBackTheBestEpochAtStop() {
        // e1 (weights 2.0) is best; e2, e3 do not improve -> stop at 3 with weights 4.0, restored to 2.0.
        Sequential m = model(0.01);
        EarlyStopping es = new EarlyStopping().patience(2).restoreBestWeights(true);
        assertEquals(List.of(0, 1, 2, 3), drive(es, m, "val_loss", 0.5, 0.3, 0.4, 0.6, 0.1));
        assertEquals(3, es.stoppedEpoch());
        assertEquals(1, es.bestEpoch());
        assertTrue(allWeightsEqual(m, 2.0), "weights of epoch 1 restored");
    }

    @Test
    void restoreBestWeightsAlsoAtTheEndOfTrainingWithoutAStop() {
        // Keras 3 restores in on_train_end whenever best weights were kept, stop or not.
        Sequential m = model(0.01);
        EarlyStopping es = new EarlyStopping().patience(5).restoreBestWeights(true);
        assertEquals(3, drive(es, m, "val_loss", 0.5, 0.3, 0.4).size());
        assertEquals(0, es.stoppedEpoch());
        assertTrue(allWeightsEqual(m, 2.0), "weights of epoch 1 restored");
    }

    @Test
    void withoutRestoreTheLastWeightsStay() {
        Sequential m = model(0.01);
        EarlyStopping es = new EarlyStopping().patience(2);
        drive(es, m, "val_loss", 0.5, 0.3, 0.4, 0.6, 0.1);
        assertTrue(allWeightsEqual(m, 4.0));
    }

    @Test
    void autoModeMaximizesAccuracy() {
        // max: e0 best 0.5; e1 0.6 improves; e2 0.55 wait 1 >= 1 -> stop at 2.
        // (min would have stopped at 1, since 0.6 is not below 0.5.)
        EarlyStopping es = new EarlyStopping().monitor("val_accuracy").patience(1);
        assertEquals(List.of(0, 1, 2), drive(es, model(0.01), "val_accuracy", 0.5, 0.6, 0.55, 0.7));
        assertEquals(0.6, es.best());
        EarlyStopping min = new EarlyStopping().monitor("val_accuracy").mode("min").patience(1);
        assertEquals(List.of(0, 1), drive(min, model(0.01), "val_accuracy", 0.5, 0.6, 0.55, 0.7));
    }

    @Test
    void autoModeReadsTheDirectionFromKerasMetricNames() {
        // acc, auc (behind an output prefix) go up; mae and per-output losses go down.
        assertEquals(List.of(0, 1, 2), drive(new EarlyStopping().monitor("acc"), model(0.01), "acc", 0.1, 0.2, 0.2));
        assertEquals(List.of(0, 1, 2), drive(new EarlyStopping().monitor("val_dense_1_auc"), model(0.01), "val_dense_1_auc", 0.1, 0.2, 0.2));
        assertEquals(List.of(0, 1, 2), drive(new EarlyStopping().monitor("val_mae"), model(0.01), "val_mae", 0.3, 0.2, 0.2));
        assertEquals(List.of(0, 1, 2), drive(new EarlyStopping().monitor("dense_1_loss"), model(0.01), "dense_1_loss", 0.3, 0.2, 0.2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> drive(new EarlyStopping().monitor("val_custom"), model(0.01), "val_custom", 1.0));
        assertTrue(e.getMessage().contains("monitor=val_custom"), e.getMessage());
        // An explicit mode needs no inference.
        assertEquals(List.of(0, 1), drive(new EarlyStopping().monitor("val_custom").mode("max"), model(0.01), "val_custom", 1.0, 0.5));
    }

    @Test
    void unknownModeWarnsAndFallsBackToAuto() {
        String log = captureLog(() -> {
            EarlyStopping es = new EarlyStopping().mode("maximum").patience(1);
            assertEquals(List.of(0, 1, 2), drive(es, model(0.01), "val_loss", 1.0, 0.5, 0.7));
        });
        assertTrue(log.contains("EarlyStopping mode 'maximum' is unknown, fallback to auto mode."), log);
    }

    @Test
    void baselineNotBeatenKeepsTheWaitCounterRunning() {
        // baseline 0.5: e0 0.8 becomes best but misses the baseline (wait stays 1); e1 0.9 wait 2 -> stop at 1.
        EarlyStopping es = new EarlyStopping().patience(2).baseline(0.5);
        assertEquals(List.of(0, 1), drive(es, model(0.01), "val_loss", 0.8, 0.9, 0.85, 0.7));
        assertEquals(1, es.stoppedEpoch());
        // The same values without a baseline: e1 wait 1, e2 wait 2 -> stop at 2.
        assertEquals(List.of(0, 1, 2), drive(new EarlyStopping().patience(2), model(0.01), "val_loss", 0.8, 0.9, 0.85, 0.7));
        // A beaten baseline behaves as no baseline: e0 0.4 < 0.5 resets; e1 wait 1; e2 wait 2 -> stop at 2.
        assertEquals(List.of(0, 1, 2), drive(new EarlyStopping().patience(2).baseline(0.5), model(0.01), "val_loss", 0.4, 0.45, 0.42, 0.3));
    }

    @Test
    void baselineWithRestoreRestoresTheBestEpochEvenBelowTheBaseline() {
        // Nothing beats baseline 0.1; best is e1 (0.6, weights 2.0); e2 0.7: wait 3 >= 2 -> stop, restore e1.
        Sequential m = model(0.01);
        EarlyStopping es = new EarlyStopping().patience(2).baseline(0.1).restoreBestWeights(true);
        assertEquals(List.of(0, 1, 2), drive(es, m, "val_loss", 0.8, 0.6, 0.7, 0.5));
        assertEquals(2, es.stoppedEpoch());
        assertTrue(allWeightsEqual(m, 2.0));
    }

    @Test
    void startFromEpochIgnoresTheWarmUp() {
        // epochs 0 and 1 are not monitored; e2 best 3.0; e3 4.0 wait 1 >= 0 -> stop at 3.
        EarlyStopping es = new EarlyStopping().startFromEpoch(2);
        assertEquals(List.of(0, 1, 2, 3), drive(es, model(0.01), "val_loss", 1.0, 2.0, 3.0, 4.0, 5.0));
        assertEquals(3, es.stoppedEpoch());
        assertEquals(List.of(0, 1), drive(new EarlyStopping(), model(0.01), "val_loss", 1.0, 2.0, 3.0, 4.0, 5.0));
    }

    @Test
    void missingMonitorWarnsWithTheAvailableKeysAndNeverStops() {
        EarlyStopping es = new EarlyStopping().patience(0);
        String log = captureLog(() -> assertEquals(3, drive(es, model(0.01), "loss", 1.0, 2.0, 3.0).size()));
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss"), log);
        assertEquals(0, es.stoppedEpoch());
    }

    @Test
    void verboseLogsTheStopAndTheRestore() {
        EarlyStopping es = new EarlyStopping().patience(1).restoreBestWeights(true).verbose(1);
        String log = captureLog(() -> drive(es, model(0.01), "val_loss", 0.5, 0.3, 0.4));
        assertTrue(log.contains("Epoch 3: early stopping"), log);
        assertTrue(log.contains("Restoring model weights from the end of the best epoch: 2."), log);
    }

    @Test
    void trainBeginResetsForReuse() {
        EarlyStopping es = new EarlyStopping().patience(1);
        Sequential m = model(0.01);
        assertEquals(List.of(0, 1), drive(es, m, "val_loss", 0.1, 0.2, 0.3));
        assertEquals(1, es.stoppedEpoch());
        // A second run starts from scratch: the old best 0.1 is forgotten.
        assertEquals(List.of(0, 1, 2), drive(es, m, "val_loss", 0.5, 0.4, 0.45));
        assertEquals(2, es.stoppedEpoch());
        assertEquals(0.4, es.best());
    }
}
