package org.cornu.layers;

import java.util.Map;
import org.cornu.core.ops.ConvOps;
import org.cornu.core.ops.Ops;
import org.cornu.core.autodiff.Tensor;
import org.cornu.core.saving.Configs;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 1-D convolution over time, {@code keras.layers.Conv1D}, on {@code (batch, steps, channels)}:
 * kernel {@code (kernel_size, in_channels, filters)}, bias {@code (filters)}. Padding "valid",
 * "same" (extra on the right, as TF) or "causal" (zeros on the left only: output t sees
 * inputs up to t). Runs as a {@link org.cornu.core.ops.ConvOps#conv2d} over a height of 1.
 */
public class Conv1D extends BaseConv<Conv1D> {
    /**
     * A convolution with {@code filters} output channels, a window of {@code kernelSize} steps and no activation.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize length of the window (Keras's {@code kernel_size})
     */
    public Conv1D(int filters, int kernelSize) {
        this(filters, kernelSize, null);
    }

    /**
     * As {@link #Conv1D(int, int)} with an activation.
     *
     * @param filters number of output channels (Keras's {@code filters})
     * @param kernelSize length of the window (Keras's {@code kernel_size})
     * @param activation the activation by name ({@code "relu"}) or object; null means linear (Keras's {@code activation})
     */
    public Conv1D(int filters, int kernelSize, Object activation) {
        super("Conv1D", 1, filters, new int[] {kernelSize}, activation);
    }

    /**
     * Sets the step of the window (Keras's {@code strides}, default 1).
     *
     * @param s the stride
     * @return this layer
     */
    public Conv1D strides(int s) {
        return setStrides(s);
    }

    /**
     * Sets the dilation of the window (Keras's {@code dilation_rate}, default 1); cannot be combined
     * with strides above 1, as in Keras.
     *
     * @param d the dilation rate
     * @return this layer
     */
    public Conv1D dilationRate(int d) {
        return setDilationRate(d);
    }

    /**
     * {@code "causal"} padding is Conv1D's.
     *
     * @return true
     */
    @Override
    protected boolean allowsCausalPadding() {
        return true;
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor k, Tensor bias, int[] strides, String padding, int[] dilationRate) {
        long[] xs = x.shape();
        long[] ks = k.shape();
        Tensor x4 = x;
        long steps = xs[1];
        if (padding.equals("causal")) {
            long pad = (long) dilationRate[0] * (ks[0] - 1);
            if (pad > 0) {
                Tensor zeros = Tensor.constant(Nd4j.zeros(x.value().dataType(), xs[0], pad, xs[2]));
                x4 = Ops.concat(1, zeros, x);
                steps += pad;
            }
        }
        x4 = Ops.reshape(x4, xs[0], 1, steps, xs[2]);
        Tensor k4 = Ops.reshape(k, 1, ks[0], ks[1], ks[2]);
        Tensor z = ConvOps.conv2d(x4, k4, bias, new int[] {1, strides[0]}, padding.equals("same"),
                new int[] {1, dilationRate[0]});
        long[] zs = z.shape();
        return Ops.reshape(z, zs[0], zs[2], zs[3]);
    }

    /**
     * Re-creates a Conv1D layer from Keras's config (absent keys take Keras's defaults).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static Conv1D fromConfig(Map<String, Object> c) {
        LayerConfigs.checkGroups("Conv1D", c);
        return new Conv1D(Configs.getInt(c, "filters"), LayerConfigs.ints(c, "kernel_size", 1)[0],
                LayerConfigs.activation(c.get("activation"))).configure(c);
    }
}
