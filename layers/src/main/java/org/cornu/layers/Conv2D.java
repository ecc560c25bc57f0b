package org.cornu.layers;

import java.util.Map;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;

/**
 * 2-D convolution, {@code keras.layers.Conv2D}, on channels_last inputs {@code (batch, height,
 * width, channels)}: {@code activation(conv(x, kernel) + bias)} with kernel {@code (kh, kw,
 * in_channels, filters)} (glorot_uniform) and bias {@code (filters)} (zeros). Output
 * {@code (batch, new_height, new_width, filters)}; "valid" gives {@code floor((n - d*(k-1) - 1)
 * / s) + 1}, "same" gives {@code ceil(n / s)} with the extra padding on the bottom/right as TF.
 */
public class Conv2D extends BaseConv<Conv2D> {
    /**
     * A convolution with {@code filters} output channels, a square window and no activation.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize height and width of the window (Keras's {@code kernel_size})
     */
    public Conv2D(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null);
    }

    /**
     * As {@link #Conv2D(int, int)} with an activation.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize height and width of the window (Keras's {@code kernel_size})
     * @param activation the activation by name ({@code "relu"}) or object; null means linear (Keras's {@code activation})
     */
    public Conv2D(int filters, int kernelSize, Object activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation);
    }

    /**
     * A convolution with {@code filters} output channels, a {@code (kh, kw)} window and an activation.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize {@code (kh, kw)}, or one int for both (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation})
     */
    public Conv2D(int filters, int[] kernelSize, Object activation) {
        super("Conv2D", 2, filters, kernelSize, activation);
    }

    /**
     * Sets the step of the window (Keras's {@code strides}, default 1): one int for both axes, or
     * {@code (sh, sw)}.
     *
     * @param s the strides
     * @return this layer
     */
    public Conv2D strides(int... s) {
        return setStrides(s);
    }

    /**
     * Sets the dilation of the window (Keras's {@code dilation_rate}, default 1): one int or
     * {@code (dh, dw)}; cannot be combined with strides above 1, as in Keras.
     *
     * @param d the dilation rate
     * @return this layer
     */
    public Conv2D dilationRate(int... d) {
        return setDilationRate(d);
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor kernel, Tensor bias, int[] strides, String padding, int[] dilationRate) {
        return ConvOps.conv2d(x, kernel, bias, strides, padding.equals("same"), dilationRate);
    }

    /**
     * Re-creates a Conv2D layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Conv2D fromConfig(Map<String, Object> c) {
        LayerConfigs.checkGroups("Conv2D", c);
        return new Conv2D(Configs.getInt(c, "filters"), LayerConfigs.ints(c, "kernel_size", 2),
                LayerConfigs.activation(c.get("activation"))).configure(c);
    }
}
