package org.cornu.core.callbacks;

import static org.cornu.core.callbacks.CallbackTestSupport.captureLog;
import static org.cornu.core.callbacks.CallbackTestSupport.logs;
import static org.cornu.core.callbacks.CallbackTestSupport.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TerminateOnNaNTest {

    /** Runs batches of epoch {@code epoch} with the given losses until the model is asked to stop; returns the batches run. */
    private static List<Integer> drive(TerminateOnNaN cb, Sequential m, int epoch, double... losses) {
        m.stopTraining(false);
        cb.setModel(m);
        cb.onTrainBegin(logs());
        cb.onEpochBegin(epoch, logs());
        List<Integer> ran = new ArrayList<>();
        for (int b = 0; b < losses.length; b++) {
            ran.add(b);
            cb.onTrainBatchEnd(b, logs("loss", losses[b]));
            if (m.stopTraining()) break;
        }
        return ran;
    }

    @Test
    void stopsAtTheNaNBatchAndReportsItsIndex() {
        TerminateOnNaN cb = new TerminateOnNaN();
        Sequential m = model(0.01);
        String log = captureLog(() -> assertEquals(List.of(0, 1, 2), drive(cb, m, 4, 0.5, 0.4, Double.NaN, 0.3)));
        assertTrue(m.stopTraining());
        assertEquals(2, cb.stoppedBatch());
        assertEquals(4, cb.stoppedEpoch());
        // Keras prints this (io_utils.print_msg) rather than logging it
        assertTrue(log.endsWith("Batch 2: Invalid loss, terminating training\n"), log);
    }

    @Test
    void infiniteLossAlsoStops() {
        TerminateOnNaN cb = new TerminateOnNaN();
        captureLog(() -> assertEquals(List.of(0, 1), drive(cb, model(0.01), 0, 0.5, Double.NEGATIVE_INFINITY, 0.3)));
        assertEquals(1, cb.stoppedBatch());
    }

    @Test
    void finiteLossesDoNothing() {
        TerminateOnNaN cb = new TerminateOnNaN();
        Sequential m = model(0.01);
        assertEquals(3, drive(cb, m, 0, 0.5, 1e30, 0.0).size());
        assertFalse(m.stopTraining());
        assertEquals(-1, cb.stoppedBatch());
        assertEquals(-1, cb.stoppedEpoch());
    }

    @Test
    void raiseErrorThrows() {
        TerminateOnNaN cb = new TerminateOnNaN().raiseError(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> drive(cb, model(0.01), 0, 0.5, Double.NaN));
        assertEquals("NaN or Inf loss encountered at batch 1. Loss value: nan. Terminating training immediately.", e.getMessage());
    }

    @Test
    void fitStopsAfterTheBatchWithAnInvalidLoss() {
        // 8 samples, batch size 2, no shuffle: sample 5 has a NaN target, so batch 2 of epoch 0 has a NaN loss.
        Sequential m = model(0.01);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 1);
        y.putScalar(5, 0, Double.NaN);
        TerminateOnNaN cb = new TerminateOnNaN();
        List<Integer> batches = new ArrayList<>();
        History[] h = new History[1];
        captureLog(() -> h[0] = m.fit(x, y, Fit.epochs(3).batchSize(2).shuffle(false).verbose(0)
                .callbacks(cb, new LambdaCallback().onTrainBatchEnd((b, l) -> batches.add(b)))));
        assertEquals(2, cb.stoppedBatch());
        assertEquals(0, cb.stoppedEpoch());
        assertEquals(List.of(0, 1, 2), batches);
        assertEquals(List.of(0), h[0].epoch());
    }
}
