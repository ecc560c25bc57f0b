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
import org.cornu.core.Sequential;
import org.junit.jupiter.api.Test;

/** ReduceLROnPlateau driven with scripted epoch logs; expected rates traced by hand with Keras 3's rule. */
class ReduceLROnPlateauTest {
    /** The learning rate logged at each epoch end, and the rate after it. */
    private record Run(List<Double> logged, List<Double> after) {}

    private static Run drive(ReduceLROnPlateau cb, Sequential m, String key, double... values) {
        cb.setModel(m);
        cb.onTrainBegin(logs());
        List<Double> logged = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        for (int epoch = 0; epoch < values.length; epoch++) {
            Map<String, Double> l = logs("loss", 1.0, key, values[epoch]);
            cb.onEpochEnd(epoch, l);
            logged.add(l.get("learning_rate"));
            after.add(m.optimizer().learningRate());
        }
        cb.onTrainEnd(logs());
        return new Run(logged, after);
    }

    private static void assertRates(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), 1e-12, "epoch " + i + ": " + actual);
    }

    @Test
    void reducesByFactorAfterPatienceEpochsWithoutImprovement() {
        // e0 best 1.0; e1 wait 1; e2 wait 2 -> 0.1*0.5; e3 wait 1; e4 wait 2 -> 0.025; e5 wait 1.
        Sequential m = model(0.1);
        Run r = drive(new ReduceLROnPlateau().factor(0.5).patience(2), m, "val_loss", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
        assertRates(List.of(0.1, 0.1, 0.05, 0.05, 0.025, 0.025), r.after());
        // learning_rate is logged before the epoch's reduction, as Keras does.
        assertRates(List.of(0.1, 0.1, 0.1, 0.05, 0.05, 0.025), r.logged());
    }

    @Test
    void anImprovementBiggerThanMinDeltaResetsTheWait() {
        // e1 improves (0.9 < 1.0 - 1e-4), e2 wait 1, e3 improves (0.8), e4 wait 1, e5 wait 2 -> reduce.
        Sequential m = model(0.1);
        Run r = drive(new ReduceLROnPlateau().patience(2), m, "val_loss", 1.0, 0.9, 0.95, 0.8, 0.85, 0.8);
        assertRates(List.of(0.1, 0.1, 0.1, 0.1, 0.1, 0.01), r.after());
        // A decrease smaller than min_delta (1e-4) is no improvement: e1, e2 wait 1, 2 -> reduce at 2.
        Run small = drive(new ReduceLROnPlateau().patience(2), model(0.1), "val_loss", 1.0, 0.99995, 0.99993);
        assertRates(List.of(0.1, 0.1, 0.01), small.after());
    }

    @Test
    void cooldownPausesTheCounter() {
        // patience 1, cooldown 2: e1 reduce (cooldown 2); e2 cooldown 1; e3 cooldown 0 then wait 1 -> reduce;
        // e4 cooldown 1; e5 reduce; e6 cooldown 1.
        Sequential m = model(0.1);
        Run r = drive(new ReduceLROnPlateau().factor(0.5).patience(1).cooldown(2), m, "val_loss", 1, 1, 1, 1, 1, 1, 1);
        assertRates(List.of(0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125), r.after());
    }

    @Test
    void respectsMinLr() {
        // e1 0.1 -> 0.01; e2 max(0.001, 0.005) = 0.005; then 0.005 is not above min_lr: no more change.
        Sequential m = model(0.1);
        Run r = drive(new ReduceLROnPlateau().patience(1).minLr(0.005), m, "val_loss", 1, 1, 1, 1, 1);
        assertRates(List.of(0.1, 0.01, 0.005, 0.005, 0.005), r.after());
        assertEquals(0.005, m.optimizer().learningRate());
    }

    @Test
    void autoModeMaximizesAccuracy() {
        // Rising accuracy is an improvement: no reduction with patience 1.
        Run up = drive(new ReduceLROnPlateau().patience(1).monitor("val_accuracy"), model(0.1), "val_accuracy", 0.5, 0.6, 0.7);
        assertRates(List.of(0.1, 0.1, 0.1), up.after());
        Run down = drive(new ReduceLROnPlateau().patience(1).monitor("val_accuracy"), model(0.1), "val_accuracy", 0.7, 0.6, 0.5);
        assertRates(List.of(0.1, 0.01, 0.001), down.after());
    }

    @Test
    void missingMonitorWarnsAndStillLogsTheRate() {
        ReduceLROnPlateau cb = new ReduceLROnPlateau().patience(0);
        Sequential m = model(0.1);
        String log = captureLog(() -> {
            Run r = drive(cb, m, "loss", 1, 1, 1);
            assertRates(List.of(0.1, 0.1, 0.1), r.after());
            assertRates(List.of(0.1, 0.1, 0.1), r.logged());
        });
        assertTrue(log.contains("Learning rate reduction is conditioned on metric `val_loss` which is not available."
                + " Available metrics are: loss,learning_rate."), log);
    }

    @Test
    void factorOfOneOrMoreIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1.0));
        assertTrue(e.getMessage().contains("factor=1.0"), e.getMessage());
    }

    @Test
    void verboseLogsEachReduction() {
        String log = captureLog(() -> drive(new ReduceLROnPlateau().patience(1).factor(0.5).verbose(1), model(0.1), "val_loss", 1, 1));
        assertTrue(log.contains("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05."), log);
    }
}
