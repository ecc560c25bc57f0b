package org.cornu.core.callbacks;

import java.util.Map;
import org.cornu.core.Model;

/**
 * Hooks into {@code fit}, {@code evaluate} and {@code predict}, as
 * {@code keras.callbacks.Callback}. Epochs and batches are counted from 0; {@code logs}
 * maps metric names ({@code loss}, {@code accuracy}, {@code val_loss}, ...) to values.
 */
public abstract class Callback {
    /** The model being trained, evaluated or run (Keras's {@code self.model}); set by {@link #setModel}. */
    protected Model model;
    /** The run's parameters (Keras's {@code self.params}): {@code epochs}, {@code steps} and {@code verbose}. */
    protected Map<String, Object> params = Map.of();

    /**
     * Gives the callback the model it serves (Keras's {@code set_model}); {@code fit},
     * {@code evaluate} and {@code predict} call it before the first hook.
     *
     * @param model the model
     */
    public void setModel(Model model) {
        this.model = model;
    }

    /**
     * The model the callback serves.
     *
     * @return the model, or null before {@link #setModel}
     */
    public Model model() {
        return model;
    }

    /**
     * {@code epochs}, {@code steps} and {@code verbose} of the current run.
     *
     * Keras's {@code set_params}.
     *
     * @param params parameter name to value
     */
    public void setParams(Map<String, Object> params) {
        this.params = params;
    }

    /**
     * Called once at the start of {@code fit} (Keras's {@code on_train_begin}). Does nothing by default.
     *
     * @param logs empty for now
     */
    public void onTrainBegin(Map<String, Double> logs) {}

    /**
     * Called once at the end of {@code fit} (Keras's {@code on_train_end}). Does nothing by default.
     *
     * @param logs the logs of the last epoch
     */
    public void onTrainEnd(Map<String, Double> logs) {}

    /**
     * Called at the start of every epoch of {@code fit} (Keras's {@code on_epoch_begin}). Does nothing by default.
     *
     * @param epoch the epoch index, from 0
     * @param logs empty for now
     */
    public void onEpochBegin(int epoch, Map<String, Double> logs) {}

    /**
     * Called at the end of every epoch of {@code fit} (Keras's {@code on_epoch_end}). Does nothing by default.
     *
     * @param epoch the epoch index, from 0
     * @param logs the epoch's loss and metrics, and, when the model validated, the same names
     *     prefixed with {@code val_} ({@code val_loss}, ...)
     */
    public void onEpochEnd(int epoch, Map<String, Double> logs) {}

    /**
     * Called before every training batch of {@code fit} (Keras's {@code on_train_batch_begin}).
     * Does nothing by default.
     *
     * @param batch the batch index within the epoch, from 0
     * @param logs the logs of the epoch's previous batch (empty before the first)
     */
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {}

    /**
     * Called after every training batch of {@code fit} (Keras's {@code on_train_batch_end}).
     * Does nothing by default.
     *
     * @param batch the batch index within the epoch, from 0
     * @param logs the loss and metrics averaged over the epoch's batches so far
     */
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {}

    /**
     * Called at the start of {@code evaluate}, and of every validation in {@code fit} (Keras's
     * {@code on_test_begin}). Does nothing by default.
     *
     * @param logs empty for now
     */
    public void onTestBegin(Map<String, Double> logs) {}

    /**
     * Called at the end of {@code evaluate} or of a validation (Keras's {@code on_test_end}).
     * Does nothing by default.
     *
     * @param logs the loss and metrics over the evaluated data
     */
    public void onTestEnd(Map<String, Double> logs) {}

    /**
     * Called before every batch of {@code evaluate} or of a validation (Keras's
     * {@code on_test_batch_begin}). Does nothing by default.
     *
     * @param batch the batch index, from 0
     * @param logs empty for now
     */
    public void onTestBatchBegin(int batch, Map<String, Double> logs) {}

    /**
     * Called after every batch of {@code evaluate} or of a validation (Keras's
     * {@code on_test_batch_end}). Does nothing by default.
     *
     * @param batch the batch index, from 0
     * @param logs the loss and metrics averaged over the batches so far
     */
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {}

    /**
     * Called at the start of {@code predict} (Keras's {@code on_predict_begin}). Does nothing by default.
     *
     * @param logs empty for now
     */
    public void onPredictBegin(Map<String, Double> logs) {}

    /**
     * Called at the end of {@code predict} (Keras's {@code on_predict_end}). Does nothing by default.
     *
     * @param logs empty for now
     */
    public void onPredictEnd(Map<String, Double> logs) {}

    /**
     * Called before every batch of {@code predict} (Keras's {@code on_predict_batch_begin}).
     * Does nothing by default.
     *
     * @param batch the batch index, from 0
     * @param logs empty for now
     */
    public void onPredictBatchBegin(int batch, Map<String, Double> logs) {}

    /**
     * Called after every batch of {@code predict} (Keras's {@code on_predict_batch_end}).
     * Does nothing by default.
     *
     * @param batch the batch index, from 0
     * @param logs empty (the predictions are not passed in logs)
     */
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {}
}
