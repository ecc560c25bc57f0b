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

    protected Metric(String name) {
        this.name = name;
    }

    /** The name logs and History use (as the user named it: {@code acc} or {@code accuracy}). */
    public String name() {
        return name;
    }

    /** Renames; used when a user's alias ({@code acc}) stands for a metric. */
    public Metric name(String n) {
        this.name = n;
        return this;
    }

    /** Accumulates one batch; {@code sampleWeight} may be null. */
    public abstract void updateState(INDArray yTrue, INDArray yPred, INDArray sampleWeight);

    public abstract double result();

    public abstract void resetState();

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
