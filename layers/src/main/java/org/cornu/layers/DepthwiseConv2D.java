package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Layer;
import org.cornu.core.Registry;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.activations.ActivationFunction;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * 2-D depthwise convolution, {@code keras.layers.DepthwiseConv2D}: each input channel is
 * convolved with its own {@code depth_multiplier} kernels, and the results are concatenated
 * along the channels, so that {@code (batch, h, w, c)} becomes {@code (batch, new_h, new_w,
 * c * depth_multiplier)}, output channel {@code i * depth_multiplier + q} coming from input
 * channel {@code i} (TensorFlow's order). Unlike a regular convolution, it does not mix
 * information across channels: it is the first step of a depthwise separable convolution.
 *
 * <p>Weights, in Keras 3's order and names: {@code kernel} {@code (kh, kw, c, depth_multiplier)}
 * (glorot_uniform; Keras 2 called it {@code depthwise_kernel}), then {@code bias}
 * {@code (c * depth_multiplier)} (zeros). Output sizes as {@link Conv2D}: "valid" gives
 * {@code floor((n - d*(k-1) - 1) / s) + 1}, "same" gives {@code ceil(n / s)}.
 *
 * <pre>{@code
 * new DepthwiseConv2D(3).strides(2).padding("same").useBias(false)
 * }</pre>
 */
public class DepthwiseConv2D extends Layer {
    private static final String KIND = "DepthwiseConv2D";
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private String padding = "valid";
    private int depthMultiplier = 1;
    private int[] dilationRate = {1, 1};
    private ActivationFunction activation;
    private boolean useBias = true;
    private final WeightOptions depthwiseOptions = new WeightOptions("depthwise", "glorot_uniform");
    private final WeightOptions biasOptions = WeightOptions.bias();
    private Weight kernel;
    private Weight bias;

    /**
     * A square {@code kernelSize} window, strides 1, "valid", depth multiplier 1, no activation.
     *
     * @param kernelSize height and width of the window (Keras's {@code kernel_size})
     */
    public DepthwiseConv2D(int kernelSize) {
        this(new int[] {kernelSize, kernelSize});
    }

    /**
     * A {@code (kh, kw)} window (one int for both, or two).
     *
     * @param kernelSize {@code (kh, kw)}, or one int for both (Keras's {@code kernel_size})
     */
    public DepthwiseConv2D(int[] kernelSize) {
        this.kernelSize = ConvUtils.tuple(KIND, "kernel_size", 2, kernelSize);
        this.activation = Registry.activation(null);
        this.inputMinNdim = 4;
    }

    @Override
    @SuppressWarnings("unchecked")
    public DepthwiseConv2D name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public DepthwiseConv2D inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Step of the window: one int for both axes, or {@code (sh, sw)}; cannot be combined with dilation &gt; 1.
     *
     * @param s the strides (Keras's {@code strides}, default 1)
     * @return this layer
     */
    public DepthwiseConv2D strides(int... s) {
        this.strides = ConvUtils.tuple(KIND, "strides", 2, s);
        checkStridesDilation();
        return this;
    }

    /**
     * {@code "valid"} (no padding, default) or {@code "same"}.
     *
     * @param p the padding mode (Keras's {@code padding}, default {@code "valid"})
     * @return this layer
     */
    public DepthwiseConv2D padding(String p) {
        this.padding = ConvUtils.padding(KIND, p, false);
        return this;
    }

    /**
     * The number of output channels for each input channel (default 1).
     *
     * @param m the multiplier (Keras's {@code depth_multiplier}, default 1)
     * @return this layer
     */
    public DepthwiseConv2D depthMultiplier(int m) {
        if (m <= 0) {
            throw new IllegalArgumentException("Invalid value for argument `depth_multiplier`. Expected a strictly positive"
                    + " value. Received depth_multiplier=" + m + ".");
        }
        this.depthMultiplier = m;
        return this;
    }

    /**
     * Only {@code "channels_last"} is supported.
     *
     * @param f the data format (Keras's {@code data_format}, default {@code "channels_last"})
     * @return this layer
     */
    public DepthwiseConv2D dataFormat(String f) {
        ConvUtils.dataFormat(KIND, f);
        return this;
    }

    /**
     * Dilation of the window: one int or {@code (dh, dw)}.
     *
     * @param d the dilation rate (Keras's {@code dilation_rate}, default 1)
     * @return this layer
     */
    public DepthwiseConv2D dilationRate(int... d) {
        this.dilationRate = ConvUtils.tuple(KIND, "dilation_rate", 2, d);
        checkStridesDilation();
        return this;
    }

    private void checkStridesDilation() {
        if (Math.max(strides[0], strides[1]) > 1 && Math.max(dilationRate[0], dilationRate[1]) > 1) {
            throw new IllegalArgumentException("`strides > 1` not supported in conjunction with `dilation_rate > 1`."
                    + " Received: strides=" + java.util.Arrays.toString(strides) + " and dilation_rate="
                    + java.util.Arrays.toString(dilationRate));
        }
    }

    /**
     * An activation by name or object; null for none (linear, the default).
     *
     * @param a the activation (Keras's {@code activation}, default None)
     * @return this layer
     */
    public DepthwiseConv2D activation(Object a) {
        this.activation = Registry.activation(a);
        return this;
    }

    /**
     * Sets whether the layer adds a bias vector (Keras's {@code use_bias}, default true).
     *
     * @param b true to use a bias
     * @return this layer
     */
    public DepthwiseConv2D useBias(boolean b) {
        this.useBias = b;
        return this;
    }

    /**
     * Sets the initializer of the depthwise kernel (Keras's {@code depthwise_initializer}, default {@code "glorot_uniform"}).
     *
     * @param i the initializer, by name or object
     * @return this layer
     */
    public DepthwiseConv2D depthwiseInitializer(Object i) {
        depthwiseOptions.initializer(i);
        return this;
    }

    /**
     * Sets the bias's initializer, by name or object (Keras's {@code bias_initializer}, default {@code "zeros"}).
     *
     * @param i the initializer
     * @return this layer
     */
    public DepthwiseConv2D biasInitializer(Object i) {
        biasOptions.initializer(i);
        return this;
    }

    /**
     * Sets a regularizer on the depthwise kernel (Keras's {@code depthwise_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public DepthwiseConv2D depthwiseRegularizer(Object r) {
        depthwiseOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a regularizer on the bias, by name or object (Keras's {@code bias_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public DepthwiseConv2D biasRegularizer(Object r) {
        biasOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a constraint applied to the depthwise kernel after each update (Keras's {@code depthwise_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public DepthwiseConv2D depthwiseConstraint(Object c) {
        depthwiseOptions.constraint(c);
        return this;
    }

    /**
     * Sets a constraint applied to the bias after each optimizer update (Keras's {@code bias_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public DepthwiseConv2D biasConstraint(Object c) {
        biasOptions.constraint(c);
        return this;
    }

    /**
     * The number of depthwise output channels per input channel.
     *
     * @return Keras's {@code depth_multiplier}
     */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    /**
     * The depthwise kernel {@code (kh, kw, c, depth_multiplier)} (Keras 3's {@code layer.kernel}).
     *
     * @return the weight, or null before the layer is built
     */
    public Weight kernel() {
        return kernel;
    }

    /**
     * The bias vector, one value per output channel.
     *
     * @return the bias weight, or null before the layer is built or when {@code use_bias} is false
     */
    public Weight bias() {
        return bias;
    }

    @Override
    public void build(Shape inputShape) {
        if (inputShape.rank() != 4) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer:"
                    + " expected ndim=4, found ndim=" + inputShape.rank() + ". Full shape received: " + inputShape);
        }
        long in = inputShape.get(-1);
        if (in < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the channel dimension (last axis) of the"
                    + " inputs should be defined. Found None in shape " + inputShape);
        }
        kernel = depthwiseOptions.add(this::addWeight, "kernel", kernelSize[0], kernelSize[1], in, depthMultiplier);
        if (useBias) bias = biasOptions.add(this::addWeight, "bias", in * depthMultiplier);
        inputAxes.put(-1, in);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor z = ConvOps.depthwiseConv2d(x, kernel.tensor(), strides, padding.equals("same"), dilationRate);
        if (bias != null) z = Ops.add(z, Ops.reshape(bias.tensor(), 1, 1, 1, bias.shape()[0]));
        return activation.applyInPlace(z);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        return ConvUtils.outputShape(name(), s, s.get(-1) < 0 ? -1 : s.get(-1) * depthMultiplier, kernelSize, strides,
                padding, dilationRate);
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> s) {
        return List.of(computeOutputShape(s.get(0)));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>(super.getConfig());
        c.put("depth_multiplier", depthMultiplier);
        c.put("kernel_size", ConvUtils.list(kernelSize));
        c.put("strides", ConvUtils.list(strides));
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        c.put("dilation_rate", ConvUtils.list(dilationRate));
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        WeightOptions.putConfigWithActivity(c, activityRegularizer(), depthwiseOptions, biasOptions);
        return c;
    }

    /**
     * Re-creates a DepthwiseConv2D layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static DepthwiseConv2D fromConfig(Map<String, Object> c) {
        DepthwiseConv2D d = new DepthwiseConv2D(LayerConfigs.ints(c, "kernel_size", 2));
        d.strides(LayerConfigs.ints(c, "strides", 2, 1));
        d.padding(Configs.getString(c, "padding", "valid"));
        d.depthMultiplier(Configs.getInt(c, "depth_multiplier", 1));
        d.dataFormat(LayerConfigs.dataFormat(c));
        d.dilationRate(LayerConfigs.ints(c, "dilation_rate", 2, 1));
        d.activation(LayerConfigs.activation(c.get("activation")));
        d.useBias(Configs.getBoolean(c, "use_bias", true));
        WeightOptions.readConfig(c, d.depthwiseOptions, d.biasOptions);
        if (c.get("activity_regularizer") != null) d.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return d;
    }
}
