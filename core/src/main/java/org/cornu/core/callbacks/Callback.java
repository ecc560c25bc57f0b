package org.cornu.core.callbacks;

import java.util.Map;
import org.cornu.core.Model;

/**
 * Hooks into {@code fit}, {@code evaluate} and {@code predict}, as
 * {@code keras.callbacks.Callback}. Epochs and batches are counted from 0; {@code logs}
 * maps metric names ({@code loss}, {@code accuracy}, {@code val_loss}, ...) to values.
 */
public abstract class Callback {
    protected Model model;
    protected Map<String, Object> params = Map.of();

    public void setModel(Model model) {
        this.model = model;
    }

    public Model model() {
        return model;
    }

    /** {@code epochs}, {@code steps} and {@code verbose} of the current run. */
    public void setParams(Map<String, Object> params) {
        this.params = params;
    }

    public void onTrainBegin(Map<String, Double> logs) {}

    public void onTrainEnd(Map<String, Double> logs) {}

    public void onEpochBegin(int epoch, Map<String, Double> logs) {}

    public void onEpochEnd(int epoch, Map<String, Double> logs) {}

    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {}

    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {}

    public void onTestBegin(Map<String, Double> logs) {}

    public void onTestEnd(Map<String, Double> logs) {}

    public void onTestBatchBegin(int batch, Map<String, Double> logs) {}

    public void onTestBatchEnd(int batch, Map<String, Double> logs) {}

    public void onPredictBegin(Map<String, Double> logs) {}

    public void onPredictEnd(Map<String, Double> logs) {}

    public void onPredictBatchBegin(int batch, Map<String, Double> logs) {}

    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {}
}
