package org.cornu.testing.opmatrix;

import java.util.ArrayList;
import java.util.List;
import org.cornu.core.autodiff.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable op as the matrix sees it: how to call it on a sample, the kernel paths it
 * has (the first is its reference path), its samples, and optionally an independent float64
 * reference of its forward pass written in plain Java.
 */
public final class OpInfo {
    /** Calls the op on the sample's inputs (as tensors, in the dtype under test). */
    @FunctionalInterface
    public interface Call {
        Tensor apply(List<Tensor> in, Sample s);
    }

    /** A float64 reference forward pass, independent of Cornu's kernels. */
    @FunctionalInterface
    public interface Reference {
        INDArray apply(INDArray[] in, Sample s);
    }

    final String name;
    final Call call;
    final List<KernelPath> paths = new ArrayList<>();
    final List<Sample> samples = new ArrayList<>();
    Reference reference;

    private OpInfo(String name, Call call) {
        this.name = name;
        this.call = call;
    }

    /** An op called by {@code call}. */
    public static OpInfo op(String name, Call call) {
        return new OpInfo(name, call);
    }

    /** The kernel paths the op has; the first is the reference path. */
    public OpInfo paths(KernelPath... ps) {
        paths.addAll(List.of(ps));
        return this;
    }

    /** Adds samples. */
    public OpInfo samples(Sample... ss) {
        samples.addAll(List.of(ss));
        return this;
    }

    /** A plain-Java float64 forward pass to compare against (and to difference). */
    public OpInfo reference(Reference r) {
        this.reference = r;
        return this;
    }

    /** The op's name. */
    public String name() {
        return name;
    }

    /** The number of samples. */
    public int sampleCount() {
        return samples.size();
    }

    /** Input {@code i} of sample {@code k} (to adjust a sample in place before the tests run). */
    public INDArray sampleInput(int k, int i) {
        return samples.get(k).input(i);
    }

    /** The number of paths. */
    public int pathCount() {
        return paths.size();
    }

    @Override
    public String toString() {
        return name;
    }
}
