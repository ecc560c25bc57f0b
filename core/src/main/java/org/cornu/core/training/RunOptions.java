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

    public RunOptions batchSize(int n) {
        if (n <= 0) throw new IllegalArgumentException("batch_size must be positive, got " + n);
        this.batchSize = n;
        return this;
    }

    public RunOptions verbose(int v) {
        this.verbose = v;
        return this;
    }

    public RunOptions sampleWeight(INDArray sw) {
        this.sampleWeight = sw;
        return this;
    }

    public RunOptions callbacks(Callback... cbs) {
        this.callbacks.addAll(Arrays.asList(cbs));
        return this;
    }
}
