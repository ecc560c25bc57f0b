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

    public FitOptions epochs(int n) {
        if (n < 0) throw new IllegalArgumentException("fit: epochs must be >= 0, got " + n);
        this.epochs = n;
        return this;
    }

    public FitOptions batchSize(int n) {
        if (n <= 0) throw new IllegalArgumentException("fit: batch_size must be positive, got " + n);
        this.batchSize = n;
        return this;
    }

    /** 0 = silent, 1 = progress bar, 2 = one line per epoch. */
    public FitOptions verbose(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("fit: verbose must be 0, 1 or 2, got " + v);
        this.verbose = v;
        return this;
    }

    /** Shuffles the training samples before each epoch (default true), with the generator of {@link org.cornu.core.Cornu#setSeed}. */
    public FitOptions shuffle(boolean s) {
        this.shuffle = s;
        return this;
    }

    /** Holds out the last fraction of the samples (taken before shuffling) for validation. */
    public FitOptions validationSplit(double f) {
        if (!(f >= 0 && f < 1)) throw new IllegalArgumentException("fit: validation_split must be in [0, 1), got " + f);
        this.validationSplit = f;
        return this;
    }

    /** Validation data for a single-input, single-output model. */
    public FitOptions validationData(INDArray x, INDArray y) {
        return validationData(new INDArray[] {x}, new INDArray[] {y});
    }

    /** Validation data with per-sample weights. */
    public FitOptions validationData(INDArray x, INDArray y, INDArray sampleWeight) {
        validationData(new INDArray[] {x}, new INDArray[] {y});
        this.validationSampleWeight = sampleWeight;
        return this;
    }

    /** Validation data for a model with several inputs or outputs. */
    public FitOptions validationData(INDArray[] x, INDArray[] y) {
        this.validationX = x;
        this.validationY = y;
        return this;
    }

    /**
     * Validation batches from a stream ({@code {x, y}} elements), {@code validationSteps} of them
     * after each epoch: Keras's {@code validation_data=generator, validation_steps=...}.
     */
    public FitOptions validationData(java.util.Iterator<INDArray[]> stream, int validationSteps) {
        if (validationSteps <= 0) throw new IllegalArgumentException("fit: validation_steps must be positive, got " + validationSteps);
        this.validationStream = stream;
        this.validationSteps = validationSteps;
        return this;
    }

    public FitOptions callbacks(Callback... cbs) {
        this.callbacks.addAll(Arrays.asList(cbs));
        return this;
    }

    public FitOptions callbacks(List<? extends Callback> cbs) {
        this.callbacks.addAll(cbs);
        return this;
    }

    /** Epoch to start from (for resuming); epochs are counted from 0. */
    public FitOptions initialEpoch(int e) {
        this.initialEpoch = e;
        return this;
    }

    /** Weights the loss of each sample by its class (integer label, or argmax of a one-hot label). */
    public FitOptions classWeight(Map<Integer, Double> cw) {
        this.classWeight = cw;
        return this;
    }

    /** Per-sample loss weights, shape {@code (samples,)}. */
    public FitOptions sampleWeight(INDArray sw) {
        this.sampleWeight = sw;
        return this;
    }

    /** Limits the number of batches per epoch. */
    public FitOptions stepsPerEpoch(int n) {
        this.stepsPerEpoch = n;
        return this;
    }

    public FitOptions validationBatchSize(int n) {
        this.validationBatchSize = n;
        return this;
    }

    /** Validate every {@code n} epochs. */
    public FitOptions validationFreq(int n) {
        this.validationFreq = n;
        return this;
    }
}
