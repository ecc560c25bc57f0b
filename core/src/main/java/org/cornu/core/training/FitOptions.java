package org.cornu.core.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cornu.core.callbacks.Callback;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Options of {@link org.cornu.core.Model#fit}, with Keras's defaults: 1 epoch, batch size 32, shuffle on,
 * verbose 1. Start one with {@link org.cornu.core.Fit}: {@code Fit.epochs(5).batchSize(128).validationSplit(0.1)}.
 */
public final class FitOptions {
    int epochs = 1;
    int batchSize = 32;
    int verbose = 1;
    boolean shuffle = true;
    double validationSplit;
    INDArray[] validationX;
    INDArray[] validationY;
    INDArray validationSampleWeight;
    final List<Callback> callbacks = new ArrayList<>();
    int initialEpoch;
    Map<Integer, Double> classWeight;
    INDArray sampleWeight;
    Integer stepsPerEpoch;
    int validationBatchSize = -1;
    int validationFreq = 1;
    java.util.Iterator<INDArray[]> validationStream;
    int validationSteps;

    /**
     * Number of passes over the training data (Keras's {@code epochs}, default 1). With
     * {@link #initialEpoch}, training runs until the epoch index reaches {@code epochs}.
     *
     * @param n the number of epochs, at least 0
     * @return these options
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public FitOptions epochs(int n) {
        if (n < 0) throw new IllegalArgumentException("fit: epochs must be >= 0, got " + n);
        this.epochs = n;
        return this;
    }

    /**
     * Number of samples per gradient update (Keras's {@code batch_size}, default 32).
     *
     * @param n the batch size, positive
     * @return these options
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public FitOptions batchSize(int n) {
        if (n <= 0) throw new IllegalArgumentException("fit: batch_size must be positive, got " + n);
        this.batchSize = n;
        return this;
    }

    /**
     * Verbosity (Keras's {@code verbose}, default 1): 0 silent, 1 progress bar, 2 one line per epoch.
     *
     * @param v 0, 1 or 2
     * @return these options
     * @throws IllegalArgumentException for any other value
     */
    public FitOptions verbose(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + v);
        this.verbose = v;
        return this;
    }

    /**
     * Whether to shuffle the training samples before each epoch (Keras's {@code shuffle}, default
     * true), with the generator of {@link org.cornu.core.Cornu#setSeed}.
     *
     * @param s true to shuffle
     * @return these options
     */
    public FitOptions shuffle(boolean s) {
        this.shuffle = s;
        return this;
    }

    /**
     * Fraction of the training data held out for validation (Keras's {@code validation_split},
     * default 0): the last samples, taken before shuffling; the model does not train on them and
     * reports their loss and metrics at the end of each epoch. Ignored when validation data is given.
     *
     * @param f a fraction in [0, 1)
     * @return these options
     * @throws IllegalArgumentException if {@code f} is outside [0, 1)
     */
    public FitOptions validationSplit(double f) {
        if (!(f >= 0 && f < 1)) throw new IllegalArgumentException("fit: validation_split must be in [0, 1), got " + f);
        this.validationSplit = f;
        return this;
    }

    /**
     * Data to evaluate on at the end of each epoch (Keras's {@code validation_data=(x, y)}), for a
     * single-input, single-output model; none by default.
     *
     * @param x the validation inputs
     * @param y the validation targets
     * @return these options
     */
    public FitOptions validationData(INDArray x, INDArray y) {
        return validationData(new INDArray[] {x}, new INDArray[] {y});
    }

    /**
     * Validation data with per-sample weights (Keras's {@code validation_data=(x, y, sample_weight)}).
     *
     * @param x the validation inputs
     * @param y the validation targets
     * @param sampleWeight the weight of each validation sample, shape {@code (samples,)}
     * @return these options
     */
    public FitOptions validationData(INDArray x, INDArray y, INDArray sampleWeight) {
        validationData(new INDArray[] {x}, new INDArray[] {y});
        this.validationSampleWeight = sampleWeight;
        return this;
    }

    /**
     * Validation data for a model with several inputs or outputs (Keras's {@code validation_data}).
     *
     * @param x one array per model input
     * @param y one array per model output
     * @return these options
     */
    public FitOptions validationData(INDArray[] x, INDArray[] y) {
        this.validationX = x;
        this.validationY = y;
        return this;
    }

    /**
     * Validation batches from a stream ({@code {x, y}} elements), {@code validationSteps} of them
     * after each epoch: Keras's {@code validation_data=generator, validation_steps=...}.
     *
     * @param stream the validation batches
     * @param validationSteps batches to draw per validation (Keras's {@code validation_steps}), positive
     * @return these options
     * @throws IllegalArgumentException if {@code validationSteps} is not positive
     */
    public FitOptions validationData(java.util.Iterator<INDArray[]> stream, int validationSteps) {
        if (validationSteps <= 0) throw new IllegalArgumentException("fit: validation_steps must be positive, got " + validationSteps);
        this.validationStream = stream;
        this.validationSteps = validationSteps;
        return this;
    }

    /**
     * Callbacks to call during training (Keras's {@code callbacks}, none by default); added to those
     * already given. The model's {@link org.cornu.core.callbacks.History} is recorded without one.
     *
     * @param cbs the callbacks
     * @return these options
     */
    public FitOptions callbacks(Callback... cbs) {
        this.callbacks.addAll(Arrays.asList(cbs));
        return this;
    }

    /**
     * Callbacks to call during training (Keras's {@code callbacks}); added to those already given.
     *
     * @param cbs the callbacks
     * @return these options
     */
    public FitOptions callbacks(List<? extends Callback> cbs) {
        this.callbacks.addAll(cbs);
        return this;
    }

    /**
     * Epoch at which to start training (Keras's {@code initial_epoch}, default 0), for resuming a
     * previous run; epochs are counted from 0.
     *
     * @param e the first epoch
     * @return these options
     */
    public FitOptions initialEpoch(int e) {
        this.initialEpoch = e;
        return this;
    }

    /**
     * Weight of each class in the loss (Keras's {@code class_weight}, none by default): each sample's
     * loss is scaled by the weight of its class (its integer label, or the argmax of its one-hot
     * label), to pay more attention to under-represented classes.
     *
     * @param cw class index to weight
     * @return these options
     */
    public FitOptions classWeight(Map<Integer, Double> cw) {
        this.classWeight = cw;
        return this;
    }

    /**
     * Weight of each training sample in the loss (Keras's {@code sample_weight}, none by default).
     *
     * @param sw the weights, shape {@code (samples,)}
     * @return these options
     */
    public FitOptions sampleWeight(INDArray sw) {
        this.sampleWeight = sw;
        return this;
    }

    /**
     * Number of batches per epoch (Keras's {@code steps_per_epoch}); by default every batch of the
     * data. Required when training from a batch stream.
     *
     * @param n the number of batches
     * @return these options
     */
    public FitOptions stepsPerEpoch(int n) {
        this.stepsPerEpoch = n;
        return this;
    }

    /**
     * Batch size for validation (Keras's {@code validation_batch_size}); by default the training batch size.
     *
     * @param n the validation batch size
     * @return these options
     */
    public FitOptions validationBatchSize(int n) {
        this.validationBatchSize = n;
        return this;
    }

    /**
     * Validate every {@code n} epochs (Keras's {@code validation_freq}, default 1).
     *
     * @param n the number of epochs between validations
     * @return these options
     */
    public FitOptions validationFreq(int n) {
        this.validationFreq = n;
        return this;
    }
}
