package org.cornu.core.callbacks;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a monitored quantity has stopped improving, as
 * {@code keras.callbacks.EarlyStopping}:
 * {@code new EarlyStopping().monitor("val_loss").patience(3).restoreBestWeights(true)}.
 *
 * <p>At each epoch end (from epoch {@code startFromEpoch} on) the wait counter grows by one;
 * an improvement (better than the best so far by more than {@code minDelta}) makes the value
 * the new best and resets the counter, unless a {@code baseline} is set and not beaten. When
 * the counter reaches {@code patience} (at an epoch after the first) training stops. With
 * {@code restoreBestWeights}, the weights of the best epoch are put back at the end of training,
 * whether or not training stopped early (Keras 3). Messages go to SLF4J: a missing monitored
 * key warns, listing the available ones; {@code verbose > 0} logs the stop and the restore.
 */
public class EarlyStopping extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

    private String monitor = "val_loss";
    private double minDelta = 0;
    private int patience = 0;
    private int verbose = 0;
    private String mode = "auto";
    private Double baseline;
    private boolean restoreBestWeights = false;
    private int startFromEpoch = 0;

    private Boolean maximize;
    private int wait;
    private int stoppedEpoch;
    private int bestEpoch;
    private Double best;
    private List<INDArray> bestWeights;

    /** Monitors {@code val_loss} with Keras's defaults (patience 0, min_delta 0, mode auto). */
    public EarlyStopping() {}

    /**
     * Quantity to be monitored (default {@code val_loss}).
     *
     * @param monitor the log key, e.g. {@code "val_accuracy"} (Keras's {@code monitor})
     * @return this callback
     */
    public EarlyStopping monitor(String monitor) {
        this.monitor = monitor;
        this.maximize = null;
        return this;
    }

    /**
     * Minimum change that counts as an improvement (default 0); its sign is ignored.
     *
     * @param minDelta the smallest change that counts (Keras's {@code min_delta})
     * @return this callback
     */
    public EarlyStopping minDelta(double minDelta) {
        this.minDelta = Math.abs(minDelta);
        return this;
    }

    /**
     * Number of epochs without improvement after which training stops (default 0).
     *
     * @param patience the number of epochs (Keras's {@code patience})
     * @return this callback
     */
    public EarlyStopping patience(int patience) {
        this.patience = patience;
        return this;
    }

    /**
     * 0 (default) is silent; 1 logs (SLF4J, INFO) when the callback stops or restores.
     *
     * @param verbose 0 or 1 (Keras's {@code verbose})
     * @return this callback
     */
    public EarlyStopping verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    /**
     * {@code auto} (default), {@code min} or {@code max}; an unknown mode warns and means auto.
     *
     * @param mode {@code "auto"}, {@code "min"} or {@code "max"} (Keras's {@code mode}); auto infers the direction from the name
     * @return this callback
     */
    public EarlyStopping mode(String mode) {
        this.mode = Monitor.checkMode("EarlyStopping", mode, LOG);
        this.maximize = null;
        return this;
    }

    /**
     * Training stops if the model does not beat this value within {@code patience} epochs.
     *
     * @param baseline the value to beat (Keras's {@code baseline}, none by default)
     * @return this callback
     */
    public EarlyStopping baseline(double baseline) {
        this.baseline = baseline;
        return this;
    }

    /**
     * Puts back the weights of the best epoch at the end of training (default false).
     *
     * @param restore true to restore the best weights (Keras's {@code restore_best_weights})
     * @return this callback
     */
    public EarlyStopping restoreBestWeights(boolean restore) {
        this.restoreBestWeights = restore;
        return this;
    }

    /**
     * Number of warm-up epochs during which nothing is monitored (default 0).
     *
     * @param epochs the number of warm-up epochs (Keras's {@code start_from_epoch})
     * @return this callback
     */
    public EarlyStopping startFromEpoch(int epochs) {
        this.startFromEpoch = epochs;
        return this;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        wait = 0;
        stoppedEpoch = 0;
        best = null;
        bestWeights = null;
        bestEpoch = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (maximize == null) maximize = Monitor.maximize("EarlyStopping", monitor, mode);
        Double current = logs == null ? null : logs.get(monitor);
        if (current == null) {
            LOG.warn("Early stopping conditioned on metric `{}` which is not available. Available metrics are: {}",
                    monitor, logs == null ? "" : String.join(",", logs.keySet()));
            return;
        }
        if (epoch < startFromEpoch) return;
        if (restoreBestWeights && bestWeights == null) {
            // Until something improves, the first monitored epoch is the best one.
            bestWeights = model.getWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) bestWeights = model.getWeights();
            // The counter restarts only when both the previous best and the baseline are beaten.
            if (baseline == null || improves(current, baseline)) wait = 0;
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model.stopTraining(true);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && verbose > 0) {
            CallbackUtils.printMsg("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            if (verbose > 0) CallbackUtils.printMsg("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            model.setWeights(bestWeights);
        }
    }

    private boolean improves(double value, Double reference) {
        if (reference == null) return true;
        return maximize ? value - minDelta > reference : value + minDelta < reference;
    }

    /**
     * The epoch (from 0) at which training was stopped; 0 when it was not stopped.
     *
     * @return the epoch index (Keras's {@code stopped_epoch})
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /**
     * The epoch (from 0) with the best monitored value so far.
     *
     * @return the epoch index (Keras's {@code best_epoch})
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * The best monitored value so far, or null before the first monitored epoch.
     *
     * @return the best value (Keras's {@code best}), or null
     */
    public Double best() {
        return best;
    }

    /**
     * Epochs counted since the last improvement (Keras's {@code wait}).
     *
     * @return the number of epochs
     */
    public int waitCount() {
        return wait;
    }

    /**
     * The quantity monitored (Keras's {@code monitor}).
     *
     * @return the log key
     */
    public String monitor() {
        return monitor;
    }
}
