package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Cornu;
import org.cornu.core.Fit;
import org.cornu.core.Model;
import org.cornu.core.Sequential;
import org.cornu.core.callbacks.BackupAndRestore;
import org.cornu.core.callbacks.Callback;
import org.cornu.core.callbacks.History;
import org.cornu.core.callbacks.ModelCheckpoint;
import org.cornu.layers.Dense;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ModelCheckpoint file names and best-only saving; BackupAndRestore resuming an interrupted fit. */
class CheckpointTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Cornu.clearSession();
        Cornu.setFloatx("float32");
        Cornu.setSeed(21);
    }

    @Test
    void filepathFormattedAsPython() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 0.123456);
        logs.put("val_loss", 0.0456);
        logs.put("acc", 0.5);
        // expected strings are what Python's str.format prints for the same values
        assertEquals("m-03-0.05.keras", ModelCheckpoint.format("m-{epoch:02d}-{val_loss:.2f}.keras", 3, logs));
        assertEquals("e12_0.1235_0.5.keras", ModelCheckpoint.format("e{epoch}_{loss:.4f}_{acc}.keras", 12, logs));
        assertEquals("4.56e-02", ModelCheckpoint.format("{val_loss:.2e}", 1, logs));
        assertEquals("0.123456", ModelCheckpoint.format("{loss}", 1, logs));
        assertEquals("0.0456", ModelCheckpoint.format("{val_loss:g}", 1, logs));
        assertEquals("  7", ModelCheckpoint.format("{epoch:3d}", 7, logs));
        assertEquals("50.0%", ModelCheckpoint.format("{acc:.1%}", 7, logs));
        logs.put("tiny", 1e-5);
        assertEquals("1e-05", ModelCheckpoint.format("{tiny}", 1, logs));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCheckpoint.format("{val_acc:.2f}.keras", 1, logs));
        assertTrue(e.getMessage().contains("val_acc"), e.getMessage());
    }

    /** Feeds chosen val_loss values to the checkpoint, as fit would. */
    @Test
    void saveBestOnlyWritesOnlyOnImprovement() throws Exception {
        Sequential m = new Sequential(new Dense(2).inputShape(3));
        m.compile("sgd", "mse");
        ModelCheckpoint cp = new ModelCheckpoint(dir.resolve("best-{epoch:02d}-{val_loss:.2f}.keras").toString())
                .monitor("val_loss").saveBestOnly(true);
        cp.setModel(m);
        cp.setParams(Map.of("epochs", 4));
        cp.onTrainBegin(Map.of());
        double[] vals = {0.5, 0.7, 0.25, 0.25};
        for (int i = 0; i < vals.length; i++) cp.onEpochEnd(i, Map.of("loss", 1.0, "val_loss", vals[i]));
        List<String> names = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        assertEquals(List.of("best-01-0.50.keras", "best-03-0.25.keras"), names);
        assertEquals(0.25, cp.best(), 0.0);
        // mode max keeps the largest
        ModelCheckpoint mx = new ModelCheckpoint(dir.resolve("acc.weights.h5").toString()).monitor("val_acc")
                .saveBestOnly(true).saveWeightsOnly(true);
        mx.setModel(m);
        mx.onTrainBegin(Map.of());
        mx.onEpochEnd(0, Map.of("val_acc", 0.6));
        mx.onEpochEnd(1, Map.of("val_acc", 0.4));
        assertEquals(0.6, mx.best(), 0.0);
        assertTrue(Files.exists(dir.resolve("acc.weights.h5")));
        // extension checked as Keras does
        ModelCheckpoint bad = new ModelCheckpoint(dir.resolve("x.h5").toString());
        bad.setModel(m);
        assertThrows(IllegalArgumentException.class, () -> bad.onTrainBegin(Map.of()));
    }

    @Test
    void checkpointsDuringFitLoadAsTheModelAtThatEpoch() {
        Sequential m = new Sequential(new Dense(3, "relu").inputShape(4), new Dense(1));
        m.compile("adam", "mse");
        INDArray x = data(1, 20, 4);
        INDArray y = data(2, 20, 1);
        m.fit(x, y, Fit.epochs(2).batchSize(5).verbose(0).callbacks(
                new ModelCheckpoint(dir.resolve("ep{epoch}.keras").toString())));
        Model last = Models.loadModel(dir.resolve("ep2.keras"));
        assertSameWeights(m, last);
        assertEquals(8, last.optimizer().iterations());
        assertTrue(Files.exists(dir.resolve("ep1.keras")));
    }

    /** Stops fit after epoch {@code at} (0-based), as an interruption would. */
    private static final class StopAfter extends Callback {
        private final int at;

        StopAfter(int at) {
            this.at = at;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            if (epoch == at) throw new IllegalStateException("interrupted");
        }
    }

    @Test
    void backupAndRestoreResumesWhereTheRunStopped() {
        INDArray x = data(3, 16, 4);
        INDArray y = data(4, 16, 2);
        Path backup = dir.resolve("backup");

        // an uninterrupted reference run of 4 epochs, without shuffling
        Cornu.setSeed(5);
        Sequential ref = new Sequential(new Dense(5, "tanh").inputShape(4), new Dense(2));
        ref.compile("rmsprop", "mse");
        ref.fit(x, y, Fit.epochs(4).batchSize(4).shuffle(false).verbose(0));

        // the same run, interrupted after epoch index 1 (its backup callback runs first)
        Cornu.setSeed(5);
        Sequential a = new Sequential(new Dense(5, "tanh").inputShape(4), new Dense(2));
        a.compile("rmsprop", "mse");
        assertThrows(IllegalStateException.class, () -> a.fit(x, y, Fit.epochs(4).batchSize(4).shuffle(false).verbose(0)
                .callbacks(new BackupAndRestore(backup), new StopAfter(1))));
        assertTrue(Files.exists(backup.resolve("latest.weights.h5")));

        // a new process: a fresh model, the same fit call; it restores epoch 2's state and runs epochs 3 and 4
        Cornu.setSeed(77);
        Sequential b = new Sequential(new Dense(5, "tanh").inputShape(4), new Dense(2));
        b.compile("rmsprop", "mse");
        List<Integer> epochs = new ArrayList<>();
        Callback seen = new Callback() {
            @Override
            public void onEpochBegin(int epoch, Map<String, Double> logs) {
                epochs.add(epoch);
            }
        };
        History h = b.fit(x, y, Fit.epochs(4).batchSize(4).shuffle(false).verbose(0)
                .callbacks(new BackupAndRestore(backup), seen));
        assertEquals(List.of(2, 3), epochs);
        assertEquals(2, h.history().get("loss").size());
        assertEquals(ref.optimizer().iterations(), b.optimizer().iterations());
        assertSameWeights(ref, b);
        assertFalse(Files.exists(backup), "a completed run deletes its backup");
    }
}
