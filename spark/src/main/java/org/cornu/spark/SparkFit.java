package org.cornu.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.cornu.core.callbacks.Callback;

/**
 * The options of {@link SparkTrainer#fit}: Keras's {@code fit} arguments (epochs, global batch
 * size, shuffle, validation data, callbacks, verbosity), the shuffle's seed, and the one option
 * that trades exactness for throughput, {@link #localStepsPerSync}.
 *
 * <pre>{@code
 * History h = new SparkTrainer(sc).fit(model, train,
 *     new SparkFit().epochs(5).batchSize(128).seed(42).validationData(test).callbacks(new EarlyStopping()));
 * }</pre>
 */
public final class SparkFit {
    int epochs = 1;
    int batchSize = 32;
    int verbose = 1;
    boolean shuffle = true;
    Long seed;
    int initialEpoch;
    int validationFreq = 1;
    Integer validationBatchSize;
    JavaRDD<Sample> validationData;
    List<Callback> callbacks = new ArrayList<>();
    int localSteps = 1;
    Integer threadsPerTask;

    /** Default options: 1 epoch, global batch size 32, shuffled, verbose 1. */
    public SparkFit() {}

    /**
     * Sets the number of epochs (Keras's {@code epochs}; default 1).
     *
     * @param n the number of epochs, at least 1
     * @return these options
     */
    public SparkFit epochs(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkFit: epochs must be >= 1, got " + n);
        this.epochs = n;
        return this;
    }

    /**
     * The global batch size (Keras's {@code batch_size} under a distribution strategy: the samples
     * of one optimizer step, summed over all workers; default 32). The last batch of an epoch may
     * be shorter, as in {@code fit}.
     *
     * @param n the global batch size, at least 1
     * @return these options
     */
    public SparkFit batchSize(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkFit: batchSize must be >= 1, got " + n);
        this.batchSize = n;
        return this;
    }

    /**
     * Verbosity (Keras's {@code verbose}): 0 silent, 1 progress bar, 2 one line per epoch. The
     * progress bar is the driver's.
     *
     * @param v 0, 1 or 2
     * @return these options
     */
    public SparkFit verbose(int v) {
        this.verbose = v;
        return this;
    }

    /**
     * Whether to shuffle the samples before each epoch (Keras's {@code shuffle}; default true).
     *
     * @param s true to shuffle
     * @return these options
     */
    public SparkFit shuffle(boolean s) {
        this.shuffle = s;
        return this;
    }

    /**
     * The seed of the epochs' shuffles. Each epoch is shuffled as {@code model.fit} shuffles the
     * same epoch after {@code Cornu.setSeed(seed)} (the k-th epoch run takes the k-th draw), so a
     * Spark fit and a one-machine fit see the same batches. Without a seed, one is drawn from Cornu's generator when {@code fit} starts.
     *
     * @param s the seed
     * @return these options
     */
    public SparkFit seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * The epoch to start at (Keras's {@code initial_epoch}; default 0).
     *
     * @param e the 0-based epoch
     * @return these options
     */
    public SparkFit initialEpoch(int e) {
        this.initialEpoch = e;
        return this;
    }

    /**
     * Data to evaluate at the end of each epoch (Keras's {@code validation_data}), evaluated on
     * the cluster; its results are logged with the prefix {@code val_}.
     *
     * @param data the validation samples
     * @return these options
     */
    public SparkFit validationData(JavaRDD<Sample> data) {
        this.validationData = data;
        return this;
    }

    /**
     * Validate every {@code n} epochs (Keras's {@code validation_freq}; default 1).
     *
     * @param n the number of epochs between validations, at least 1
     * @return these options
     */
    public SparkFit validationFreq(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkFit: validationFreq must be >= 1, got " + n);
        this.validationFreq = n;
        return this;
    }

    /**
     * The batch size of validation (Keras's {@code validation_batch_size}; default the batch size).
     *
     * @param n the batch size, at least 1
     * @return these options
     */
    public SparkFit validationBatchSize(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkFit: validationBatchSize must be >= 1, got " + n);
        this.validationBatchSize = n;
        return this;
    }

    /**
     * Callbacks, run on the driver as {@code fit} runs them (EarlyStopping, ModelCheckpoint, ...).
     *
     * @param cbs the callbacks
     * @return these options
     */
    public SparkFit callbacks(Callback... cbs) {
        this.callbacks = new ArrayList<>(Arrays.asList(cbs));
        return this;
    }

    /**
     * <b>Not equal to one machine's training.</b> Each worker runs {@code k} optimizer steps on its
     * own slices of {@code k} consecutive global batches, with its own copy of the optimizer,
     * before the workers' weights are averaged (weighted by their sample counts): {@code k} times
     * fewer synchronizations (local SGD, "parameter averaging"), for throughput at the price of
     * exactness. The workers' optimizer states (momentum, Adam's moments) are their own and are
     * not averaged, and the driver's optimizer does not step. The default, 1, is the exact
     * synchronous training.
     *
     * @param k the local steps per synchronization, at least 1
     * @return these options
     */
    public SparkFit localStepsPerSync(int k) {
        if (k < 1) throw new IllegalArgumentException("SparkFit: localStepsPerSync must be >= 1, got " + k);
        this.localSteps = k;
        return this;
    }

    /**
     * ND4J and BLAS threads per task on the executors (default Spark's {@code spark.task.cpus},
     * normally 1), so that an executor running one task per core does not oversubscribe its cores.
     *
     * @param n the threads per task, at least 1
     * @return these options
     */
    public SparkFit threadsPerTask(int n) {
        if (n < 1) throw new IllegalArgumentException("SparkFit: threadsPerTask must be >= 1, got " + n);
        this.threadsPerTask = n;
        return this;
    }
}
