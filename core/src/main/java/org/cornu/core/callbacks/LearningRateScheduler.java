package org.cornu.core.callbacks;

import java.util.Map;
import org.cornu.core.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the optimizer's learning rate at the beginning of every epoch from a schedule, as
 * {@code keras.callbacks.LearningRateScheduler}:
 * {@code new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1))}.
 * The schedule receives the epoch (from 0) and the current rate; the rate in force is added to
 * the epoch logs as {@code learning_rate}.
 */
public class LearningRateScheduler extends Callback {
    private static final Logger LOG = LoggerFactory.getLogger(LearningRateScheduler.class);

    /** A learning rate as a function of the epoch (from 0) and the current learning rate. */
    @FunctionalInterface
    public interface Schedule {
        /**
         * Computes the learning rate for an epoch.
         *
         * @param epoch the epoch index, from 0
         * @param lr the optimizer's current learning rate
         * @return the learning rate for the epoch
         */
        double apply(int epoch, double lr);
    }

    private final Schedule schedule;
    private int verbose = 0;

    /**
     * Sets the optimizer's learning rate at the start of each epoch from {@code schedule}
     * (Keras's {@code LearningRateScheduler(schedule)}).
     *
     * <pre>{@code
     * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1))
     * }</pre>
     *
     * @param schedule the epoch and current rate to the new rate
     * @throws IllegalArgumentException if {@code schedule} is null
     */
    public LearningRateScheduler(Schedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("LearningRateScheduler: schedule must not be null");
        this.schedule = schedule;
    }

    /**
     * 0 (default) is silent; 1 logs (SLF4J, INFO) each new rate.
     *
     * @param verbose 0 or 1 (Keras's {@code verbose})
     * @return this callback
     */
    public LearningRateScheduler verbose(int verbose) {
        this.verbose = verbose;
        return this;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        Optimizer opt = model.optimizer();
        double lr = schedule.apply(epoch, opt.learningRate());
        CallbackUtils.setLearningRate(opt, lr, "LearningRateScheduler");
        if (verbose > 0) {
            CallbackUtils.printMsg("\nEpoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
                    + CallbackUtils.pyRepr(lr) + ".");
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (logs != null) logs.put("learning_rate", model.optimizer().learningRate());
    }
}
