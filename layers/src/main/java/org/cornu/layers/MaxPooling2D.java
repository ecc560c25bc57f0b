package org.cornu.layers;

import org.cornu.core.ops.ConvOps;
import org.cornu.core.autodiff.Tensor;

/**
 * Max pooling over 2-D windows, {@code keras.layers.MaxPooling2D}, on channels_last inputs
 * {@code (batch, height, width, channels)}: each output cell is the largest input in its
 * {@code pool_size} window, the window moving by {@code strides} along height and width.
 *
 * <p>Output shape {@code (batch, new_height, new_width, channels)}: with "valid" padding
 * {@code new = floor((n - pool) / stride) + 1}; with "same" padding {@code new = ceil(n / stride)}.
 *
 * <pre>{@code
 * // (batch, 28, 28, 32) -> (batch, 14, 14, 32)
 * Layer pool = new MaxPooling2D(2);
 * }</pre>
 */
public class MaxPooling2D extends Pooling2D<MaxPooling2D> {
    /**
     * 2x2 windows with stride 2 and "valid" padding, Keras's defaults.
     */
    public MaxPooling2D() {
        this(2);
    }

    /**
     * Windows of {@code poolSize}, strides equal to the pool size.
     *
     * @param poolSize one int for both axes or {@code (ph, pw)} (Keras's {@code pool_size}, default {@code (2, 2)})
     */
    public MaxPooling2D(int... poolSize) {
        super("MaxPooling2D", poolSize);
    }

    @Override
    protected Tensor pool(Tensor x, int[] pool, int[] strides, boolean same) {
        return ConvOps.maxPool2d(x, pool, strides, same);
    }

    /**
     * Re-creates a MaxPooling2D layer from Keras's config (pool_size (2, 2), strides = pool_size, "valid" when absent).
     *
     * @param c the layer's {@code config} map
     * @return the new layer
     */
    public static MaxPooling2D fromConfig(java.util.Map<String, Object> c) {
        return configure(new MaxPooling2D(LayerConfigs.ints(c, "pool_size", 2, 2)), c);
    }
}
