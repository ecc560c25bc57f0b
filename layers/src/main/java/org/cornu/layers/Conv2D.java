package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.Weight;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.constraints.Constraint;
import org.cornu.core.initializers.Initializer;
import org.cornu.core.regularizers.Regularizer;
import org.cornu.core.saving.Configs;

/**
 * 2-D convolution, {@code keras.layers.Conv2D}, on channels_last inputs {@code (batch, height,
 * width, channels)}: {@code activation(conv(x, kernel) + bias)} with kernel {@code (kh, kw,
 * in_channels, filters)} (glorot_uniform) and bias {@code (filters)} (zeros). Output
 * {@code (batch, new_height, new_width, filters)}; "valid" gives {@code floor((n - d*(k-1) - 1)
 * / s) + 1}, "same" gives {@code ceil(n / s)} with the extra padding on the bottom/right as TF.
 */
public class Conv2D extends Layer {
    private final int filters;
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private String padding = "valid";
    private int[] dilationRate = {1, 1};
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

    /** {@code filters} output channels, a square {@code kernelSize} window, no activation. */
    public Conv2D(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null);
    }

    /** As {@link #Conv2D(int, int)} with an activation by name ({@code "relu"}) or object. */
    public Conv2D(int filters, int kernelSize, Object activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation);
    }

    /** {@code filters} output channels, a {@code (kh, kw)} window, an activation (or null). */
    public Conv2D(int filters, int[] kernelSize, Object activation) {
        if (filters <= 0) {
            throw new IllegalArgumentException("Invalid value for argument `filters` of Conv2D. Expected a strictly"
                    + " positive value. Received filters=" + filters + ".");
        }
        this.filters = filters;
        this.kernelSize = ConvUtils.tuple("Conv2D", "kernel_size", 2, kernelSize);
        this.activation = Registry.activation(activation);
        this.inputNdim = 4;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Conv2D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Conv2D name(String n) {
        return super.name(n);
    }

    /** Step of the window: one int for both axes, or {@code (sh, sw)}. */
    public Conv2D strides(int... s) {
        this.strides = ConvUtils.tuple("Conv2D", "strides", 2, s);
        checkStridesDilation();
        return this;
    }

    /** {@code "valid"} (no padding, default) or {@code "same"}. */
    public Conv2D padding(String p) {
        this.padding = ConvUtils.padding("Conv2D", p, false);
        return this;
    }

    /** Only {@code "channels_last"} is supported. */
    public Conv2D dataFormat(String f) {
        ConvUtils.dataFormat("Conv2D", f);
        return this;
    }

    /** Dilation of the window: one int or {@code (dh, dw)}; cannot be combined with strides > 1 (as Keras). */
    public Conv2D dilationRate(int... d) {
        this.dilationRate = ConvUtils.tuple("Conv2D", "dilation_rate", 2, d);
        checkStridesDilation();
        return this;
    }

    private void checkStridesDilation() {
        boolean s = strides[0] > 1 || strides[1] > 1;
        boolean d = dilationRate[0] > 1 || dilationRate[1] > 1;
        if (s && d) {
            throw new IllegalArgumentException("Conv2D: `strides > 1` not supported in conjunction with"
                    + " `dilation_rate > 1`. Received: strides=" + java.util.Arrays.toString(strides)
                    + " and dilation_rate=" + java.util.Arrays.toString(dilationRate));
        }
    }

    public Conv2D activation(Object a) {
        this.activation = Registry.activation(a);
        return this;
    }

    public Conv2D useBias(boolean b) {
        this.useBias = b;
        return this;
    }

    public Conv2D kernelInitializer(Object i) {
        this.kernelInitializer = Registry.initializer(i);
        return this;
    }

    public Conv2D biasInitializer(Object i) {
        this.biasInitializer = Registry.initializer(i);
        return this;
    }

    public Conv2D kernelRegularizer(Object r) {
        this.kernelRegularizer = Registry.regularizer(r);
        return this;
    }

    public Conv2D biasRegularizer(Object r) {
        this.biasRegularizer = Registry.regularizer(r);
        return this;
    }

    public Conv2D kernelConstraint(Object c) {
        this.kernelConstraint = Registry.constraint(c);
        return this;
    }

    public Conv2D biasConstraint(Object c) {
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
        if (inputShape.rank() != 4) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer:"
                    + " expected ndim=4, found ndim=" + inputShape.rank() + ". Full shape received: " + inputShape);
        }
        if (in < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the channel dimension (last axis) of the"
                    + " inputs should be defined. Found None in shape " + inputShape);
        }
        kernel = addWeight("kernel", new long[] {kernelSize[0], kernelSize[1], in, filters}, kernelInitializer,
                kernelRegularizer, true, kernelConstraint);
        if (useBias) bias = addWeight("bias", new long[] {filters}, biasInitializer, biasRegularizer, true, biasConstraint);
        inputAxes.put(-1, in);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor z = ConvOps.conv2d(x, kernel.tensor(), bias == null ? null : bias.tensor(), strides,
                padding.equals("same"), dilationRate);
        return activation.applyInPlace(z);
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

    /** Re-creates a Conv2D layer from Keras's config (absent keys take Keras's defaults). */
    public static Conv2D fromConfig(Map<String, Object> c) {
        LayerConfigs.checkGroups("Conv2D", c);
        Conv2D l = new Conv2D(Configs.getInt(c, "filters"), LayerConfigs.ints(c, "kernel_size", 2),
                LayerConfigs.activation(c.get("activation")));
        l.strides(LayerConfigs.ints(c, "strides", 2, 1));
        l.padding(Configs.getString(c, "padding", "valid"));
        l.dataFormat(LayerConfigs.dataFormat(c));
        l.dilationRate(LayerConfigs.ints(c, "dilation_rate", 2, 1));
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
