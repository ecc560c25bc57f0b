package org.cornu.core.callbacks;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A callback made of lambdas, as {@code keras.callbacks.LambdaCallback}:
 * <pre>{@code
 * new LambdaCallback()
 *     .onEpochEnd((epoch, logs) -> log.info("{} {}", epoch, logs.get("loss")))
 *     .onTrainEnd(logs -> out.close());
 * }</pre>
 * Each setter replaces the hook of that name; hooks not set do nothing.
 * {@code onBatchBegin}/{@code onBatchEnd} are Keras's aliases of the training-batch hooks.
 */
public class LambdaCallback extends Callback {
    /** A hook that takes an epoch or batch index (from 0) and the logs. */
    @FunctionalInterface
    public interface IndexHook {
        /**
         * Runs the hook.
         *
         * @param index the epoch or batch index, from 0
         * @param logs the logs the matching {@link Callback} method receives
         */
        void accept(int index, Map<String, Double> logs);
    }

    private IndexHook epochBegin;
    private IndexHook epochEnd;
    private IndexHook batchBegin;
    private IndexHook batchEnd;
    private Consumer<Map<String, Double>> trainBegin;
    private Consumer<Map<String, Double>> trainEnd;

    /**
     * A callback with no hooks; add them with the setters, e.g.
     * {@code new LambdaCallback().onEpochEnd((epoch, logs) -> System.out.println(logs))}.
     */
    public LambdaCallback() {}

    /**
     * Called at the beginning of every epoch with the epoch index and logs.
     *
     * @param f the hook (Keras's {@code on_epoch_begin})
     * @return this callback
     */
    public LambdaCallback onEpochBegin(IndexHook f) {
        this.epochBegin = f;
        return this;
    }

    /**
     * Called at the end of every epoch with the epoch index and the epoch's logs.
     *
     * @param f the hook (Keras's {@code on_epoch_end})
     * @return this callback
     */
    public LambdaCallback onEpochEnd(IndexHook f) {
        this.epochEnd = f;
        return this;
    }

    /**
     * Called at the beginning of every training batch.
     *
     * @param f the hook (Keras's {@code on_train_batch_begin})
     * @return this callback
     */
    public LambdaCallback onTrainBatchBegin(IndexHook f) {
        this.batchBegin = f;
        return this;
    }

    /**
     * Called at the end of every training batch with the batch index and the running logs.
     *
     * @param f the hook (Keras's {@code on_train_batch_end})
     * @return this callback
     */
    public LambdaCallback onTrainBatchEnd(IndexHook f) {
        this.batchEnd = f;
        return this;
    }

    /**
     * Same as {@link #onTrainBatchBegin(IndexHook)}.
     *
     * @param f the hook (Keras's {@code on_batch_begin})
     * @return this callback
     */
    public LambdaCallback onBatchBegin(IndexHook f) {
        return onTrainBatchBegin(f);
    }

    /**
     * Same as {@link #onTrainBatchEnd(IndexHook)}.
     *
     * @param f the hook (Keras's {@code on_batch_end})
     * @return this callback
     */
    public LambdaCallback onBatchEnd(IndexHook f) {
        return onTrainBatchEnd(f);
    }

    /**
     * Called once when training begins.
     *
     * @param f the hook (Keras's {@code on_train_begin})
     * @return this callback
     */
    public LambdaCallback onTrainBegin(Consumer<Map<String, Double>> f) {
        this.trainBegin = f;
        return this;
    }

    /**
     * Called once when training ends, with the last epoch's logs.
     *
     * @param f the hook (Keras's {@code on_train_end})
     * @return this callback
     */
    public LambdaCallback onTrainEnd(Consumer<Map<String, Double>> f) {
        this.trainEnd = f;
        return this;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (epochBegin != null) epochBegin.accept(epoch, logs);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (epochEnd != null) epochEnd.accept(epoch, logs);
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
        if (batchBegin != null) batchBegin.accept(batch, logs);
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (batchEnd != null) batchEnd.accept(batch, logs);
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        if (trainBegin != null) trainBegin.accept(logs);
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (trainEnd != null) trainEnd.accept(logs);
    }
}
