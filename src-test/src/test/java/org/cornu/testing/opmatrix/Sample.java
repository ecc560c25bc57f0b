package org.cornu.testing.opmatrix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One sample input of an op: its float64 input arrays (cast to each dtype under test), which of
 * them take gradients, the op's arguments, and how its reference gradient is obtained: central
 * differences (the default), the float64 reference path (for samples too large for differences,
 * where that path is itself difference-checked on the op's smaller samples), or gradients stated
 * by rule where the op is not differentiable (ties, values exactly at a kink).
 */
public final class Sample {
    /** Gradients given by rule: the float64 inputs and the loss weights to the expected gradients (one per input; null where none). */
    @FunctionalInterface
    public interface Rule {
        INDArray[] grads(INDArray[] inputs, INDArray weights);
    }

    final String name;
    final INDArray[] inputs;
    final boolean[] grad;
    final Map<String, Object> args = new HashMap<>();
    Rule rule;
    boolean fromReferencePath;

    private Sample(String name, INDArray[] inputs) {
        this.name = name;
        this.inputs = inputs;
        for (INDArray a : inputs) {
            if (a.dataType() != DataType.DOUBLE) throw new IllegalArgumentException("sample " + name + ": inputs are given in float64");
        }
        this.grad = new boolean[inputs.length];
        Arrays.fill(grad, true);
    }

    /** A sample with these float64 inputs, every one taking gradients. */
    public static Sample of(String name, INDArray... inputs) {
        return new Sample(name, inputs);
    }

    /** Input {@code i} is a constant (no gradient). */
    public Sample constant(int... is) {
        for (int i : is) grad[i] = false;
        return this;
    }

    /** An argument of the op. */
    public Sample arg(String key, Object value) {
        args.put(key, value);
        return this;
    }

    /** An argument of the op. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        if (!args.containsKey(key)) throw new IllegalArgumentException("sample " + name + " has no argument " + key);
        return (T) args.get(key);
    }

    /** An argument, or {@code dflt} when absent. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, T dflt) {
        return args.containsKey(key) ? (T) args.get(key) : dflt;
    }

    /** The gradients are stated by {@code rule} (the op is not differentiable at this sample). */
    public Sample gradsByRule(Rule r) {
        this.rule = r;
        return this;
    }

    /** The reference gradient is the float64 reference path's (too large for central differences). */
    public Sample referencePathGrads() {
        this.fromReferencePath = true;
        return this;
    }

    /** The sample's name. */
    public String name() {
        return name;
    }

    /** Input {@code i} (float64). */
    public INDArray input(int i) {
        return inputs[i];
    }

    /** The number of inputs. */
    public int inputs() {
        return inputs.length;
    }

    /** A float64 array of the given values and shape. */
    public static INDArray arr(double[] v, long... shape) {
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    @Override
    public String toString() {
        return name;
    }
}
