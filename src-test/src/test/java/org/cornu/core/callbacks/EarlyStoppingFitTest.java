package org.cornu.core.callbacks;

import static org.cornu.core.callbacks.CallbackTestSupport.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The callbacks inside a real {@code model.fit}. */
class EarlyStoppingFitTest {
    @TempDir
    Path dir;

    @Test
    void earlyStoppingEndsFitWhenValidationCannotImprove() throws IOException {
        // Learning rate 0: the weights never move, so val_loss is the same every epoch.
        // e0 sets the best; e1 and e2 do not improve; with patience 2 training stops after epoch 2 of 20.
        Sequential m = model(0.0);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 16, 1);
        INDArray vx = Nd4j.rand(DataType.FLOAT, 8, 3);
        INDArray vy = Nd4j.rand(DataType.FLOAT, 8, 1);
        EarlyStopping es = new EarlyStopping().monitor("val_loss").patience(2).restoreBestWeights(true);
        Path csv = dir.resolve("fit.csv");
        History h = m.fit(x, y, Fit.epochs(20).batchSize(4).verbose(0).validationData(vx, vy)
                .callbacks(es, new CSVLogger(csv.toString())));
        assertEquals(List.of(0, 1, 2), h.epoch());
        assertEquals(2, es.stoppedEpoch());
        assertEquals(0, es.bestEpoch());
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("epoch,loss,val_loss", lines.get(0));
        assertTrue(lines.get(3).startsWith("2,"), lines.get(3));
    }

    @Test
    void earlyStoppingOnTrainingLossWhileTheModelLearns() {
        // A real descent on y = x . w: the loss falls every epoch, but never by min_delta 1e9,
        // so only epoch 0 counts as an improvement and patience 1 stops at epoch 1.
        Sequential m = model(0.1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 3);
        INDArray y = x.mmul(Nd4j.create(new float[] {1f, -2f, 0.5f}, new long[] {3, 1}));
        EarlyStopping es = new EarlyStopping().monitor("loss").patience(1).minDelta(1e9);
        History h = m.fit(x, y, Fit.epochs(10).batchSize(8).verbose(0).callbacks(es));
        assertEquals(List.of(0, 1), h.epoch());
        assertTrue(h.get("loss").get(1) < h.get("loss").get(0), h.toString());
    }

    @Test
    void reduceLrOnPlateauLowersTheRateDuringFitAndLogsIt() {
        // min_delta 1e9: only epoch 0 improves (on +inf). Patience 1: e1 halves 0.2 to 0.1, e2 to 0.05.
        // learning_rate is logged before each epoch's reduction: 0.2, 0.2, 0.1.
        Sequential m = model(0.2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 8, 1);
        History h = m.fit(x, y, Fit.epochs(3).batchSize(8).verbose(0)
                .callbacks(new ReduceLROnPlateau().monitor("loss").factor(0.5).patience(1).minDelta(1e9)));
        assertEquals(List.of(0.2, 0.2, 0.1), h.get("learning_rate"));
        assertEquals(0.05, m.optimizer().learningRate());
    }
}
