package org.cornu.layers;

import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.activations.ActivationFunction;

/**
 * What {@link BaseConv} and {@link BaseDepthwiseConv} share: the activation applied to the
 * output, the bias switch, and the bias's initializer, regularizer and constraint, with their
 * fluent setters.
 *
 * @param <L> the concrete layer, returned by the fluent setters
 */
abstract class ConvActivationBias<L extends ConvActivationBias<L>> extends Layer {
    /** The activation applied to the output (linear when none was given). */
    ActivationFunction activation;
    /** Whether the layer adds a bias vector. */
    boolean useBias = true;
    /** The bias's initializer ({@code "zeros"}), regularizer and constraint. */
    final WeightOptions biasOptions = WeightOptions.bias();

    /** With {@code activation} by name or object, null meaning linear. */
    ConvActivationBias(Object activation) {
        this.activation = Registry.activation(activation);
    }

    /** This layer, as its own type (the setters' return value). */
    @SuppressWarnings("unchecked")
    final L self() {
        return (L) this;
    }

    /**
     * Sets the activation, by name or object; null means linear (Keras's {@code activation}, default None).
     *
     * @param a the activation
     * @return this layer
     */
    public L activation(Object a) {
        this.activation = Registry.activation(a);
        return self();
    }

    /**
     * Sets whether the layer adds a bias vector (Keras's {@code use_bias}, default true).
     *
     * @param b true to use a bias
     * @return this layer
     */
    public L useBias(boolean b) {
        this.useBias = b;
        return self();
    }

    /**
     * Sets the bias's initializer, by name or object (Keras's {@code bias_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public L biasInitializer(Object i) {
        biasOptions.initializer(i);
        return self();
    }

    /**
     * Sets a regularizer on the bias, by name or object (Keras's {@code bias_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public L biasRegularizer(Object r) {
        biasOptions.regularizer(r);
        return self();
    }

    /**
     * Sets a constraint applied to the bias after each optimizer update (Keras's {@code bias_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public L biasConstraint(Object c) {
        biasOptions.constraint(c);
        return self();
    }
}
