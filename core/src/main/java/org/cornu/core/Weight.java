package org.cornu.core;

import org.cornu.core.constraints.Constraint;
import org.cornu.core.regularizers.Regularizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.cornu.core.autodiff.GradientTape;
import org.cornu.core.autodiff.StatelessScope;
import org.cornu.core.autodiff.Tensor;

/**
 * A layer's weight, as Keras's {@code Variable}: a named array that is trainable or not,
 * with an optional regularizer (added to the loss) and constraint (applied after each
 * optimizer update).
 */
public final class Weight {
    private final String name;
    private final String path;
    private INDArray value;
    private final boolean trainable;
    private final Regularizer regularizer;
    private final Constraint constraint;
    private Tensor constant;

    /**
     * A weight (Keras's {@code Variable}); layers make theirs with {@code Layer.addWeight}.
     *
     * @param name the short name, e.g. {@code "kernel"}
     * @param path the layer-qualified name, e.g. {@code "dense/kernel"}
     * @param value the initial value, kept (not copied) and updated in place
     * @param trainable whether the optimizer updates it
     * @param regularizer a penalty added to the loss, or null
     * @param constraint applied after each optimizer update, or null
     */
    public Weight(String name, String path, INDArray value, boolean trainable,
                  Regularizer regularizer, Constraint constraint) {
        this.name = name;
        this.path = path;
        this.value = value;
        this.trainable = trainable;
        this.regularizer = regularizer;
        this.constraint = constraint;
    }

    /**
     * Short name, e.g. {@code kernel}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Layer-qualified name, e.g. {@code dense/kernel}.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * The current value. Optimizers update it in place.
     *
     * @return the live array
     */
    public INDArray value() {
        return value;
    }

    /**
     * The weight's shape.
     *
     * @return the shape of {@link #value()}
     */
    public long[] shape() {
        return value.shape();
    }

    /**
     * Whether the optimizer updates this weight (Keras's {@code Variable.trainable}).
     *
     * @return true for a trainable weight
     */
    public boolean trainable() {
        return trainable;
    }

    /**
     * The penalty on this weight added to the loss.
     *
     * @return the regularizer, or null for none
     */
    public Regularizer regularizer() {
        return regularizer;
    }

    /**
     * The constraint applied after each optimizer update.
     *
     * @return the constraint, or null for none
     */
    public Constraint constraint() {
        return constraint;
    }

    /**
     * Copies {@code v} into this weight; the shapes must match.
     *
     * @param v the new value, of this weight's shape
     * @throws IllegalArgumentException on a shape mismatch
     */
    public void assign(INDArray v) {
        if (!java.util.Arrays.equals(v.shape(), value.shape())) {
            throw new IllegalArgumentException("Weight '" + path + "' has shape " + Shape.format(value.shape())
                    + " but the value assigned has shape " + Shape.format(v.shape()));
        }
        value.assign(v);
    }

    /**
     * The tensor that layers compute with: inside a {@link StatelessScope} that maps this weight,
     * the mapped tensor; while a {@link GradientTape} records and watches it, its variable on that
     * tape; else a constant.
     *
     * @return the tensor for this weight in the current context
     */
    public Tensor tensor() {
        Tensor s = StatelessScope.valueOf(this);
        if (s != null) return s;
        GradientTape tape = GradientTape.active();
        if (tape != null) {
            Tensor v = tape.variable(this);
            if (v != null) return v;
        }
        if (constant == null || constant.value() != value) constant = Tensor.constant(value);
        return constant;
    }

    @Override
    public String toString() {
        return "<Weight path=" + path + ", shape=" + Shape.format(value.shape()) + ">";
    }
}
