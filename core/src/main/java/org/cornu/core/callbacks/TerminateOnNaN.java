package org.cornu.core.callbacks;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a training batch gives a NaN or infinite loss, as
 * {@code keras.callbacks.TerminateOnNaN}. By default it logs
 * {@code Batch N: Invalid loss, terminating training} (SLF4J, WARN; N is the batch index in its
 * epoch) and asks the model to stop after that batch, so {@code onTrainEnd} still runs for every
 * callback; with {@link #raiseError(boolean) raiseError(true)} it throws instead.
 * {@link #stoppedBatch()} and {@link #stoppedEpoch()} tell where it stopped.
 */
public class TerminateOnNaN extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(TerminateOnNaN.class);

    private boolean raiseError = false;
    private int epoch;
    private int stoppedBatch = -1;
    private int stoppedEpoch = -1;

    /** Stops training when a batch's loss is NaN or infinite (Keras's {@code TerminateOnNaN()}). */
    public TerminateOnNaN() {}

    /**
     * If true, throws an {@link IllegalStateException} on an invalid loss instead of stopping gracefully.
     *
     * @param raise true to throw (Keras's {@code raise_error}, default false)
     * @return this callback
     */
    public TerminateOnNaN raiseError(boolean raise) {
        this.raiseError = raise;
        return this;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        epoch = 0;
        stoppedBatch = -1;
        stoppedEpoch = -1;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        this.epoch = epoch;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs == null ? null : logs.get("loss");
        if (loss == null || Double.isFinite(loss)) return;
        stoppedBatch = batch;
        stoppedEpoch = epoch;
        if (raiseError) {
            throw new IllegalStateException("NaN or Inf loss encountered at batch " + batch + ". Loss value: "
                    + CallbackUtils.pyRepr(loss) + ". Terminating training immediately.");
        }
        CallbackUtils.printMsg("Batch " + batch + ": Invalid loss, terminating training");
        model.stopTraining(true);
    }

    /**
     * The batch index (within its epoch, from 0) whose loss was invalid; -1 if none was.
     *
     * @return the batch index, or -1
     */
    public int stoppedBatch() {
        return stoppedBatch;
    }

    /**
     * The epoch (from 0) of {@link #stoppedBatch()}; -1 if training was not terminated.
     *
     * @return the epoch index, or -1
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
