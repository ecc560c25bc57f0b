package org.cornu.core;

import org.cornu.core.callbacks.Callback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.training.FitOptions;

/** Starts {@link FitOptions}: {@code model.fit(x, y, Fit.epochs(5).batchSize(128))}. */
public final class Fit {
    private Fit() {}

    /**
     * Fit options with Keras's defaults: 1 epoch, batch size 32, shuffling, progress bar.
     *
     * @return new options
     */
    public static FitOptions options() {
        return new FitOptions();
    }

    /**
     * Fit options for {@code n} epochs (Keras's {@code epochs}, default 1), the rest at their defaults.
     *
     * @param n the number of epochs
     * @return new options
     */
    public static FitOptions epochs(int n) {
        return new FitOptions().epochs(n);
    }

    /**
     * Fit options with batch size {@code n} (Keras's {@code batch_size}, default 32).
     *
     * @param n the number of samples per gradient update
     * @return new options
     */
    public static FitOptions batchSize(int n) {
        return new FitOptions().batchSize(n);
    }

    /**
     * Fit options with verbosity {@code v} (Keras's {@code verbose}, default 1).
     *
     * @param v 0 silent, 1 progress bar, 2 one line per epoch
     * @return new options
     */
    public static FitOptions verbose(int v) {
        return new FitOptions().verbose(v);
    }

    /**
     * Fit options holding out the last fraction {@code f} of the data for validation (Keras's {@code validation_split}).
     *
     * @param f a fraction in [0, 1)
     * @return new options
     */
    public static FitOptions validationSplit(double f) {
        return new FitOptions().validationSplit(f);
    }

    /**
     * Fit options validating on {@code (x, y)} after each epoch (Keras's {@code validation_data}).
     *
     * @param x the validation inputs
     * @param y the validation targets
     * @return new options
     */
    public static FitOptions validationData(INDArray x, INDArray y) {
        return new FitOptions().validationData(x, y);
    }

    /**
     * Fit options with callbacks (Keras's {@code callbacks}).
     *
     * @param cbs the callbacks
     * @return new options
     */
    public static FitOptions callbacks(Callback... cbs) {
        return new FitOptions().callbacks(cbs);
    }
}
