package org.cornu.layers;

import org.cornu.core.saving.Configs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cornu.core.training.FullyConnected;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.activations.ActivationFunction;

/**
 * A densely connected layer, {@code keras.layers.Dense}: {@code activation(x @ kernel + bias)}
 * over the last axis of the input. Kernel {@code (input_dim, units)} initialized
 * glorot_uniform, bias zeros.
 *
 * <p>{@code kernel} is a weight matrix created by the layer and {@code bias} a vector added to
 * every output (only when {@code use_bias} is true). An input of rank greater than 2 is
 * contracted on its last axis only: {@code (batch, d0, d1)} with a kernel {@code (d1, units)}
 * gives {@code (batch, d0, units)}.
 *
 * <p>Input shape: an N-D tensor {@code (batch_size, ..., input_dim)}, most often
 * {@code (batch_size, input_dim)}. Output shape: {@code (batch_size, ..., units)}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Dense(64, "relu").inputShape(16),
 *         new Dense(10, "softmax"));
 * }</pre>
 */
public class Dense extends Layer implements FullyConnected {
    private final int units;
    private ActivationFunction activation;
    private boolean useBias = true;
    private final WeightOptions kernelOptions = WeightOptions.kernel();
    private final WeightOptions biasOptions = WeightOptions.bias();
    private Weight kernel;
    private Weight bias;

    /**
     * A layer with {@code units} outputs and no activation (Keras's default, linear).
     *
     * @param units dimensionality of the output space, a positive integer (Keras's {@code units})
     * @throws IllegalArgumentException if {@code units} is not positive
     */
    public Dense(int units) {
        this(units, null);
    }

    /**
     * A layer with {@code units} outputs and an activation.
     *
     * @param units dimensionality of the output space, a positive integer (Keras's {@code units})
     * @param activation the activation, by name ({@code "relu"}) or as an object; null means
     *        linear, {@code a(x) = x} (Keras's {@code activation}, default None)
     * @throws IllegalArgumentException if {@code units} is not positive
     */
    public Dense(int units, Object activation) {
        if (units <= 0) {
            throw new IllegalArgumentException("Received an invalid value for `units`, expected a positive integer. Received: units=" + units);
        }
        this.units = units;
        this.activation = Registry.activation(activation);
        this.inputMinNdim = 2;
    }

    /** Declares the per-sample input shape; returns this Dense so that more options can follow. */
    @Override
    @SuppressWarnings("unchecked")
    public Dense inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Declares a per-sample input of {@code dim} features, as Keras's legacy {@code input_dim};
     * same as {@code inputShape(dim)}.
     *
     * @param dim number of input features
     * @return this layer
     */
    @Override
    @SuppressWarnings("unchecked")
    public Dense inputDim(long dim) {
        return super.inputShape(dim);
    }

    /**
     * Sets the layer's name (Keras's {@code name}; default a unique {@code "dense_N"}).
     *
     * @param n the name
     * @return this layer
     */
    @Override
    @SuppressWarnings("unchecked")
    public Dense name(String n) {
        return super.name(n);
    }

    /**
     * Sets the activation, by name or object; null means linear (Keras's {@code activation}, default None).
     *
     * @param a the activation
     * @return this layer
     */
    public Dense activation(Object a) {
        this.activation = Registry.activation(a);
        return this;
    }

    /**
     * Sets whether the layer adds a bias vector (Keras's {@code use_bias}, default true).
     *
     * @param b true to use a bias
     * @return this layer
     */
    public Dense useBias(boolean b) {
        this.useBias = b;
        return this;
    }

    /**
     * Sets the initializer of the kernel, by name or object (Keras's {@code kernel_initializer}, default {@code "glorot_uniform"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public Dense kernelInitializer(Object i) {
        kernelOptions.initializer(i);
        return this;
    }

    /**
     * Sets the initializer of the bias, by name or object (Keras's {@code bias_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public Dense biasInitializer(Object i) {
        biasOptions.initializer(i);
        return this;
    }

    /**
     * Sets a regularizer applied to the kernel, by name or object (Keras's {@code kernel_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public Dense kernelRegularizer(Object r) {
        kernelOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a regularizer applied to the bias, by name or object (Keras's {@code bias_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public Dense biasRegularizer(Object r) {
        biasOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a constraint applied to the kernel after each update (Keras's {@code kernel_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public Dense kernelConstraint(Object c) {
        kernelOptions.constraint(c);
        return this;
    }

    /**
     * Sets a constraint applied to the bias after each update (Keras's {@code bias_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public Dense biasConstraint(Object c) {
        biasOptions.constraint(c);
        return this;
    }

    /**
     * The dimensionality of the output space.
     *
     * @return Keras's {@code units}
     */
    public int units() {
        return units;
    }

    @Override
    public Weight kernel() {
        return kernel;
    }

    @Override
    public Weight bias() {
        return bias;
    }

    @Override
    public String activationName() {
        return activation.name();
    }

    @Override
    public boolean hasRegularizers() {
        return kernelOptions.regularizer() != null || biasOptions.regularizer() != null || activityRegularizer() != null;
    }

    @Override
    public void build(Shape inputShape) {
        long inputDim = inputShape.get(-1);
        if (inputDim < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the last dimension of the input must be known, got "
                    + inputShape);
        }
        kernel = kernelOptions.add(this::addWeight, "kernel", inputDim, units);
        if (useBias) bias = biasOptions.add(this::addWeight, "bias", units);
        inputAxes.put(-1, inputDim);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor k = kernel.tensor(), b = bias == null ? null : bias.tensor();
        Tensor z = Ops.linear(x, k, b);
        // z is owned here: activations whose backward needs only their output may work in place
        return activation.applyInPlace(z);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape.with(-1, units);
    }

    @Override
    public java.util.List<Shape> computeOutputShapes(java.util.List<Shape> inputShapes) {
        return java.util.List.of(computeOutputShape(inputShapes.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("units", units);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        WeightOptions.putConfig(c, kernelOptions, biasOptions);
        return c;
    }

    /**
     * Re-creates a Dense layer from Keras's config (name, trainable and input shape are applied by the caller).
     *
     * @param c the layer's {@code config} map, as Keras saves it
     * @return the new layer
     */
    public static Dense fromConfig(Map<String, Object> c) {
        Dense d = new Dense(Configs.getInt(c, "units"), Configs.activation(c.get("activation")));
        d.useBias(Configs.getBoolean(c, "use_bias", true));
        WeightOptions.readConfig(c, d.kernelOptions, d.biasOptions);
        if (c.get("activity_regularizer") != null) d.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return d;
    }
}
