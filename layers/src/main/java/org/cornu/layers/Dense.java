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
 */
public class Dense extends Layer implements FullyConnected {
    private final int units;
    private ActivationFunction activation;
    private boolean useBias = true;
    private final WeightOptions kernelOptions = WeightOptions.kernel();
    private final WeightOptions biasOptions = WeightOptions.bias();
    private Weight kernel;
    private Weight bias;

    /** {@code units} outputs, no activation. */
    public Dense(int units) {
        this(units, null);
    }

    /** {@code units} outputs with an activation given by name ({@code "relu"}) or object. */
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

    @Override
    @SuppressWarnings("unchecked")
    public Dense inputDim(long dim) {
        return super.inputShape(dim);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Dense name(String n) {
        return super.name(n);
    }

    public Dense activation(Object a) {
        this.activation = Registry.activation(a);
        return this;
    }

    public Dense useBias(boolean b) {
        this.useBias = b;
        return this;
    }

    public Dense kernelInitializer(Object i) {
        kernelOptions.initializer(i);
        return this;
    }

    public Dense biasInitializer(Object i) {
        biasOptions.initializer(i);
        return this;
    }

    public Dense kernelRegularizer(Object r) {
        kernelOptions.regularizer(r);
        return this;
    }

    public Dense biasRegularizer(Object r) {
        biasOptions.regularizer(r);
        return this;
    }

    public Dense kernelConstraint(Object c) {
        kernelOptions.constraint(c);
        return this;
    }

    public Dense biasConstraint(Object c) {
        biasOptions.constraint(c);
        return this;
    }

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

    /** Re-creates a Dense layer from Keras's config (name, trainable and input shape are applied by the caller). */
    public static Dense fromConfig(Map<String, Object> c) {
        Dense d = new Dense(Configs.getInt(c, "units"), Configs.activation(c.get("activation")));
        d.useBias(Configs.getBoolean(c, "use_bias", true));
        WeightOptions.readConfig(c, d.kernelOptions, d.biasOptions);
        if (c.get("activity_regularizer") != null) d.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return d;
    }
}
