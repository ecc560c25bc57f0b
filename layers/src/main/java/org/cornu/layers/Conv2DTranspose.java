package org.cornu.layers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.saving.Configs;

/**
 * 2-D transposed convolution layer, {@code keras.layers.Conv2DTranspose}, on channels_last
 * inputs {@code (batch, height, width, channels)}.
 *
 * <p>The need for transposed convolutions generally arises from the desire to use a
 * transformation going in the opposite direction of a normal convolution, i.e., from something
 * that has the shape of the output of some convolution to something that has the shape of its
 * input while maintaining a connectivity pattern that is compatible with said convolution.
 *
 * <p>Weights, in Keras's order: {@code kernel} {@code (kh, kw, filters, in_channels)}
 * (glorot_uniform) and {@code bias} {@code (filters)} (zeros). Output {@code (batch,
 * new_height, new_width, filters)}: "valid" gives {@code (n-1)*stride + k' + output_padding},
 * "same" gives {@code n*stride} without output padding, with {@code k' = dilation*(k-1) + 1}
 * (see {@link BaseConvTranspose}).
 *
 * <pre>{@code
 * new Conv2DTranspose(16, 3).strides(2).padding("same").activation("relu")   // (8, 8, c) -> (16, 16, 16)
 * }</pre>
 */
public class Conv2DTranspose extends BaseConvTranspose<Conv2DTranspose> {
    /**
     * {@code filters} output channels, a square {@code kernelSize} window, no activation.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize height and width of the window (Keras's {@code kernel_size})
     */
    public Conv2DTranspose(int filters, int kernelSize) {
        this(filters, new int[] {kernelSize, kernelSize}, null);
    }

    /**
     * As {@link #Conv2DTranspose(int, int)} with an activation by name ({@code "relu"}) or object.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize height and width of the window (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation})
     */
    public Conv2DTranspose(int filters, int kernelSize, Object activation) {
        this(filters, new int[] {kernelSize, kernelSize}, activation);
    }

    /**
     * {@code filters} output channels, a {@code (kh, kw)} window, an activation (or null).
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize {@code (kh, kw)}, or one int for both (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation})
     */
    public Conv2DTranspose(int filters, int[] kernelSize, Object activation) {
        super("Conv2DTranspose", 2, filters, kernelSize, activation);
    }

    /**
     * Step of the window: one int for both axes, or {@code (sh, sw)}.
     *
     * @param s the strides (Keras's {@code strides}, default 1)
     * @return this layer
     */
    public Conv2DTranspose strides(int... s) {
        return setStrides(s);
    }

    /**
     * Dilation of the window: one int or {@code (dh, dw)}; cannot be combined with strides &gt; 1 (as Keras).
     *
     * @param d the dilation rate (Keras's {@code dilation_rate}, default 1)
     * @return this layer
     */
    public Conv2DTranspose dilationRate(int... d) {
        return setDilationRate(d);
    }

    /**
     * The amount of padding along the height and width of the output: one int or {@code (ph,
     * pw)}, each below the stride of its axis; null (the default) lets the output shape be
     * inferred.
     *
     * @param p the output padding (Keras's {@code output_padding}, default None), or null
     * @return this layer
     */
    public Conv2DTranspose outputPadding(int... p) {
        return setOutputPadding(p);
    }

    @Override
    protected Tensor convolveTranspose(Tensor x, Tensor kernel, int[] strides, boolean same, int[] outputPadding,
                                       int[] dilationRate) {
        return ConvOps.convTranspose2d(x, kernel, strides, same, outputPadding, dilationRate);
    }

    /**
     * Re-creates a Conv2DTranspose layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Conv2DTranspose fromConfig(Map<String, Object> c) {
        return new Conv2DTranspose(Configs.getInt(c, "filters"), LayerConfigs.ints(c, "kernel_size", 2),
                LayerConfigs.activation(c.get("activation"))).configure(c);
    }
}
