package org.cornu.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stateful metric, as {@code keras.metrics.Metric}: {@link #updateState} accumulates
 * over batches, {@link #result} gives the value so far, {@link #resetState} starts over
 * (at each epoch).
 *
 * <p>{@code updateState} runs inside the training step's ND4J workspace: arrays it creates are
 * temporaries that vanish with the step. Keep state in Java fields (as the built-in metrics do),
 * or allocate persistent arrays inside {@code Workspaces.outside()}.
 */
public abstract class Metric {
    private String name;

    /**
     * Sets the metric's name.
     *
     * @param name the name logs and History use
     */
    protected Metric(String name) {
        this.name = name;
    }

    /**
     * The name logs and History use (as the user named it: {@code acc} or {@code accuracy}).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Renames; used when a user's alias ({@code acc}) stands for a metric.
     *
     * @param n the new name
     * @return this metric
     */
    public Metric name(String n) {
        this.name = n;
        return this;
    }

    /**
     * Accumulates the statistics of one batch (Keras's {@code update_state}).
     *
     * @param yTrue the targets of the batch
     * @param yPred the predictions of the batch
     * @param sampleWeight the weight of each sample, shape {@code (batch,)}; null weighs all 1
     */
    public abstract void updateState(INDArray yTrue, INDArray yPred, INDArray sampleWeight);

    /**
     * The metric's value over everything accumulated since the last reset (Keras's {@code result()}).
     *
     * @return the value
     */
    public abstract double result();

    /**
     * Clears the accumulated statistics (Keras's {@code reset_state()}); {@code fit} does it at
     * each epoch and {@code evaluate} at each call.
     */
    public abstract void resetState();

    /**
     * The metric's configuration (Keras's {@code get_config()}): {@code name}, {@code dtype} and the
     * metric's own arguments.
     *
     * @return key to JSON-ready value
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("dtype", "float32");
        return c;
    }

    @Override
    public String toString() {
        return name;
    }
}
