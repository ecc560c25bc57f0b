package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.saving.Configs;

/**
 * 2-D separable convolution layer, {@code keras.layers.SeparableConv2D}, on channels_last
 * inputs {@code (batch, height, width, channels)}.
 *
 * <p>This layer performs a depthwise convolution that acts separately on channels, followed by
 * a pointwise convolution that mixes channels. If {@code use_bias} is true and a bias
 * initializer is provided, it adds a bias vector to the output. It then optionally applies an
 * activation function to produce the final output. The depthwise step is
 * {@link DepthwiseConv2D}'s (strides, padding and dilation apply to it); the pointwise step is
 * a 1x1 {@link Conv2D} with stride 1.
 *
 * <p>Weights, in Keras's order and names: {@code depthwise_kernel} {@code (kh, kw,
 * in_channels, depth_multiplier)}, {@code pointwise_kernel} {@code (1, 1, in_channels *
 * depth_multiplier, filters)} (both glorot_uniform) and {@code bias} {@code (filters)} (zeros).
 * Output {@code (batch, new_height, new_width, filters)} with {@link Conv2D}'s sizes.
 *
 * <pre>{@code
 * new SeparableConv2D(64, 3).padding("same").depthMultiplier(2).activation("relu")
 * }</pre>
 */
public class SeparableConv2D extends BaseDepthwiseConv<SeparableConv2D> {
    private static final String KIND = "SeparableConv2D";
    private final int filters;
    private final WeightOptions pointwiseOptions = new WeightOptions("pointwise", "glorot_uniform");
    private Weight depthwiseKernel;
    private Weight pointwiseKernel;
    private Weight bias;

    /**
     * {@code filters} output channels, a square {@code kernelSize} window, no activation.
     *
     * @param filters number of output channels of the pointwise step (Keras's {@code filters})
     * @param kernelSize height and width of the depthwise window (Keras's {@code kernel_size})
     */
    public SeparableConv2D(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null);
    }

    /**
     * As {@link #SeparableConv2D(int, int)} with an activation by name ({@code "relu"}) or object.
     *
     * @param filters number of output channels of the pointwise step (Keras's {@code filters})
     * @param kernelSize height and width of the depthwise window (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation})
     */
    public SeparableConv2D(int filters, int kernelSize, Object activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation);
    }

    /**
     * {@code filters} output channels, a {@code (kh, kw)} window, an activation (or null).
     *
     * @param filters number of output channels of the pointwise step (Keras's {@code filters})
     * @param kernelSize {@code (kh, kw)}, or one int for both (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation})
     */
    public SeparableConv2D(int filters, int[] kernelSize, Object activation) {
        super(KIND, kernelSize, activation);
        if (filters <= 0) {
            throw new IllegalArgumentException("Invalid value for argument `filters` of " + KIND + ". Expected a strictly"
                    + " positive value. Received filters=" + filters + ".");
        }
        this.filters = filters;
        this.inputNdim = 4;
    }

    /**
     * Sets the initializer of the pointwise kernel (Keras's {@code pointwise_initializer}, default {@code "glorot_uniform"}).
     *
     * @param i the initializer, by name or object
     * @return this layer
     */
    public SeparableConv2D pointwiseInitializer(Object i) {
        pointwiseOptions.initializer(i);
        return this;
    }

    /**
     * Sets a regularizer on the pointwise kernel (Keras's {@code pointwise_regularizer}, default None).
     *
     * @param r the regularizer, or null for none
     * @return this layer
     */
    public SeparableConv2D pointwiseRegularizer(Object r) {
        pointwiseOptions.regularizer(r);
        return this;
    }

    /**
     * Sets a constraint applied to the pointwise kernel after each update (Keras's {@code pointwise_constraint}, default None).
     *
     * @param c the constraint, or null for none
     * @return this layer
     */
    public SeparableConv2D pointwiseConstraint(Object c) {
        pointwiseOptions.constraint(c);
        return this;
    }

    /**
     * The number of output channels.
     *
     * @return Keras's {@code filters}
     */
    public int filters() {
        return filters;
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
     * The depthwise kernel {@code (kh, kw, in_channels, depth_multiplier)}.
     *
     * @return the weight, or null before the layer is built
     */
    public Weight depthwiseKernel() {
        return depthwiseKernel;
    }

    /**
     * The pointwise kernel {@code (1, 1, in_channels * depth_multiplier, filters)}.
     *
     * @return the weight, or null before the layer is built
     */
    public Weight pointwiseKernel() {
        return pointwiseKernel;
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
        long in = inputChannels(inputShape);
        depthwiseKernel = depthwiseOptions.add(this::addWeight, "depthwise_kernel", kernelSize[0], kernelSize[1], in,
                depthMultiplier);
        pointwiseKernel = pointwiseOptions.add(this::addWeight, "pointwise_kernel", 1, 1, in * depthMultiplier, filters);
        if (useBias) bias = biasOptions.add(this::addWeight, "bias", filters);
        inputAxes.put(-1, in);
        built = true;
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor d = ConvOps.depthwiseConv2d(x, depthwiseKernel.tensor(), strides, padding.equals("same"), dilationRate);
        Tensor z = ConvOps.conv2d(d, pointwiseKernel.tensor(), bias == null ? null : bias.tensor(), new int[] {1, 1},
                false, new int[] {1, 1});
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
        c.put("depth_multiplier", depthMultiplier);
        c.put("filters", filters);
        putDepthwiseConfig(c);
        WeightOptions.putConfigWithActivity(c, activityRegularizer(), depthwiseOptions, pointwiseOptions, biasOptions);
        return c;
    }

    /**
     * Re-creates a SeparableConv2D layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static SeparableConv2D fromConfig(Map<String, Object> c) {
        SeparableConv2D l = new SeparableConv2D(Configs.getInt(c, "filters"), LayerConfigs.ints(c, "kernel_size", 2),
                LayerConfigs.activation(c.get("activation")));
        l.readDepthwiseConfig(c);
        WeightOptions.readConfig(c, l.depthwiseOptions, l.pointwiseOptions, l.biasOptions);
        if (c.get("activity_regularizer") != null) l.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return l;
    }
}
