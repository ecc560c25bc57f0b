package org.cornu.core.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cornu.core.callbacks.Callback;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Options of {@link org.cornu.core.Model#evaluate} and {@link org.cornu.core.Model#predict}: batch size (32), verbose (1 for evaluate, 1 for predict), callbacks, sample weights. */
public final class RunOptions {
    int batchSize = 32;
    int verbose = 1;
    INDArray sampleWeight;
    final List<Callback> callbacks = new ArrayList<>();

    /**
     * Number of samples per batch (Keras's {@code batch_size}, default 32).
     *
     * @param n the batch size, positive
     * @return these options
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public RunOptions batchSize(int n) {
        if (n <= 0) throw new IllegalArgumentException("batch_size must be positive, got " + n);
        this.batchSize = n;
        return this;
    }

    /**
     * Verbosity (Keras's {@code verbose}, default 1): 0 silent, 1 progress bar, 2 one line.
     *
     * @param v 0, 1 or 2
     * @return these options
     */
    public RunOptions verbose(int v) {
        this.verbose = v;
        return this;
    }

    /**
     * Weight of each sample in the evaluated loss and metrics (Keras's {@code sample_weight}, none by default).
     *
     * @param sw the weights, shape {@code (samples,)}
     * @return these options
     */
    public RunOptions sampleWeight(INDArray sw) {
        this.sampleWeight = sw;
        return this;
    }

    /**
     * Callbacks to call during evaluation or prediction (Keras's {@code callbacks}, none by default).
     *
     * @param cbs the callbacks
     * @return these options
     */
    public RunOptions callbacks(Callback... cbs) {
        this.callbacks.addAll(Arrays.asList(cbs));
        return this;
    }
}
