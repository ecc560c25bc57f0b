package org.cornu.layers;

import java.util.Arrays;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.saving.Configs;

/**
 * Base of {@link DepthwiseConv2D} and {@link SeparableConv2D} (Keras's {@code BaseDepthwiseConv}
 * and {@code BaseSeparableConv}): a 2-D depthwise convolution on channels_last inputs
 * {@code (batch, height, width, channels)}, each input channel convolved with its own
 * {@code depth_multiplier} kernels. Holds the depthwise step's options (window, strides, padding,
 * dilation, depth multiplier), the activation, the bias switch and the depthwise kernel's and
 * bias's initializers, regularizers and constraints, with their fluent setters and config keys; a
 * subclass gives its constructors, its weights and how it runs.
 *
 * @param <L> the concrete layer, returned by the fluent setters
 */
public abstract class BaseDepthwiseConv<L extends BaseDepthwiseConv<L>> extends ConvActivationBias<L> {
    /** The layer's class name, used in error messages. */
    final String kind;
    /** The depthwise window {@code (kh, kw)}. */
    final int[] kernelSize;
    int[] strides = {1, 1};
    String padding = "valid";
    int depthMultiplier = 1;
    int[] dilationRate = {1, 1};
    final WeightOptions depthwiseOptions = new WeightOptions("depthwise", "glorot_uniform");

    /**
     * A depthwise convolution named {@code kind} in messages, with strides, dilation and depth
     * multiplier 1 and "valid" padding.
     *
     * @param kind the layer's class name, used in error messages
     * @param kernelSize {@code (kh, kw)}, or one int for both (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation}, default None)
     */
    BaseDepthwiseConv(String kind, int[] kernelSize, Object activation) {
        super(activation);
        this.kind = kind;
        this.kernelSize = ConvUtils.tuple(kind, "kernel_size", 2, kernelSize);
    }

    @Override
    @SuppressWarnings("unchecked")
    public L name(String n) {
        return super.name(n);
    }

    @Override
    @SuppressWarnings("unchecked")
    public L inputShape(long... shape) {
        return super.inputShape(shape);
    }

    /**
     * Step of the depthwise window: one int for both axes, or {@code (sh, sw)}; cannot be combined with dilation &gt; 1.
     *
     * @param s the strides (Keras's {@code strides}, default 1)
     * @return this layer
     */
    public L strides(int... s) {
        this.strides = ConvUtils.tuple(kind, "strides", 2, s);
        checkStridesDilation();
        return self();
    }

    /**
     * {@code "valid"} (no padding, default) or {@code "same"}.
     *
     * @param p the padding mode (Keras's {@code padding}, default {@code "valid"})
     * @return this layer
     */
    public L padding(String p) {
        this.padding = ConvUtils.padding(kind, p, false);
        return self();
    }

    /**
     * The number of depthwise output channels for each input channel (default 1).
     *
     * @param m the multiplier (Keras's {@code depth_multiplier}, default 1)
     * @return this layer
     * @throws IllegalArgumentException if {@code m} is not positive
     */
    public L depthMultiplier(int m) {
        if (m <= 0) {
            throw new IllegalArgumentException("Invalid value for argument `depth_multiplier` of " + kind + ". Expected a"
                    + " strictly positive value. Received depth_multiplier=" + m + ".");
        }
        this.depthMultiplier = m;
        return self();
    }

    /**
     * Only {@code "channels_last"} is supported.
     *
     * @param f the data format (Keras's {@code data_format}, default {@code "channels_last"})
     * @return this layer
     */
    public L dataFormat(String f) {
        ConvUtils.dataFormat(kind, f);
        return self();
    }

    /**
     * Dilation of the depthwise window: one int or {@code (dh, dw)}.
     *
     * @param d the dilation rate (Keras's {@code dilation_rate}, default 1)
     * @return this layer
     */
    public L dilationRate(int... d) {
        this.dilationRate = ConvUtils.tuple(kind, "dilation_rate", 2, d);
        checkStridesDilation();
        return self();
    }

    private void checkStridesDilation() {
        if (Math.max(strides[0], strides[1]) > 1 && Math.max(dilationRate[0], dilationRate[1]) > 1) {
            throw new IllegalArgumentException(kind + ": `strides > 1` not supported in conjunction with `dilation_rate > 1`."
                    + " Received: strides=" + Arrays.toString(strides) + " and dilation_rate=" + Arrays.toString(dilationRate));
        }
    }

    /**
     * Sets the initializer of the depthwise kernel (Keras's {@code depthwise_initializer}, default {@code "glorot_uniform"}).
     *
     * @param i the initializer, by name or object
     * @return this layer
     */
    public L depthwiseInitializer(Object i) {
        depthwiseOptions.initializer(i);
        return self();
    }

    /**
     * Sets a regularizer on the depthwise kernel (Keras's {@code depthwise_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public L depthwiseRegularizer(Object r) {
        depthwiseOptions.regularizer(r);
        return self();
    }

    /**
     * Sets a constraint applied to the depthwise kernel after each update (Keras's {@code depthwise_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public L depthwiseConstraint(Object c) {
        depthwiseOptions.constraint(c);
        return self();
    }

    /**
     * The number of depthwise output channels per input channel.
     *
     * @return Keras's {@code depth_multiplier}
     */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    /** The input's channel count, after checking that the input is 4-D with a known last axis. */
    long inputChannels(Shape inputShape) {
        if (inputShape.rank() != 4) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer:"
                    + " expected ndim=4, found ndim=" + inputShape.rank() + ". Full shape received: " + inputShape);
        }
        long in = inputShape.get(-1);
        if (in < 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the channel dimension (last axis) of the"
                    + " inputs should be defined. Found None in shape " + inputShape);
        }
        return in;
    }

    /** Puts the depthwise step's, activation's and bias switch's config keys, in Keras's order after {@code filters} (if any). */
    void putDepthwiseConfig(Map<String, Object> c) {
        c.put("kernel_size", ConvUtils.list(kernelSize));
        c.put("strides", ConvUtils.list(strides));
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        c.put("dilation_rate", ConvUtils.list(dilationRate));
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
    }

    /** Reads what {@link #putDepthwiseConfig} and {@code depth_multiplier} write (absent keys take Keras's defaults). */
    void readDepthwiseConfig(Map<String, Object> c) {
        strides(LayerConfigs.ints(c, "strides", 2, 1));
        padding(Configs.getString(c, "padding", "valid"));
        depthMultiplier(Configs.getInt(c, "depth_multiplier", 1));
        dataFormat(LayerConfigs.dataFormat(c));
        dilationRate(LayerConfigs.ints(c, "dilation_rate", 2, 1));
        useBias(Configs.getBoolean(c, "use_bias", true));
    }
}
