package org.cornu.core.autodiff;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.cornu.core.Shape;

/**
 * Reverse-mode automatic differentiation: while a tape records (per thread), every
 * differentiable op whose inputs need a gradient appends its output; {@link #backward}
 * walks them in reverse order. Like {@code tf.GradientTape}.
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *     Tensor loss = ...;
 *     tape.backward(loss);
 * }
 * }</pre>
 */
public final class Tape implements AutoCloseable {
    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();
    /** Per thread: whether the backward pass running reads only the gradients of leaves ({@link #backwardToLeaves}). */
    private static final ThreadLocal<boolean[]> LEAVES_ONLY = ThreadLocal.withInitial(() -> new boolean[1]);
    private final List<Tensor> nodes = new ArrayList<>();
    private final Tape outer;

    private Tape(Tape outer) {
        this.outer = outer;
    }

    /**
     * Starts recording on this thread until {@link #close()}.
     *
     * @return the tape
     */
    public static Tape record() {
        Tape t = new Tape(CURRENT.get());
        CURRENT.set(t);
        return t;
    }

    /**
     * True while a tape records on this thread.
     *
     * @return true while recording
     */
    public static boolean recording() {
        return CURRENT.get() != null;
    }

    /**
     * Records {@code out} if a tape is active and it needs a gradient; returns it.
     *
     * @param out an op's output
     * @param backward how to propagate its gradient to the op's inputs
     * @return {@code out}
     */
    public static Tensor push(Tensor out, Tensor.Backward backward) {
        Tape t = CURRENT.get();
        if (t != null && out.requiresGrad) {
            out.backward = backward;
            t.nodes.add(out);
        }
        return out;
    }

    /**
     * True if ops on these inputs must record (a tape is active and one input needs a gradient).
     *
     * @param inputs an op's inputs
     * @return true if the op must record
     */
    public static boolean needsGrad(Tensor... inputs) {
        if (CURRENT.get() == null) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad) return true;
        return false;
    }

    /**
     * Back-propagates from a scalar {@code loss} (seed gradient 1).
     *
     * @param loss a scalar tensor
     */
    public void backward(Tensor loss) {
        if (loss.value.length() != 1) {
            throw new IllegalArgumentException("backward() needs a scalar loss, got shape "
                    + Shape.format(loss.value.shape()));
        }
        backward(loss, Nd4j.ones(loss.value.dataType(), loss.value.shape()));
    }

    /**
     * As {@link #backward(Tensor)}, for a caller that then reads the gradients of leaves only
     * (weights and other tensors made with {@link Tensor#variable}), never those of tensors that ops
     * computed: ops may then send a gradient past such a tensor straight to its inputs, leaving its
     * own gradient incomplete. {@link GradientTape#gradient(Tensor, java.util.List)} runs this way;
     * a max pooling of a relu output then masks its pooled gradient by the relu's derivative and
     * sends it to the relu's input, where relu's backward would otherwise pass over the whole map.
     *
     * @param loss a scalar tensor
     */
    public void backwardToLeaves(Tensor loss) {
        boolean[] flag = LEAVES_ONLY.get();
        boolean was = flag[0];
        flag[0] = true;
        try {
            backward(loss);
        } finally {
            flag[0] = was;
        }
    }

    /**
     * True while a {@link #backwardToLeaves} pass runs on this thread: ops may leave the gradients
     * of computed tensors incomplete.
     *
     * @return true during such a pass
     */
    public static boolean leavesOnly() {
        return LEAVES_ONLY.get()[0];
    }

    /**
     * Back-propagates {@code seed} as the gradient of {@code out}.
     *
     * @param out a recorded tensor
     * @param seed its gradient, of its shape
     */
    public void backward(Tensor out, INDArray seed) {
        out.accumulate(seed);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Tensor n = nodes.get(i);
            if (n.grad != null && n.backward != null) {
                n.backward.apply(n.grad);
            }
        }
    }

    /**
     * Number of recorded ops (for tests).
     *
     * @return the count
     */
    public int size() {
        return nodes.size();
    }

    /** Stops recording on this thread (the recorded ops stay, for a later {@link #backward}). */
    void stop() {
        if (CURRENT.get() == this) CURRENT.set(outer);
    }

    @Override
    public void close() {
        stop();
        nodes.clear();
    }
}
