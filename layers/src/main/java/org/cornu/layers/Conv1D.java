package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.Layer;
import org.cornu.core.ops.Ops;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.regularizers.Regularizer;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-D convolution over time, {@code keras.layers.Conv1D}, on {@code (batch, steps, channels)}:
 * kernel {@code (kernel_size, in_channels, filters)}, bias {@code (filters)}. Padding "valid",
 * "same" (extra on the right, as TF) or "causal" (zeros on the left only: output t sees
 * inputs up to t). Runs as a {@link org.cornu.core.ops.ConvOps#conv2d} over a height of 1.
 */
public class Conv1D extends Layer {
    private final int filters;
    private final int[] kernelSize;
    private int[] strides = {1};
    private String padding = "valid";
    private int[] dilationRate = {1};
    private ActivationFunction activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Registry.initializer("glorot_uniform");
    private Initializer biasInitializer = Registry.initializer("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private Weight kernel;
    private Weight bias;

    /** {@code filters} output channels, a window of {@code kernelSize} steps, no activation. */
    public Conv1D(int filters, int kernelSize) {
        this(filters, kernelSize, null);
    }

    /** As {@link #Conv1D(int, int)} with an activation by name ({@code "relu"}) or object. */
    public Conv1D(int filters, int kernelSize, Object activation) {
        if (filters <= 0) {
            throw new IllegalArgumentException("Invalid value for argument `filters` of Conv1D. Expected a strictly"
                    + " positive value. Received filters=" + filters + ".");
        }
        this.filters = filters;
        this.kernelSize = ConvUtils.tuple("Conv1D", "kernel_size", 1, kernelSize);
        this.activation = Registry.activation(activation);
        this.inputNdim = 3;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Conv1D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Conv1D name(String n) {
        return super.name(n);
    }

    /** Step of the window. */
    public Conv1D strides(int s) {
        this.strides = ConvUtils.tuple("Conv1D", "strides", 1, s);
        checkStridesDilation();
        return this;
    }

    /** {@code "valid"} (no padding, default), {@code "same"} or {@code "causal"}. */
    public Conv1D padding(String p) {
        this.padding = ConvUtils.padding("Conv1D", p, true);
        return this;
    }

    /** Only {@code "channels_last"} is supported. */
    public Conv1D dataFormat(String f) {
        ConvUtils.dataFormat("Conv1D", f);
        return this;
    }

    /** Dilation of the window; cannot be combined with strides > 1 (as Keras). */
    public Conv1D dilationRate(int d) {
        this.dilationRate = ConvUtils.tuple("Conv1D", "dilation_rate", 1, d);
        checkStridesDilation();
        return this;
    }

    private void checkStridesDilation() {
        boolean s = strides[0] > 1;
        boolean d = dilationRate[0] > 1;
        if (s && d) {
            throw new IllegalArgumentException("Conv1D: `strides > 1` not supported in conjunction with"
                    + " `dilation_rate > 1`. Received: strides=" + java.util.Arrays.toString(strides)
                    + " and dilation_rate=" + java.util.Arrays.toString(dilationRate));
        }
    }

    public Conv1D activation(Object a) {
        this.activation = Registry.activation(a);
        return this;
    }

    public Conv1D useBias(boolean b) {
        this.useBias = b;
        return this;
    }

    public Conv1D kernelInitializer(Object i) {
        this.kernelInitializer = Registry.initializer(i);
        return this;
    }

    public Conv1D biasInitializer(Object i) {
        this.biasInitializer = Registry.initializer(i);
        return this;
    }

    public Conv1D kernelRegularizer(Object r) {
        this.kernelRegularizer = Registry.regularizer(r);
        return this;
    }

    public Conv1D biasRegularizer(Object r) {
        this.biasRegularizer = Registry.regularizer(r);
        return this;
    }

    public Conv1D kernelConstraint(Object c) {
        this.kernelConstraint = Registry.constraint(c);
        return this;
    }

    public Conv1D biasConstraint(Object c) {
        this.biasConstraint = Registry.constraint(c);
        return this;
    }

    public int filters() {
        return filters;
    }

    public Weight kernel() {
        return kernel;
    }

    public Weight bias() {
        return bias;
    }

    @Override
    public void build(Shape inputShape) {
        long in = inputShape.get(-1);
        if (inputShape.rank() != 3) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer:"
                    + " expected ndim=3, found ndim=" + inputShape.rank() + ". Full shape received: " + inputShape);
        }
        if (in < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the channel dimension (last axis) of the"
                    + " inputs should be defined. Found None in shape " + inputShape);
        }
        kernel = addWeight("kernel", new long[] {kernelSize[0], in, filters}, kernelInitializer,
                kernelRegularizer, true, kernelConstraint);
        if (useBias) bias = addWeight("bias", new long[] {filters}, biasInitializer, biasRegularizer, true, biasConstraint);
        inputAxes.put(-1, in);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        long[] xs = x.shape();
        Tensor k = kernel.tensor();
        long[] ks = k.shape();
        Tensor x4 = x;
        long steps = xs[1];
        if (padding.equals("causal")) {
            long pad = (long) dilationRate[0] * (kernelSize[0] - 1);
            if (pad > 0) {
                Tensor zeros = Tensor.constant(Nd4j.zeros(x.value().dataType(), xs[0], pad, xs[2]));
                x4 = Ops.concat(1, zeros, x);
                steps += pad;
            }
        }
        x4 = Ops.reshape(x4, xs[0], 1, steps, xs[2]);
        Tensor k4 = Ops.reshape(k, 1, ks[0], ks[1], ks[2]);
        Tensor z = ConvOps.conv2d(x4, k4, bias == null ? null : bias.tensor(), new int[] {1, strides[0]},
                padding.equals("same"), new int[] {1, dilationRate[0]});
        long[] zs = z.shape();
        return activation.applyInPlace(Ops.reshape(z, zs[0], zs[2], zs[3]));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return ConvUtils.outputShape(name(), s, filters, kernelSize, strides, padding, dilationRate);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("filters", filters);
        c.put("kernel_size", ConvUtils.list(kernelSize));
        c.put("strides", ConvUtils.list(strides));
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        c.put("dilation_rate", ConvUtils.list(dilationRate));
        c.put("groups", 1);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", LayerConfigs.serialize(kernelInitializer));
        c.put("bias_initializer", LayerConfigs.serialize(biasInitializer));
        c.put("kernel_regularizer", LayerConfigs.serialize(kernelRegularizer));
        c.put("bias_regularizer", LayerConfigs.serialize(biasRegularizer));
        c.put("activity_regularizer", LayerConfigs.serialize(activityRegularizer()));
        c.put("kernel_constraint", LayerConfigs.serialize(kernelConstraint));
        c.put("bias_constraint", LayerConfigs.serialize(biasConstraint));
        return c;
    }

    /** Re-creates a Conv1D layer from Keras's config (absent keys take Keras's defaults). */
    public static Conv1D fromConfig(Map<String, Object> c) {
        LayerConfigs.checkGroups("Conv1D", c);
        Conv1D l = new Conv1D(Configs.getInt(c, "filters"), LayerConfigs.ints(c, "kernel_size", 1)[0],
                LayerConfigs.activation(c.get("activation")));
        l.strides(LayerConfigs.ints(c, "strides", 1, 1)[0]);
        l.padding(Configs.getString(c, "padding", "valid"));
        l.dataFormat(LayerConfigs.dataFormat(c));
        l.dilationRate(LayerConfigs.ints(c, "dilation_rate", 1, 1)[0]);
        l.useBias(Configs.getBoolean(c, "use_bias", true));
        if (c.get("kernel_initializer") != null) l.kernelInitializer(Configs.initializer(c.get("kernel_initializer")));
        if (c.get("bias_initializer") != null) l.biasInitializer(Configs.initializer(c.get("bias_initializer")));
        l.kernelRegularizer(Configs.regularizer(c.get("kernel_regularizer")));
        l.biasRegularizer(Configs.regularizer(c.get("bias_regularizer")));
        l.kernelConstraint(Configs.constraint(c.get("kernel_constraint")));
        l.biasConstraint(Configs.constraint(c.get("bias_constraint")));
        if (c.get("activity_regularizer") != null) l.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return l;
    }
}
