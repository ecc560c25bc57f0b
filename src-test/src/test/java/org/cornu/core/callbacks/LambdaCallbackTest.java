package org.cornu.core.callbacks;

import static org.cornu.core.callbacks.CallbackTestSupport.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.Fit;
import org.cornu.core.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LambdaCallbackTest {

    @Test
    void hooksRunInFitOrder() {
        Sequential m = model(0.01);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1);
        List<String> events = new ArrayList<>();
        LambdaCallback cb = new LambdaCallback()
                .onTrainBegin(l -> events.add("train_begin"))
                .onEpochBegin((e, l) -> events.add("epoch_begin " + e))
                .onBatchBegin((b, l) -> events.add("batch_begin " + b))
                .onBatchEnd((b, l) -> events.add("batch_end " + b + (l.containsKey("loss") ? " loss" : "")))
                .onEpochEnd((e, l) -> events.add("epoch_end " + e + " " + l.keySet()))
                .onTrainEnd(l -> events.add("train_end " + l.keySet()));
        m.fit(x, y, Fit.epochs(2).batchSize(2).verbose(0).validationData(x, y).callbacks(cb));
        assertEquals(List.of("train_begin",
                "epoch_begin 0", "batch_begin 0", "batch_end 0 loss", "batch_begin 1", "batch_end 1 loss", "epoch_end 0 [loss, val_loss]",
                "epoch_begin 1", "batch_begin 0", "batch_end 0 loss", "batch_begin 1", "batch_end 1 loss", "epoch_end 1 [loss, val_loss]",
                "train_end [loss, val_loss]"), events);
    }

    @Test
    void aLaterSetterReplacesTheHookAndUnsetHooksDoNothing() {
        List<String> events = new ArrayList<>();
        LambdaCallback cb = new LambdaCallback()
                .onTrainBatchEnd((b, l) -> events.add("first"))
                .onTrainBatchEnd((b, l) -> events.add("second " + b));
        cb.onTrainBatchEnd(3, new java.util.HashMap<>());
        cb.onEpochBegin(0, new java.util.HashMap<>());
        cb.onTrainBegin(new java.util.HashMap<>());
        assertEquals(List.of("second 3"), events);
    }
}
