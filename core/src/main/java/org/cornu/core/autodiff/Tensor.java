package org.cornu.core.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.Cornu;
import org.cornu.core.Shape;

/**
 * A value on the autodiff tape: an ND4J array plus, while a {@link Tape} records, the
 * function that sends its gradient to the tensors it was computed from.
 * Users meet tensors inside {@link org.cornu.core.Layer#call}; outside a layer, models take and return
 * plain {@link INDArray}s.
 */
public final class Tensor {
    static {
        org.cornu.core.Cornu.init();
    }
    /** Receives the gradient of the tensor and passes gradients on to its parents. */
    @FunctionalInterface
    public interface Backward {
        /**
         * Propagates the gradient of this op's output to its inputs' gradients.
         *
         * @param gradOut the gradient of the output
         */
        void apply(INDArray gradOut);
    }

    final INDArray value;
    INDArray grad;
    final boolean requiresGrad;
    Backward backward;
    /** Set by softmax and sigmoid: their input, so that crossentropy can work from logits. */
    Tensor logits;
    String logitsKind;
    /** Set by relu: its input, so that a max pooling of it can send its gradient past the relu. */
    Tensor reluOf;
    /** Keras's {@code _keras_mask}: a {@code (batch, timesteps)} array of 1 (keep) and 0 (skip), or null. */
    private INDArray mask;

    /**
     * A tensor holding {@code value}.
     *
     * @param value the array, kept (not copied)
     * @param requiresGrad true if a gradient should flow to it
     */
    public Tensor(INDArray value, boolean requiresGrad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
    }

    /**
     * A constant: no gradient flows to it.
     *
     * @param value the array
     * @return the tensor
     */
    public static Tensor constant(INDArray value) {
        return new Tensor(value, false);
    }

    /**
     * A leaf that collects a gradient (a weight, or an input whose gradient is wanted).
     *
     * @param value the array
     * @return the tensor
     */
    public static Tensor variable(INDArray value) {
        return new Tensor(value, true);
    }

    /**
     * The ND4J array; callers must not modify it in place.
     *
     * @return the array
     */
    public INDArray value() {
        return value;
    }

    /**
     * The accumulated gradient after {@link Tape#backward}, or null if none reached this tensor.
     *
     * @return the gradient, of the value's shape, or null
     */
    public INDArray grad() {
        return grad;
    }

    /**
     * Whether a gradient flows to this tensor.
     *
     * @return true for variables and tensors computed from them
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * The shape of the value.
     *
     * @return the shape
     */
    public long[] shape() {
        return value.shape();
    }

    /**
     * The number of axes of the value.
     *
     * @return the rank
     */
    public int rank() {
        return value.rank();
    }

    /**
     * The pre-activation input if this tensor is a softmax or sigmoid output, else null.
     *
     * @return the logits, or null
     */
    public Tensor logits() {
        return logits;
    }

    /**
     * Marks this tensor as {@code kind} ({@code "softmax"} or {@code "sigmoid"}) of {@code logits}, so that
     * a crossentropy loss can work from the logits (as Keras's TF backend does); returns this tensor.
     *
     * @param logits the activation's input
     * @param kind {@code "softmax"} or {@code "sigmoid"}
     * @return this tensor
     */
    public Tensor withLogits(Tensor logits, String kind) {
        this.logits = logits;
        this.logitsKind = kind;
        return this;
    }

    /**
     * The relu's input if this tensor is a relu output, else null.
     *
     * @return the relu's input, or null
     */
    public Tensor reluOf() {
        return reluOf;
    }

    /**
     * Marks this tensor as {@code relu(input)}, so that a max pooling of it can send its gradient
     * straight to {@code input} (see {@link Tape#leavesOnly()}); returns this tensor. Its values must
     * stay relu's outputs (nothing may change them in place later), as relu's own backward needs.
     *
     * @param input the relu's input
     * @return this tensor
     */
    public Tensor withReluOf(Tensor input) {
        this.reluOf = input;
        return this;
    }

    /**
     * {@code "softmax"} or {@code "sigmoid"} when {@link #logits()} is set.
     *
     * @return the kind, or null
     */
    public String logitsKind() {
        return logitsKind;
    }

    /**
     * The timestep mask carried with this tensor (set by {@code Embedding(maskZero)} and {@code Masking},
     * read by recurrent layers), or null. Ops never copy it: a layer that does not know masks drops it.
     *
     * @return the mask, shape {@code (batch, timesteps)}, or null
     */
    public INDArray mask() {
        return mask;
    }

    /**
     * Attaches a {@code (batch, timesteps)} mask of 1 and 0 (or null to remove it); returns this tensor.
     *
     * @param m the mask, or null
     * @return this tensor
     */
    public Tensor withMask(INDArray m) {
        this.mask = m;
        return this;
    }

    /**
     * Adds {@code g} to this tensor's gradient. {@code g} is not modified later by the caller.
     *
     * @param g a gradient of the value's shape
     */
    public void accumulate(INDArray g) {
        if (!requiresGrad) return;
        if (grad == null) {
            grad = g;
        } else {
            grad = grad.add(g);
        }
    }

    @Override
    public String toString() {
        return "Tensor" + Shape.format(value.shape());
    }
}
