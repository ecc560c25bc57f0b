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
        double apply(int epoch, double lr);
    }

    private final Schedule schedule;
    private int verbose = 0;

    public LearningRateScheduler(Schedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("LearningRateScheduler: schedule must not be null");
        this.schedule = schedule;
    }

    /** 0 (default) is silent; 1 logs (SLF4J, INFO) each new rate. */
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
