package org.cornu.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cornu.core.Shape;
import org.cornu.core.Weight;
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
public class DepthwiseConv2D extends BaseDepthwiseConv<DepthwiseConv2D> {
    private static final String KIND = "DepthwiseConv2D";
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
        super(KIND, kernelSize, null);
        this.inputMinNdim = 4;
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
        long in = inputChannels(inputShape);
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
        putDepthwiseConfig(c);
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
        d.readDepthwiseConfig(c);
        d.activation(LayerConfigs.activation(c.get("activation")));
        WeightOptions.readConfig(c, d.depthwiseOptions, d.biasOptions);
        if (c.get("activity_regularizer") != null) d.activityRegularizer(Configs.regularizer(c.get("activity_regularizer")));
        return d;
    }
}
