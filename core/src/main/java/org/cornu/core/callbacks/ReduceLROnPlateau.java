package org.cornu.core.callbacks;

import java.util.Map;
import org.cornu.core.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reduces the optimizer's learning rate when a monitored quantity has stopped improving, as
 * {@code keras.callbacks.ReduceLROnPlateau}:
 * {@code new ReduceLROnPlateau().factor(0.2).patience(5).minLr(0.001)}.
 *
 * <p>At each epoch end it first adds the current {@code learning_rate} to the logs. A value
 * better than the best by more than {@code minDelta} resets the wait counter; otherwise, outside
 * cooldown, the counter grows, and on reaching {@code patience} the rate becomes
 * {@code max(lr * factor, minLr)} (if it is still above {@code minLr}, compared in float32 as
 * Keras does) and {@code cooldown} epochs follow in which the counter stays at 0.
 */
public class ReduceLROnPlateau extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);

    private String monitor = "val_loss";
    private double factor = 0.1;
    private int patience = 10;
    private int verbose = 0;
    private String mode = "auto";
    private double minDelta = 1e-4;
    private int cooldown = 0;
    private double minLr = 0.0;

    private Boolean maximize;
    private Double best;
    private int wait;
    private int cooldownCounter;

    /** Keras's defaults: monitor {@code val_loss}, factor 0.1, patience 10, min_delta 1e-4. */
    public ReduceLROnPlateau() {}

    /**
     * Quantity to be monitored (default {@code val_loss}).
     *
     * @param monitor the log key (Keras's {@code monitor})
     * @return this callback
     */
    public ReduceLROnPlateau monitor(String monitor) {
        this.monitor = monitor;
        this.maximize = null;
        return this;
    }

    /**
     * Factor by which the rate is multiplied (default 0.1); must be below 1.
     *
     * @param factor the multiplier, {@code new_lr = lr * factor} (Keras's {@code factor})
     * @return this callback
     * @throws IllegalArgumentException if {@code factor} is 1 or more
     */
    public ReduceLROnPlateau factor(double factor) {
        if (factor >= 1.0) {
            throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" + factor);
        }
        this.factor = factor;
        return this;
    }

    /**
     * Epochs without improvement after which the rate is reduced (default 10).
     *
     * @param patience the number of epochs (Keras's {@code patience})
     * @return this callback
     */
    public ReduceLROnPlateau patience(int patience) {
        this.patience = patience;
        return this;
    }

    /**
     * 0 (default) is silent; 1 logs (SLF4J, INFO) each reduction.
     *
     * @param verbose 0 or 1 (Keras's {@code verbose})
     * @return this callback
     */
    public ReduceLROnPlateau verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    /**
     * {@code auto} (default), {@code min} or {@code max}; an unknown mode warns and means auto.
     *
     * @param mode {@code "auto"}, {@code "min"} or {@code "max"} (Keras's {@code mode})
     * @return this callback
     */
    public ReduceLROnPlateau mode(String mode) {
        this.mode = Monitor.checkMode("ReduceLROnPlateau", mode, LOG);
        this.maximize = null;
        return this;
    }

    /**
     * Threshold for a change to count as an improvement (default 1e-4); its sign is ignored.
     *
     * @param minDelta the threshold (Keras's {@code min_delta})
     * @return this callback
     */
    public ReduceLROnPlateau minDelta(double minDelta) {
        this.minDelta = Math.abs(minDelta);
        return this;
    }

    /**
     * Epochs to wait after a reduction before counting again (default 0).
     *
     * @param cooldown the number of epochs (Keras's {@code cooldown})
     * @return this callback
     */
    public ReduceLROnPlateau cooldown(int cooldown) {
        this.cooldown = cooldown;
        return this;
    }

    /**
     * Lower bound on the learning rate (default 0).
     *
     * @param minLr the smallest learning rate (Keras's {@code min_lr})
     * @return this callback
     */
    public ReduceLROnPlateau minLr(double minLr) {
        this.minLr = minLr;
        return this;
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        wait = 0;
        cooldownCounter = 0;
        best = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (maximize == null) maximize = Monitor.maximize("ReduceLROnPlateau", monitor, mode);
        if (best == null) best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        Optimizer opt = model.optimizer();
        if (logs != null) logs.put("learning_rate", opt.learningRate());
        Double current = logs == null ? null : logs.get(monitor);
        if (current == null) {
            LOG.warn("Learning rate reduction is conditioned on metric `{}` which is not available. Available metrics are: {}.",
                    monitor, logs == null ? "" : String.join(",", logs.keySet()));
            return;
        }
        if (inCooldown()) {
            cooldownCounter--;
            wait = 0;
        }
        if (maximize ? current - minDelta > best : current + minDelta < best) {
            best = current;
            wait = 0;
        } else if (!inCooldown()) {
            wait++;
            if (wait >= patience) {
                double oldLr = opt.learningRate();
                if ((float) oldLr > (float) minLr) {
                    double newLr = Math.max(oldLr * factor, minLr);
                    CallbackUtils.setLearningRate(opt, newLr, "ReduceLROnPlateau");
                    if (verbose > 0) {
                        CallbackUtils.printMsg("\nEpoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                                + CallbackUtils.pyRepr(newLr) + ".");
                    }
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }

    /**
     * Whether the callback is in its cooldown period after a reduction.
     *
     * @return true during the cooldown
     */
    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    /**
     * Epochs counted without improvement (Keras's {@code wait}).
     *
     * @return the number of epochs
     */
    public int waitCount() {
        return wait;
    }

    /**
     * The best monitored value of this run (infinite before the first), or null before any epoch end.
     *
     * @return the best value, or null
     */
    public Double best() {
        return best;
    }
}
