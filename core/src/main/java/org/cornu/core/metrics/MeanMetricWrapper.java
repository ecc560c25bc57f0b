package org.cornu.core.metrics;

import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A metric that averages a per-sample function of {@code (yTrue, yPred)} over all samples
 * seen, weighted by sample weights if given ({@code keras.metrics.MeanMetricWrapper}).
 */
public class MeanMetricWrapper extends Mean implements org.cornu.core.training.JvmMetric {
    private final BiFunction<INDArray, INDArray, INDArray> fn;
    private PerSample jvm;

    /**
     * The per-sample value on Java arrays: sample values start at {@code tOff} in {@code yt}
     * ({@code trueDim} of them) and at {@code pOff} in {@code yp} ({@code predDim}).
     */
    @FunctionalInterface
    public interface PerSample {
        /**
         * The metric's value for one sample.
         *
         * @param yt the batch's targets, flat
         * @param tOff where the sample's targets start in {@code yt}
         * @param trueDim the number of target values per sample
         * @param yp the batch's predictions, flat
         * @param pOff where the sample's predictions start in {@code yp}
         * @param predDim the number of predictions per sample
         * @return the sample's value
         */
        double apply(double[] yt, int tOff, int trueDim, double[] yp, int pOff, int predDim);
    }

    /**
     * Adds a JVM kernel equal to the wrapped function, for the small-batch path.
     *
     * @param f the per-sample function, equal to the wrapped one
     * @return this metric
     */
    public MeanMetricWrapper jvm(PerSample f) {
        this.jvm = f;
        return this;
    }

    @Override
    public boolean supportsJvm() {
        return jvm != null;
    }

    @Override
    public void updateStateJvm(double[] yTrue, int trueDim, double[] yPred, int predDim, int batch) {
        for (int i = 0; i < batch; i++) update(jvm.apply(yTrue, i * trueDim, trueDim, yPred, i * predDim, predDim), 1.0);
    }

    /**
     * The weighted mean over all samples of a per-sample function (Keras's {@code MeanMetricWrapper(fn, name)}).
     *
     * @param name the metric's name
     * @param fn targets and predictions to per-sample values
     */
    public MeanMetricWrapper(String name, BiFunction<INDArray, INDArray, INDArray> fn) {
        super(name);
        this.fn = fn;
    }

    /**
     * For subclasses that override {@link #values}.
     *
     * @param name the metric's name
     */
    protected MeanMetricWrapper(String name) {
        super(name);
        this.fn = null;
    }

    /**
     * The per-sample values of one batch: by default, the wrapped function's.
     *
     * @param yTrue the batch's targets
     * @param yPred the batch's predictions
     * @return the per-sample values
     */
    protected INDArray values(INDArray yTrue, INDArray yPred) {
        return fn.apply(yTrue, yPred);
    }

    @Override
    public void updateState(INDArray yTrue, INDArray yPred, INDArray sampleWeight) {
        INDArray v = values(yTrue, yPred).castTo(DataType.DOUBLE);
        INDArray w = null;
        if (sampleWeight != null) {
            w = sampleWeight.castTo(DataType.DOUBLE);
            if (w.length() != v.length()) {
                // per-sample weights against per-element values: broadcast over trailing axes
                long per = v.length() / w.length();
                w = w.reshape(w.length(), 1).repeat(1, per).reshape(v.shape());
            } else {
                w = w.reshape(v.shape());
            }
        }
        super.updateState(v, null, w);
    }
}
