package org.cornu.layers;

import java.util.Map;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.saving.Configs;

/**
 * 1-D transposed convolution layer, {@code keras.layers.Conv1DTranspose}, on channels_last
 * inputs {@code (batch, steps, channels)}: the transformation going in the opposite direction
 * of a {@link Conv1D}, from something of the shape of its output to something of the shape of
 * its input.
 *
 * <p>Weights, in Keras's order: {@code kernel} {@code (kernel_size, filters, in_channels)}
 * (glorot_uniform) and {@code bias} {@code (filters)} (zeros). Output {@code (batch,
 * new_steps, filters)}: "valid" gives {@code (n-1)*stride + k' + output_padding}, "same" gives
 * {@code n*stride} without output padding, with {@code k' = dilation*(k-1) + 1} (see
 * {@link BaseConvTranspose}).
 *
 * <pre>{@code
 * new Conv1DTranspose(8, 4).strides(2)   // (10, c) -> (22, 8)
 * }</pre>
 */
public class Conv1DTranspose extends BaseConvTranspose<Conv1DTranspose> {
    /**
     * {@code filters} output channels, a window of {@code kernelSize} steps, no activation.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize length of the window (Keras's {@code kernel_size})
     */
    public Conv1DTranspose(int filters, int kernelSize) {
        this(filters, kernelSize, null);
    }

    /**
     * As {@link #Conv1DTranspose(int, int)} with an activation by name ({@code "relu"}) or object.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize length of the window (Keras's {@code kernel_size})
     * @param activation the activation by name or object; null means linear (Keras's {@code activation})
     */
    public Conv1DTranspose(int filters, int kernelSize, Object activation) {
        super("Conv1DTranspose", 1, filters, new int[] {kernelSize}, activation);
    }

    /**
     * Step of the window.
     *
     * @param s the stride (Keras's {@code strides}, default 1)
     * @return this layer
     */
    public Conv1DTranspose strides(int s) {
        return setStrides(s);
    }

    /**
     * Dilation of the window; cannot be combined with strides &gt; 1 (as Keras).
     *
     * @param d the dilation rate (Keras's {@code dilation_rate}, default 1)
     * @return this layer
     */
    public Conv1DTranspose dilationRate(int d) {
        return setDilationRate(d);
    }

    /**
     * The padding added at the end of the output, below the stride; null (the default) infers it.
     *
     * @param p the output padding (Keras's {@code output_padding}), or null
     * @return this layer
     */
    public Conv1DTranspose outputPadding(Integer p) {
        return p == null ? setOutputPadding((int[]) null) : setOutputPadding(p.intValue());
    }

    @Override
    protected Tensor convolveTranspose(Tensor x, Tensor kernel, int[] strides, boolean same, int[] outputPadding,
                                       int[] dilationRate) {
        long[] xs = x.shape(), ks = kernel.shape();
        Tensor x4 = Ops.reshape(x, xs[0], 1, xs[1], xs[2]);
        Tensor k4 = Ops.reshape(kernel, 1, ks[0], ks[1], ks[2]);
        // the height axis (1 step, kernel 1): output 1 with "valid" and output padding 0, or "same"
        Tensor z = ConvOps.convTranspose2d(x4, k4, new int[] {1, strides[0]}, same,
                outputPadding == null ? null : new int[] {0, outputPadding[0]}, new int[] {1, dilationRate[0]});
        long[] zs = z.shape();
        return Ops.reshape(z, zs[0], zs[2], zs[3]);
    }

    /**
     * Re-creates a Conv1DTranspose layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Conv1DTranspose fromConfig(Map<String, Object> c) {
        return new Conv1DTranspose(Configs.getInt(c, "filters"), LayerConfigs.ints(c, "kernel_size", 1)[0],
                LayerConfigs.activation(c.get("activation"))).configure(c);
    }
}
