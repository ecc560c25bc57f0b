package org.cornu.core;

import org.cornu.core.callbacks.Callback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.training.FitOptions;

/** Starts {@link FitOptions}: {@code model.fit(x, y, Fit.epochs(5).batchSize(128))}. */
public final class Fit {
    private Fit() {}

    public static FitOptions options() {
        return new FitOptions();
    }

    public static FitOptions epochs(int n) {
        return new FitOptions().epochs(n);
    }

    public static FitOptions batchSize(int n) {
        return new FitOptions().batchSize(n);
    }

    public static FitOptions verbose(int v) {
        return new FitOptions().verbose(v);
    }

    public static FitOptions validationSplit(double f) {
        return new FitOptions().validationSplit(f);
    }

    public static FitOptions validationData(INDArray x, INDArray y) {
        return new FitOptions().validationData(x, y);
    }

    public static FitOptions callbacks(Callback... cbs) {
        return new FitOptions().callbacks(cbs);
    }
}
