package org.cornu.core.callbacks;

import static org.cornu.core.callbacks.CallbackTestSupport.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.Sequential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callbacks' {@code verbose} messages, on standard output in Keras's words and number format
 * (Keras's {@code io_utils.print_msg} with {@code f"{value:.5f}"}; {@code inf} before the first
 * value, as Keras 3 printed it with {@code best = np.inf}).
 */
class CallbackConsoleTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        CallbackUtils.console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @AfterEach
    void release() {
        CallbackUtils.console = null;
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Double> logs(String key, double v) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", 1.0);
        m.put(key, v);
        return m;
    }

    @Test
    void modelCheckpointSaysImprovedFromInfThenDidNotImprove() {
        Sequential m = model(0.01);
        String path = dir.resolve("model.keras").toString();
        ModelCheckpoint cp = new ModelCheckpoint(path).saveBestOnly(true).verbose(1);
        cp.setModel(m);
        cp.onTrainBegin(Map.of());
        cp.onEpochEnd(0, logs("val_loss", 0.412314));
        cp.onEpochEnd(1, logs("val_loss", 0.5));
        cp.onEpochEnd(2, logs("val_loss", 0.381074)); // five decimals: 0.38107
        assertEquals("\nEpoch 1: val_loss improved from inf to 0.41231, saving model to " + path + "\n"
                + "\nEpoch 2: val_loss did not improve from 0.41231\n"
                + "\nEpoch 3: val_loss improved from 0.41231 to 0.38107, saving model to " + path + "\n", printed());
    }

    @Test
    void modelCheckpointMaximizingStartsFromMinusInfAndPlainSavesSayTheFile() {
        Sequential m = model(0.01);
        String best = dir.resolve("best.keras").toString();
        ModelCheckpoint cp = new ModelCheckpoint(best).saveBestOnly(true).monitor("val_accuracy").verbose(1);
        cp.setModel(m);
        cp.onTrainBegin(Map.of());
        cp.onEpochEnd(0, logs("val_accuracy", 0.8125));
        String every = dir.resolve("m{epoch:02d}.keras").toString();
        ModelCheckpoint all = new ModelCheckpoint(every).verbose(1);
        all.setModel(m);
        all.onTrainBegin(Map.of());
        all.onEpochEnd(4, logs("val_loss", 0.1));
        assertEquals("\nEpoch 1: val_accuracy improved from -inf to 0.81250, saving model to " + best + "\n"
                + "\nEpoch 5: saving model to " + dir.resolve("m05.keras") + "\n", printed());
    }

    @Test
    void earlyStoppingSaysWhenItStoppedAndWhichEpochItRestored() {
        Sequential m = model(0.01);
        EarlyStopping es = new EarlyStopping().monitor("val_loss").patience(2).restoreBestWeights(true).verbose(1);
        es.setModel(m);
        es.onTrainBegin(Map.of());
        double[] val = {0.5, 0.3, 0.4, 0.45, 0.6}; // best at epoch index 1; two epochs without improvement stop at index 3
        for (int e = 0; e < val.length && !m.stopTraining(); e++) es.onEpochEnd(e, logs("val_loss", val[e]));
        es.onTrainEnd(Map.of());
        assertEquals("Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 2.\n", printed());
    }

    @Test
    void reduceLrOnPlateauSaysTheNewRateAsPythonWritesAFloat() {
        Sequential m = model(0.002);
        ReduceLROnPlateau r = new ReduceLROnPlateau().monitor("val_loss").factor(0.5).patience(1).verbose(1);
        r.setModel(m);
        r.onTrainBegin(Map.of());
        r.onEpochEnd(0, logs("val_loss", 0.5));
        r.onEpochEnd(1, logs("val_loss", 0.5)); // no improvement, patience 1: 0.002 * 0.5 = 0.001 exactly
        assertEquals("\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.001.\n", printed());
    }

    @Test
    void verboseZeroPrintsNothing() {
        Sequential m = model(0.002);
        ModelCheckpoint cp = new ModelCheckpoint(dir.resolve("q.keras").toString()).saveBestOnly(true);
        EarlyStopping es = new EarlyStopping().monitor("val_loss").patience(0);
        ReduceLROnPlateau r = new ReduceLROnPlateau().monitor("val_loss").patience(0);
        for (Callback c : new Callback[] {cp, es, r}) {
            c.setModel(m);
            c.onTrainBegin(Map.of());
            c.onEpochEnd(0, logs("val_loss", 0.5));
            c.onEpochEnd(1, logs("val_loss", 0.7));
            c.onTrainEnd(Map.of());
        }
        assertEquals("", printed());
    }

    @Test
    void fiveDecimalsAsPythonFormatsThem() {
        assertEquals("inf", CallbackUtils.f5(Double.POSITIVE_INFINITY));
        assertEquals("-inf", CallbackUtils.f5(Double.NEGATIVE_INFINITY));
        assertEquals("nan", CallbackUtils.f5(Double.NaN));
        assertEquals("0.38107", CallbackUtils.f5(0.381074));
        assertEquals("12.00000", CallbackUtils.f5(12));
        assertEquals("-0.00001", CallbackUtils.f5(-0.0000123));
    }
}
