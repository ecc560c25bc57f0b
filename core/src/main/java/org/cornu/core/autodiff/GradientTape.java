package org.cornu.core.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records the operations run inside it so that gradients can be taken afterwards, as
 * {@code tf.GradientTape} in a Keras 3 custom training loop. Every trainable {@link Weight} a
 * layer reads while the tape records is watched automatically; other arrays are watched with
 * {@link #watch(INDArray)}.
 *
 * <pre>{@code
 * List<INDArray> grads;
 * try (GradientTape tape = new GradientTape()) {
 *     Tensor logits = model.call(x, true);
 *     Tensor loss = lossFn.compute(y, logits, null);
 *     grads = tape.gradient(loss, model.trainableWeights());
 * }
 * optimizer.apply(grads, model.trainableWeights());
 * }</pre>
 *
 * <p>A tape gives gradients once ({@code persistent=False}, Keras's default); taking them
 * again throws. Tapes are per thread. Close it (try-with-resources) so that the weights read
 * later are plain constants again.
 */
public final class GradientTape implements AutoCloseable {
    private static final ThreadLocal<GradientTape> ACTIVE = new ThreadLocal<>();

    private final Tape tape;
    private final GradientTape outer;
    /** Null: every trainable weight read is watched; else only these. */
    private final Set<Weight> only;
    private final Map<Weight, Tensor> variables = new IdentityHashMap<>();
    private boolean recording = true;
    private boolean used;

    /** Starts recording on this thread; trainable weights read from now on are watched. */
    public GradientTape() {
        this(null);
    }

    /**
     * Starts recording, watching only {@code weights} (Keras's
     * {@code GradientTape(watch_accessed_variables=False)} followed by {@code tape.watch(weights)}):
     * frozen weights then cost no gradient computation.
     *
     * @param weights the weights to watch; null watches every trainable weight
     */
    public GradientTape(List<Weight> weights) {
        if (weights == null) {
            only = null;
        } else {
            only = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            only.addAll(weights);
        }
        outer = ACTIVE.get();
        tape = Tape.record();
        ACTIVE.set(this);
    }

    /**
     * The tape recording on this thread, or null.
     *
     * @return the tape
     */
    public static GradientTape active() {
        return ACTIVE.get();
    }

    /**
     * The variable standing for {@code w} on this tape (created on first read), or null if the
     * tape does not watch it. Called by {@link Weight#tensor()}.
     *
     * @param w a weight being read
     * @return its variable, or null
     */
    public Tensor variable(Weight w) {
        if (!recording) return null;
        Tensor v = variables.get(w);
        if (v != null) return v;
        if (only != null ? !only.contains(w) : !w.trainable()) return null;
        v = Tensor.variable(w.value());
        variables.put(w, v);
        return v;
    }

    /**
     * Watches an array that is not a weight (an input, say): ops on the returned tensor are differentiated.
     *
     * @param x the array
     * @return a tensor whose gradient {@link #gradient(Tensor, Tensor)} can return
     */
    public Tensor watch(INDArray x) {
        return Tensor.variable(x);
    }

    /**
     * The gradients of the scalar {@code target} with respect to each weight, in order; null for
     * a weight the target does not depend on (Keras returns None there).
     *
     * @param target the scalar to differentiate, e.g. the loss
     * @param weights the weights, e.g. {@code model.trainableWeights()}
     * @return one gradient per weight, of its shape, or null
     */
    public List<INDArray> gradient(Tensor target, List<Weight> weights) {
        backward(target, true);
        List<INDArray> r = new ArrayList<>(weights.size());
        for (Weight w : weights) {
            Tensor v = variables.get(w);
            r.add(v == null ? null : v.grad());
        }
        return r;
    }

    /**
     * The gradient of the scalar {@code target} with respect to a tensor from {@link #watch}, or null if none reached it.
     *
     * @param target the scalar to differentiate
     * @param source a tensor from {@link #watch}
     * @return the gradient, of the source's shape, or null
     */
    public INDArray gradient(Tensor target, Tensor source) {
        backward(target, false);
        return source.grad();
    }

    /** {@code leaves}: only the weights' gradients are read ({@link Tape#backwardToLeaves}). */
    private void backward(Tensor target, boolean leaves) {
        if (used) {
            throw new IllegalStateException("A non-persistent GradientTape can only be used to compute one set of gradients");
        }
        if (target == null) throw new IllegalArgumentException("GradientTape.gradient: target must not be null");
        if (target.value().length() != 1) {
            throw new IllegalArgumentException("GradientTape.gradient needs a scalar target (a reduced loss), got shape "
                    + Shape.format(target.value().shape()) + "; reduce it first, e.g. with Loss.compute(yTrue, yPred, null)");
        }
        used = true;
        stop();
        if (leaves) tape.backwardToLeaves(target);
        else tape.backward(target);
    }

    private void stop() {
        if (!recording) return;
        recording = false;
        tape.stop();
        if (ACTIVE.get() == this) ACTIVE.set(outer);
    }

    /** Stops recording and releases what was recorded; weights read afterwards are constants again. */
    @Override
    public void close() {
        stop();
        tape.close();
    }
}
